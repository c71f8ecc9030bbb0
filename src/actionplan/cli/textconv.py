"""`actionplan textconv FILE`: a plan file as normalised text, for `git diff`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actionplan.errors import ExitCode

HELP = "a plan file as normalised text, for `git diff` (diff.actionplan.textconv)"
DESCRIPTION = (
    "Print a plan file as one line per value, in the models' order, texts unwrapped one "
    "sentence a line, so that `git diff` shows what changed. Files that do not load are "
    "printed as they are."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from actionplan.diff.textconv import textconv
    from actionplan.validate.files import require_file

    path = Path(args.file)
    require_file(path)  # a pipe or a device would block the read, or never end
    sys.stdout.write(textconv(path))
    return ExitCode.OK
