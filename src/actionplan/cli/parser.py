"""The argparse tree of `actionplan`: the top-level options, then one subparser per command.

Each command module contributes its subparser through `register(subparsers)`; adding a
command is adding its module to `COMMANDS`. The parser is built for the command named on the
line: only that command's subparser is registered when it is known (a subparser's behaviour and
messages do not depend on the others), so a command never pays for the imports that another
one's registration makes (the diff's formats load its models). Without a known command
(`--help`, a typo) every command is registered, so that argparse can list them all.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Protocol

from actionplan import __version__
from actionplan.cli import diff, importer, new, rules, schemas, status, textconv, validate

Run = Callable[[argparse.Namespace], int]
"""What a command module registers as `run`: it executes the parsed line, parsing nothing."""


class Command(Protocol):
    """A command module: its name on the line, and how it adds its subparser."""

    NAME: str

    def register(self, sub: argparse._SubParsersAction) -> None: ...


# In the order `actionplan --help` lists them.
COMMANDS: tuple[Command, ...] = (validate, status, rules, schemas, new, importer, diff, textconv)


def command_named(argv: Sequence[str]) -> str | None:
    """The command named on the line, when only `--debug` comes before it.

    Anything else first (`--help`, `--`, an abbreviation) may list every command: None."""
    return next((arg for arg in argv if arg != "--debug"), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the whole line; see the module's docstring for `command`."""
    parser = argparse.ArgumentParser(
        prog="actionplan",
        description="OGP Local action plans kept as data: validate, build, diff.",
    )
    parser.add_argument("--version", action="version", version=f"actionplan {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = [module for module in COMMANDS if command == module.NAME]
    for module in named or COMMANDS:
        module.register(sub)
    return parser
