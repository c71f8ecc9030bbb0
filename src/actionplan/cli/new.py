"""`actionplan new KIND`: start a member, plan, commitment, progress log, forum, roadmap,
meeting or consultation, or the next plan from the previous one (see `actionplan.scaffold`).

`_run` hands the values of the line, as given, to the kind's `scaffold.new_*` function,
which checks them whole before writing anything.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from actionplan.cli.common import add_root, options_from

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

HELP = (
    "start a plan's files (member, plan, commitment, progress, forum, roadmap, meeting, "
    "contributions) so that they validate"
)
DESCRIPTION = (
    "Write a new plan file that validates, with TODO placeholders to fill in and a "
    "`# yaml-language-server: $schema=...` first line. Never overwrites a file."
)


def add_arguments(new: argparse.ArgumentParser) -> None:
    """The kinds of file of `new`, each a subcommand with its arguments."""
    # The words that say what a slug is, shared with scaffold's messages (this import is
    # scaffold's: the models and the schemas, paid only when the arguments of `new` are added).
    from actionplan.scaffold import SLUG_HELP

    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")

    def kind(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, help=help_text, description=help_text)
        add_root(parser)
        parser.set_defaults(run=functools.partial(_run, name))  # `--kind` is a meeting's
        return parser

    member = kind("member", "plans/ID/member.yaml: a new member")
    member.add_argument("id", metavar="ID", help=f"the member's slug ({SLUG_HELP})")
    member.add_argument("--name", required=True, help="the jurisdiction's name")
    member.add_argument("--country", required=True, metavar="CC", help="ISO 3166-1 code: FR")
    member.add_argument(
        "--languages",
        required=True,
        metavar="CODES",
        help="ISO 639-1 codes separated by commas, the primary first: fr,en",
    )
    member.add_argument("--website", metavar="URL", help="the member's open government page")

    plan = kind("plan", "plans/MEMBER/YYYY-YYYY/vision.yaml: a new action plan")
    plan.add_argument("member", metavar="MEMBER", help="the member's id")
    plan.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    plan.add_argument("--end", required=True, metavar="YYYY-MM-DD")
    plan.add_argument(
        "--term-end",
        required=True,
        metavar="YYYY-MM-DD",
        help="when the administration's term ends; the plan must end by then",
    )
    plan.add_argument("--title", help="the plan's title in the primary language")
    plan.add_argument(
        "--from",
        dest="previous",
        metavar="PREVIOUS_CYCLE",
        help="carry over the commitments of this earlier cycle (YYYY-YYYY) that are not "
        "complete, and list its recommendations to answer",
    )

    com = kind(
        "commitment",
        "plans/MEMBER/CYCLE/commitments/ID.yaml: a new commitment with one milestone",
    )
    com.add_argument("plan", metavar="MEMBER/CYCLE", help="the plan, e.g. paris/2024-2026")
    com.add_argument("id", metavar="ID", help=f"the commitment's id ({SLUG_HELP})")
    com.add_argument("--title", help="the commitment's title in the primary language")
    com.add_argument("--start", metavar="YYYY-MM-DD", help="default: the plan's start")
    com.add_argument("--end", metavar="YYYY-MM-DD", help="default: the plan's end")

    pro = kind(
        "progress",
        "plans/MEMBER/CYCLE/progress/COMMITMENT.yaml: a progress log with a first entry",
    )
    pro.add_argument("plan", metavar="MEMBER/CYCLE", help="the plan, e.g. paris/2024-2026")
    pro.add_argument("commitment", metavar="COMMITMENT", help="the commitment's id")
    pro.add_argument("--milestone", metavar="ID", help="default: the first milestone")
    _register_record(kind)


_Kind = Callable[[str, str], argparse.ArgumentParser]


def _register_record(kind: _Kind) -> None:
    """The kinds of the co-creation record: forum, roadmap, meeting, contributions."""
    from actionplan.scaffold import CHANNELS, FORMATS, MEETING_KINDS, PHASES, SLUG_HELP

    forum = kind("forum", "plans/MEMBER/forum.yaml: the multi-stakeholder forum")
    forum.add_argument("member", metavar="MEMBER", help="the member's id")

    roadmap = kind(
        "roadmap",
        "plans/MEMBER/CYCLE/roadmap.yaml: the co-creation roadmap, one activity per phase",
    )
    roadmap.add_argument("plan", metavar="MEMBER/CYCLE", help="the plan, e.g. paris/2024-2026")

    meet = kind(
        "meeting",
        "plans/MEMBER/CYCLE/meetings/YYYY-MM-DD-SLUG.yaml: a meeting, workshop or consultation",
    )
    meet.add_argument("plan", metavar="MEMBER/CYCLE", help="the plan, e.g. paris/2024-2026")
    meet.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the meeting's day")
    meet.add_argument("--slug", required=True, help=f"the id after the date ({SLUG_HELP})")
    meet.add_argument("--kind", default="forum", metavar="KIND", help=_one_of(MEETING_KINDS))
    meet.add_argument(
        "--phase",
        metavar="PHASE",
        help=_one_of(PHASES) + "; default: the roadmap's on that day, else draft before the "
        "plan starts, implement while it runs, learn after",
    )
    meet.add_argument("--format", default="in-person", metavar="FORMAT", help=_one_of(FORMATS))
    meet.add_argument("--title", help="the meeting's title in the primary language")

    con = kind(
        "contributions",
        "plans/MEMBER/CYCLE/contributions/ID.yaml: one consultation's input and responses",
    )
    con.add_argument("plan", metavar="MEMBER/CYCLE", help="the plan, e.g. paris/2024-2026")
    con.add_argument("id", metavar="ID", help=f"the consultation's id ({SLUG_HELP})")
    con.add_argument("--meeting", metavar="MEETING_ID", help="the meeting it was taken at")
    con.add_argument(
        "--channel",
        metavar="CHANNEL",
        help=_one_of(CHANNELS) + "; default: meeting with --meeting, else online-platform",
    )
    con.add_argument("--title", help="the consultation's title in the primary language")


def _one_of(values: tuple[str, ...]) -> str:
    return "one of " + ", ".join(values)


def _run(kind: str, args: argparse.Namespace) -> int:
    options_type, write = _writers()[kind]
    return write(options_from(options_type, args))


def _writers() -> dict[str, tuple[type[DataclassInstance], Callable[[Any], int]]]:
    """Each kind's options (fields named as its arguments' dests) and the scaffold function
    that checks and writes them; scaffold is imported only when `new` runs."""
    from actionplan import scaffold as s

    def plan(options: s.NewPlan) -> int:
        return s.new_plan(options) if options.previous is None else s.new_plan_from(options)

    return {
        "member": (s.NewMember, s.new_member),
        "plan": (s.NewPlan, plan),
        "commitment": (s.NewCommitment, s.new_commitment),
        "progress": (s.NewProgress, s.new_progress),
        "forum": (s.NewForum, s.new_forum),
        "roadmap": (s.NewRoadmap, s.new_roadmap),
        "meeting": (s.NewMeeting, s.new_meeting),
        "contributions": (s.NewContributions, s.new_contributions),
    }
