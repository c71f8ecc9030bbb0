"""Writing new files: atomic, never over an existing file, validated, undone as a whole on
failure."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actionplan.errors import ActionPlanError, ExitCode, UsageError
from actionplan.loader import display_name
from actionplan.model import KINDS
from actionplan.model.schemas import schema_for
from actionplan.problem_report import format_problems
from actionplan.scaffold.texts import HINTS
from actionplan.scaffold.yamltext import to_yaml
from actionplan.schemagen import render


def refuse_existing(path: Path, hint: str = "; it is left as it is") -> None:
    if path.exists():
        raise UsageError(f"{display_name(path)} already exists{hint}")


@dataclass
class Writes:
    root: Path
    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def folder(self, path: Path) -> None:
        missing = [p for p in (path, *path.parents) if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            self.folders.append(folder)

    def write(self, path: Path, text: str) -> None:
        refuse_existing(path)
        self.folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            refuse_existing(path)  # it may have appeared meanwhile: still never overwrite
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.files.append(path)

    def undo(self) -> None:
        for path in reversed(self.files):
            path.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()


def schema_ref(w: Writes, target: Path, kind: str) -> str:
    """Relative path from `target` to the repository's schema; the schema is written if absent."""
    schema = w.root / "schemas" / KINDS[kind].schema_file
    if not schema.exists():
        w.write(schema, render(schema_for(kind)))
    return Path(os.path.relpath(schema, target.parent)).as_posix()


def write_new(root: Path, target: Path, kind: str, data: dict[str, Any]) -> int:
    """Write one new plan file of `kind` (and its schema when the repository has none)."""

    def make(w: Writes) -> list[Path]:
        ref = schema_ref(w, target, kind)
        w.write(target, to_yaml(data, ref, HINTS[kind]))
        return [target]

    return run(root, make)


def check_written(paths: list[Path]) -> None:
    """Validate every new plan file as part of its plan; only its own problems count."""
    from actionplan.validate import validate_paths

    result = validate_paths(paths)
    sys.stderr.write(format_problems(result.problems, "text"))  # warnings are shown too
    if result.failed():
        raise ActionPlanError("the new file does not validate, so nothing was written")


def run(root: Path, make: Callable[[Writes], list[Path]]) -> int:
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder (--root is the repository's root)")
    w = Writes(root)
    try:
        plan_files = make(w)
        check_written(plan_files)
    except BaseException:
        w.undo()
        raise
    for path in w.files:
        print(f"wrote {display_name(path)}")
    return ExitCode.OK
