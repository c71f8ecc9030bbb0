"""Rules of the co-creation record: the forum, the roadmap, the meetings and the contributions
with their reasoned responses (FORMAT.md, "The co-creation record"; the due dates are
validate/due.py's, the approval and the assessments validate/approval_rules.py's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from actionplan.approval import is_approved
from actionplan.model.cocreation import (
    Attendance,
    Contribution,
    Contributions,
    Forum,
    Meeting,
    MilestoneRef,
    Roadmap,
)
from actionplan.model.common import MAX_COMMITMENTS, MAX_MILESTONES
from actionplan.problems import DataPath, Problem, Severity
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile

_LISTED = 12
"""Names a message lists at most: the forum's members or the plan's meetings can be many."""
_COMMITMENTS = "the plan's commitments are"
_MEETINGS = "the plan's meetings are"
_SECTORS = ("government", "civil_society", "private_sector", "academia", "community", "other")


def listing(what: str, names: Iterable[str], most: int = _LISTED) -> str:
    """`; its members are a, b, c` (the first `most`, sorted), or nothing when there are
    none."""
    found = sorted(set(names))
    if not found:
        return ""
    more = f" and {len(found) - most} more" if len(found) > most else ""
    return f"; {what} {', '.join(found[:most])}{more}"


@dataclass
class References:
    """What a reference may name: the plan's commitments (with their milestones) and meetings,
    computed once per plan (`check_plan`) for every rule that resolves one, so that a
    consultation of thousands of items is checked in time linear in its size."""

    commitments: set[str] = field(default_factory=set)
    """Every commitment file's name: one whose file failed its schema still exists."""
    milestones: dict[str, set[str]] = field(default_factory=dict)
    """The milestones of each commitment that passed its schema."""
    meetings: set[str] = field(default_factory=set)
    loaded: set[str] = field(default_factory=set)
    """The file names of the commitments that passed their schema (what could be assessed)."""

    @classmethod
    def of(cls, plan: LoadedPlan) -> References:
        return cls(
            commitments={s.path.stem for s in plan.commitments},
            milestones={
                cid: {m.id for m in c.milestones}
                for cid, (_, c) in plan.commitment_models().items()
            },
            meetings={s.path.stem for s in plan.meetings},
            loaded={s.path.stem for s in plan.commitments if s.model is not None},
        )

    def commitment(self, src: SourceFile, at: DataPath, cid: str) -> Iterator[Problem]:
        if cid not in self.commitments:
            yield src.at(
                at,
                "unresolved-reference",
                f"there is no commitment `{cid}` in this plan"
                f"{listing(_COMMITMENTS, self.commitments, MAX_COMMITMENTS)}",
            )

    def commitment_list(self, src: SourceFile, at: DataPath, ids: list[str]) -> Iterator[Problem]:
        for index, cid in enumerate(ids):
            yield from self.commitment(src, (*at, index), cid)

    def milestone(self, src: SourceFile, at: DataPath, ref: MilestoneRef) -> Iterator[Problem]:
        if ref.commitment not in self.commitments:
            yield from self.commitment(src, (*at, "commitment"), ref.commitment)
            return
        yield from self.commitment_milestone(src, (*at, "milestone"), ref.commitment, ref.milestone)

    def commitment_milestone(
        self, src: SourceFile, at: DataPath, cid: str, milestone: str
    ) -> Iterator[Problem]:
        """A milestone of a commitment of the plan (a meeting's, a contribution's or a progress
        entry's); not checked when the commitment's file failed its schema."""
        known = self.milestones.get(cid)
        if known is not None and milestone not in known:
            yield src.at(
                at,
                "unresolved-reference",
                f"commitment `{cid}` has no milestone `{milestone}`"
                f"{listing('its milestones are', known, MAX_MILESTONES)}",
            )


