"""The argparse tree of `actionplan`: the top-level options, then one subparser per command.

Each command module declares its `HELP` (its line in `actionplan --help`) and its
`DESCRIPTION` (None: none) as data; this module makes its subparser of them, under the name
`COMMANDS` gives it, then the command module adds its own arguments to it
(`add_arguments(parser)`, with the `run` that executes it). Adding a command is adding its
module to `COMMANDS`. The parser is built for the command named
on the line: only that command's module is imported and its subparser made when it is known (a
subparser's behaviour and messages do not depend on the others), so a command never pays for
the imports that another one's module or arguments make (the diff's formats load its models).
Without a known command (`--help`, a typo) every command is registered, so that argparse can
list them all; for `--help` and `--version`, which exit before a command is read, without their
arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

from actionplan import __version__

# typing.TYPE_CHECKING, which type checkers take for True, without importing typing: a run of
# `validate` whose plans all come from the cache imports nothing it does not use, argparse
# included (cli/validate.py parses its plain lines itself).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from types import SimpleNamespace
    from typing import Protocol

    class Command(Protocol):
        """A command module: its help and description, and how it adds its arguments to the
        subparser made of them."""

        HELP: str
        DESCRIPTION: str | None

        def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    Arguments = argparse.Namespace | SimpleNamespace
    """The parsed line: argparse's, or the same values from cli/validate.py's `parsed`."""
    Run = Callable[[Arguments], int]
    """What a command module registers as `run`: it executes the parsed line, parsing nothing."""


# Each command's name on the line and its module in actionplan.cli, in the order `actionplan
# --help` lists them: a module is imported only when its command is named or all are listed.
COMMANDS = {
    "validate": "validate",
    "status": "status",
    "rules": "rules",
    "schemas": "schemas",
    "new": "new",
    "import": "importer",
    "diff": "diff",
    "textconv": "textconv",
}


def command_module(name: str) -> Command:
    """The module of the command `name` (a key of COMMANDS)."""
    import importlib

    module: Command = importlib.import_module(f"actionplan.cli.{COMMANDS[name]}")
    return module


def command_named(argv: Sequence[str]) -> str | None:
    """The command named on the line, when only `--debug` comes before it.

    Anything else first (`--help`, `--`, an abbreviation) may list every command: None."""
    return next((arg for arg in argv if arg != "--debug"), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the whole line; see the module's docstring for `command`."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="actionplan",
        description="OGP Local action plans kept as data: validate, build, diff.",
    )
    parser.add_argument("--version", action="version", version=f"actionplan {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = [command] if command is not None and command in COMMANDS else list(COMMANDS)
    for name in names:
        module = command_module(name)
        command_parser = sub.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        if command not in _LISTING:
            module.add_arguments(command_parser)
    return parser


# Options that argparse acts on as it meets them, printing and exiting before any command's
# line is read: for these the commands' names and help are all it shows, and their arguments
# (whose choices import the scaffold and the diff's models) are left out.
_LISTING = frozenset({"-h", "--help", "--version"})
