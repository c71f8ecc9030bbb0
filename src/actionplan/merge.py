"""Merge stage: the files of one valid plan as one model, and its `plan.json`.

Every output is built from a `Plan`. `plan.json` holds it with every language, keys in the
models' field order, dates written YYYY-MM-DD and optional keys absent rather than null, so the
same files always give the same bytes. Its schema, `schemas/plan.schema.json`, is generated
from `Plan` like the schemas of the plan files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import Field, StrictBool, StringConstraints

from actionplan.approval import is_approved
from actionplan.clock import build_date
from actionplan.errors import ActionPlanError
from actionplan.model import (
    Commitment,
    Contributions,
    EndOfCommitment,
    FinalSummary,
    Forum,
    Inception,
    Meeting,
    Member,
    ProgressLog,
    Roadmap,
    Vision,
)
from actionplan.model.common import Closed, IsoDate, LocalizedText, Slug
from actionplan.model.schemas import model_schema
from actionplan.status import CommitmentStatus, plan_status

if TYPE_CHECKING:
    from actionplan.validate.plan import LoadedPlan

SCHEMA_FILE = "plan.schema.json"
_T = TypeVar("_T")
_Identified = TypeVar("_Identified", Meeting, Contributions)

Cycle = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{4}$"),
    Field(description="The years of the plan's start and end: `YYYY-YYYY`."),
]


class Plan(Closed):
    """One action plan merged from its files: what every output is built from.

    Closed like the plan files; computed data (milestone and commitment statuses) is added by
    later stages as new fields, after the source documents and before `draft`.
    """

    member: Member
    """The member (member.yaml)."""
    cycle: Cycle
    """The plan's cycle, named after the years of its period."""
    vision: Vision
    """The strategic vision (vision.yaml)."""
    commitments: list[Commitment]
    """The commitments, ordered by start date, then id."""
    progress: dict[Slug, ProgressLog] = {}
    """Progress logs by commitment id, in the commitments' order."""
    inception: Inception | None = None
    """The inception assessment, once written."""
    end_of_commitment: dict[Slug, EndOfCommitment] = {}
    """End-of-commitment assessments by commitment id, in the commitments' order."""
    final_summary: FinalSummary | None = None
    """The final summary of the cycle, once written."""
    forum: Forum | None = None
    """The member's multi-stakeholder forum (forum.yaml), once written."""
    roadmap: Roadmap | None = None
    """The co-creation roadmap (roadmap.yaml), once written."""
    meetings: dict[str, Meeting] | None = None
    """The meetings by id, so by date (an id starts with its meeting's date); absent when
    there are none."""
    contributions: dict[Slug, Contributions] | None = None
    """The consultations' contributions and responses by consultation id; absent when there
    are none."""
    status: dict[Slug, CommitmentStatus] = {}
    """Computed from the progress logs on the build date: each commitment's completion and its
    milestones' statuses and flags (actionplan.status), in the commitments' order."""
    draft: StrictBool
    """True while the plan has no approval that counts (actionplan.approval: formal, dated on or
    before the build date and not after the filing): every output is then marked as a draft."""
    build_date: IsoDate
    """The date of the build (the UTC date of SOURCE_DATE_EPOCH when set)."""

    @property
    def primary_language(self) -> str:
        """The member's first language: the language of plain text."""
        return self.member.languages[0]

    @property
    def key(self) -> str:
        """`<member>/<cycle>`: where the plan's outputs land under build/."""
        return f"{self.member.id}/{self.cycle}"


class MergeError(ActionPlanError):
    """The plan cannot be merged: a file is missing or failed its schema.

    Callers merge only plans that validated, so this is a caller's mistake; it is still one of
    the tool's errors, shown as its message (no traceback) wherever it reaches the user.
    """


def _ordered(items: dict[str, _T], order: dict[str, int]) -> dict[str, _T]:
    keys = sorted(items, key=lambda key: (order.get(key, len(order)), key))
    return {key: items[key] for key in keys}


