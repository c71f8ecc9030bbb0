"""A small YAML writer for new plan files: block style, conservative quoting, and a check that
what it wrote reads back as the data it was given."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from actionplan.errors import ActionPlanError, UsageError
from actionplan.loader import load_text, resolve_plain

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN = re.compile(r"^[\w][\w .,()/'’+-]*$")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
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


def _lines(value: Any, indent: int) -> Iterator[str]:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                yield f"{pad}{key}:"
                yield from _lines(item, indent + 2)
            elif isinstance(item, list | dict):
                yield f"{pad}{key}: {'[]' if isinstance(item, list) else '{}'}"
            else:
                yield f"{pad}{key}: {_scalar(item)}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                inner = list(_lines(item, indent + 2))
                yield f"{pad}- {inner[0][indent + 2 :]}"
                yield from inner[1:]
            elif isinstance(item, list | dict):
                yield f"{pad}- {'[]' if isinstance(item, list) else '{}'}"
            else:
                yield f"{pad}- {_scalar(item)}"
    else:
        yield f"{pad}{_scalar(value)}"


def _plain_data(value: Any) -> Any:
    """The data as the loader gives it back: dates are strings until the model parses them."""
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v) for v in value]
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
