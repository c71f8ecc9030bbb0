"""Every error the tool raises on purpose is an ActionPlanError: the CLI and the build turn
those into a message, so none reaches a user as a traceback."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from actionplan.errors import ActionPlanError

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "actionplan"


def _error_classes() -> list[tuple[str, str]]:
    """(module, class) for every public class of the package named `...Error`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error"):
                found.append((module, node.name))
    return found


def test_every_error_class_is_an_actionplan_error() -> None:
    classes = _error_classes()
    assert ("actionplan.merge", "MergeError") in classes
    outside = [
        f"{module}.{name}"
        for module, name in classes
        if not issubclass(getattr(importlib.import_module(module), name), ActionPlanError)
    ]
    assert outside == []
