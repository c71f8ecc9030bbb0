"""Prose rules: a text must be one the documents can show whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from actionplan.problems import DataPath, Problem
from actionplan.validate.plan import LoadedPlan

# Each level of a Markdown list or block quote takes at least one column at the start of the
# line that opens it: a text without such a run cannot reach the parser's nesting limit, so the
# Markdown parser (and its import) is left out for almost every text.
_DEEP_PREFIX = re.compile(r"^[ >*+\-0-9.)]{8,}", re.MULTILINE)


def check_prose(plan: LoadedPlan) -> Iterator[Problem]:
    """A text whose Markdown lists or quotes nest too deep would lose its inner levels."""
    for src in plan.sources():
        if src.model is None:
            continue
        for path, text in _texts(src.doc.data, ()):
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


def _texts(node: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, (*path, index))
