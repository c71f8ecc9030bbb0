"""`actionplan new plan MEMBER --from PREVIOUS_CYCLE`: the next plan, with what the previous one
left to do.

What is carried: every commitment of the previous plan with a milestone neither complete nor
abandoned on the build date (the statuses of `actionplan.status`), its id and text as they were,
with only those milestones; the ones complete or abandoned stay in the previous plan's record,
named in the carried file's opening comment. A commitment whose milestones are all complete or
abandoned is not carried. The dates are the new plan's, marked `# TODO: dates to fill (was
...)` on each line: the commitments share the period in turns so that at most five run at once.
The recommendations of the previous plan's final summary and inception assessment are listed in
the new vision's opening comment, under "Recommendations to answer", and printed with what was
carried and left, and why.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.clock import build_date
from actionplan.errors import UsageError
from actionplan.loader import display_name
from actionplan.merge import Plan, localized, merge
from actionplan.model import Commitment
from actionplan.model.common import LocalizedText
from actionplan.problem_report import format_problems
from actionplan.problems import Severity
from actionplan.scaffold.arguments import parse_cycle
from actionplan.scaffold.plan_files import NewPlan, new_vision
from actionplan.scaffold.texts import HINTS
from actionplan.scaffold.writing import Writes, refuse_existing, run, schema_ref
from actionplan.scaffold.yamltext import Noted, to_yaml
from actionplan.status import DONE, CommitmentStatus
from actionplan.validate import validate_plan
from actionplan.validate.files import PlanFiles
from actionplan.validate.rules import MAX_CONCURRENT

TO_FILL = "TODO: dates to fill"
_WIDTH = 92


@dataclass(frozen=True)
class Carried:
    commitment: Commitment
    left: list[str]
    """The milestones left in the previous plan, each with its status."""


@dataclass(frozen=True)
class Recommendation:
    source: str
    number: int
    text: str
    note: str = ""

    @property
    def line(self) -> str:
        return f"{self.number}. {self.text}" + (f" ({self.note})" if self.note else "")


def new_plan_from(options: NewPlan) -> int:
    """The new plan's vision and the previous plan's open commitments, carried over."""
    vision = new_vision(options)
    refuse_existing(vision.target)
    previous = _previous_plan(options, vision.data["period"]["start"])
    carried, left = _sorted_out(previous)
    spans = _spans(vision.data["period"], len(carried))
    recommendations = _recommendations(previous)
    source = f"plans/{previous.key}"
    files: list[tuple[Path, str, dict[str, Any], str]] = [
        (vision.target, "vision", vision.data, _vision_comment(source, recommendations))
    ]
    for item, span in zip(carried, spans, strict=True):
        target = vision.target.parent / "commitments" / f"{item.commitment.id}.yaml"
        refuse_existing(target)
        data = _carried_data(item.commitment, span)
        files.append((target, "commitment", data, _commitment_comment(source, item)))

    def make(w: Writes) -> list[Path]:
        for target, kind, data, comment in files:
            w.write(target, to_yaml(data, schema_ref(w, target, kind), comment))
        return [target for target, *_ in files]

    code = run(options.root, make)
    _report(previous, carried, left, recommendations, len(set(spans)))
    return code


# --- the previous plan ------------------------------------------------------------------------


def _previous_plan(options: NewPlan, new_start: dt.date) -> Plan:
    member_dir = options.root / "plans" / options.member
    cycle = parse_cycle(options.previous or "", "--from")
    cycle_dir = member_dir / cycle
    if not (cycle_dir / "vision.yaml").is_file():
        cycles = sorted(p.parent.name for p in member_dir.glob("*/vision.yaml"))
        raise UsageError(
            f"--from {cycle}: {display_name(cycle_dir / 'vision.yaml')}: no such file; "
            f"the cycles of `{options.member}` are: {', '.join(cycles) or 'none yet'}"
        )
    loaded, problems = validate_plan(PlanFiles(member_dir, cycle_dir))
    if not loaded.complete or loaded.vision_model is None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        sys.stderr.write(format_problems(errors, "text"))
        raise UsageError(
            f"--from {cycle}: {display_name(cycle_dir)} does not validate, so nothing can be "
            f"carried over; fix it first (`actionplan validate {display_name(cycle_dir)}`)"
        )
    if loaded.vision_model.period.end >= new_start:
        raise UsageError(
            f"--from {cycle}: the previous plan runs until {loaded.vision_model.period.end}; "
            f"the next one starts after it, not on {new_start} (--start)"
        )
    return merge(loaded, today=build_date())


def _sorted_out(plan: Plan) -> tuple[list[Carried], list[tuple[str, str]]]:
    """The commitments carried over, and those left with the reason."""
    carried: list[Carried] = []
    left: list[tuple[str, str]] = []
    for commitment in plan.commitments:
        status = plan.status[commitment.id]
        done = {m.milestone: m.status for m in status.milestones if m.status in DONE}
        if len(done) == len(status.milestones):
            left.append((commitment.id, _why_left(status)))
            continue
        milestones = [m for m in commitment.milestones if m.id not in done]
        kept = commitment.model_copy(update={"milestones": milestones})
        carried.append(Carried(kept, [f"`{m}` ({s})" for m, s in done.items()]))
    return carried, left


def _why_left(status: CommitmentStatus) -> str:
    done = status.completion
    if done.complete == 0:
        return f"every milestone abandoned ({done.abandoned} of {done.milestones})"
    abandoned = f", {done.abandoned} abandoned" if done.abandoned else ""
    return f"complete: {done.complete} of {done.milestones} milestones complete{abandoned}"


def _recommendations(plan: Plan) -> list[Recommendation]:
    found: list[Recommendation] = []
    lang = plan.primary_language
    if plan.final_summary is not None:
        source = f"final summary of {plan.final_summary.date}"
        for n, text in enumerate(plan.final_summary.recommendations, 1):
            found.append(Recommendation(source, n, _one_line(text, lang)))
    if plan.inception is not None:
        source = f"inception assessment of {plan.inception.date}"
        answered = {r.recommendation: r.date for r in plan.inception.responses or []}
        for n, text in enumerate(plan.inception.recommendations, 1):
            note = "no response recorded"
            if n in answered:
                note = f"responded {answered[n]}" if answered[n] else "responded"
            found.append(Recommendation(source, n, _one_line(text, lang), note))
    return found


def _one_line(text: LocalizedText, lang: str) -> str:
    return " ".join(localized(text, lang, lang)[0].split())


# --- the new files ----------------------------------------------------------------------------


def _spans(period: dict[str, dt.date], count: int) -> list[tuple[dt.date, dt.date]]:
    """The new plan's period for each commitment, in turns of at most MAX_CONCURRENT at once."""
    start, end = period["start"], period["end"]
    turns = max(1, math.ceil(count / MAX_CONCURRENT))
    days = (end - start).days + 1
    if turns > days:
        raise UsageError(
            f"{count} commitments to carry over cannot run at most {MAX_CONCURRENT} at a time "
            f"in a plan of {days} days; give the new plan a longer period"
        )
    bounds = [start + dt.timedelta(days=days * n // turns) for n in range(turns + 1)]
    return [(bounds[n % turns], bounds[n % turns + 1] - dt.timedelta(days=1)) for n in range(count)]


def _carried_data(commitment: Commitment, span: tuple[dt.date, dt.date]) -> dict[str, Any]:
    data: dict[str, Any] = commitment.model_dump(mode="json", exclude_none=True, by_alias=True)
    data.pop("added", None)  # added to the previous plan after its approval: not to this one
    data["period"] = _dates(commitment.period.start, commitment.period.end, span)
    for milestone, original in zip(data["milestones"], commitment.milestones, strict=True):
        milestone.update(_dates(original.start, original.end, span))
        if not milestone.get("stakeholders"):
            milestone.pop("stakeholders", None)
    return data


def _dates(start: dt.date, end: dt.date, span: tuple[dt.date, dt.date]) -> dict[str, Noted]:
    return {
        "start": Noted(span[0], f"{TO_FILL} (was {start})"),
        "end": Noted(span[1], f"{TO_FILL} (was {end})"),
    }


def _wrap(text: str, indent: str = "", hang: str = "") -> list[str]:
    """`text` wrapped, `hang` further in after its first line (an item of a numbered list)."""
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + hang)


def _vision_comment(source: str, recommendations: list[Recommendation]) -> str:
    lines = [HINTS["vision"], "", f"Recommendations to answer, from {source}:"]
    if not recommendations:
        lines.append("  (none: it has no final summary or inception assessment yet)")
    return "\n".join(lines + _recommendation_lines(recommendations))


def _recommendation_lines(recommendations: list[Recommendation]) -> list[str]:
    """The recommendations under the name of the assessment each comes from."""
    lines, current = [], ""
    for r in recommendations:
        if r.source != current:
            lines.append(f"  {r.source}:")
            current = r.source
        lines += _wrap(r.line, "    ", "   ")
    return lines


def _commitment_comment(source: str, item: Carried) -> str:
    lines = _wrap(
        f"Carried over from {source}: its id and text as they were, its milestones not "
        f"complete. Set the dates (each marked `{TO_FILL}`) and bring the text up to date."
    )
    if item.left:
        lines += _wrap(f"Left in {source}: {_milestones(item.left)}.")
    return "\n".join([*lines, HINTS["commitment"]])


def _report(
    plan: Plan,
    carried: list[Carried],
    left: list[tuple[str, str]],
    recommendations: list[Recommendation],
    turns: int,
) -> None:
    source = f"plans/{plan.key}"
    out = [f"from {source}, statuses as of {plan.build_date}:"]
    for item in carried:
        kept = _milestones([f"`{m.id}`" for m in item.commitment.milestones])
        extra = f"; left {_milestones(item.left)}" if item.left else ""
        out.append(f"  carried {item.commitment.id}: {kept}{extra}")
    out += [f"  left {commitment}: {why}" for commitment, why in left]
    if carried:
        split = f", in {turns} turns of at most {MAX_CONCURRENT} at once" if turns > 1 else ""
        out.append(
            f"dates to fill: the commitments and milestones carried run over the new plan's "
            f"period{split}; each date is marked `# {TO_FILL}` with the date it had"
        )
    if not recommendations:
        out.append(f"recommendations to answer: none, {source} has no final summary or inception")
    else:
        out.append("recommendations to answer (also in the new vision.yaml's opening comment):")
    print("\n".join(out + _recommendation_lines(recommendations)))


def _milestones(names: list[str]) -> str:
    return f"milestone{'s' if len(names) > 1 else ''} {', '.join(names)}"
