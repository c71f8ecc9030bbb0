"""`actionplan schemas`: write the JSON Schemas generated from the models, or check them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actionplan.errors import ExitCode

HELP = "write the JSON Schemas generated from the models"
DESCRIPTION = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        "--directory",
        dest="directory",
        default="schemas",
        metavar="DIR",
        help="the folder to write them into (default: schemas); files that differ are "
        "replaced, other files left alone",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed schemas differ from the models",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
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
