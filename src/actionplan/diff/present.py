"""What every format of the diff shares: labels, counts, the summary line, values as text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_percent
from pydantic import JsonValue

from actionplan.diff.model import CommitmentRef, FieldChange, PlanDiff, PlanSide, ProseDiff
from actionplan.merge import localized
from actionplan.model.common import LocalizedText
from actionplan.model.progress import Status
from actionplan.render.labels import Labels, babel_locale

# Below this similarity, a text is shown as rewritten (old and new in full) in text and
# Markdown rather than as a word diff, which would be all deletions and insertions.
REWRITE_BELOW = 0.6
_LANG_KEY = re.compile(r"^[a-z]{2}$")
_ENUM_BY_FIELD = {"role": "role", "status": "status", "area": "challenge_area"}


@dataclass(frozen=True)
class Presenter:
    """The diff as a reader of `labels.lang` sees it."""

    diff: PlanDiff
    labels: Labels

    @property
    def lang(self) -> str:
        return self.labels.lang

    @property
    def primary(self) -> str:
        return self.diff.new.languages[0]

    def text(self, key: str, **values: object) -> str:
        return self.labels.text(f"diff.{key}", **values)

    def plural(self, key: str, n: int, /, **values: object) -> str:
        """A label with plural forms, in the form the labels' language gives the count `n`."""
        return self.labels.plural(f"diff.{key}", n, **({"n": n} | values))

    def days(self, n: int, signed: bool = True) -> str:
        text = self.plural("days", abs(n))
        return ("+" if n > 0 else "−" if n < 0 else "") + text if signed else text

    def plan_name(self, side: PlanSide) -> str:
        return f"{side.member}/{side.cycle}"

    def title(self) -> str:
        return self.text("title", plan=self.plan_name(self.diff.new))

    def compared(self) -> str:
        return self.text("compared", old=self.diff.old.source, new=self.diff.new.source)

    def localized(self, value: LocalizedText) -> tuple[str, str]:
        """A plan text in the reader's language (else the primary), and its language."""
        return localized(value, self.lang, self.primary)

    def plain(self, value: LocalizedText) -> str:
        return self.localized(value)[0]

    def status(self, value: str | None) -> str:
        if value is None:
            return self.text("not_reported")
        return self.labels.enum("status", value)

    def section(self, name: str) -> str:
        """A section heading; commitment sections are worded for cycles when they differ."""
        if self.diff.cross_cycle:
            name = {
                "commitments_added": "commitments_new",
                "commitments_removed": "commitments_dropped",
                "commitments_changed": "commitments_carried",
            }.get(name, name)
        return self.text(f"section.{name}")

    def period(self, ref: CommitmentRef) -> str:
        return f"{ref.start.isoformat()} – {ref.end.isoformat()}"

    def milestone_count(self, n: int) -> str:
        return self.plural("milestone_count", n)

    def statuses(self, counts: Mapping[Status, int]) -> str:
        """`Complete: 2, Abandoned: 1`: milestones by status."""
        return ", ".join(
            self.text("status_count", status=self.status(status), n=n)
            for status, n in counts.items()
        )

    def commitment_detail(self, ref: CommitmentRef) -> str:
        """`2022-01-01 – 2023-06-30, 3 milestones (Complete: 1, Abandoned: 2)`."""
        detail = f"{self.period(ref)}, {self.milestone_count(ref.milestones)}"
        return f"{detail} — {self.statuses(ref.statuses)}" if ref.statuses else detail

    # --- values -------------------------------------------------------------------------------

    def value(self, value: JsonValue, path: str = "") -> str:
        """A value of a changed field as one line of text (an item of a list addressed by its
        name is shown without it: the path holds it)."""
        if isinstance(value, dict) and path.endswith(f"[{value.get('name')}]"):
            value = {k: v for k, v in value.items() if k != "name"}
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.labels.text("boolean.true" if value else "boolean.false")
        if isinstance(value, str):
            group = self.enum_group(path)
            if group is not None and f"enum.{group}.{value}" in self.labels.entries:
                return self.labels.enum(group, value)
            return value
        if isinstance(value, list):
            return "; ".join(self.value(item, path) for item in value)
        if isinstance(value, dict):
            if is_translations(value):
                return self.plain(value)  # type: ignore[arg-type]
            return self._mapping(value)
        return str(value)

    def _mapping(self, value: dict[str, Any]) -> str:
        name = value.get("name")
        rest = [f"{k}: {self.value(v, k)}" for k, v in value.items() if k != "name"]
        if isinstance(name, str):
            return f"{name} ({', '.join(rest)})" if rest else name
        return ", ".join(rest)

    def enum_group(self, path: str) -> str | None:
        last = re.split(r"[.\]]", path.rstrip("]"))[-1] if path else ""
        last = last.split("[")[0]
        if last == "kind":
            return "monitoring_kind" if "monitoring_body" in path else "approver_kind"
        return _ENUM_BY_FIELD.get(last)

    def rewritten(self, change: FieldChange) -> bool:
        """True when, in some language, the old and new texts have too little in common for a
        word diff to help: the field is then shown as rewritten, in every language."""
        for prose in change.words:
            ops = {span.op for span in prose.spans}
            if prose.similarity < REWRITE_BELOW and {"insert", "delete"} <= ops:
                return True
        return False

    def rewritten_note(self, rewritten: list[ProseDiff]) -> str:
        """`rewritten (words changed: fr 90%, en 87%)`."""
        locale = babel_locale(self.lang)
        detail = ", ".join(
            f"{prose.lang} {format_percent(1 - prose.similarity, locale=locale)}"
            for prose in rewritten
        )
        return self.text("rewritten", detail=detail)

    # --- the summary line ---------------------------------------------------------------------

    def _group(self, counts: list[tuple[str, int]]) -> list[str]:
        out: list[str] = []
        for key, n in counts:
            if n:
                out.append(self.plural(f"count.{key}.{'short' if out else 'full'}", n))
        return out

    def summary(self) -> str:
        """One line: what changed, counted; `No changes` when nothing did."""
        s = self.diff.summary
        if self.diff.identical:
            return self.text("no_changes")
        groups: list[list[str]] = []
        if self.diff.cross_cycle:
            first = self._group(
                [
                    ("commitments_new", s.commitments_added),
                    ("commitments_dropped", s.commitments_removed),
                ]
            )
            carried = s.commitments_changed + s.commitments_unchanged
            if carried:
                phrase = self.plural(
                    f"count.commitments_carried.{'short' if first else 'full'}", carried
                )
                if s.commitments_changed:
                    changed = self.plural("count.commitments_changed.short", s.commitments_changed)
                    phrase = self.text("carried_changed", carried=phrase, changed=changed)
                first.append(phrase)
            groups.append(first)
        else:
            groups.append(
                self._group(
                    [
                        ("commitments_added", s.commitments_added),
                        ("commitments_removed", s.commitments_removed),
                        ("commitments_changed", s.commitments_changed),
                    ]
                )
            )
        milestones = self._group(
            [("milestones_added", s.milestones_added), ("milestones_removed", s.milestones_removed)]
        )
        if s.milestones_moved:
            moved = self.plural(
                f"count.milestones_moved.{'short' if milestones else 'full'}", s.milestones_moved
            )
            if s.max_slip_days:
                moved = self.text("max_slip", moved=moved, days=self.days(s.max_slip_days, False))
            milestones.append(moved)
        groups.append(milestones)
        groups.append(
            self._group(
                [("status_changes", s.status_changes), ("status_regressions", s.status_regressions)]
            )
        )
        groups.append(self._group([("vision", s.vision_changes)]))
        if self.diff.approval is not None:
            groups.append([self.text(f"summary_approval.{self.diff.approval.change}")])
        groups.append(self._group([("participants", s.participant_changes)]))
        groups.append(self._group([("member", s.member_changes)]))
        groups.append(self._group([("assessments", s.assessment_changes)]))
        groups += self._record_groups()
        return "; ".join(", ".join(g) for g in groups if g)

    def _record_groups(self) -> list[list[str]]:
        s = self.diff.summary
        forum = self._group(
            [
                ("forum_members_added", s.forum_members_added),
                ("forum_members_removed", s.forum_members_removed),
            ]
        )
        if s.forum_changed and not forum:
            forum = [self.text("summary_forum")]
        return [
            forum,
            [self.text("summary_roadmap")] if s.roadmap_changed else [],
            self._group(
                [
                    ("meetings_added", s.meetings_added),
                    ("meetings_removed", s.meetings_removed),
                    ("meetings_changed", s.meetings_changed),
                ]
            ),
            self._group(
                [
                    ("consultations_added", s.consultations_added),
                    ("consultations_removed", s.consultations_removed),
                ]
            ),
            self._group(
                [
                    ("contributions_added", s.contributions_added),
                    ("contributions_removed", s.contributions_removed),
                    ("contributions_changed", s.contributions_changed),
                ]
            ),
            self._group([("responses_changed", s.responses_changed)]),
        ]

    def response_status(self, value: str | None) -> str:
        """A response's status (`no response` for none)."""
        return (
            self.text("no_response")
            if value is None
            else self.record_enum("response_status", value)
        )

    def record_enum(self, group: str, value: str) -> str:
        """A value of the record (a sector, a phase, a response's status): its label when the
        catalogue has one, else the value as written."""
        label = self.labels.entries.get(f"enum.{group}.{value}", value)
        return label if isinstance(label, str) else value


def is_translations(value: dict[str, Any]) -> bool:
    """True for a localized text written as a mapping from language code to text."""
    return bool(value) and all(_LANG_KEY.match(k) and isinstance(v, str) for k, v in value.items())


def field_label(change: FieldChange, prose: ProseDiff | None = None) -> str:
    """`path` or `path [lang]`."""
    return f"{change.path} [{prose.lang}]" if prose is not None else change.path
