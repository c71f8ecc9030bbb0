"""Mangled versions of every base file: the validator reports problems and never raises."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from actionplan.problems import Problem
from actionplan.validate import validate_paths
from helpers import BASE, DEFAULT_BUILD_DATE

FILES = sorted(p.relative_to(BASE) for p in BASE.rglob("*.yaml"))
VALUE = re.compile(r"^(\s*(?:- )?[a-z_]+:) (.+)$")
REPLACEMENTS = ("{x: 1}", "~", "12", "[a, {b: c}]", "'  '")
RULE = re.compile(r"^[a-z]+(-[a-z0-9]+)*$")


def _check(repo: Path, relative: Path, text: str) -> list[Problem]:
    target = repo / relative
    target.write_text(text, encoding="utf-8")
    problems = validate_paths([repo], today=DEFAULT_BUILD_DATE).problems
    lines = text.count("\n") + 2
    for p in problems:
        assert RULE.match(p.rule), p
        assert 1 <= p.line <= max(lines, 2), p
        assert p.column >= 1, p
        assert p.message, p
    return problems


def _value_swaps(text: str) -> Iterator[str]:
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        match = VALUE.match(line.rstrip("\n"))
        if match is None:
            continue
        for replacement in REPLACEMENTS:
            changed = f"{match.group(1)} {replacement}\n"
            yield "".join([*lines[:index], changed, *lines[index + 1 :]])


@pytest.mark.parametrize("relative", FILES, ids=[p.name for p in FILES])
def test_every_value_swapped_for_another_type(repo: Path, relative: Path) -> None:
    original = (BASE / relative).read_text(encoding="utf-8")
    for text in _value_swaps(original):
        problems = _check(repo, relative, text)
        assert problems, f"{relative}: no problem reported for\n{text}"


@pytest.mark.parametrize("relative", FILES, ids=[p.name for p in FILES])
def test_truncated_files(repo: Path, relative: Path) -> None:
    original = (BASE / relative).read_text(encoding="utf-8")
    for cut in range(0, len(original), max(1, len(original) // 20)):
        _check(repo, relative, original[:cut])
