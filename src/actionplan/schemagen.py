"""The JSON Schemas in `schemas/`: written and checked here (`actionplan schemas`).

The schemas of the plan files are built from the models by `actionplan.model.schemas`, which
validation reads in memory; this module adds the schemas of the outputs of later stages
(plan.json from the merge stage, the diff) and keeps the committed files equal to them. It sits
above every stage it names, so none of them imports it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from actionplan.errors import UsageError
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
    changed = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in expected_files().items():
            target = directory / name
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                _replace(target, text)
                changed.append(target)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{directory}: cannot write the schemas there ({exc})") from exc
    return changed


def _replace(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def drift(directory: Path) -> list[str]:
    """Names of the committed schema files that differ from what the models generate."""
    out = []
    for name, text in expected_files().items():
        target = directory / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            out.append(name)
    return out
