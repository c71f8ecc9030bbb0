"""The co-creation record: the forum, the roadmap, the meetings and the public's contributions
with their reasoned responses (handbook phases 1-6; the minimum requirements rest on them)."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, StrictInt, StringConstraints

from actionplan.model.common import (
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    Closed,
    IsoDate,
    LangCode,
    LocalizedName,
    LocalizedText,
    Period,
    PlainText,
    Slug,
    Url,
)

MAX_CONTRIBUTIONS = 2_000
"""Items in one consultation's file: a busy Decidim consultation gathers hundreds."""
MAX_COUNT = 10_000_000
"""Attendance counts: more than any city's population that could attend."""

Sector = Literal["government", "civil-society", "private-sector", "academia", "community", "other"]
SECTORS: tuple[str, ...] = get_args(Sector)
Phase = Literal["prepare", "discover", "draft", "submit", "implement", "learn"]
PHASES: tuple[str, ...] = get_args(Phase)
MeetingKind = Literal[
    "forum", "workshop", "public-consultation", "public-hearing", "survey", "launch", "other"
]
Channel = Literal["meeting", "online-platform", "email", "survey", "written", "other"]
ResponseStatus = Literal[
    "accepted", "partially-accepted", "not-accepted", "already-covered", "out-of-scope"
]
RESPONSE_STATUSES: tuple[str, ...] = get_args(ResponseStatus)

MEETING_ID = r"^\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]*$"
MeetingId = Annotated[
    str,
    StringConstraints(pattern=MEETING_ID, max_length=100),
    Field(json_schema_extra={"x-format": "The meeting's date and a slug: YYYY-MM-DD-<slug>."}),
]
ItemId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80),
    Field(
        json_schema_extra={
            "x-format": "Letters, digits, `.`, `_` and `-` (a platform's reference such as "
            "PAR-PROP-2024-03-1234 is kept as it is)."
        }
    ),
]
ReceivedText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS, pattern=r"\S"),
    Field(description="What was received, as received: plain text, shown as written."),
]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]


class ForumMember(Closed):
    """A member of the multi-stakeholder forum."""

    model_config = Closed.model_config | {"serialize_by_alias": True}  # `from`, not `from_`

    name: PlainText
    """Name of the person or group."""
    organization: PlainText | None = None
    """Organization they represent."""
    sector: Sector
    """government, civil-society, private-sector, academia, community or other."""
    role: PlainText | None = None
    """Their role in the forum (co-chair, secretariat, member...)."""
    from_: IsoDate | None = Field(default=None, alias="from")
    """First day of membership."""
    until: IsoDate | None = None
    """Last day of membership."""


class Forum(Closed):
    """forum.yaml: the member's multi-stakeholder forum, across cycles."""

    name: LocalizedName
    """Name of the forum."""
    mandate: LocalizedText
    """What the forum does and how it is used through the cycle."""
    established: IsoDate | None = None
    """Date the forum was set up."""
    terms_of_reference: Url | None = None
    """Where its terms of reference are published."""
    members: Annotated[list[ForumMember], Field(max_length=MAX_ITEMS)]
    """Who sits in the forum."""
    co_chairs: Annotated[list[PlainText], Field(max_length=MAX_ITEMS)] = []
    """Names of the members who co-chair it."""


class Activity(Closed):
    """One activity of the co-creation roadmap."""

    id: Slug
    """Id of the activity, unique in the roadmap."""
    title: LocalizedName
    """What is done."""
    phase: Phase
    """The handbook's phase: prepare, discover, draft, submit, implement or learn."""
    start: IsoDate
    """First day."""
    end: IsoDate
    """Last day."""
    owner: PlainText | None = None
    """Who leads it."""
    channels: Annotated[list[PlainText], Field(max_length=MAX_ITEMS)] = []
    """How people take part or are told (website, newsletter, meetings...)."""


class Roadmap(Closed):
    """roadmap.yaml: the co-creation roadmap (handbook 1.3)."""

    target_submission: IsoDate
    """When the plan is to be filed with OGP."""
    activities: Annotated[list[Activity], Field(min_length=1, max_length=MAX_ITEMS)]
    """The planned activities."""