def check_record(plan: LoadedPlan, refs: References, build_date: dt.date) -> Iterator[Problem]:
    """Every rule of the co-creation record's files, but the due dates."""
    if (forum := plan.forum_model()) is not None and plan.forum is not None:
        yield from _forum(plan.forum, forum)
    if (roadmap := plan.roadmap_model()) is not None and plan.roadmap is not None:
        yield from _roadmap(plan.roadmap, roadmap)
    for src, meeting in plan.meeting_models():
        yield from _meeting(src, meeting, refs, build_date)
    vision = plan.vision_model
    approved = vision.approval if vision is not None and is_approved(vision, build_date) else None
    for src, contributions in plan.contributions_models():
        yield from _contributions(src, contributions, refs)
        if approved is not None:
            yield from _unanswered(src, contributions, approved.date)


def repeats(keys: Iterable[str]) -> Iterator[tuple[int, str, bool]]:
    """Each key with its index, and whether an earlier one is the same (a duplicate id)."""
    seen: set[str] = set()
    for index, key in enumerate(keys):
        yield index, key, key in seen
        seen.add(key)


def date_order(src: SourceFile, at: DataPath, start: dt.date, end: dt.date) -> Iterator[Problem]:
    """The `date-order` rule of every other period, at its end."""
    if start > end:
        yield src.at((*at, "end"), "date-order", f"ends on {end}, before it starts on {start}")


def _forum(src: SourceFile, forum: Forum) -> Iterator[Problem]:
    for index, member in enumerate(forum.members):
        if member.from_ is not None and member.until is not None and member.from_ > member.until:
            yield src.at(
                ("members", index, "until"),
                "date-order",
                f"{member.name}'s membership ends on {member.until}, before it starts on "
                f"{member.from_}",
            )
    names = {member.name for member in forum.members}
    for index, name in enumerate(forum.co_chairs):
        if name not in names:
            yield src.at(
                ("co_chairs", index),
                "unresolved-reference",
                f"there is no member `{name}` in the forum; a co-chair is one of its members, "
                f"named as in `members`{listing('its members are', names)}",
            )
    yield from _composition(src, forum)


def _composition(src: SourceFile, forum: Forum) -> Iterator[Problem]:
    if not forum.members:
        why = "the forum has no members"
    elif all(member.sector == "government" for member in forum.members):
        why = "every member of the forum is from government"
    else:
        return
    yield src.at(
        ("members",),
        "forum-composition",
        f"{why}; a multi-stakeholder forum has members from civil society or other sectors "
        "besides government (minimum requirement 2)",
        key=True,
        severity=Severity.WARNING,
    )


def _roadmap(src: SourceFile, roadmap: Roadmap) -> Iterator[Problem]:
    activities = roadmap.activities
    for index, ident, repeated in repeats(activity.id for activity in activities):
        at = ("activities", index)
        if repeated:
            yield src.at((*at, "id"), "duplicate-id", f"activity id `{ident}` is used twice")
        yield from date_order(src, at, activities[index].start, activities[index].end)


def meeting_day(meeting: Meeting) -> dt.date | None:
    """The day of a meeting: its `date`, else its id's date part; None when that is no day."""
    if meeting.date is not None:
        return meeting.date
    return _id_day(meeting.id)


