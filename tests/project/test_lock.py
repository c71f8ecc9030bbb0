"""Pinned, reproducible installs: uv.lock matches pyproject.toml, pins every file by hash, and
is what the environment running these tests was installed from."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import lock_requirement  # noqa: E402

LOCK = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))


def uv_lock_check(project: Path) -> subprocess.CompletedProcess[str]:
    """`uv lock --check` offline, with an empty cache: it reads only the two files."""
    uv = shutil.which("uv")
    assert uv, "uv is installed by scripts/setup.sh from uv.lock"
    env = {**os.environ, "UV_CACHE_DIR": str(project / ".uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}
    return subprocess.run(
        [uv, "lock", "--check", "--offline", "--python", sys.executable],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def project_copy(tmp_path: Path) -> Path:
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy2(REPO / name, tmp_path / name)
    return tmp_path


def test_the_lock_matches_pyproject(tmp_path: Path) -> None:
    done = uv_lock_check(project_copy(tmp_path))
    assert done.returncode == 0, done.stderr


def test_a_dependency_added_without_relocking_fails_the_check(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("dependencies = [", 'dependencies = [\n    "six",', 1))
    done = uv_lock_check(project)
    assert done.returncode != 0, done.stderr


def test_every_locked_package_is_pinned_by_version_and_hash() -> None:
    packages = [p for p in LOCK["package"] if p["name"] != "actionplan"]
    assert len(packages) > 30
    for package in packages:
        files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
        assert files, package["name"]
        for file in files:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", file["hash"]), (package["name"], file)


def test_the_running_environment_is_the_locked_one() -> None:
    """Every locked package that is installed here has exactly the locked version."""
    locked = {p["name"]: p["version"] for p in LOCK["package"] if p["name"] != "actionplan"}
    installed = {
        re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version
        for d in importlib.metadata.distributions()
    }
    for name in ("weasyprint", "pydantic", "doit", "ruamel-yaml", "playwright", "uv"):
        assert name in installed, f"{name} is not installed: run scripts/setup.sh"
    differing = {
        n: (v, installed[n]) for n, v in locked.items() if n in installed and installed[n] != v
    }
    assert differing == {}, "locked version, installed version"


def test_setup_installs_uv_by_its_locked_hashes() -> None:
    line = lock_requirement.requirement(lock_requirement.locked("uv"))
    version = importlib.metadata.version("uv")
    assert line.startswith(f"uv=={version} --hash=sha256:")
    assert line.count("--hash=") >= 10, "one hash per platform's wheel, and the sdist"


def test_lock_requirement_names_a_missing_package(capsys: pytest.CaptureFixture[str]) -> None:
    assert lock_requirement.main(["no-such-package"]) == 1
    assert "no package 'no-such-package'" in capsys.readouterr().err
