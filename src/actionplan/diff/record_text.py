"""The co-creation record's part of the text and Markdown diff (actionplan.diff.text).

Responses come first in a consultation, one line each in the words a monitor uses:
`contribution PAR-12: response not-accepted → accepted`, the reason below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionplan.diff.model import (
    ActivityRef,
    ConsultationDiff,
    ContributionRef,
    ForumMemberRef,
    MeetingRef,
    RecordItemChange,
)

if TYPE_CHECKING:
    from actionplan.diff.text import _Writer

_SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def write_record(w: _Writer) -> None:
    """The forum, the roadmap, the meetings and the consultations, when they changed."""
    record, p = w.diff.record, w.p
    if record.forum is not None:
        forum = record.forum
        w.heading(p.section("forum"), 3)
        if forum.change != "changed":
            w.item(_SIGNS[forum.change], p.text(f"forum.{forum.change}"), "  ")
        w.fields(forum.fields, "  ")
        _members(w, "+", forum.members_added)
        _members(w, "-", forum.members_removed)
        _changes(w, forum.members_changed, "  ")
    if record.roadmap is not None:
        roadmap = record.roadmap
        w.heading(p.section("roadmap"), 3)
        if roadmap.change != "changed":
            w.item(_SIGNS[roadmap.change], p.text(f"roadmap.{roadmap.change}"), "  ")
        w.fields(roadmap.fields, "  ")
        _activities(w, "+", roadmap.activities_added)
        _activities(w, "-", roadmap.activities_removed)
        _changes(w, roadmap.activities_changed, "  ")
    _meetings(w)
    _consultations(w)


def _members(w: _Writer, sign: str, members: list[ForumMemberRef]) -> None:
    for member in members:
        org = f" ({member.organization})" if member.organization else ""
        sector = w.p.record_enum("sector", member.sector)
        w.item(sign, f"{w.s.strong(w.s.escape(member.name))}{w.s.escape(org)}: {sector}", "  ")


def _activities(w: _Writer, sign: str, activities: list[ActivityRef]) -> None:
    for activity in activities:
        phase = w.p.record_enum("phase", activity.phase)
        when = f"{phase}, {activity.start.isoformat()} – {activity.end.isoformat()}"
        w.item(sign, f"{w.named(activity.id, w.p.plain(activity.title))} ({when})", "  ")


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
    meetings, p = w.diff.record.meetings, w.p
    for name, refs, sign in (
        ("meetings_added", meetings.added, "+"),
        ("meetings_removed", meetings.removed, "-"),
    ):
        if refs:
            w.heading(p.section(name), 3)
            for ref in refs:
                w.item(sign, _meeting_line(w, ref), "  ")
    if meetings.changed:
        w.heading(p.section("meetings_changed"), 3)
        _changes(w, meetings.changed, "  ")


def _consultations(w: _Writer) -> None:
    consultations, p = w.diff.record.consultations, w.p
    for name, refs, sign in (
        ("consultations_added", consultations.added, "+"),
        ("consultations_removed", consultations.removed, "-"),
    ):
        if refs:
            w.heading(p.section(name), 3)
            for ref in refs:
                counts = p.plural("consultation_counts", ref.contributions, responded=ref.responded)
                w.item(sign, f"{w.named(ref.id, p.plain(ref.title))} ({counts})", "  ")
    for consultation in consultations.changed:
        if consultation is consultations.changed[0]:
            w.heading(p.section("consultations_changed"), 3)
        _consultation(w, consultation)


def _consultation(w: _Writer, c: ConsultationDiff) -> None:
    p, s = w.p, w.s
    if s.markdown:
        w.heading(f"{s.escape(c.id)} — {s.escape(p.plain(c.title))}", 4)
    else:
        w.emit()
        w.item("~", w.named(c.id, p.plain(c.title)), "  ")
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
    for name, refs, sign in (
        ("contributions_added", c.contributions_added, "+"),
        ("contributions_removed", c.contributions_removed, "-"),
    ):
        if refs:
            w.subheading(p.section(name), sub)
            for ref in refs:
                w.item(sign, _contribution_line(w, ref), inner)
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
