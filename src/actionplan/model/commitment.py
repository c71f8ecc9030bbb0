"""commitments/<id>.yaml: the commitment form, with its milestones."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, StrictBool

from actionplan.model.common import (
    MAX_ITEMS,
    MAX_MILESTONES,
    Closed,
    IsoDate,
    LocalizedName,
    LocalizedText,
    Period,
    Person,
    PlainText,
    Slug,
)

ChallengeArea = Literal[
    "access-to-information",
    "anti-corruption",
    "civic-space",
    "climate-and-environment",
    "digital-governance",
    "fiscal-openness",
    "gender-and-inclusion",
    "justice",
    "media-freedom",
    "public-participation",
]
CHALLENGE_AREAS: tuple[str, ...] = get_args(ChallengeArea)
CORE_VALUES = ("transparency", "accountability", "participation")


class Lead(Closed):
    """Questions 2-3: the lead institution and its contact."""

    agency: LocalizedName
    """The agency or department that leads the commitment."""
    contact: Person
    """The person responsible."""


class Actor(Closed):
    """Another actor involved in the commitment."""

    name: PlainText
    """Name of the organization or group."""
    contribution: LocalizedText | None = None
    """What it contributes."""


Actors = Annotated[list[Actor], Field(max_length=MAX_ITEMS)]


class OtherActors(Closed):
    """Questions 4-5: other actors involved; every list must be present, `[]` allowed."""

    government: Actors
    """Other government agencies and departments."""
    civil_society: Actors
    """Civil society organizations, working groups."""
    private_sector: Actors
    """Private sector actors."""
    other: Actors
    """Multilaterals and any other actors."""


class OgpValues(Closed):
    """How the commitment serves each OGP value; at least one of the first three."""

    transparency: LocalizedText | None = None
    """How it makes government more transparent."""
    accountability: LocalizedText | None = None
    """How it makes government more accountable to the public."""
    participation: LocalizedText | None = None
    """How it opens government to citizen participation."""
    inclusion: LocalizedText | None = None
    """How it includes groups often left out (in addition to one of the three above)."""


class OpenGovChallenge(Closed):
    """Whether the commitment is submitted to the Open Gov Challenge, and in which area."""

    submitted: StrictBool
    """true if submitted to the Open Gov Challenge."""
    area: ChallengeArea
    """The Challenge area."""


class Milestone(Closed):
    """A step of the commitment with a verifiable output."""

    id: Slug
    """Unique within the commitment; progress logs refer to it."""
    title: LocalizedName
    """What the milestone is."""
    expected_output: LocalizedText
    """The verifiable output expected."""
    start: IsoDate
    """Start date."""
    end: IsoDate
    """End date, within the commitment's period."""
    lead: PlainText | None = None
    """Who leads this milestone."""
    stakeholders: Annotated[list[PlainText], Field(max_length=MAX_ITEMS)] = []
    """Other stakeholders involved."""


class Commitment(Closed):
    """One commitment of an action plan (the commitment form)."""

    id: Slug
    """The commitment's id; equals its file name and is kept across revisions."""
    title: LocalizedName
    """Title of the commitment."""
    summary: LocalizedText
    """A short summary."""
    period: Period
    """Start and end dates, within the plan's period."""
    added: IsoDate | None = None
    """The date the commitment was added to the plan, when after its approval."""
    lead: Lead
    """Questions 2-3: who leads."""
    other_actors: OtherActors
    """Questions 4-5: who else acts."""
    problem: LocalizedText
    """What problem does the commitment address?"""
    causes: LocalizedText
    """What are the causes of the problem?"""
    status_quo: LocalizedText
    """What has been done so far, and where things stand."""
    solution: LocalizedText
    """What does the commitment do about the problem?"""
    results: LocalizedText
    """What results are expected?"""
    ogp_values: OgpValues
    """How the commitment serves the OGP values."""
    resources: LocalizedText | None = None
    """Budget and other resources."""
    risks: LocalizedText | None = None
    """Risks and how they will be handled."""
    open_gov_challenge: OpenGovChallenge | None = None
    """Open Gov Challenge submission."""
    milestones: Annotated[list[Milestone], Field(min_length=1, max_length=MAX_MILESTONES)]
    """At least one milestone."""
