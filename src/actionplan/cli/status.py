"""`actionplan status`: what is due or overdue for each plan, as of the build date.

The dates are `actionplan.due`'s, on the build date (`actionplan.clock`: SOURCE_DATE_EPOCH when
set, otherwise today). Text is for a point of contact: per plan, what is overdue first, then
what falls due within `SOON_DAYS` days, each with its date and the file to write. JSON is for a
scheduled job: one object, its shape documented in the README and kept stable. A plan whose
files do not all validate is still reported, from the files that do, and named as such.

Exit codes: 0 when nothing is overdue, 1 when something is (so that a scheduled CI job fails
and someone looks), 2 for bad arguments or a path that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from actionplan.cli.common import add_format
from actionplan.cli.validate import add_paths, paths_of
from actionplan.errors import ExitCode

if TYPE_CHECKING:
    from actionplan.due import DueItem
    from actionplan.problems import Problem
    from actionplan.validate.plan import LoadedPlan

HELP = "what is due or overdue for each plan, as of the build date"
DESCRIPTION = (
    "List, per plan, the assessments, progress updates and responses to the public's input "
    "that are overdue or due within 30 days, as of the build date (SOURCE_DATE_EPOCH when "
    "set). Exit 1 when something is overdue."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    add_format(parser)
    parser.add_argument(
        "--all",
        action="store_true",
        help="also list what is done and what falls due later",
    )
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class PlanDue:
    """One plan's due items, and the files that kept it from validating."""

    key: str
    folder: str
    invalid_files: list[str]
    items: list[DueItem]


def run(args: argparse.Namespace) -> int:
    from actionplan.clock import build_date
    from actionplan.due import State
    from actionplan.validate import validate_paths

    today = build_date()
    paths = paths_of(args)
    result = validate_paths(paths, today=today)
    plans = [
        found
        for loaded in result.plans
        if (found := _plan_due(loaded, result.problems, today, args.all)) is not None
    ]
    if args.format == "json":
        sys.stdout.write(_json(plans, today))
    else:
        sys.stdout.write(_text(plans, today))
        print(_summary(plans, today), file=sys.stderr)
    overdue = any(i.state is State.OVERDUE for p in plans for i in p.items)
    return ExitCode.PROBLEMS if overdue else ExitCode.OK


def _plan_due(
    plan: LoadedPlan, problems: list[Problem], today: dt.date, everything: bool
) -> PlanDue | None:
    """The plan's items (all of them, or those overdue and due soon); None for a member
    folder without a plan."""
    from actionplan.due import State, pending
    from actionplan.loader import display_name
    from actionplan.validate.due import known_items

    if plan.files.cycle_dir is None:
        return None
    folder = display_name(plan.files.cycle_dir)
    own = {s.display for s in plan.sources()}
    invalid = sorted(
        {
            p.file
            for p in problems
            if p.severity == "error" and (p.file in own or p.file.startswith(folder + "/"))
        }
    )
    items = known_items(plan, today)
    if everything:
        done = [i for i in items if i.state is State.DONE]
        shown = pending(items) + sorted(done, key=lambda i: (i.due, str(i.kind), i.subject or ""))
    else:
        shown = [i for i in pending(items) if i.state is not State.UPCOMING]
    return PlanDue(plan.files.key, folder, invalid, shown)


def describe(item: DueItem) -> str:
    """What is due, in words: `end-of-commitment assessment of open-budget`."""
    from actionplan.due import Kind

    what = {
        Kind.INCEPTION: "inception assessment",
        Kind.END_OF_COMMITMENT: f"end-of-commitment assessment of {item.subject}",
        Kind.FINAL_SUMMARY: "final summary",
        Kind.PROGRESS_UPDATE: f"progress update of {item.subject}",
        Kind.CONTRIBUTION_RESPONSE: f"responses to {len(item.items)} contributions of "
        f"{item.subject}",
    }[item.kind]
    if item.kind is Kind.CONTRIBUTION_RESPONSE and not item.items:
        what = f"responses to the contributions of {item.subject}"
    return what + (" (a draft is written)" if item.draft else "")


def _when(item: DueItem, today: dt.date) -> str:
    days = (item.due - today).days
    if item.done_on is not None:
        return f"done on {item.done_on}"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    if days == 0:
        return "due today"
    return f"in {days} day{'s' if days != 1 else ''}"


def _text(plans: list[PlanDue], today: dt.date) -> str:
    from actionplan.due import SOON_DAYS

    lines: list[str] = []
    for plan in plans:
        lines.append(f"{plan.key} ({plan.folder}), as of {today}:")
        if plan.invalid_files:
            lines.append("  does not validate (`actionplan validate` says why); errors in:")
            lines += [f"    {name}" for name in plan.invalid_files]
            lines.append("  what its valid files tell:")
        for item in plan.items:
            lines.append(
                f"  {item.state:<8}  {item.due}  {describe(item)}: {plan.folder}/{item.file}"
                f" ({_when(item, today)})"
            )
        if not plan.items:
            lines.append(f"  nothing overdue, nothing due within {SOON_DAYS} days")
    return "".join(line + "\n" for line in lines)


def _summary(plans: list[PlanDue], today: dt.date) -> str:
    from actionplan.due import SOON_DAYS, State

    overdue = sum(i.state is State.OVERDUE for p in plans for i in p.items)
    due = sum(i.state is State.DUE for p in plans for i in p.items)
    count = f"{len(plans)} plan{'s' if len(plans) != 1 else ''}"
    return f"{overdue} overdue, {due} due within {SOON_DAYS} days in {count} (as of {today})"


def _json(plans: list[PlanDue], today: dt.date) -> str:
    data = {
        "build_date": today.isoformat(),
        "plans": [
            {
                "plan": plan.key,
                "folder": plan.folder,
                "valid": not plan.invalid_files,
                "invalid_files": plan.invalid_files,
                "items": [
                    {**item.as_dict(), "path": f"{plan.folder}/{item.file}"} for item in plan.items
                ],
            }
            for plan in plans
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
