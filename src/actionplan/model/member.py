"""member.yaml: the jurisdiction that files plans."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from actionplan.model.common import (
    MAX_LANGUAGES,
    Closed,
    Email,
    LangCode,
    LocalizedName,
    Person,
    PlainText,
    Slug,
    Url,
)

CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    Field(description="ISO 3166-1 alpha-2 country code, such as FR, GB or AR."),
]


class MonitoringBody(Closed):
    """The independent monitoring body that assesses the member's plans."""

    name: PlainText
    """Name of the person or organization."""
    kind: Literal["person", "organization", "researcher"]
    """Whether the body is a person, an organization or a researcher."""
    email: Email | None = None
    """Contact e-mail."""


class Member(Closed):
    """An OGP Local member: a city, region or other local jurisdiction."""

    id: Slug
    """The member's slug; equals the name of its folder under plans/."""
    name: LocalizedName
    """The jurisdiction's name."""
    country: CountryCode
    """ISO 3166-1 alpha-2 code of the country."""
    languages: Annotated[list[LangCode], Field(min_length=1, max_length=MAX_LANGUAGES)]
    """Languages the plan is published in; the first is the primary language."""
    website: Url | None = None
    """The member's open government page."""
    point_of_contact: Person
    """The government point of contact."""
    monitoring_body: MonitoringBody
    """The independent monitoring body."""
