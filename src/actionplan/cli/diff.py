"""`actionplan diff`: what changed between two revisions, or two cycles, of a plan."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from actionplan.errors import ExitCode, UsageError
from actionplan.problem_report import format_problems

HELP = "what changed between two revisions or two cycles of a plan"
# Laid out by hand, in two paragraphs: `add_arguments` keeps argparse from refilling it.
DESCRIPTION = """\
Compare two plans: OLD and NEW are plan folders (plans/<member>/<cycle>) or REV:PATH, the
folder at a git revision, read from the repository without checking it out (PATH is read
from the current directory, like a folder). Commitments and milestones are matched by id;
plans of different cycles of one member compare too.

Exit status: 0, or with --exit-code 1 when the plans differ; 2 for bad arguments, a path or
revision that cannot be read, or a plan whose files do not validate against their schemas
(its problems are printed on standard error). Problems of the rules across files are printed
on standard error too, but do not stop the diff."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from actionplan.diff.api import FORMATS  # loads the diff's models: only when it is parsed

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("old", metavar="OLD", help="plan folder or REV:PATH")
    parser.add_argument("new", metavar="NEW", help="plan folder or REV:PATH")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when the plans differ, 0 when not"
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        type=_language,
        help="language of the labels, a code such as en, fr or es (default: en for text and "
        "markdown, the new plan's primary language for html; English for a language without "
        "a catalogue)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format (auto: when standard output is a terminal and NO_COLOR "
        "is not set)",
    )
    parser.add_argument("--templates", metavar="DIR", help="templates folder (label catalogues)")
    parser.set_defaults(run=run)


def _language(value: str) -> str:
    from actionplan.diff.api import language

    try:
        return language(value)
    except UsageError as exc:  # argparse reports it, as `argument --lang: ...`, exit 2
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run(args: argparse.Namespace) -> int:
    """The diff on standard output; the problems of either side on standard error."""
    from actionplan.diff.api import diff_arguments, find_templates, render
    from actionplan.diff.sources import PlanUnreadable

    try:
        comparison = diff_arguments(args.old, args.new)
    except PlanUnreadable as exc:
        sys.stderr.write(format_problems(exc.problems, "text"))
        raise
    for loaded in (comparison.old, comparison.new):
        if loaded.problems:
            print(
                f"actionplan: note: {loaded.source} has problems (the diff goes on):",
                file=sys.stderr,
            )
            sys.stderr.write(format_problems(loaded.problems, "text"))
    needs_labels = args.format != "json"
    templates = find_templates(comparison, args.templates) if needs_labels else Path(".")
    out = render(
        comparison.diff,
        args.format,
        templates,
        lang=args.lang,
        color=args.format == "text" and _use_color(args.color),
    )
    sys.stdout.write(out)
    if args.exit_code and not comparison.diff.identical:
        return ExitCode.PROBLEMS
    return ExitCode.OK
