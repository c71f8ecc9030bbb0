"""Schema stage: one file's data against its model, with every error at its line and column."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from actionplan.loader import Document
from actionplan.model import KINDS
from actionplan.model.common import UNION_TAGS
from actionplan.model.schemas import node_schema as _node_schema
from actionplan.problems import DataPath, Problem, Severity, json_path


@dataclass
class SourceFile:
    """A plan file as loaded and checked: what the rules across files work from."""

    path: Path
    display: str
    kind: str
    doc: Document
    model: BaseModel | None = None

    def at(
        self,
        path: DataPath,
        rule: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        pos = self.doc.key_position(path) if key else self.doc.value_position(path)
        return Problem(self.display, pos.line, pos.column, severity, rule, json_path(path), message)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text `{value if len(value) <= 40 else value[:39] + '…'}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[DataPath, bool]:
    """Follow pydantic's location through the data, dropping union tags.

    Returns the path and whether its last part is a key that is absent from the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif part in UNION_TAGS:
            continue
        else:
            path.append(part)
            return tuple(path), True
    return tuple(path), False


def _known_keys(kind: str, path: DataPath) -> list[str]:
    node = _node_schema(kind, path)
    return list((node or {}).get("properties", {}))


def _problem_for(src: SourceFile, err: ErrorDetails) -> Problem | None:
    path, absent = _clean_loc(tuple(err["loc"]), src.doc.data)
    etype = err["type"]
    if etype == "missing":
        parent = path[:-1]
        node = _node_schema(src.kind, path) or {}
        about = node.get("description", "").split(" Format: ")[0]
        first = about[:1] if about[1:2].isupper() else about[:1].lower()  # keep "ISO", "URL"
        hint = f" ({first}{about[1:].rstrip('.')})" if about else ""
        return src.at(
            parent, "schema-missing-key", f"missing required key `{path[-1]}`{hint}", key=True
        )
    if etype == "extra_forbidden":
        key = str(path[-1])
        known = _known_keys(src.kind, path[:-1])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(known)}"
        return src.at(path, "schema-unknown-key", f"unknown key `{key}`{hint}", key=True)
    value = err.get("input")
    if value is None and not absent:
        return None  # reported once already as an empty value
    field = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "this item"
    if etype in ("literal_error", "enum"):
        allowed = [str(v) for v in (_node_schema(src.kind, path) or {}).get("enum", [])]
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.7)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        return src.at(
            path,
            "schema-enum",
            f"{field} is {_describe(value)}; allowed values: {', '.join(allowed)}{hint}",
        )
    if etype in (
        "string_type",
        "int_type",
        "bool_type",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "localized_text",
        "float_type",
    ) or (etype == "date_format" and not isinstance(value, str)):
        return src.at(
            path, "schema-type", f"{field}: {_type_message(etype, err)}, found {_describe(value)}"
        )
    if etype == "string_pattern_mismatch":
        return _format_problem(src, path, field, value)
    if etype == "date_format":  # text that is not YYYY-MM-DD, such as 2024-1-5 or 5/1/2024
        return src.at(
            path,
            "schema-format",
            f"{field} is {_describe(value)}; expected a date written YYYY-MM-DD",
        )
    if etype in ("string_too_long", "too_long"):
        return _size_problem(src, path, value, err)
    if etype in ("string_too_short", "too_short"):
        return src.at(path, "schema-value", _too_short_message(src.kind, path, value, err))
    if etype in _BOUNDS:
        bound = (err.get("ctx") or {}).get(_BOUNDS[etype][0])
        return src.at(
            path, "schema-value", f"{field} is {_describe(value)}; {_BOUNDS[etype][1]} {bound}"
        )
    return src.at(path, "schema-value", f"{field}: {err['msg']}")


# pydantic's bounds on numbers: the key of the bound in the error's context, and its words.
_BOUNDS = {
    "greater_than_equal": ("ge", "expected a number of at least"),
    "greater_than": ("gt", "expected a number greater than"),
    "less_than_equal": ("le", "expected a number of at most"),
    "less_than": ("lt", "expected a number less than"),
}