def merge(loaded: LoadedPlan, *, today: dt.date | None = None) -> Plan:
    """The merged plan of a loaded plan whose files all passed their schemas."""
    member, vision = loaded.member_model, loaded.vision_model
    if not loaded.complete or member is None or vision is None:
        raise MergeError(f"{loaded.files.key}: the plan has invalid or missing files")
    commitments = loaded.commitments_in_order()
    order = {c.id: index for index, c in enumerate(commitments)}
    progress = {m.commitment: m for _, m in loaded.progress_models()}
    ends = {m.commitment: m for _, m in loaded.end_models()}
    day = today or build_date()
    return Plan(
        member=member,
        cycle=f"{vision.period.start.year:04d}-{vision.period.end.year:04d}",
        vision=vision,
        commitments=commitments,
        progress=_ordered(progress, order),
        inception=loaded.inception_model(),
        end_of_commitment=_ordered(ends, order),
        final_summary=loaded.final_model(),
        forum=loaded.forum_model(),
        roadmap=loaded.roadmap_model(),
        meetings=_by_id(m for _, m in loaded.meeting_models()),
        contributions=_by_id(m for _, m in loaded.contributions_models()),
        status=plan_status(commitments, progress, day),
        draft=not is_approved(vision, day),
        build_date=day,
    )


def _by_id(models: Iterable[_Identified]) -> dict[str, _Identified] | None:
    found = {model.id: model for model in models}
    return {key: found[key] for key in sorted(found)} or None


def plan_json(plan: Plan) -> str:
    """`plan.json`: the merged plan, every language, byte-identical for the same inputs."""
    data = plan.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def localized(value: LocalizedText, lang: str, primary: str) -> tuple[str, str]:
    """The text of a localized value in `lang`, else in the primary language; and its language.

    A plain string is in the primary language.
    """
    if isinstance(value, str):
        return value, primary
    for code in (lang, primary):
        if code in value:
            return value[code], code
    code = next(iter(value))  # a valid plan always holds the primary language
    return value[code], code


@dataclass(frozen=True)
class TextField:
    """One text of a plan as a reader of one language sees it."""

    path: str
    """Where it is in plan.json (JSONPath)."""
    text: str
    """The text, in the reader's language or the primary language."""
    markdown: bool
    """True for prose (localized text, Markdown); False for plain text (names, e-mails)."""


# Plain text, e-mail addresses and telephone numbers: every string a reader must find besides
# the prose. Ids, codes, enum values, dates and URLs are not text a reader looks for.
_PLAIN_PATTERNS = (r"\S", r"^[^@\s]+@[^@\s]+\.[^@\s]+$", r"^\+?[0-9 ().-]{4,}$")


RECORD_SECTIONS = frozenset({"forum", "roadmap", "meetings", "contributions"})
"""The co-creation record: the co-creation report holds its texts, the action plan sums it up."""
ALL_SECTIONS = frozenset(Plan.model_fields)
ACTION_PLAN_SECTIONS = ALL_SECTIONS - RECORD_SECTIONS


def text_fields(
    plan: Plan, lang: str, sections: Collection[str] = ACTION_PLAN_SECTIONS
) -> list[TextField]:
    """Every prose and plain-text value of the plan's top-level `sections` (by default what
    the action plan holds), as shown to a reader of `lang`.

    Walks plan.json along its schema, so a field added to the models is never left out:
    tests look each of these up in every output.
    """
    schema = _plan_schema()
    walker = _TextWalker(schema.get("$defs", {}), lang, plan.primary_language)
    data = plan.model_dump(mode="json", exclude_none=True)
    kept = {key: value for key, value in data.items() if key in sections}
    return list(walker.walk(schema, kept, "$"))


@cache
def _plan_schema() -> dict[str, Any]:
    return model_schema(SCHEMA_FILE, Plan)


@dataclass(frozen=True)
class _TextWalker:
    defs: dict[str, Any]
    lang: str
    primary: str

    def walk(self, schema: dict[str, Any], value: Any, path: str) -> Iterator[TextField]:
        while "$ref" in schema:
            schema = self.defs[schema["$ref"].rsplit("/", 1)[-1]]
        if schema.get("x-localized"):
            yield TextField(path, localized(value, self.lang, self.primary)[0], True)
        elif isinstance(value, str):
            if schema.get("pattern") in _PLAIN_PATTERNS and "enum" not in schema:
                yield TextField(path, value, False)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from self.walk(schema.get("items", {}), item, f"{path}[{index}]")
        elif isinstance(value, dict):
            yield from self._mapping(schema, value, path)

    def _mapping(
        self, schema: dict[str, Any], value: dict[str, Any], path: str
    ) -> Iterator[TextField]:
        props = schema.get("properties", {})
        patterns = list(schema.get("patternProperties", {}).values())
        for key, item in value.items():
            sub = props.get(key) or (patterns[0] if patterns else {})
            name = (
                f"{path}.{key}"
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key)
                else f"{path}['{key}']"
            )
            yield from self.walk(sub, item, name)
