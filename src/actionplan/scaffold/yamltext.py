"""A small YAML writer for new plan files: block style, conservative quoting, and a check that
what it wrote reads back as the data it was given."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.errors import ActionPlanError, UsageError
from actionplan.loader import load_text, resolve_plain

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN = re.compile(r"^[\w][\w .,()/'’+-]*$")
# In a literal block these would not read back as written (controls, other line breaks).
_BLOCK_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_WIDTH = 96
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@dataclass(frozen=True)
class Noted:
    """A scalar written with a comment after it on its line (`start: 2027-01-01  # TODO...`)."""

    value: Any
    note: str


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        plain = (
            _PLAIN.fullmatch(value)
            and not value.endswith(" ")
            and resolve_plain(value) == value
            and value.lower() not in _YAML11_WORDS
            and not _DATE.fullmatch(value)
        )
        return value if plain else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _block(value: Any, indent: int) -> list[str] | None:
    """A long or many-line text as a folded or literal block that reads back as it is (so that
    Markdown stays legible), or None for a text that must be quoted."""
    if not isinstance(value, str) or value[:1] in ("", " ", "\t", "\n"):
        return None
    if value.endswith("\n\n") or _BLOCK_UNSAFE.search(value):
        return None
    lines = value.rstrip("\n").split("\n")
    if any(line != line.rstrip() for line in lines):
        return None  # trailing blanks are invisible in a file: keep them visible, quoted
    if len(lines) > 1:
        return ["|" if value.endswith("\n") else "|-", *lines]
    if len(value) <= _WIDTH - indent or "  " in value or "\t" in value or value.endswith("\n"):
        return None
    return [">-", *_wrapped(value, max(_WIDTH - indent - 2, 40))]


def _wrapped(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters (a longer word alone), cut at single spaces, which
    a folded block reads back as those spaces."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def _item(head: str, value: Any, indent: int) -> Iterator[str]:
    """`head` (`key:` or `-`) followed by a value that is no non-empty mapping or list."""
    if isinstance(value, Noted):
        yield f"{head} {_scalar(value.value)}  # {value.note}"
    elif isinstance(value, list | dict):
        yield f"{head} {'[]' if isinstance(value, list) else '{}'}"
    elif (block := _block(value, indent)) is not None:
        yield f"{head} {block[0]}"
        yield from (f"{' ' * (indent + 2)}{line}" if line else "" for line in block[1:])
    else:
        yield f"{head} {_scalar(value)}"


def _lines(value: Any, indent: int) -> Iterator[str]:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                yield f"{pad}{key}:"
                yield from _lines(item, indent + 2)
            else:
                yield from _item(f"{pad}{key}:", item, indent)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                inner = list(_lines(item, indent + 2))
                yield f"{pad}- {inner[0][indent + 2 :]}"
                yield from inner[1:]
            else:
                yield from _item(f"{pad}-", item, indent)
    else:
        yield f"{pad}{_scalar(value)}"


def _plain_data(value: Any) -> Any:
    """The data as the loader gives it back: dates are strings until the model parses them."""
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v) for v in value]
    if isinstance(value, Noted):
        return _plain_data(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_yaml(data: dict[str, Any], schema_ref: str, comment: str = "") -> str:
    """The text of a plan file: the schema line, an optional comment, then the data."""
    head = [f"# yaml-language-server: $schema={schema_ref}"]
    head += [f"# {line}".rstrip() for line in comment.splitlines()]
    text = "\n".join([*head, *_lines(data, 0)]) + "\n"
    doc, problems = load_text(text, Path("<new>"), "<new>")
    for problem in problems:
        if problem.rule == "control-character":  # from an argument: a bad argument
            raise UsageError(f"a text given on the command line: {problem.message}")
    if problems or doc.data != _plain_data(data):  # the writer's own check: it reads back
        raise ActionPlanError("internal error: the YAML written does not read back as intended")
    return text
