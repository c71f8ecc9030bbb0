"""Rules across files: ids, references, dates, the five-at-once limit, core values, progress."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from actionplan.model import Commitment
from actionplan.model.assessments import REQUIREMENTS
from actionplan.model.commitment import CORE_VALUES
from actionplan.model.common import Period
from actionplan.problems import Problem
from actionplan.validate.approval_rules import check_approval_and_assessments
from actionplan.validate.cocreation import References, check_record, repeats
from actionplan.validate.due import check_due
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile

MAX_CONCURRENT = 5
# The years a plan may run in: its folder is named after them with four digits each, and a
# year outside them is a typo (0025 for 2025) that would put the plan in no real cycle.
YEARS = range(1900, 3000)
_CYCLE_NAME = re.compile(r"[0-9]{4}-[0-9]{4}")


def check_plan(plan: LoadedPlan, build_date: dt.date) -> list[Problem]:
    """Every rule that can run on the files that passed the schema."""
    refs = References.of(plan)
    out: list[Problem] = []
    out += _member_rules(plan)
    out += _vision_rules(plan)
    out += _commitment_rules(plan)
    out += _concurrency(plan)
    out += _progress_rules(plan, refs, build_date)
    out += _assessment_rules(plan, refs)
    out += check_record(plan, refs, build_date)
    out += check_approval_and_assessments(plan, refs, build_date)
    out += check_due(plan, build_date, out)
    return out


def _member_rules(plan: LoadedPlan) -> Iterator[Problem]:
    member = plan.member_model
    if member is None or plan.member is None:
        return
    if member.id != plan.files.member_name:
        yield plan.member.at(
            ("id",),
            "id-mismatch",
            f"id `{member.id}` differs from the folder name "
            f"`{plan.files.member_name}`; they must be equal",
        )


def _vision_rules(plan: LoadedPlan) -> Iterator[Problem]:
    vision, src = plan.vision_model, plan.vision
    if vision is None or src is None or plan.files.cycle_dir is None:
        return
    yield from _period_order(src, ("period",), vision.period.start, vision.period.end)
    out_of_range = list(_plan_years(src, vision.period))
    yield from out_of_range
    expected = f"{vision.period.start.year:04d}-{vision.period.end.year:04d}"
    folder = plan.files.cycle_name or ""
    if folder != expected and not out_of_range:  # no folder to suggest before the years are fixed
        why = "" if _CYCLE_NAME.fullmatch(folder) else " (a cycle folder is named YYYY-YYYY)"
        yield src.at(
            ("period", "start"),
            "cycle-folder",
            f"the plan runs {vision.period.start} to {vision.period.end}, so its folder "
            f"must be named `{expected}`, not `{folder}`{why}",
        )
    if vision.period.end > vision.term_end:
        yield src.at(
            ("term_end",),
            "term-end",
            f"the plan ends on {vision.period.end}, after the administration's term "
            f"ends on {vision.term_end}; a plan must end before the next election",
        )


def _plan_years(src: SourceFile, period: Period) -> Iterator[Problem]:
    for key, verb, day in (("start", "starts", period.start), ("end", "ends", period.end)):
        if day.year not in YEARS:
            yield src.at(
                ("period", key),
                "plan-years",
                f"the plan {verb} on {day}, in year {day.year}; a plan runs within the years "
                f"{YEARS.start} to {YEARS.stop - 1}, which name its folder (YYYY-YYYY)",
            )


def _period_order(
    src: SourceFile, at: tuple[str | int, ...], start: dt.date, end: dt.date
) -> Iterator[Problem]:
    if start > end:
        yield src.at((*at, "end"), "date-order", f"ends on {end}, before it starts on {start}")


def _commitment_rules(plan: LoadedPlan) -> Iterator[Problem]:
    vision = plan.vision_model
    seen: dict[str, SourceFile] = {}
    for src in plan.commitments:
        c = src.model
        if not isinstance(c, Commitment):
            continue
        if c.id != src.path.stem:
            yield src.at(
                ("id",),
                "id-mismatch",
                f"id `{c.id}` differs from the file name `{src.path.stem}`; they must be equal",
            )
        if c.id in seen:
            yield src.at(
                ("id",),
                "duplicate-id",
                f"commitment id `{c.id}` is already used by {seen[c.id].display}",
            )
        seen.setdefault(c.id, src)
        yield from _period_order(src, ("period",), c.period.start, c.period.end)
        if vision is not None:
            yield from _within(
                src,
                ("period",),
                c.period.start,
                c.period.end,
                vision.period.start,
                vision.period.end,
                "within-plan",
                "the plan period",
            )
        if not any(getattr(c.ogp_values, v) for v in CORE_VALUES):
            yield src.at(
                ("ogp_values",),
                "core-value",
                "a commitment must serve at least one of transparency, "
                "accountability or participation (inclusion comes in addition)",
                key=True,
            )
        yield from _milestone_rules(src, c)


def _within(
    src: SourceFile,
    at: tuple[str | int, ...],
    start: dt.date,
    end: dt.date,
    outer_start: dt.date,
    outer_end: dt.date,
    rule: str,
    what: str,
) -> Iterator[Problem]:
    if start < outer_start:
        yield src.at(
            (*at, "start"), rule, f"starts on {start}, before {what} starts on {outer_start}"
        )
    if end > outer_end:
        yield src.at((*at, "end"), rule, f"ends on {end}, after {what} ends on {outer_end}")


def _milestone_rules(src: SourceFile, c: Commitment) -> Iterator[Problem]:
    for index, ident, repeated in repeats(m.id for m in c.milestones):
        at, m = ("milestones", index), c.milestones[index]
        if repeated:
            yield src.at(
                (*at, "id"),
                "duplicate-id",
                f"milestone id `{ident}` is used twice in this commitment",
            )
        if m.start > m.end:
            yield src.at(
                (*at, "end"), "date-order", f"ends on {m.end}, before it starts on {m.start}"
            )
        yield from _within(
            src,
            at,
            m.start,
            m.end,
            c.period.start,
            c.period.end,
            "within-commitment",
            "the commitment",
        )


def _concurrency(plan: LoadedPlan) -> Iterator[Problem]:
    """No more than five commitments on any day; reported where the sixth one starts."""
    items = sorted(
        (
            (c.period.start, c.period.end, cid, src)
            for cid, (src, c) in plan.commitment_models().items()
            if c.period.start <= c.period.end
        ),
        key=lambda t: (t[0], t[2]),
    )
    for start, _end, cid, src in items:
        active = [other for s, e, other, _ in items if s <= start <= e]
        if len(active) > MAX_CONCURRENT and cid == active[-1]:
            yield src.at(
                ("period", "start"),
                "concurrent-commitments",
                f"on {start}, {len(active)} commitments are being implemented at once "
                f"({', '.join(active)}); at most {MAX_CONCURRENT} may run at the same "
                "time",
            )


def _progress_rules(plan: LoadedPlan, refs: References, build_date: dt.date) -> Iterator[Problem]:
    for src, log in plan.progress_models():
        yield from _of_commitment(refs, src, log.commitment)
        previous: dt.date | None = None
        for index, entry in enumerate(log.entries):
            at = ("entries", index)
            if previous is not None and entry.date < previous:
                yield src.at(
                    (*at, "date"),
                    "progress-order",
                    f"dated {entry.date}, before the entry above it ({previous}); "
                    "entries go oldest first",
                )
            previous = max(previous or entry.date, entry.date)
            if entry.date > build_date:
                yield src.at(
                    (*at, "date"), "future-entry", f"dated {entry.date}, after today ({build_date})"
                )
            milestone = (*at, "milestone")
            yield from refs.commitment_milestone(src, milestone, log.commitment, entry.milestone)


def _of_commitment(refs: References, src: SourceFile, cid: str) -> Iterator[Problem]:
    """The file of one commitment (its progress log, its end-of-commitment assessment) is named
    after it, and names a commitment of the plan."""
    if cid != src.path.stem:
        yield src.at(
            ("commitment",),
            "id-mismatch",
            f"commitment `{cid}` differs from the file name `{src.path.stem}`; they must be equal",
        )
    if cid not in refs.milestones:  # a file that failed its schema is reported by itself
        yield from refs.commitment(src, ("commitment",), cid)


def _assessment_rules(plan: LoadedPlan, refs: References) -> Iterator[Problem]:
    inception, src = plan.inception_model(), plan.inception
    if inception is not None and src is not None:
        requirements = [req.requirement for req in inception.requirements]
        for index, requirement, repeated in repeats(requirements):
            if repeated:
                yield src.at(
                    ("requirements", index, "requirement"),
                    "inception-requirements",
                    f"requirement `{requirement}` is assessed twice",
                )
        missing = [r for r in REQUIREMENTS if r not in requirements]
        if missing:
            yield src.at(
                ("requirements",),
                "inception-requirements",
                f"each of the six requirements must be assessed; missing: {', '.join(missing)}",
                key=True,
            )
        designs = [design.commitment for design in inception.commitments]
        for index, commitment, repeated in repeats(designs):
            at = ("commitments", index, "commitment")
            if commitment not in refs.milestones:
                yield from refs.commitment(src, at, commitment)
            if repeated:
                yield src.at(at, "duplicate-id", f"commitment `{commitment}` is assessed twice")
    for esrc, end in plan.end_models():
        yield from _of_commitment(refs, esrc, end.commitment)
