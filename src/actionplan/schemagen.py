"""The JSON Schemas in `schemas/`: written and checked here (`actionplan schemas`).

The schemas of the plan files are built from the models by `actionplan.model.schemas`, which
validation reads in memory; this module adds the schemas of the outputs of later stages
(plan.json from the merge stage, the diff) and keeps the committed files equal to them. It sits
above every stage it names, so none of them imports it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from actionplan.errors import UsageError
from actionplan.fsutil import write_atomic
from actionplan.model import KINDS
from actionplan.model.schemas import model_schema, schema_for


def extra_schemas() -> dict[str, dict[str, Any]]:
    """Schemas of outputs (plan.json and the like), from the models of later stages."""
    # Imported here: `actionplan new` renders a plan file's schema without loading them.
    from actionplan.diff.model import SCHEMA_FILE as DIFF_SCHEMA_FILE
    from actionplan.diff.model import PlanDiff
    from actionplan.merge import SCHEMA_FILE, Plan

    return {
        SCHEMA_FILE: model_schema(SCHEMA_FILE, Plan),
        DIFF_SCHEMA_FILE: model_schema(DIFF_SCHEMA_FILE, PlanDiff),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def expected_files() -> dict[str, str]:
    files = {KINDS[k].schema_file: render(schema_for(k)) for k in KINDS}
    files.update({name: render(s) for name, s in extra_schemas().items()})
    return files


def write(directory: Path) -> list[Path]:
    """Write every schema that is missing or differs; returns the files written.

    Each file is replaced whole (written beside it, then renamed), so an editor or a
    validator reading the folder meanwhile never sees half a schema; other files are left as
    they are."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: not a folder; the schemas go into a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        files = expected_files()
        changed = [directory / name for name in _stale(directory, files)]
        for target in changed:
            write_atomic(target, files[target.name])
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{directory}: cannot write the schemas there ({exc})") from exc
    return changed


def drift(directory: Path) -> list[str]:
    """Names of the committed schema files that differ from what the models generate."""
    return _stale(directory, expected_files())


def _stale(directory: Path, files: dict[str, str]) -> list[str]:
    """The names of `files` that `directory` lacks or holds with other contents."""
    return [
        name
        for name, text in files.items()
        if not (directory / name).is_file()
        or (directory / name).read_text(encoding="utf-8") != text
    ]
