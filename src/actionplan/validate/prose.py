"""Prose rules: a text must be one the documents can show whole."""

from __future__ import annotations

import marshal
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from actionplan.model.schemas import iter_localized
from actionplan.problems import DataPath, Problem, Severity
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile

# Each level of a Markdown list or block quote takes at least one column at the start of the
# line that opens it: a text without such a run cannot reach the parser's nesting limit, so the
# Markdown parser (and its import) is left out for almost every text.
# A unit is one column of indentation, a `>`, or a list marker with the space after it, so a
# date or a number opening a line ("2024-01-01: ...") is not mistaken for nesting.
_UNIT = r"(?:[ >]|(?:[-*+]|\d{1,9}[.)])[ ])"
_DEEP_PREFIX = re.compile(rf"^{_UNIT}{{8,}}", re.MULTILINE)
_OPENERS = frozenset(" >-*+0123456789\t")


# The invisible controls of the Unicode bidirectional algorithm: embeddings and overrides,
# isolates, and the marks. An override reverses the text after it, so a PDF shows what the
# reviewer of the YAML did not read.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same characters in UTF-8, as marshal writes text: searching a whole document's marshal
# form, all in C, clears almost every file in a tenth of the time a walk of its values takes.
_BIDI_UTF8 = (
    re.compile(rb"\xe2\x80[\x8e\x8f\xaa-\xae]"),
    re.compile(rb"\xe2\x81[\xa6-\xa9]"),
    re.compile(rb"\xd8\x9c"),
)
# The values that are ids: the schema already rejects any character but a slug's there.
_ID_KEYS = frozenset({"id", "commitment", "milestone"})


def check_prose(plan: LoadedPlan) -> Iterator[Problem]:
    """Texts the documents cannot show as written."""
    yield from _check_nesting(plan)
    yield from check_bidi(plan)


def bidi_control(text: str) -> str | None:
    """The first bidirectional control in `text`, if any."""
    found = _BIDI.search(text)
    return found.group() if found else None


def describe_bidi(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char)})"


def check_bidi(plan: LoadedPlan) -> Iterator[Problem]:
    """A warning at each text holding a bidirectional control (an id holding one is an error
    of the schema already)."""
    for src in plan.sources():
        data = src.doc.data
        if data is None or not _may_hold_bidi(data):
            continue
        for path, text in _strings(data, ()):
            chars = dict.fromkeys(_BIDI.findall(text))
            if chars:
                named = ", ".join(describe_bidi(c) for c in chars)
                yield src.at(
                    path,
                    "bidi-control",
                    f"the text holds {named}, an invisible control that changes the direction "
                    "of the text around it; the documents set each text's direction from its "
                    "language themselves, so remove it",
                    severity=Severity.WARNING,
                )


def _may_hold_bidi(data: Any) -> bool:
    try:
        raw = marshal.dumps(data)
    except ValueError:  # a value marshal cannot write: the walk decides
        return True
    return any(pattern.search(raw) for pattern in _BIDI_UTF8)


def _strings(data: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                if key not in _ID_KEYS:
                    yield (*path, key), value
            else:
                yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def _check_nesting(plan: LoadedPlan) -> Iterator[Problem]:
    """A text whose Markdown lists or quotes nest too deep would lose its inner levels."""
    for src in plan.sources():
        if src.model is None:
            continue
        for path, text in _prose(src):
            if not _DEEP_PREFIX.search(text.expandtabs(4) if "\t" in text else text):
                continue
            from actionplan.markdown import too_deep  # markdown-it, only for a deep text

            if too_deep(text):
                yield src.at(
                    path,
                    "markdown-too-deep",
                    "the lists or block quotes of this text nest too deep to be laid out "
                    "(nine levels of lists at most); use fewer levels",
                )


def _prose(src: SourceFile) -> Iterator[tuple[DataPath, str]]:
    """The texts laid out as Markdown blocks (the localized fields), found by the schema walk
    the language rules use, that could open a nested list or quote."""
    for path, value in iter_localized(src.kind, src.doc.data):
        items = value.items() if isinstance(value, dict) else ((None, value),)
        for lang, text in items:
            if isinstance(text, str) and (text[:1] in _OPENERS or "\n" in text):
                yield (path if lang is None else (*path, lang)), text
