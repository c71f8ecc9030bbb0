"""The co-creation record's part of the text and Markdown diff (actionplan.diff.text).

Responses come first in a consultation, one line each in the words a monitor uses:
`contribution PAR-12: response not-accepted → accepted`, the reason below it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from actionplan.diff.model import (
    ActivityRef,
    ConsultationDiff,
    ConsultationRef,
    ContributionRef,
    ForumDiff,
    ForumMemberRef,
    MeetingRef,
    RecordItemChange,
    RoadmapDiff,
)

if TYPE_CHECKING:
    from actionplan.diff.text import _Writer

_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
T = TypeVar("T")


def write_record(w: _Writer) -> None:
    """The forum, the roadmap, the meetings and the consultations, when they changed."""
    record = w.diff.record
    if record.forum is not None:
        forum = record.forum
        _part(w, "forum", forum, forum.members_added, forum.members_removed, _member_line)
        _changes(w, forum.members_changed, "  ")
    if record.roadmap is not None:
        roadmap = record.roadmap
        added, removed = roadmap.activities_added, roadmap.activities_removed
        _part(w, "roadmap", roadmap, added, removed, _activity_line)
        _changes(w, roadmap.activities_changed, "  ")
    _meetings(w)
    _consultations(w)


def _part(
    w: _Writer,
    name: str,
    part: ForumDiff | RoadmapDiff,
    added: Sequence[T],
    removed: Sequence[T],
    line: Callable[[_Writer, T], str],
) -> None:
    """The forum or the roadmap: whether it came or went, its fields, what it gained and lost."""
    w.heading(w.p.section(name), 3)
    if part.change != "changed":
        w.item(_SIGNS[part.change], w.p.text(f"{name}.{part.change}"), "  ")
    w.fields(part.fields, "  ")
    for sign, items in (("+", added), ("-", removed)):
        for item in items:
            w.item(sign, line(w, item), "  ")


def _member_line(w: _Writer, member: ForumMemberRef) -> str:
    org = f" ({member.organization})" if member.organization else ""
    sector = w.p.record_enum("sector", member.sector)
    return f"{w.s.strong(w.s.escape(member.name))}{w.s.escape(org)}: {sector}"


def _activity_line(w: _Writer, activity: ActivityRef) -> str:
    phase = w.p.record_enum("phase", activity.phase)
    when = f"{phase}, {activity.start.isoformat()} – {activity.end.isoformat()}"
    return f"{w.named(activity.id, w.p.plain(activity.title))} ({when})"


def _changes(w: _Writer, changes: list[RecordItemChange], indent: str) -> None:
    for change in changes:
        title = w.p.plain(change.title)
        shown = (
            w.s.strong(w.s.escape(change.id)) if title == change.id else w.named(change.id, title)
        )
        w.item("~", shown, indent)
        w.fields(change.fields, indent + "    ", nested=True)


def _meeting_line(w: _Writer, meeting: MeetingRef) -> str:
    parts = [
        meeting.date.isoformat() if meeting.date else "",
        w.p.record_enum("phase", meeting.phase),
        w.p.record_enum("meeting_kind", meeting.kind),
    ]
    if meeting.attendance is not None:
        parts.append(w.p.plural("attended", meeting.attendance))
    detail = ", ".join(part for part in parts if part)
    return f"{w.named(meeting.id, w.p.plain(meeting.title))} ({detail})"


def _meetings(w: _Writer) -> None:
    meetings = w.diff.record.meetings
    w.added_removed("meetings", meetings.added, meetings.removed, lambda m: _meeting_line(w, m))
    if meetings.changed:
        w.heading(w.p.section("meetings_changed"), 3)
        _changes(w, meetings.changed, "  ")


def _consultations(w: _Writer) -> None:
    consultations, p = w.diff.record.consultations, w.p

    def line(ref: ConsultationRef) -> str:
        counts = p.plural("consultation_counts", ref.contributions, responded=ref.responded)
        return f"{w.named(ref.id, p.plain(ref.title))} ({counts})"

    w.added_removed("consultations", consultations.added, consultations.removed, line)
    for consultation in consultations.changed:
        if consultation is consultations.changed[0]:
            w.heading(p.section("consultations_changed"), 3)
        _consultation(w, consultation)


def _consultation(w: _Writer, c: ConsultationDiff) -> None:
    p, s = w.p, w.s
    w.entry_heading(c.id, p.plain(c.title))
    sub, inner = "    ", "      "
    if c.responses:
        w.subheading(p.section("responses"), sub)
        for response in c.responses:
            line = p.text(
                "response_change",
                item=response.item,
                old=p.response_status(response.old),
                new=p.response_status(response.new),
            )
            w.item("~", s.escape(line), inner)
            if response.reason is not None:
                w.item(" ", s.escape(p.plain(response.reason)), inner + "    ", nested=True)
    if c.fields:
        w.subheading(p.section("fields"), sub)
        w.fields(c.fields, inner)
    added, removed = c.contributions_added, c.contributions_removed
    w.added_removed("contributions", added, removed, lambda ref: _contribution_line(w, ref), sub)
    if c.contributions_changed:
        w.subheading(p.section("contributions_changed"), sub)
        for change in c.contributions_changed:
            w.item("~", s.strong(s.escape(change.item)), inner)
            w.fields(change.fields, inner + "    ", nested=True)


def _contribution_line(w: _Writer, ref: ContributionRef) -> str:
    p, s = w.p, w.s
    who = ref.author or p.text("anonymous")
    when = f"{ref.date.isoformat()}, " if ref.date else ""
    status = p.response_status(ref.status)
    head = f"{s.strong(s.escape(ref.id))} ({s.escape(when + who)}; {s.escape(status)})"
    return f"{head}: {s.escape(ref.text)}"