def _too_short_message(kind: str, path: DataPath, value: Any, err: ErrorDetails) -> str:
    """An empty text, list or localized mapping, said in plain words (pydantic's own read
    "Dictionary should have at least 1 item after validation, not 0")."""
    named = _named(kind, path)
    least = int((err.get("ctx") or {}).get("min_length", 1))
    if isinstance(value, str):
        if not value:
            return f"{named} is an empty text; write the text"
        return f"{named} has {len(value)} characters; it needs at least {least}"
    if isinstance(value, dict) and not value:
        return (
            f"{named} is an empty mapping; write the text, or map at least one language "
            "code to its text (en: ...)"
        )
    items = "one item" if least == 1 else f"{least} items"
    if isinstance(value, list) and value:
        return f"{named} has {len(value)} items; it needs at least {items}"
    return f"{named} is empty; it needs at least {items}"


def _size_problem(src: SourceFile, path: DataPath, value: Any, err: ErrorDetails) -> Problem:
    """A text, list or mapping over its limit, at the text or at the first item over."""
    limit = int((err.get("ctx") or {}).get("max_length", 0))
    named = _named(src.kind, path)
    if isinstance(value, str):
        return src.at(
            path,
            "schema-too-long",
            f"{named} has {len(value):,} characters; at most {limit:,} are allowed",
        )
    size = len(value) if isinstance(value, list | dict) else limit + 1
    things = "translations" if isinstance(value, dict) else "items"
    message = f"{named} has {size:,} {things}; at most {limit:,} are allowed"
    if isinstance(value, dict) and 0 <= limit < size:
        return src.at((*path, list(value)[limit]), "schema-too-many", message, key=True)
    first_over = (*path, limit) if isinstance(value, list) and 0 <= limit < size else path
    return src.at(first_over, "schema-too-many", message)


def _named(kind: str, path: DataPath) -> str:
    """How a message names the value at `path`: `summary`, `summary` in `en`, item 2 of
    `stakeholders`."""
    lang = ""
    parent = _node_schema(kind, path[:-1]) if len(path) > 1 else None
    if parent is not None and isinstance(path[-1], str) and parent.get("x-localized"):
        lang, path = f" in `{path[-1]}`", path[:-1]
    if path and isinstance(path[-1], int):
        owner = f" of `{path[-2]}`" if len(path) > 1 and isinstance(path[-2], str) else ""
        return f"item {path[-1] + 1}{owner}{lang}"
    return (f"`{path[-1]}`" if path else "the file") + lang


def _format_problem(src: SourceFile, path: DataPath, field: str, value: Any) -> Problem:
    if path and path[-1] == "[key]":  # a key of a localized mapping: a language code
        return src.at(
            path[:-1],
            "schema-format",
            f"key `{value}` is not a language code; expected: an ISO 639-1 code such as "
            "`en`, `fr` or `es`",
            key=True,
        )
    node = _node_schema(src.kind, path) or {}
    pattern = node.get("pattern")
    about = node.get("x-format") or (
        f"text matching {pattern}" if pattern else "text that is not blank"
    )
    return src.at(path, "schema-format", f"{field} is {_describe(value)}; expected: {about}")


_EXPECTED = {
    "string_type": "expected text (quote it if it looks like a number, date or true/false)",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of keys to values",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
}


def _type_message(etype: str, err: ErrorDetails) -> str:
    return _EXPECTED.get(etype, err["msg"])


def _empty_values(src: SourceFile, node: Any, path: DataPath, out: list[Problem]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                out.append(
                    src.at(
                        (*path, key),
                        "schema-empty",
                        f"`{key}` is empty; write a value or remove the key",
                    )
                )
            elif isinstance(value, (dict, list)):  # text, numbers and flags hold nothing
                _empty_values(src, value, (*path, key), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if value is None:
                out.append(src.at((*path, index), "schema-empty", "empty list item; remove it"))
            elif isinstance(value, (dict, list)):
                _empty_values(src, value, (*path, index), out)


def check(src: SourceFile) -> list[Problem]:
    """Validate one loaded file against its model; sets `src.model` when it is valid."""
    problems: list[Problem] = []
    data = src.doc.data
    if not isinstance(data, dict):
        return [
            src.at(
                (),
                "schema-type",
                f"a {src.kind} file holds a mapping of keys to values, found {_describe(data)}",
            )
        ]
    _empty_values(src, data, (), problems)
    try:
        src.model = KINDS[src.kind].model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problem = _problem_for(src, err)
            if problem is not None:
                problems.append(problem)
    if problems:
        src.model = None
    return problems
