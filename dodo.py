"""doit tasks (thin placeholder until the build pipeline lands): validate the plans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DOIT_CONFIG = {"default_tasks": ["validate"], "verbosity": 2}


def task_validate() -> dict[str, Any]:
    """Validate every plan in plans/ against the schemas and the rules across files."""
    files = sorted(str(p) for p in Path("plans").rglob("*.yaml"))
    files += sorted(str(p) for p in Path("schemas").glob("*.json"))
    return {
        "actions": ["actionplan validate plans"],
        "file_dep": files,
        "verbosity": 2,
    }
