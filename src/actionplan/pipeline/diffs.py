"""`doit diff`: every plan of the working tree against a git revision, into build/diff/.

`doit diff` (revision HEAD), `doit diff --rev origin/main`, or the environment variable
ACTIONPLAN_DIFF_REV. For each plan `<member>/<cycle>`: build/diff/<member>/<cycle>.md, .html
and .json. A plan that is not at the revision (a new plan) is skipped, with a line saying so.
Not a default task, and not a row of the table of families: it reads git, and its result
depends on a revision, not on files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from doit.exceptions import TaskFailed

from actionplan.errors import ActionPlanError, RenderError
from actionplan.fsutil import inside, shown, write_atomic
from actionplan.pipeline.actions import describe

if TYPE_CHECKING:
    from actionplan.diff.model import PlanDiff

ENV_REVISION = "ACTIONPLAN_DIFF_REV"
DEFAULT_REVISION = "HEAD"


def default_revision() -> str:
    return os.environ.get(ENV_REVISION) or DEFAULT_REVISION


def diff_outputs(build_dir: Path, key: str) -> dict[str, Path]:
    """Where the diff of plan `<member>/<cycle>` is written, by format."""
    base = build_dir / "diff" / key
    return {fmt: base.with_name(f"{base.name}.{ext}") for fmt, ext in _EXTENSIONS.items()}


_EXTENSIONS = {"markdown": "md", "html": "html", "json": "json"}


def diff_action(
    rev: str, root: Path, plan_dirs: Iterable[tuple[Path, Path]], templates: Path
) -> TaskFailed | None:
    """Write the diff of every plan (member folder, cycle folder) against `rev`; each plan's
    outcome is a line, and the task fails, naming the plans, when one could not be diffed."""
    from actionplan.diff.api import diff_sides
    from actionplan.diff.sources import NotAtRevision, PlanUnreadable, load_side

    failed: list[str] = []
    build_dir = root / "build"
    for member_dir, cycle_dir in plan_dirs:
        key = f"{member_dir.name}/{cycle_dir.name}"
        folder = os.path.relpath(cycle_dir)
        try:
            new = load_side(folder)
            old = load_side(f"{rev}:{folder}")
        except PlanUnreadable as exc:
            print(f"diff {key}: {exc}")
            for problem in exc.problems:
                print(f"  {problem.file}:{problem.line}:{problem.column}: {problem.message}")
            failed.append(key)
            continue
        except NotAtRevision:
            print(f"diff {key}: not at {rev}, a new plan; skipped")
            continue
        except ActionPlanError as exc:
            print(f"diff {key}: {exc}")
            failed.append(key)
            continue
        try:
            summary = _write(build_dir, key, diff_sides(old, new), templates)
        except Exception as exc:  # the edge of the action: what escapes, doit prints raw
            print(f"diff {key}: not written: {describe(exc)}")
            failed.append(key)
            continue
        print(f"diff {key}: {summary}")
    return TaskFailed(f"not diffed: {', '.join(failed)}") if failed else None


def _write(build_dir: Path, key: str, diff: PlanDiff, templates: Path) -> str:
    """Write the diff in every format, all or none, never outside build/ (a folder there may
    be a link elsewhere); its one-line summary."""
    from actionplan.diff.api import render

    outputs = diff_outputs(build_dir, key)
    if outside := [target for target in outputs.values() if not inside(build_dir, target)]:
        raise RenderError(f"{shown(outside[0])}: outside build/; not written")
    texts = {fmt: render(diff, fmt, templates) for fmt in outputs}
    for fmt, target in outputs.items():
        write_atomic(target, texts[fmt].encode("utf-8"))
    return texts["markdown"].splitlines()[0]


def task(root: Path, plan_dirs: list[tuple[Path, Path]], templates: Path) -> dict[str, Any]:
    """The `diff` task of dodo.py."""
    return {
        "actions": [
            (diff_action, [], {"root": root, "plan_dirs": plan_dirs, "templates": templates})
        ],
        "params": [
            {
                "name": "rev",
                "long": "rev",
                "short": "r",
                "default": default_revision(),
                "help": f"the git revision to compare with (default HEAD, or ${ENV_REVISION})",
            }
        ],
        "uptodate": [False],
        "verbosity": 2,
    }
