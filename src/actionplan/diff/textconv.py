"""`actionplan textconv FILE`: a plan file as text that `git diff` compares well.

Set up with `git config diff.actionplan.textconv "actionplan textconv"` and the
`plans/**/*.yaml diff=actionplan` line of .gitattributes. Each value stands on a line of its
own, after its path (`milestones[cout-reel].end: 2024-12-31`), keys in the models' order
whatever their order in the file; items of lists of mappings are named by their id (or name,
url...), so moving a milestone in the file changes nothing; texts are unwrapped and cut into one
sentence a line, so re-wrapping a paragraph changes nothing and an edited sentence is one line.
A file that does not load (git hands over any revision, valid or not) is printed as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from actionplan.diff.fields import ITEM_KEYS
from actionplan.loader import load_file
from actionplan.model import KINDS
from actionplan.validate.files import classify

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
INDENT = "    "


def detect_kind(path: Path, data: Any) -> str | None:
    """The kind of plan file: from where it stands, else from its keys (git's temporary
    copies of old revisions do not stand in the plan layout)."""
    kind = classify(path)
    if kind is not None:
        return kind
    if not isinstance(data, dict):
        return None
    keys = set(data)
    for name, kind_info in KINDS.items():
        fields = kind_info.model.model_fields
        required = {k for k, info in fields.items() if info.is_required()}
        if required <= keys <= set(fields):
            return name
    return None


def normalised(path: Path, data: Any) -> Any:
    """The data in the models' key order, when it is a valid document of its kind."""
    kind = detect_kind(path, data)
    if kind is None:
        return data
    model: type[BaseModel] = KINDS[kind].model
    try:
        return model.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValidationError:
        return data


def sentences(text: str) -> list[str]:
    """A text unwrapped, one sentence (or list item) a line, paragraphs apart by ''."""
    out: list[str] = []
    for paragraph in _PARAGRAPH.split(text.strip()):
        if out:
            out.append("")
        for line in re.split(r"\n(?=\s*(?:[-*+]|\d+[.)])\s)", paragraph):
            flat = " ".join(line.split())
            if flat:
                out.extend(_SENTENCE_END.split(flat))
    return out


def _key_of(items: list[Any]) -> tuple[str, ...] | None:
    """The keys that name each item of a list of mappings, uniquely: an id, a name... or, for
    progress entries, the date and the milestone."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for keys in [*((key,) for key in ITEM_KEYS), ("date", "milestone")]:
        values = [tuple(item.get(k) for k in keys) for item in items]
        if all(isinstance(v, str) for value in values for v in value) and len(set(values)) == len(
            values
        ):
            return keys
    return None


def lines(value: Any, path: str = "") -> Iterator[str]:
    """One line per value (texts: the path, then one indented line per sentence)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from lines(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        key = _key_of(value)
        if not value:
            yield f"{path}: []"
        for index, item in enumerate(value):
            if key is not None:  # the key is in the path: the rest follows it
                named = f"{path}[{' '.join(item[k] for k in key)}]"
                rest = {k: v for k, v in item.items() if k not in key}
                yield from lines(rest, named) if rest else [named]
            elif isinstance(item, dict | list):
                yield from lines(item, f"{path}[{index}]")
            else:
                yield from lines(item, f"{path}[]")
    elif isinstance(value, str) and (len(value) > 60 or "\n" in value.strip()):
        yield f"{path}:"
        for sentence in sentences(value):
            yield f"{INDENT}{sentence}" if sentence else ""
    else:
        shown = (
            "null" if value is None else str(value).lower() if isinstance(value, bool) else value
        )
        yield f"{path}: {shown}"


def textconv(path: Path) -> str:
    """The normalised text of a plan file, or the file as it is when it does not load."""
    doc, problems = load_file(path, str(path))
    if problems or doc.data is None:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"# actionplan textconv: cannot read {path}: {exc.strerror or exc}\n"
    return "\n".join(lines(normalised(path, doc.data))) + "\n"
