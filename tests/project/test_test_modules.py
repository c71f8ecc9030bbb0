"""The tests' own shape: no test module imports another (what several share is in the plain
modules beside conftest.py), and no two test modules share a name (pytest's rootdir-relative
imports would collect one in place of the other)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from helpers import ROOT

TESTS = ROOT / "tests"


def _test_modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "node_modules" not in p.parts)


def test_no_test_module_imports_another() -> None:
    found = []
    for path in _test_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found += [f"{path.relative_to(TESTS)}: {n}" for n in names if n.startswith("test_")]
    assert found == []


def test_test_module_names_are_unique() -> None:
    counts = Counter(path.name for path in _test_modules())
    assert [name for name, count in counts.items() if count > 1] == []
