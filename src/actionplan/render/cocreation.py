"""The co-creation report as HTML, for screen, print and Word: the record set out for the people
who took part and for the monitoring body.

The forum, the roadmap against the meetings held, each meeting, each consultation's
contributions grouped by the response they got (text as received: plain, escaped, never read as
Markdown) and one page per minimum requirement with the evidence the record holds for it
(`actionplan.evidence`). Rendered like the progress report (`render.monitoring`): one template,
three media.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from actionplan.evidence import Evidence, meeting_date, requirement_evidence
from actionplan.merge import Plan
from actionplan.model.assessments import REQUIREMENTS
from actionplan.model.cocreation import (
    SECTORS,
    Activity,
    Contribution,
    Contributions,
    Meeting,
    Paper,
)
from actionplan.render.html import View, document_view
from actionplan.render.monitoring import Links, Medium, render_document

COCREATION_REPORT = "co-creation-report.html.j2"
AWAITING = "awaiting"
"""The group of contributions that have no response yet, after every response status."""
STATUS_ORDER = ("accepted", "partially-accepted", "already-covered", "not-accepted", "out-of-scope")
"""The response groups from what was taken up to what was not, then AWAITING."""
ENDORSING = ("civil-society", "forum")
_ATTENDANCE = tuple(s.replace("-", "_") for s in SECTORS)
"""The attendance fields by sector, in the sectors' order."""


def late_days(meeting: Meeting, paper: Paper) -> int:
    """How many days after the meeting the paper was published; 0 when on time."""
    day = meeting_date(meeting)
    return max((paper.published - day).days, 0) if day is not None else 0


def held_during(plan: Plan, activity: Activity) -> list[Meeting]:
    """The meetings of the activity's phase held within its period."""
    return [
        m
        for m in (plan.meetings or {}).values()
        if m.phase == activity.phase
        and (day := meeting_date(m)) is not None
        and activity.start <= day <= activity.end
    ]


def unplanned(plan: Plan) -> list[Meeting]:
    """The meetings no activity of the roadmap accounts for."""
    planned = {
        m.id
        for a in (plan.roadmap.activities if plan.roadmap else [])
        for m in held_during(plan, a)
    }
    return [m for m in (plan.meetings or {}).values() if m.id not in planned]


def by_status(consultation: Contributions) -> list[tuple[str, list[Contribution]]]:
    """The contributions grouped by response status, in the statuses' order, those awaiting
    a response last; empty groups left out."""
    groups: dict[str, list[Contribution]] = {s: [] for s in (*STATUS_ORDER, AWAITING)}
    for item in consultation.items:
        groups[item.response.status if item.response else AWAITING].append(item)
    return [(s, groups[s]) for s in (*STATUS_ORDER, AWAITING) if groups[s]]


def attendance_rows(meeting: Meeting) -> list[tuple[str, int]]:
    """(sector, count) for each sector whose attendance is recorded."""
    if meeting.attendance is None:
        return []
    counts = meeting.attendance.model_dump()
    return [
        (s, counts[f]) for s, f in zip(SECTORS, _ATTENDANCE, strict=True) if counts[f] is not None
    ]


def received(text: str, view: View, language: str | None) -> Markup:
    """Text as received: paragraphs at blank lines, line breaks kept, everything escaped (a
    `*` or a `<script>` is shown as written), marked with the language it was written in."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]
    body = Markup("").join(
        Markup("<p>{}</p>\n").format(Markup("<br>\n").join(escape(line) for line in p.split("\n")))
        for p in paragraphs
    )
    attrs = view.lang_attrs(language) if language else Markup("")
    return Markup('<div class="received-text"{}>\n{}</div>').format(attrs, body)


@dataclass(frozen=True)
class _Facts:
    """The evidence's facts as label and value, in the reader's language."""

    view: View

    def rows(self, evidence: Evidence) -> Iterator[tuple[Markup, Markup]]:
        for name, value in evidence["facts"].items():
            yield self.view.label(f"record_evidence.fact.{name}"), self.value(name, value)

    def value(self, name: str, value: Any) -> Markup:
        view = self.view
        if name == "forum":
            return view.inline(value)
        if name in ("established", "approval_date"):
            return Markup(escape(view.date(dt.date.fromisoformat(value))))
        if name == "terms_of_reference":
            return Markup('<a href="{0}">{0}</a>').format(value)
        if name == "members_by_sector":
            return self._counts("sector", value)
        if name == "responses_by_status":
            return self._counts("response_status", value)
        if name == "endorsed_by":
            return Markup("; ").join(escape(a["name"]) for a in value) or view.label(
                "document.none"
            )
        if name == "co_chairs":
            return Markup("; ").join(escape(n) for n in value)
        if name == "papers_after_meeting":
            return self._late(value)
        return Markup(escape(value))

    def _counts(self, group: str, counts: dict[str, int]) -> Markup:
        return Markup("; ").join(
            self.view.label("record_summary.by_sector", sector=self.view.enum(group, key), count=n)
            for key, n in counts.items()
        )

    def _late(self, papers: list[dict[str, str]]) -> Markup:
        if not papers:
            return Markup("0")
        items = (
            Markup("<li>{}</li>").format(
                self.view.label(
                    "record_evidence.late_paper",
                    paper=p["paper"],
                    meeting=p["meeting"],
                    published=self.view.date(dt.date.fromisoformat(p["published"])),
                    meeting_date=self.view.date(dt.date.fromisoformat(p["meeting_date"])),
                )
            )
            for p in papers
        )
        return Markup('<ul class="late-papers">{}</ul>').format(Markup("").join(items))


def addresses(plan: Plan) -> list[str]:
    """Every web address the record gives for the plan's documents, once, in record order."""
    found: list[str] = []
    if plan.member.website:
        found.append(plan.member.website)
    if plan.forum and plan.forum.terms_of_reference:
        found.append(plan.forum.terms_of_reference)
    for meeting in (plan.meetings or {}).values():
        found += [p.url for p in meeting.documents]
        found += [meeting.minutes.url] if meeting.minutes else []
    found += [c.url for c in (plan.contributions or {}).values() if c.url]
    return list(dict.fromkeys(found))


def render_cocreation_report(
    plan: Plan, lang: str, templates: Path, medium: Medium = "screen"
) -> str:
    """The co-creation report of `plan` in `lang`."""
    view = document_view(plan, lang, templates)
    extra = {
        "links": Links(view, medium, ""),
        "facts": _Facts(view),
        "evidence": requirement_evidence(plan),
        "requirements": REQUIREMENTS,
        "endorsers": [
            a
            for a in (plan.vision.approval.approved_by if plan.vision.approval else [])
            if a.kind in ENDORSING
        ],
        "addresses": addresses(plan),
        "sectors": SECTORS,
        "held_during": held_during,
        "unplanned": unplanned(plan),
        **record_helpers(view),
    }
    return render_document(view, COCREATION_REPORT, templates, medium, extra)


def record_helpers(view: View) -> dict[str, Any]:
    """What the record's meetings and consultations (`_record_meetings.html.j2`,
    `_record_consultations.html.j2`) call besides the View's helpers and `links`: the report's
    and the site's plan page's."""
    return {
        "by_status": by_status,
        "attendance_rows": attendance_rows,
        "late_days": late_days,
        "meeting_date": meeting_date,
        "received": lambda item: received(item.text, view, item.language),
    }
