"""What several command modules share: the `--root` and `--format` options, and a command's
values as the dataclass its library function takes. Standard library only: a command module
is imported to build the parser, before anything is run."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

TEXT_OR_JSON = ("text", "json")

_O = TypeVar("_O", bound="DataclassInstance")


def add_root(parser: argparse.ArgumentParser) -> None:
    """`--root DIR`, the repository a command writes into."""
    parser.add_argument(
        "--root", default=".", type=Path, metavar="DIR", help="the repository's root (default .)"
    )


def add_format(parser: argparse.ArgumentParser, formats: tuple[str, ...] = TEXT_OR_JSON) -> None:
    """`--format`, text unless told otherwise."""
    parser.add_argument("--format", choices=formats, default="text")


def options_from(options: type[_O], args: argparse.Namespace) -> _O:
    """The dataclass `options` from the parsed line: its fields are named as the arguments'
    dests, and their values are handed on as given (the library checks them)."""
    names = [field.name for field in dataclasses.fields(options)]
    return options(**{name: getattr(args, name) for name in names})
