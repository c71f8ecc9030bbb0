"""What every test shares: the tools of the environment that runs the tests come first on PATH,
and the fixtures more than one test module uses (plain helpers are in `helpers.py`).

The README runs the suite as `.venv/bin/python -m pytest`, without activating the virtual
environment, so a test that starts `doit`, `ruff`, `uv` or `check-jsonschema` by name must find
the ones installed beside this interpreter, not whatever else the machine has.

`repo` is a fresh copy of the valid base repository of the cases (`tests/cases/base`), for a
test to change as it likes. A module whose tests need another repository (a git history, a
build, the example plans) overrides it with its own `repo` fixture, which says what it holds.
`new_repo` is the empty repository the `actionplan new` tests start from.

No test module imports another; what several share is in plain modules beside this one:
`helpers.py` (cases, the CLI in-process, merged example plans, golden files), `builds.py` (the
example plans as the build must handle them, `doit` run in a copy of the repository),
`documents.py` (rendered documents read back), `browsers.py` (headless Chromium with axe-core),
`pdfua.py` (the PDF/UA check) and `expected_status.py` (statuses worked out by hand).
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path

import pytest

from helpers import BASE, ROOT, SCAFFOLD_DATE, epoch_of

os.environ["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the valid base repository, in `tmp_path/repo`."""
    return Path(shutil.copytree(BASE, tmp_path / "repo"))


@pytest.fixture
def new_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty plans repository with this project's schemas, in `tmp_path/repo`: the working
    directory, with SOURCE_DATE_EPOCH at SCAFFOLD_DATE."""
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(SCAFFOLD_DATE))
    return root