def _id_day(meeting_id: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(meeting_id[:10])
    except ValueError:
        return None


def _meeting(
    src: SourceFile, meeting: Meeting, refs: References, build_date: dt.date
) -> Iterator[Problem]:
    if meeting.id != src.path.stem:
        yield src.at(
            ("id",),
            "id-mismatch",
            f"id `{meeting.id}` differs from the file name `{src.path.stem}`; they must be equal",
        )
    yield from _meeting_date(src, meeting)
    if meeting.attendance is not None:
        yield from _attendance(src, meeting.attendance)
    day = meeting_day(meeting)
    if day is not None:
        yield from _papers(src, meeting, day)
        yield from _minutes(src, meeting, day, build_date)
    yield from refs.commitment_list(src, ("commitments",), meeting.commitments)


def _meeting_date(src: SourceFile, meeting: Meeting) -> Iterator[Problem]:
    day = _id_day(meeting.id)
    if day is None:
        yield src.at(
            ("id",),
            "meeting-date",
            f"`{meeting.id[:10]}` is not a day of the calendar; a meeting's id starts with its "
            "date, YYYY-MM-DD",
        )
    elif meeting.date is not None and meeting.date != day:
        yield src.at(
            ("date",),
            "meeting-date",
            f"the meeting is dated {meeting.date}, but its id `{meeting.id}` says {day}; "
            "they must be equal (rename the file and the id, or correct the date)",
        )


def _attendance(src: SourceFile, attendance: Attendance) -> Iterator[Problem]:
    counts = {s: n for s in _SECTORS if (n := getattr(attendance, s)) is not None}
    over = [s for s, n in counts.items() if n > attendance.total]
    for sector in over:
        yield src.at(
            ("attendance", sector),
            "attendance-total",
            f"{counts[sector]:,} attended from {sector.replace('_', ' ')}, more than the "
            f"{attendance.total:,} who attended in all (`total`)",
        )
    if not over and sum(counts.values()) > attendance.total:
        yield src.at(
            ("attendance", "total"),
            "attendance-total",
            f"{attendance.total:,} attended in all, but the sectors' counts add up to "
            f"{sum(counts.values()):,}; each person counts in one sector",
        )


def _papers(src: SourceFile, meeting: Meeting, day: dt.date) -> Iterator[Problem]:
    for index, paper in enumerate(meeting.documents):
        if paper.published > day:
            yield src.at(
                ("documents", index, "published"),
                "document-after-meeting",
                f"meeting {meeting.id}: document '{paper.title}' was published on "
                f"{paper.published}, after the meeting ({day}); information is shared before "
                "meetings (minimum requirement 5)",
                severity=Severity.WARNING,
            )


def _minutes(
    src: SourceFile, meeting: Meeting, day: dt.date, build_date: dt.date
) -> Iterator[Problem]:
    minutes = meeting.minutes
    if minutes is None:
        return
    if day > build_date:
        why = f"the meeting is on {day}, after today ({build_date}): it has no minutes yet"
    elif minutes.published > build_date:
        why = f"the minutes are dated {minutes.published}, after today ({build_date})"
    elif minutes.published < day:
        why = f"the minutes are dated {minutes.published}, before the meeting ({day})"
    else:
        return
    yield src.at(("minutes", "published"), "minutes-date", why)


def _contributions(src: SourceFile, record: Contributions, refs: References) -> Iterator[Problem]:
    if record.id != src.path.stem:
        yield src.at(
            ("id",),
            "id-mismatch",
            f"id `{record.id}` differs from the file name `{src.path.stem}`; they must be equal",
        )
    if record.meeting is not None and record.meeting not in refs.meetings:
        yield src.at(
            ("meeting",),
            "unresolved-reference",
            f"there is no meeting `{record.meeting}` in this plan (a file "
            f"meetings/{record.meeting}.yaml){listing(_MEETINGS, refs.meetings)}",
        )
    elif record.meeting is None and record.channel == "meeting":
        yield src.at(
            ("channel",),
            "meeting-required",
            "the input was taken at a meeting: name it with `meeting: <the meeting's id>`",
        )
    if record.open is not None:
        yield from date_order(src, ("open",), record.open.start, record.open.end)
    for index, ident, repeated in repeats(item.id for item in record.items):
        if repeated:
            yield src.at(
                ("items", index, "id"),
                "duplicate-id",
                f"contribution id `{ident}` is used twice in this file",
            )
        yield from _item_references(src, ("items", index), record.items[index], refs)


def _item_references(
    src: SourceFile, at: DataPath, item: Contribution, refs: References
) -> Iterator[Problem]:
    yield from refs.commitment_list(src, (*at, "commitments"), item.commitments)
    response = item.response
    if response is None:
        return
    yield from refs.commitment_list(src, (*at, "response", "commitments"), response.commitments)
    for index, ref in enumerate(response.milestones):
        yield from refs.milestone(src, (*at, "response", "milestones", index), ref)


def _unanswered(src: SourceFile, record: Contributions, approved: dt.date) -> Iterator[Problem]:
    for index, item in enumerate(record.items):
        if item.response is None:
            yield src.at(
                ("items", index, "id"),
                "unanswered-contribution",
                f"contribution `{item.id}` has no response, and the plan was approved on "
                f"{approved}; every contribution gets a reasoned response (minimum "
                "requirement 6)",
                severity=Severity.WARNING,
            )
