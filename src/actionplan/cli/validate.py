"""`actionplan validate`: check plan files against the schemas and the rules across files."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from actionplan.errors import ExitCode
from actionplan.problem_report import FORMATS, format_problems, summary

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (cli/parser.py)
if TYPE_CHECKING:
    import argparse

    from actionplan.cli.parser import Arguments

NAME = "validate"
HELP = "check plan files against the schemas and rules"
DESCRIPTION = None
# The options `add_arguments` declares, by their names on the line: `parsed` reads them too.
FLAGS = {"--strict": "strict", "--no-cache": "no_cache"}
VALUED = {"--format": "format", "--cache-dir": "cache_dir"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
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


def parsed(arguments: list[str]) -> SimpleNamespace | None:
    """A plain line `[--debug ...] validate ...` parsed as argparse parses it (as the tests of
    tests/cli/test_validate_warm.py hold): each option whole and apart from its value, a value
    not starting with `-`, the PATHs all together. Anything else (help, an abbreviation,
    `--format=json`, `--`, an error) is None: argparse's to parse and tell."""
    debug = arguments[: arguments.index(NAME)] if NAME in arguments else None
    if debug is None or any(token != "--debug" for token in debug):
        return None
    found: dict[str, object] = {"format": "text", "strict": False, "no_cache": False}
    paths: list[str] = []
    after = False  # an option came after a PATH: a PATH now is one argparse refuses
    tokens = iter(arguments[len(debug) + 1 :])
    for token in tokens:
        if token in FLAGS:
            found[FLAGS[token]] = True
        elif token in VALUED:
            value = next(tokens, "")
            if value[:1] in ("", "-") or (token == "--format" and value not in FORMATS):
                return None
            found[VALUED[token]] = Path(value) if token == "--cache-dir" else value
        elif token[:1] in ("", "-") or after:
            return None
        else:
            paths.append(token)
            continue
        after = bool(paths)
    found.setdefault("cache_dir", None)
    return SimpleNamespace(debug=bool(debug), command=NAME, paths=paths, run=run, **found)


def paths_of(args: Arguments) -> list[Path]:
    """The PATHs given, the current folder when none is."""
    return [Path(p) for p in args.paths] or [Path(".")]


def run(args: Arguments) -> int:
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
