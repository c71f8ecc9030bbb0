"""Due dates as warnings: what `actionplan.due` finds overdue on the build date, reported
where a team looks for it (the date the due date counts from)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from actionplan.due import DueItem, Kind, Record, State, due_items
from actionplan.model import EndOfCommitment, ProgressLog
from actionplan.problems import Problem, Severity
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile

WARNED = frozenset(
    {Kind.INCEPTION, Kind.END_OF_COMMITMENT, Kind.FINAL_SUMMARY, Kind.PROGRESS_UPDATE}
)
"""The kinds the validator warns of; the responses to contributions are the co-creation
rules' (validate/cocreation.py: `unanswered-contribution`), so they are not reported twice."""


def record_of(plan: LoadedPlan) -> Record | None:
    """The models of a loaded plan, as `actionplan.due` reads them; None without a valid
    vision. Files that failed their schema are left out: what they hold is not known."""
    vision = plan.vision_model
    if vision is None:
        return None
    commitments = plan.commitments_in_order()
    progress: dict[str, ProgressLog] = {}
    for _, log in plan.progress_models():
        progress.setdefault(log.commitment, log)
    ends: dict[str, EndOfCommitment] = {}
    for _, end in plan.end_models():
        ends.setdefault(end.commitment, end)
    contributions = {m.id: m for _, m in plan.contributions_models()}
    return Record(
        vision=vision,
        commitments=commitments,
        progress=progress,
        inception=plan.inception_model(),
        end_of_commitment=ends,
        final_summary=plan.final_model(),
        contributions=contributions or None,
    )


def known_items(plan: LoadedPlan, build_date: dt.date) -> list[DueItem]:
    """What is due for the plan on the build date, as far as its valid files tell: nothing
    without a valid vision; an item whose file is there but failed its schema is left out (it
    may be done), and so is the final summary when a commitment file failed (its end is not
    known)."""
    record = record_of(plan)
    if record is None or plan.files.cycle_dir is None:
        return []
    invalid = {s.path for s in plan.sources() if s.model is None}
    cycle_dir = plan.files.cycle_dir
    commitment_failed = any(s.model is None for s in plan.commitments)
    return [
        item
        for item in due_items(record, build_date)
        if cycle_dir / item.file not in invalid
        and not (item.kind is Kind.FINAL_SUMMARY and commitment_failed)
    ]


def check_due(
    plan: LoadedPlan, build_date: dt.date, found: Sequence[Problem] = ()
) -> list[Problem]:
    """A warning for each assessment or progress update overdue on the build date.

    Only for a plan whose dates hold: with member.yaml, and once the rules across its files
    (`found`) report no error, since a reversed period or a misnamed folder would give due
    dates that mean nothing; the warnings come once the errors are fixed."""
    if plan.member_model is None or any(p.severity is Severity.ERROR for p in found):
        return []
    overdue = (i for i in known_items(plan, build_date) if i.state is State.OVERDUE)
    return [p for i in overdue if i.kind in WARNED and (p := _warning(plan, i)) is not None]


Place = tuple[SourceFile, tuple[str | int, ...]]


def _place(plan: LoadedPlan, item: DueItem) -> Place | None:
    """Where the warning stands: the date the due date counts from."""
    if item.kind is Kind.INCEPTION:
        return (plan.vision, ("submitted",)) if plan.vision else None
    if item.kind is Kind.FINAL_SUMMARY:
        return (plan.vision, ("period", "end")) if plan.vision else None
    log = next(((s, m) for s, m in plan.progress_models() if m.commitment == item.subject), None)
    if log is not None and log[1].entries:
        src, entries = log[0], log[1].entries
        dated = [i for i, e in enumerate(entries) if e.date == item.since]
        return src, ("entries", dated[-1] if dated else len(entries) - 1, "date")
    found = plan.commitment_models().get(item.subject or "")
    return (found[0], ("period", "start")) if found else None


def _warning(plan: LoadedPlan, item: DueItem) -> Problem | None:
    place = _place(plan, item)
    if place is None:
        return None
    src, at = place
    missing = f"`{item.file}` {'is still a draft' if item.draft else 'is missing'}"
    if item.kind is Kind.INCEPTION:
        return src.at(
            at,
            "inception-overdue",
            f"the inception assessment was due on {item.due}, two months after the plan was "
            f"filed on {item.since}; {missing}",
            severity=Severity.WARNING,
        )
    if item.kind is Kind.END_OF_COMMITMENT:
        return src.at(
            at,
            "end-of-commitment-overdue",
            f"commitment `{item.subject}` was complete on {item.since}, so its "
            f"end-of-commitment assessment was due one month later, on {item.due}; {missing}",
            severity=Severity.WARNING,
        )
    if item.kind is Kind.FINAL_SUMMARY:
        return src.at(
            at,
            "final-summary-overdue",
            f"every commitment had ended on {item.since}, so the final summary was due; {missing}",
            severity=Severity.WARNING,
        )
    return src.at(
        at,
        "progress-overdue",
        f"no progress reported on commitment `{item.subject}` since {item.since}: an update "
        f"was due by {item.due} (every four months while it runs), in `{item.file}`",
        severity=Severity.WARNING,
    )
