"""What every test shares: the tools of the environment that runs the tests come first on PATH,
and the fixtures more than one test module uses (plain helpers are in `helpers.py`).

The README runs the suite as `.venv/bin/python -m pytest`, without activating the virtual
environment, so a test that starts `doit`, `ruff`, `uv` or `check-jsonschema` by name must find
the ones installed beside this interpreter, not whatever else the machine has.

`repo` is a fresh copy of the valid base repository of the cases (`tests/cases/base`), for a
test to change as it likes. A module whose tests need another repository (a git history, a
build, the example plans) overrides it with its own `repo` fixture, which says what it holds.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path

import pytest

from helpers import BASE

os.environ["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the valid base repository, in `tmp_path/repo`."""
    return Path(shutil.copytree(BASE, tmp_path / "repo"))
