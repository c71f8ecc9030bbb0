"""Prose rules: a text must be one the documents can show whole."""

from __future__ import annotations

import re
from collections.abc import Iterator

from actionplan.problems import DataPath, Problem
from actionplan.schemagen import iter_localized
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


def check_prose(plan: LoadedPlan) -> Iterator[Problem]:
    """A text whose Markdown lists or quotes nest too deep would lose its inner levels."""
    for src in plan.sources():
        if src.model is None:
            continue
        for path, text in _prose(src):
            if not _DEEP_PREFIX.search(text.expandtabs(4) if "\t" in text else text):
                continue
            from actionplan.render.markdown import too_deep

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
