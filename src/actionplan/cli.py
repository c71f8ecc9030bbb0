"""The `actionplan` command: validate, new, schemas (and the stages added later)."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from actionplan import __version__
from actionplan.errors import ActionPlanError, ExitCode, UsageError
from actionplan.report import FORMATS, format_problems, summary

Handler = Callable[[argparse.Namespace], int]


def _validate(args: argparse.Namespace) -> int:
    from actionplan.validate import validate_paths

    paths = [Path(p) for p in args.paths] or [Path(".")]
    result = validate_paths(paths, strict=args.strict)
    sys.stdout.write(format_problems(result.problems, args.format))
    if args.format != "json":
        print(summary(result.problems, len(result.plans)), file=sys.stderr)
    return ExitCode.PROBLEMS if result.failed() else ExitCode.OK


def _schemas(args: argparse.Namespace) -> int:
    from actionplan import schemagen

    directory = Path(args.directory)
    if args.check:
        stale = schemagen.drift(directory)
        for name in stale:
            print(f"{directory / name}: out of date; run `actionplan schemas`", file=sys.stderr)
        return ExitCode.PROBLEMS if stale else ExitCode.OK
    for path in schemagen.write(directory):
        print(f"wrote {path}")
    return ExitCode.OK


# The commands defined here: parsing them needs none of the extensions, whose imports (diff,
# renderers, ...) would otherwise add to the start-up time of every `actionplan validate`.
_CORE_COMMANDS = ("validate", "schemas")


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the line, when only `--debug` comes before it.

    Anything else first (`--help`, `--`, an abbreviation) may list every command: None."""
    return next((arg for arg in argv if arg != "--debug"), None)


def _parser(extensions: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="actionplan",
        description="OGP Local action plans kept as data: validate, build, diff.",
    )
    parser.add_argument("--version", action="version", version=f"actionplan {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    val = sub.add_parser("validate", help="check plan files against the schemas and rules")
    val.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="repository root (default .), plans/ folder, member, plan or file",
    )
    val.add_argument("--format", choices=FORMATS, default="text")
    val.add_argument("--strict", action="store_true", help="treat warnings as errors")
    val.set_defaults(handler=_validate)

    sch = sub.add_parser("schemas", help="write the JSON Schemas generated from the models")
    sch.add_argument("--directory", default="schemas", metavar="DIR")
    sch.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed schemas differ from the models",
    )
    sch.set_defaults(handler=_schemas)

    if extensions:
        for register in _extensions():
            register(sub)
    return parser


def _extensions() -> list[Callable[[argparse._SubParsersAction], None]]:
    from actionplan import scaffold
    from actionplan.diff import command as diff_command

    return [scaffold.register, diff_command.register]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(extensions=_command(arguments) not in _CORE_COMMANDS)
    args = parser.parse_args(arguments)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ActionPlanError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"actionplan: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return ExitCode.PROBLEMS
    except Exception as exc:  # the last line of defence: a message, not a traceback
        if args.debug:
            raise
        print(
            f"actionplan: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for details and report it)",
            file=sys.stderr,
        )
        return ExitCode.PROBLEMS


__all__ = ["UsageError", "main"]