class Attendance(Closed):
    """How many people attended, in all and by sector."""

    total: Count
    """Everyone who attended."""
    government: Count | None = None
    """From government."""
    civil_society: Count | None = None
    """From civil society."""
    private_sector: Count | None = None
    """From the private sector."""
    academia: Count | None = None
    """From academia."""
    community: Count | None = None
    """Community members."""
    other: Count | None = None
    """Others."""


class Paper(Closed):
    """A document shared with the participants of a meeting."""

    title: PlainText
    """What it is."""
    url: Url
    """Where it is published."""
    published: IsoDate
    """When it was published (information is shared before meetings)."""


class Minutes(Closed):
    """The minutes of a meeting."""

    url: Url
    """Where they are published."""
    published: IsoDate
    """When they were published."""


class Meeting(Closed):
    """meetings/<id>.yaml: one meeting, workshop, consultation or event."""

    id: MeetingId
    """YYYY-MM-DD-<slug>, equal to the file name; its date part is the meeting's date."""
    date: IsoDate | None = None
    """Date of the meeting; when given, it equals the id's date part."""
    title: LocalizedName
    """Title of the meeting."""
    phase: Phase
    """The handbook's phase it belongs to."""
    kind: MeetingKind
    """forum, workshop, public-consultation, public-hearing, survey, launch or other."""
    format: Literal["in-person", "online", "hybrid"]
    """in-person, online or hybrid."""
    attendance: Attendance | None = None
    """How many attended, by sector."""
    documents: Annotated[list[Paper], Field(max_length=MAX_ITEMS)] = []
    """Papers shared with the participants, and when."""
    minutes: Minutes | None = None
    """The minutes, and when they were published."""
    summary: LocalizedText | None = None
    """What was discussed and decided."""
    commitments: Annotated[list[Slug], Field(max_length=MAX_ITEMS)] = []
    """Ids of the commitments discussed."""


class MilestoneRef(Closed):
    """A milestone of a commitment of the plan."""

    commitment: Slug
    """Id of the commitment."""
    milestone: Slug
    """Id of the milestone in it."""


class Response(Closed):
    """The reasoned response to one contribution."""

    status: ResponseStatus
    """accepted, partially-accepted, not-accepted, already-covered or out-of-scope."""
    reason: LocalizedText
    """Why: what the people who wrote in read."""
    date: IsoDate | None = None
    """When the response was given."""
    commitments: Annotated[list[Slug], Field(max_length=MAX_ITEMS)] = []
    """Commitments the contribution shaped."""
    milestones: Annotated[list[MilestoneRef], Field(max_length=MAX_ITEMS)] = []
    """Milestones the contribution shaped."""


class Contribution(Closed):
    """One piece of input from the public."""

    id: ItemId
    """Id of the contribution, unique in the file."""
    date: IsoDate | None = None
    """When it was received."""
    author: PlainText | None = None
    """Who wrote it; omitted for anonymous input."""
    sector: Sector | None = None
    """The author's sector."""
    language: LangCode | None = None
    """Language it was written in."""
    text: ReceivedText
    """What was received, as received."""
    url: Url | None = None
    """Where it is published (a proposal's page on the consultation platform)."""
    commitments: Annotated[list[Slug], Field(max_length=MAX_ITEMS)] = []
    """Commitments it is about."""
    response: Response | None = None
    """The reasoned response; none yet while it is being considered."""


class Contributions(Closed):
    """contributions/<id>.yaml: what the public said in one consultation, and the response."""

    id: Slug
    """Id of the consultation, equal to the file name."""
    title: LocalizedName
    """Title of the consultation."""
    channel: Channel
    """meeting, online-platform, email, survey, written or other."""
    meeting: MeetingId | None = None
    """Id of the meeting it was taken at; required when the channel is `meeting`."""
    open: Period | None = None
    """When input was taken."""
    url: Url | None = None
    """Where the consultation is published."""
    items: Annotated[list[Contribution], Field(max_length=MAX_CONTRIBUTIONS)]
    """The contributions received."""
