"""E-filing folder: the manifest lists exactly the files that stand in efiling/, even after a
commitment is withdrawn between two builds."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from actionplan.pipeline import actions, project
from helpers import copy_example_plan


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Paris's 2024-2026 plan, with this repository's schemas and templates."""
    return copy_example_plan(tmp_path, "paris/2024-2026", "templates", "schemas")


def _manifest_matches_folder(folder: Path) -> set[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert set(listed) == present
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    return present


def test_withdrawn_commitment_leaves_no_payload_behind(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    settings = project.Settings(repo)
    (target,) = list(project.plans(settings))
    assert actions.efiling_action(target, settings) is None  # None: built, no TaskFailed
    folder = target.out_dir / "efiling"
    before = _manifest_matches_folder(folder)
    assert "commitment-donnees-climat.json" in before

    plan = repo / "plans" / "paris" / "2024-2026"
    # the record's meetings and contributions name the commitment: a withdrawal drops them too
    for record in ("meetings", "contributions"):
        shutil.rmtree(plan / record)
    (plan / "commitments" / "donnees-climat.yaml").unlink()
    assert actions.efiling_action(target, settings) is None  # None: built, no TaskFailed
    after = _manifest_matches_folder(folder)
    assert not any("donnees-climat" in name for name in after)
    assert "commitment-budget-participatif.json" in after
