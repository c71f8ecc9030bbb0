"""`doit diff`: every plan of the working tree against a git revision, into build/diff/.

`doit diff` (revision HEAD), `doit diff --rev origin/main`, or the environment variable
ACTIONPLAN_DIFF_REV. For each plan `<member>/<cycle>`: build/diff/<member>/<cycle>.md, .html
and .json. A plan that is not at the revision (a new plan) is skipped, with a line saying so.
Not a default task: it reads git, and its result depends on a revision, not on files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from actionplan.errors import ActionPlanError
from actionplan.fsutil import write_atomic

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
) -> bool:
    """Write the diff of every plan (member folder, cycle folder) against `rev`."""
    from actionplan.diff.api import diff_sides, render
    from actionplan.diff.sources import NotAtRevision, PlanUnreadable, load_side

    ok = True
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
            ok = False
            continue
        except NotAtRevision:
            print(f"diff {key}: not at {rev}, a new plan; skipped")
            continue
        except ActionPlanError as exc:
            print(f"diff {key}: {exc}")
            ok = False
            continue
        diff = diff_sides(old, new)
        for fmt, target in diff_outputs(build_dir, key).items():
            write_atomic(target, render(diff, fmt, templates).encode("utf-8"))
        print(f"diff {key}: {render(diff, 'markdown', templates).splitlines()[0]}")
    return ok


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
