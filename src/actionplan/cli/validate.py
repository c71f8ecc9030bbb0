"""`actionplan validate`: check plan files against the schemas and the rules across files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actionplan.errors import ExitCode
from actionplan.problem_report import FORMATS, format_problems, summary

NAME = "validate"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(NAME, help="check plan files against the schemas and rules")
    add_paths(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--no-cache", action="store_true", help="check every plan again, without the cache"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where the cache is (default: build/cache/validate in the repository)",
    )
    parser.set_defaults(run=run)


def add_paths(parser: argparse.ArgumentParser) -> None:
    """PATH ...: what `validate` reads, and every command that reads plans as it does."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="repository root (default .), plans/ folder, member, plan or file",
    )


def paths_of(args: argparse.Namespace) -> list[Path]:
    """The PATHs given, the current folder when none is."""
    return [Path(p) for p in args.paths] or [Path(".")]


def run(args: argparse.Namespace) -> int:
    """Every problem on standard output, the summary on standard error (not with JSON)."""
    from actionplan.clock import build_date
    from actionplan.validate import validate_paths
    from actionplan.validate.cache import Cache, default_folder

    paths = paths_of(args)
    cache = None
    if not args.no_cache:
        folder = args.cache_dir or default_folder(paths)
        cache = Cache(folder, build_date(), args.strict) if folder is not None else None
    result = validate_paths(
        paths, strict=args.strict, today=cache.today if cache else None, cache=cache
    )
    if cache is not None:
        cache.save()
    sys.stdout.write(format_problems(result.problems, args.format))
    if args.format != "json":
        print(summary(result.problems, result.checked), file=sys.stderr)
    return ExitCode.PROBLEMS if result.failed() else ExitCode.OK
