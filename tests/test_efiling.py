"""E-filing folder: the manifest lists exactly the files that stand in efiling/, even after a
commitment is withdrawn between two builds."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from actionplan.pipeline import actions, project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name in ("templates", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    paris = ROOT / "plans" / "paris"
    (tmp_path / "plans" / "paris").mkdir(parents=True)
    shutil.copy(paris / "member.yaml", tmp_path / "plans" / "paris" / "member.yaml")
    shutil.copytree(paris / "2024-2026", tmp_path / "plans" / "paris" / "2024-2026")
    return tmp_path


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
    assert actions.efiling_action(target, settings)
    folder = target.out_dir / "efiling"
    before = _manifest_matches_folder(folder)
    assert "commitment-donnees-climat.json" in before

    (repo / "plans" / "paris" / "2024-2026" / "commitments" / "donnees-climat.yaml").unlink()
    assert actions.efiling_action(target, settings)
    after = _manifest_matches_folder(folder)
    assert not any("donnees-climat" in name for name in after)
    assert "commitment-budget-participatif.json" in after
