"""`python -m actionplan.diff.pr`: the pull-request comment, over `diff/comment.py`.

A script of its own, not an `actionplan` subcommand: the plan-diff workflow calls it by this
name. It keeps the few messages it has always had: an `ActionPlanError` is one line and its
exit code; it has no `--debug`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from actionplan.errors import ActionPlanError, ExitCode


@dataclass(frozen=True)
class Options:
    root: Path
    base: str
    out: Path | None


def parse(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m actionplan.diff.pr",
        description="Markdown comment with the diff of each plan changed since BASE.",
    )
    parser.add_argument("--base", required=True, help="the base revision, e.g. origin/main")
    parser.add_argument("--root", default=".", help="the repository's root (default .)")
    parser.add_argument("--out", help="also write each diff as Markdown and HTML here")
    args = parser.parse_args(argv)
    return Options(Path(args.root).resolve(), args.base, Path(args.out) if args.out else None)


def run(options: Options) -> int:
    """The comment on standard output."""
    from actionplan.diff.comment import comment

    try:
        text = comment(options.root, options.base, options.out)
    except ActionPlanError as exc:
        print(f"actionplan: {exc}", file=sys.stderr)
        return exc.exit_code
    sys.stdout.write(text)
    return ExitCode.OK


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse(argv))
