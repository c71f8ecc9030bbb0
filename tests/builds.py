"""The example plans as the build must handle them, and `doit` run for real in a copy of this
repository: what the pipeline, build-output and browser tests share.

`ExamplePlan` is found from the plans' files, not from the pipeline, so a test that compares the
two checks the pipeline against an independent reading.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from actionplan.loader import load_file
from helpers import ROOT

BUILD_EPOCH = "1780000000"  # 2026-05-28T20:26:40Z
COPIED = ("plans", "schemas", "templates", "dodo.py")
DRAFT_PLAN = "buenos-aires/2026-2027"


@dataclass(frozen=True)
class ExamplePlan:
    """What an example plan must build, found from its files (not from the pipeline)."""

    name: str
    languages: tuple[str, ...]
    commitments: tuple[str, ...]

    @property
    def approved(self) -> bool:
        return self.name != DRAFT_PLAN

    def expected_files(self) -> set[str]:
        """Every output of the action plan, relative to build/<member>/<cycle>/."""
        files = {"plan.json", "efiling/manifest.json"}
        files |= {f"action-plan.{lang}.{ext}" for lang in self.languages for ext in FORMATS}
        forms = ["vision", *(f"commitment-{cid}" for cid in self.commitments)]
        files |= {f"efiling/{form}.{ext}" for form in forms for ext in ("json", "html")}
        return files


FORMATS = ("html", "pdf", "docx")


def example_plans(root: Path = ROOT) -> list[ExamplePlan]:
    found = []
    for member_yaml in sorted((root / "plans").glob("*/member.yaml")):
        doc, problems = load_file(member_yaml)
        assert not problems and isinstance(doc.data, dict), member_yaml
        languages = tuple(doc.data["languages"])
        for vision in sorted(member_yaml.parent.glob("*/vision.yaml")):
            cycle = vision.parent
            ids = tuple(sorted(p.stem for p in (cycle / "commitments").glob("*.yaml")))
            found.append(ExamplePlan(f"{member_yaml.parent.name}/{cycle.name}", languages, ids))
    return found


PLANS = example_plans()


def copy_repository(dest: Path, plans: Path = ROOT / "plans") -> Path:
    """A repository to build in: schemas, templates and dodo.py of this one, and `plans` (this
    repository's example plans unless told otherwise) as its plans/ folder."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = plans if name == "plans" else ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def doit(
    repo: Path, *args: str, check: bool = True, epoch: str = BUILD_EPOCH, **env: str
) -> subprocess.CompletedProcess[str]:
    """`doit ARGS` in `repo` with SOURCE_DATE_EPOCH fixed (and `env` set); stdout and stderr
    as text."""
    result = subprocess.run(
        [sys.executable, "-m", "doit", *args],
        cwd=repo,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch, **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check:
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result
