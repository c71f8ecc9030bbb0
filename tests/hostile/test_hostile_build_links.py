"""A member or plan folder that is a link out of plans/ (to `/`, `/usr`): `doit` neither lists
nor walks what it leads to, and fails with the validator's message at the link.

Before, task creation read every folder of `/` as a plan (92 tasks, 9 s for `doit list`, and
the inputs of each found by walking `/usr`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builds import copy_repository, doit
from helpers import ROOT


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose plans are Scotland's alone."""
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans" / "scotland", plans / "scotland")
    return copy_repository(tmp_path / "repo", plans)


@pytest.mark.parametrize(
    ("link", "target"),
    [("plans/machine", "/"), ("plans/scotland/2030-2031", "/usr")],
    ids=["member-to-root", "plan-to-usr"],
)
def test_a_folder_linked_out_of_the_plans_is_not_built_but_reported(
    repo: Path, link: str, target: str
) -> None:
    (repo / link).symlink_to(target)
    listed = doit(repo, "list", "--all", check=False)
    assert listed.returncode == 0, listed.stderr
    name = link.removeprefix("plans/")
    tasks = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert [t for t in tasks if name in t] == [f"validate:{name}"]
    assert any(t.startswith("pdf:scotland/") for t in tasks)

    done = doit(repo, "validate", check=False)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert f"{link}: error [symlink-outside]" in output
    assert "Traceback" not in output
    assert not (repo / "build" / name).exists()
