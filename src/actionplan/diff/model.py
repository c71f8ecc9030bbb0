"""The result of `actionplan diff`: what `--format json` prints, and the schema it follows.

`schemas/diff.schema.json` is generated from `PlanDiff`. The structure is stable: keys are only
ever added (with `schema_version` raised when one changes meaning). As in plan.json, an optional
key is absent rather than null, dates are written YYYY-MM-DD and lists are always present.

Paths of changed fields (`FieldChange.path`) are written from the changed document's root:
`summary`, `lead.contact.email`, `period.end`, `co_creation.process`. A list of mappings that
carry an identifying key (`id`, `name`, `url`, `requirement`, `commitment`) is addressed by that
key in square brackets, `other_actors.government[Mairies d'arrondissement].contribution`;
other lists by their 0-based index, `recommendations[2]`. A change to a list of plain values
(`stakeholders`, `references`) is one `added` or `removed` change per value, at the list's path.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from actionplan.model.cocreation import Channel, MeetingKind, Phase, ResponseStatus, Sector
from actionplan.model.common import IsoDate, LocalizedText
from actionplan.model.progress import Status
from actionplan.model.vision import Participant

SCHEMA_FILE = "diff.schema.json"
SCHEMA_VERSION: Literal[1] = 1

ChangeKind = Literal["added", "removed", "changed"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class WordSpan(_Out):
    """A run of words of a word-level diff: kept, inserted or deleted."""

    op: Literal["equal", "insert", "delete"]
    """`equal` (in both texts), `insert` (only in the new text) or `delete` (only in the old)."""
    text: str
    """The words, separated by single spaces; a paragraph break is written as a blank line."""


class ProseDiff(_Out):
    """The word-level diff of one language of a changed text."""

    lang: str
    """The language (ISO 639-1) of the texts compared."""
    similarity: Annotated[float, Field(ge=0, le=1)]
    """Share of the words the two texts have in common (difflib ratio, 0 to 1, 3 decimals)."""
    spans: list[WordSpan]
    """The old and new texts as runs of kept, deleted and inserted words, in reading order."""


class FieldChange(_Out):
    """One value added, removed or changed in a document."""

    path: str
    """Where the value is, from the document's root (see the module's description)."""
    change: ChangeKind
    """`added` (absent before), `removed` (absent now) or `changed`."""
    old: JsonValue = None
    """The old value as in plan.json; absent when added."""
    new: JsonValue = None
    """The new value as in plan.json; absent when removed."""
    words: list[ProseDiff] = []
    """For a changed text (localized prose): a word diff per language that changed."""


class PlanSide(_Out):
    """One side of the comparison."""

    source: str
    """The argument as given: a plan folder or `REV:PATH`."""
    path: str
    """The plan folder (relative to the repository's root for a git revision)."""
    revision: str | None = None
    """The git revision as given, for `REV:PATH`."""
    commit: str | None = None
    """The commit the revision resolved to (40 hex digits), for `REV:PATH`."""
    member: str
    """The member's id."""
    cycle: str
    """The plan's cycle, `YYYY-YYYY`."""
    languages: list[str]
    """The member's languages, the primary first."""
    title: LocalizedText
    """The plan's title."""


class CommitmentRef(_Out):
    """A commitment added, withdrawn (or dropped) or left unchanged."""

    id: str
    """The commitment's id."""
    title: LocalizedText
    """Its title."""
    start: IsoDate
    """First day of its period."""
    end: IsoDate
    """Last day of its period."""
    milestones: int
    """How many milestones it has."""
    statuses: dict[Status, int] = {}
    """How many of its milestones are at each status (their latest progress entry's), in the
    plan it belongs to; milestones without progress are not counted."""


class MilestoneRef(_Out):
    """A milestone added or removed."""

    id: str
    """The milestone's id."""
    title: LocalizedText
    """Its title."""
    start: IsoDate
    """Start date."""
    end: IsoDate
    """End date."""
    status: Status | None = None
    """Its status (its latest progress entry's) in the plan it belongs to; absent when no
    progress was reported."""


class MilestoneMove(_Out):
    """A milestone whose dates changed."""

    id: str
    """The milestone's id."""
    title: LocalizedText
    """Its (new) title."""
    old_start: IsoDate
    """Start date before."""
    old_end: IsoDate
    """End date before."""
    new_start: IsoDate
    """Start date now."""
    new_end: IsoDate
    """End date now."""
    slip_days: int
    """Days the end date moved: positive when later, negative when earlier."""
    start_shift_days: int
    """Days the start date moved: positive when later, negative when earlier."""


class MilestoneChange(_Out):
    """A milestone whose title, output, lead or stakeholders changed."""

    id: str
    """The milestone's id."""
    title: LocalizedText
    """Its (new) title."""
    fields: list[FieldChange]
    """What changed, paths from the milestone (`title`, `expected_output`, `stakeholders`)."""


class StatusChange(_Out):
    """A milestone's status (its latest progress entry's) before and now."""

    milestone: str
    """The milestone's id."""
    title: LocalizedText
    """Its (new) title."""
    old: Status | None = None
    """Status before; absent when no progress was reported."""
    new: Status | None = None
    """Status now; absent when no progress is reported any more."""
    old_date: IsoDate | None = None
    """Date of the entry that gave the old status."""
    new_date: IsoDate | None = None
    """Date of the entry that gives the new status."""
    regression: bool
    """True when complete went back to in-progress or not-started, or when the new status is
    stalled or abandoned."""


class ProgressEntryRef(_Out):
    """A progress entry added or removed."""

    date: IsoDate
    """Date of the entry."""
    milestone: str
    """The milestone it reports on."""
    status: Status
    """The status it reports."""
    note: LocalizedText | None = None
    """What happened."""


class ProgressEntryChange(_Out):
    """A progress entry (matched by date and milestone) whose content changed."""

    date: IsoDate
    """Date of the entry."""
    milestone: str
    """The milestone it reports on."""
    fields: list[FieldChange]
    """What changed, paths from the entry (`status`, `note`, `evidence[URL]`)."""


class CommitmentDiff(_Out):
    """What changed in one commitment present in both plans (same id)."""

    id: str
    """The commitment's id."""
    title: LocalizedText
    """Its (new) title."""
    fields: list[FieldChange]
    """Fields of the commitment that changed, milestones aside."""
    milestones_added: list[MilestoneRef]
    """Milestones only in the new plan."""
    milestones_removed: list[MilestoneRef]
    """Milestones only in the old plan."""
    milestones_moved: list[MilestoneMove]
    """Milestones whose start or end date changed."""
    milestones_changed: list[MilestoneChange]
    """Milestones whose other fields changed."""
    status_changes: list[StatusChange]
    """Milestones (present in both plans) whose latest reported status changed."""
    progress_added: list[ProgressEntryRef]
    """Progress entries only in the new log (plans of the same cycle only)."""
    progress_removed: list[ProgressEntryRef]
    """Progress entries only in the old log (plans of the same cycle only)."""
    progress_changed: list[ProgressEntryChange]
    """Progress entries whose content changed (plans of the same cycle only)."""


class CommitmentChanges(_Out):
    """Commitments matched by id."""

    added: list[CommitmentRef]
    """Only in the new plan: added (same cycle) or new (another cycle)."""
    removed: list[CommitmentRef]
    """Only in the old plan: withdrawn (same cycle) or dropped (another cycle)."""
    changed: list[CommitmentDiff]
    """In both plans, with changes; in the new plan's order."""
    unchanged: list[CommitmentRef]
    """In both plans, without changes (carried over as they were, between cycles)."""


class ApprovalDiff(_Out):
    """The plan's approval added, removed or changed."""

    change: ChangeKind
    """`added` (the plan was a draft), `removed` (it is a draft again) or `changed`."""
    fields: list[FieldChange]
    """For a changed approval: what changed (`date`, `notes`, `approved_by[NAME]`)."""


class ParticipantChange(_Out):
    """A participant of the co-creation (matched by name) whose role or organization changed."""

    name: str
    """The participant's name."""
    fields: list[FieldChange]
    """What changed: `role`, `organization`."""


class ParticipantChanges(_Out):
    """The members of the co-creation, matched by name."""

    added: list[Participant]
    """Only in the new plan."""
    removed: list[Participant]
    """Only in the old plan."""
    changed: list[ParticipantChange]
    """In both, with another role or organization."""


class AssessmentChange(_Out):
    """An assessment added, removed or changed (plans of the same cycle only)."""

    document: str
    """`inception`, `final-summary` or `end-of-commitment/<commitment id>`."""
    change: ChangeKind
    """`added`, `removed` or `changed`."""
    fields: list[FieldChange]
    """For a changed assessment: what changed."""


class MeetingRef(_Out):
    """A meeting added or removed (plans of the same cycle only)."""

    id: str
    """The meeting's id, `YYYY-MM-DD-<slug>`."""
    title: LocalizedText
    """Its title."""
    date: IsoDate | None = None
    """Its date; absent when its id holds no real date."""
    phase: Phase
    """The handbook's phase it belongs to."""
    kind: MeetingKind
    """forum, workshop, public-consultation, public-hearing, survey, launch or other."""
    attendance: int | None = None
    """How many attended in all; absent when not recorded."""


class RecordItemChange(_Out):
    """A meeting, forum member or roadmap activity present in both plans whose fields changed."""

    id: str
    """The meeting's or the activity's id, or the forum member's name."""
    title: LocalizedText
    """Its (new) title; a forum member's name."""
    fields: list[FieldChange]
    """What changed, paths from the item (`documents[URL].published`, `attendance.total`)."""


class MeetingChanges(_Out):
    """Meetings matched by id (plans of the same cycle only)."""

    added: list[MeetingRef]
    """Only in the new plan."""
    removed: list[MeetingRef]
    """Only in the old plan."""
    changed: list[RecordItemChange]
    """In both, with changes."""


class ContributionRef(_Out):
    """A contribution added or removed."""

    id: str
    """The contribution's id in its consultation."""
    date: IsoDate | None = None
    """When it was received."""
    author: str | None = None
    """Who wrote it; absent for anonymous input."""
    text: str
    """What was received, as received."""
    status: ResponseStatus | None = None
    """Its response's status; absent while it has no response."""


class ResponseChange(_Out):
    """A contribution (in both plans) whose response was given, withdrawn or changed status."""

    item: str
    """The contribution's id in its consultation."""
    old: ResponseStatus | None = None
    """The status before; absent when it had no response."""
    new: ResponseStatus | None = None
    """The status now; absent when its response was withdrawn."""
    date: IsoDate | None = None
    """The date of the response now (before, when withdrawn), when given."""
    reason: LocalizedText | None = None
    """The reason now (before, when withdrawn): what the people who wrote in read."""


class ContributionChange(_Out):
    """A contribution in both plans whose text, details or response (its status aside) changed."""

    item: str
    """The contribution's id in its consultation."""
    fields: list[FieldChange]
    """What changed, paths from the contribution (`text`, `response.reason`)."""


class ConsultationRef(_Out):
    """A consultation (a contributions file) added or removed."""

    id: str
    """The consultation's id."""
    title: LocalizedText
    """Its title."""
    channel: Channel
    """How input was taken."""
    contributions: int
    """How many contributions it holds."""
    responded: int
    """How many of them have a response."""


class ConsultationDiff(_Out):
    """A consultation in both plans (same id) whose contributions or details changed."""

    id: str
    """The consultation's id."""
    title: LocalizedText
    """Its (new) title."""
    responses: list[ResponseChange]
    """Contributions whose response was given, withdrawn or changed status: first, as a monitor
    reads them first."""
    fields: list[FieldChange]
    """Fields of the consultation that changed, its contributions aside."""
    contributions_added: list[ContributionRef]
    """Contributions only in the new file, matched by id."""
    contributions_removed: list[ContributionRef]
    """Contributions only in the old file."""
    contributions_changed: list[ContributionChange]
    """Contributions in both whose content changed (a response's status change aside)."""


class ConsultationChanges(_Out):
    """Consultations matched by id, their contributions by id (plans of the same cycle only)."""

    added: list[ConsultationRef]
    """Only in the new plan."""
    removed: list[ConsultationRef]
    """Only in the old plan."""
    changed: list[ConsultationDiff]
    """In both, with changes."""


class ForumMemberRef(_Out):
    """A member of the forum added or removed."""

    name: str
    """The member's name."""
    organization: str | None = None
    """The organization they represent."""
    sector: Sector
    """Their sector."""


class ForumDiff(_Out):
    """The forum (forum.yaml, the member's) added, removed or changed."""

    change: ChangeKind
    """`added`, `removed` or `changed`."""
    fields: list[FieldChange]
    """For a changed forum: what changed, its members aside (`mandate`, `co_chairs`)."""
    members_added: list[ForumMemberRef]
    """Members only in the new forum, matched by name (every member of an added forum)."""
    members_removed: list[ForumMemberRef]
    """Members only in the old forum (every member of a removed forum)."""
    members_changed: list[RecordItemChange]
    """Members in both with another organization, sector, role or dates."""


class ActivityRef(_Out):
    """A roadmap activity added or removed."""

    id: str
    """The activity's id."""
    title: LocalizedText
    """What is done."""
    phase: Phase
    """The handbook's phase."""
    start: IsoDate
    """First day."""
    end: IsoDate
    """Last day."""


class RoadmapDiff(_Out):
    """The co-creation roadmap added, removed or changed (plans of the same cycle only)."""

    change: ChangeKind
    """`added`, `removed` or `changed`."""
    fields: list[FieldChange]
    """For a changed roadmap: what changed, its activities aside (`target_submission`)."""
    activities_added: list[ActivityRef]
    """Activities only in the new roadmap, matched by id (every one of an added roadmap)."""
    activities_removed: list[ActivityRef]
    """Activities only in the old roadmap (every one of a removed roadmap)."""
    activities_changed: list[RecordItemChange]
    """Activities in both whose title, phase, dates, owner or channels changed."""


class RecordDiff(_Out):
    """The co-creation record: the forum, the roadmap, the meetings and the contributions."""

    forum: ForumDiff | None = None
    """The forum's change; absent when unchanged."""
    roadmap: RoadmapDiff | None = None
    """The roadmap's change; absent when unchanged or when the plans are of different cycles."""
    meetings: MeetingChanges
    """Meetings added, removed or changed."""
    consultations: ConsultationChanges
    """Consultations added, removed or changed, with their contributions and responses."""


class Summary(_Out):
    """Counts of the changes, for the summary line."""

    commitments_added: int
    """Commitments only in the new plan."""
    commitments_removed: int
    """Commitments only in the old plan."""
    commitments_changed: int
    """Commitments in both, with changes."""
    commitments_unchanged: int
    """Commitments in both, without changes."""
    milestones_added: int
    """Milestones added to commitments present in both plans."""
    milestones_removed: int
    """Milestones removed from commitments present in both plans."""
    milestones_moved: int
    """Milestones whose dates changed."""
    max_slip_days: int | None = None
    """The largest slip of an end date, in days, when a milestone ends later; else absent."""
    status_changes: int
    """Milestones whose latest status changed."""
    status_regressions: int
    """Of those, regressions."""
    vision_changes: int
    """Fields of the vision that changed (approval and participants aside)."""
    approval_changed: bool
    """True when the approval was added, removed or changed."""
    participant_changes: int
    """Participants added, removed or changed."""
    member_changes: int
    """Fields of member.yaml that changed."""
    assessment_changes: int
    """Assessments added, removed or changed."""
    forum_changed: bool = False
    """True when the forum was added, removed or changed."""
    forum_members_added: int = 0
    """Forum members added (all of an added forum's)."""
    forum_members_removed: int = 0
    """Forum members removed (all of a removed forum's)."""
    roadmap_changed: bool = False
    """True when the roadmap was added, removed or changed."""
    meetings_added: int = 0
    """Meetings only in the new plan."""
    meetings_removed: int = 0
    """Meetings only in the old plan."""
    meetings_changed: int = 0
    """Meetings in both, with changes."""
    consultations_added: int = 0
    """Consultations only in the new plan."""
    consultations_removed: int = 0
    """Consultations only in the old plan."""
    contributions_added: int = 0
    """Contributions added to consultations in both plans."""
    contributions_removed: int = 0
    """Contributions removed from consultations in both plans."""
    contributions_changed: int = 0
    """Contributions in both whose content changed, a response's status aside."""
    responses_changed: int = 0
    """Contributions whose response was given, withdrawn or changed status."""


class PlanDiff(_Out):
    """The semantic difference between two revisions or two cycles of an action plan."""

    schema_version: Literal[1]
    """Version of this structure; raised only when the meaning of a key changes."""
    old: PlanSide
    """The plan compared from."""
    new: PlanSide
    """The plan compared to."""
    cross_cycle: bool
    """True when the plans are of different cycles: unmatched commitments are then dropped and
    new rather than withdrawn and added; progress entries and assessments, which belong to a
    cycle, are not compared."""
    identical: bool
    """True when nothing differs: every list below is empty."""
    summary: Summary
    """Counts of the changes."""
    commitments: CommitmentChanges
    """Commitments added, removed, changed and unchanged."""
    vision: list[FieldChange]
    """Fields of the vision that changed, approval and co-creation participants aside."""
    approval: ApprovalDiff | None = None
    """The approval's change; absent when unchanged."""
    participants: ParticipantChanges
    """Members of the co-creation added, removed or changed."""
    member: list[FieldChange]
    """Fields of member.yaml that changed."""
    assessments: list[AssessmentChange]
    """Assessments added, removed or changed (plans of the same cycle only)."""
    record: RecordDiff = RecordDiff(
        meetings=MeetingChanges(added=[], removed=[], changed=[]),
        consultations=ConsultationChanges(added=[], removed=[], changed=[]),
    )
    """The co-creation record: the forum (compared across cycles too: it is the member's),
    the roadmap, meetings and consultations (plans of the same cycle only)."""
