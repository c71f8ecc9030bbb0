"""The code stays clean: ruff (lint and format) over src and tests, mypy over src."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False
    )


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed: scripts/setup.sh installs it into .venv"
    return found


def test_ruff_check() -> None:
    done = run(tool("ruff"), "check", "src", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = run(tool("ruff"), "format", "--check", "src", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy() -> None:
    done = run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
