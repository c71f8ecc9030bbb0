"""vision.yaml: the strategic vision form of one action plan."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from actionplan.model.common import (
    MAX_ITEMS,
    Closed,
    IsoDate,
    LocalizedName,
    LocalizedText,
    Period,
    PlainText,
)

Role = Literal[
    "government-point-of-contact",
    "civil-society-counterpart",
    "monitoring-body",
    "affected-community",
    "other-government-staff",
    "strategic-stakeholder",
]
ROLES: tuple[str, ...] = get_args(Role)


class Participant(Closed):
    """Someone who co-created the plan, in one of the handbook's six roles."""

    name: PlainText
    """Name of the person or group."""
    organization: PlainText | None = None
    """Organization they belong to."""
    role: Role
    """Their role in the co-creation (the handbook's six)."""


class CoCreation(Closed):
    """Who co-created the plan, and how."""

    process: LocalizedText
    """How the plan was co-created: meetings, consultations, forum."""
    participants: Annotated[list[Participant], Field(min_length=1, max_length=MAX_ITEMS)]
    """Who took part."""


class Approver(Closed):
    """A body or person that approved the plan."""

    name: PlainText
    """Name of the person or body."""
    organization: PlainText
    """Organization they represent."""
    kind: Literal["executive", "council", "civil-society", "forum"]
    """Executive (mayor), council, civil society or the multi-stakeholder forum."""


class Approval(Closed):
    """Question 7: the plan's approval, including formal approval by the mayor or council."""

    date: IsoDate
    """Date of approval."""
    approved_by: Annotated[list[Approver], Field(min_length=1, max_length=MAX_ITEMS)]
    """Who approved the plan."""
    notes: LocalizedText | None = None
    """Anything else about the approval."""


class Vision(Closed):
    """The strategic vision of one action plan."""

    title: LocalizedName
    """Title of the action plan."""
    period: Period
    """Start and end of the action plan; the cycle folder is named after their years."""
    term_end: IsoDate
    """End of the term of the current administration; the plan must end by then."""
    foreword: LocalizedText | None = None
    """Foreword by the head of government."""
    long_term_vision: LocalizedText
    """What is the long-term vision for open government in your context and jurisdiction?"""
    challenges: LocalizedText
    """The challenges the plan addresses."""
    objectives: LocalizedText
    """Objective and scope of the plan."""
    alignment: LocalizedText | None = None
    """Strategic documents the plan builds on."""
    coordination: LocalizedText | None = None
    """Institutional arrangements to coordinate between agencies to implement the plan."""
    co_creation: CoCreation
    """Who co-created the plan, and how."""
    monitoring: LocalizedText
    """How the plan is followed and evaluated."""
    approval: Approval | None = None
    """Question 7: approval of the plan; without it every output is marked as a draft."""
    submitted: IsoDate | None = None
    """Date the plan was filed with OGP."""
