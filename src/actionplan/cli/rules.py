"""`actionplan rules`: list every rule the validator reports, from the rule registry."""

from __future__ import annotations

import argparse
import sys

from actionplan.cli.common import add_format
from actionplan.errors import ExitCode

HELP = "list the rules of `validate`: id, severity, description"
DESCRIPTION = (
    "List every rule id `actionplan validate` reports, with its severity and what it checks "
    "(text: one rule a line); JSON adds where each is reported."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from actionplan import rules

    listing = rules.json_listing() if args.format == "json" else rules.text_listing()
    sys.stdout.write(listing)
    return ExitCode.OK
