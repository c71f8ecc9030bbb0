"""The plan layout module: cheap to import, and the one reading of a plan's files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from actionplan.layout import LAYOUT_DEPTH, PlanFolder, classify, plan_folders

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_layout_loads_no_validator_models_or_yaml() -> None:
    code = "import sys, actionplan.layout; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for heavy in ("pydantic", "ruamel", "actionplan.validate", "actionplan.model"):
        assert f"'{heavy}" not in loaded, heavy


def test_every_kind_stands_at_its_depth() -> None:
    cycle = Path("plans/paris/2024-2026")
    paths = {
        "vision": cycle / "vision.yaml",
        "commitment": cycle / "commitments/a.yaml",
        "progress": cycle / "progress/a.yaml",
        "inception": cycle / "assessments/inception.yaml",
        "final-summary": cycle / "assessments/final-summary.yaml",
        "end-of-commitment": cycle / "assessments/end-of-commitment/a.yaml",
    }
    for kind, path in paths.items():
        assert classify(path) == kind
        assert len(path.parts) - len(cycle.parts) == LAYOUT_DEPTH[kind]
    assert classify(Path("plans/paris/member.yaml")) == "member"
    assert classify(cycle / "notes/a.yaml") is None


def test_the_example_plans_and_their_files() -> None:
    plans = list(plan_folders(ROOT / "plans"))
    assert [p.name for p in plans] == sorted(p.name for p in plans)
    paris = PlanFolder(ROOT / "plans/paris", ROOT / "plans/paris/2024-2026")
    assert paris.name in [p.name for p in plans]
    everything = paris.all_files()
    assert everything[0] == paris.member_file
    for part in (
        paris.action_plan_files(),
        paris.progress_files(),
        paris.end_of_commitment_files(),
    ):
        assert set(part) <= set(everything)
    assert all(classify(p) == "commitment" for p in paris.commitment_files())
    assert list(plan_folders(ROOT / "no-such-folder")) == []
