"""Case folders under tests/cases/, each overlaying the base repository, run through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from actionplan.rules import BY_ID
from helpers import (
    BASE,
    CASES,
    PREFIX,
    Case,
    build_repo,
    case_dirs,
    epoch_of,
    matches,
    prefixes,
    run_cli,
)

VALID = case_dirs("valid")
INVALID = case_dirs("invalid")
# Rules no case folder can produce; each is covered by a unit test named here.
UNIT_TESTED = {
    "file-unreadable": "test_loader.py::test_unreadable_file",
    "symlink-outside": "test_security.py::test_a_link_to_a_file_outside_the_plans_is_not_read",
    "symlink-loop": "test_hostile_paths.py::test_a_link_in_a_loop_is_reported_at_the_link",
}


def _names(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _check_expected(case: Case, lines: list[str]) -> None:
    for expected in case.expected:
        assert any(matches(line, expected) for line in lines), (
            f"{case.name}: expected a line starting with\n  {expected}\ngot:\n" + "\n".join(lines)
        )
    if not case.partial:
        assert Counter(prefixes(lines)) == Counter(prefixes(case.expected)), (
            f"{case.name}: reported problems differ from expected.txt; got:\n" + "\n".join(lines)
        )


def test_base_is_valid_without_warnings() -> None:
    result = run_cli(["validate", "--strict", "--no-cache"], BASE)  # nothing written in tests/
    assert result.code == 0, result.out
    assert result.out == ""
    assert "1 plan valid" in result.err


@pytest.mark.parametrize("case_dir", VALID, ids=_names(VALID))
def test_valid_case(case_dir: Path, tmp_path: Path) -> None:
    case = Case.load(case_dir)
    repo = build_repo(case, tmp_path / "repo")
    result = run_cli(["validate"], repo, case.build_date)
    assert result.code == 0, result.out + result.err
    assert not any(" error [" in line for line in result.lines), result.out
    _check_expected(case, result.lines)


@pytest.mark.parametrize("case_dir", INVALID, ids=_names(INVALID))
def test_invalid_case(case_dir: Path, tmp_path: Path) -> None:
    case = Case.load(case_dir)
    assert case.expected, f"{case.name}: expected.txt is missing or empty"
    repo = build_repo(case, tmp_path / "repo")
    result = run_cli(["validate", "--format", "text"], repo, case.build_date)
    assert "internal error" not in result.err, result.err
    _check_expected(case, result.lines)
    if case.strict:
        assert result.code == 0, result.out
        assert all(" warning [" in line for line in result.lines), result.out
        strict = run_cli(["validate", "--strict"], repo, case.build_date)
        assert strict.code == 1
        as_errors = [p.replace(" warning [", " error [") for p in prefixes(case.expected)]
        assert Counter(prefixes(strict.lines)) >= Counter(as_errors), strict.out
    else:
        assert result.code == 1, result.out + result.err
    _check_other_formats(case, repo, result.lines)


def _check_other_formats(case: Case, repo: Path, lines: list[str]) -> None:
    """JSON and GitHub reports carry the same problems, in the same order, as the text one."""
    as_json = json.loads(run_cli(["validate", "--format", "json"], repo, case.build_date).out)
    assert [
        f"{p['file']}:{p['line']}:{p['column']}: {p['severity']} [{p['rule']}] {p['message']}"
        for p in as_json
    ] == lines
    github = run_cli(["validate", "--format", "github"], repo, case.build_date).lines
    assert len(github) == len(lines)
    for gh, p in zip(github, as_json, strict=True):
        assert gh.startswith(
            f"::{p['severity']} file={p['file']},line={p['line']},col={p['column']}::"
        )


@pytest.mark.parametrize("case_dir", INVALID, ids=_names(INVALID))
def test_no_traceback(case_dir: Path, tmp_path: Path) -> None:
    """The real command, in its own process: whatever the input, a report and never a traceback."""
    case = Case.load(case_dir)
    repo = build_repo(case, tmp_path / "repo")
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch_of(case.build_date)}
    done = subprocess.run(
        [sys.executable, "-m", "actionplan", "validate"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == (0 if case.strict else 1), done.stdout + done.stderr


def test_every_rule_has_a_case() -> None:
    """Every rule of the registry is expected by a case folder, at its declared severity, or
    is unit-tested; no case expects a rule the registry does not declare
    (tests/unit/test_registry.py holds the registry to the code)."""
    covered: set[str] = set(UNIT_TESTED)
    wrong: list[str] = []
    for path in CASES.glob("*/*/expected.txt"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for m in filter(None, map(PREFIX.match, lines)):
            rule = BY_ID.get(m.group("rule"))
            covered.add(m.group("rule"))
            if rule is not None and m.group("severity") != rule.severity:
                wrong.append(f"{path.parent.name}: {m.group(0)}, declared {rule.severity}")
    assert sorted(set(BY_ID) - covered) == []
    assert sorted(covered - set(BY_ID)) == []  # no case expects a rule the registry lacks
    assert wrong == []
