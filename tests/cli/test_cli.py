"""`actionplan validate`: exit codes, formats, and every kind of PATH FORMAT.md allows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CASES, Case, Run, build_repo, run_cli

PLAN = "plans/sample-city/2024-2025"
CONTRACTS = f"{PLAN}/commitments/open-contracts.yaml"


def case_repo(name: str, tmp_path: Path) -> Path:
    return build_repo(Case.load(CASES / "invalid" / name), tmp_path / name)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """Errors in two files of one plan (a commitment and the vision) and in a member alone."""
    root = case_repo("within-plan", tmp_path)
    vision = root / PLAN / "vision.yaml"
    vision.write_text(
        vision.read_text(encoding="utf-8").replace("term_end: 2026-03-31", "term_end: 2025-01-01"),
        encoding="utf-8",
    )
    other = root / "plans" / "village"
    other.mkdir()
    (other / "member.yaml").write_text("id: village\n", encoding="utf-8")
    return root


def files_of(result: Run) -> set[str]:
    return {line.split(":", 1)[0] for line in result.lines}


# --- exit codes --------------------------------------------------------------------------------


def test_valid_repository_exits_0(repo: Path) -> None:
    result = run_cli(["validate"], repo)
    assert (result.code, result.out) == (0, "")
    assert result.err.strip() == "1 plan valid"


def test_problems_exit_1(broken: Path) -> None:
    assert run_cli(["validate"], broken).code == 1


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["validate", "--format", "xml"],
        ["validate", "--no-such-option"],
        ["validate", "no/such/path"],
    ],
)
def test_bad_arguments_exit_2(args: list[str], repo: Path) -> None:
    result = run_cli(args, repo)
    assert result.code == 2
    assert result.out == ""
    assert "Traceback" not in result.err


def test_nonexistent_path_names_it(repo: Path) -> None:
    result = run_cli(["validate", "plans/nobody"], repo)
    assert result.code == 2
    assert "plans/nobody: no such file or folder" in result.err


def test_folder_without_plans_exits_2(tmp_path: Path) -> None:
    result = run_cli(["validate"], tmp_path)
    assert result.code == 2
    assert "no plans found" in result.err


def test_file_that_is_not_yaml_exits_2(repo: Path) -> None:
    (repo / "notes.txt").write_text("hello\n", encoding="utf-8")
    assert run_cli(["validate", "notes.txt"], repo).code == 2


def test_version_exits_0(repo: Path) -> None:
    result = run_cli(["--version"], repo)
    assert result.code == 0
    assert result.out.startswith("actionplan ")


def test_strict_makes_warnings_errors(tmp_path: Path) -> None:
    root = case_repo("translation-warnings", tmp_path)
    relaxed = run_cli(["validate"], root)
    strict = run_cli(["validate", "--strict"], root)
    assert relaxed.code == 0
    assert strict.code == 1
    assert len(relaxed.lines) == len(strict.lines) == 4
    assert all(" warning [" in line for line in relaxed.lines)
    assert all(" error [" in line for line in strict.lines)


def test_a_real_process_exits_with_the_same_codes(repo: Path) -> None:
    def code(*args: str) -> int:
        cmd = [sys.executable, "-m", "actionplan", *args]
        return subprocess.run(cmd, cwd=repo, capture_output=True, check=False).returncode

    assert code("validate") == 0
    assert code("validate", "missing-folder") == 2
    (repo / PLAN / "vision.yaml").write_text("title: [\n", encoding="utf-8")
    assert code("validate") == 1


# --- formats -----------------------------------------------------------------------------------


def test_json_format_parses(broken: Path) -> None:
    result = run_cli(["validate", "--format", "json"], broken)
    assert result.code == 1
    data = json.loads(result.out)
    assert data
    keys = {"file", "line", "column", "severity", "rule", "path", "message"}
    assert all(set(item) == keys for item in data)
    first = data[0]
    assert (first["file"], first["line"], first["column"]) == (CONTRACTS, 9, 10)
    assert (first["rule"], first["path"], first["severity"]) == (
        "within-plan",
        "$.period.start",
        "error",
    )
    assert result.err == ""  # no summary line to mix into the JSON


def test_json_format_of_a_valid_repository(repo: Path) -> None:
    result = run_cli(["validate", "--format", "json"], repo)
    assert (result.code, json.loads(result.out)) == (0, [])


def test_github_format(broken: Path) -> None:
    result = run_cli(["validate", "--format", "github"], broken)
    assert result.code == 1
    assert result.lines[0].startswith(
        f"::error file={CONTRACTS},line=9,col=10::[within-plan] starts on 2023-12-01"
    )
    assert all(line.startswith(("::error ", "::warning ")) for line in result.lines)


def test_text_lines_follow_the_contract(broken: Path) -> None:
    result = run_cli(["validate", "--format", "text"], broken)
    assert result.lines[0] == (
        f"{CONTRACTS}:9:10: error [within-plan] "
        "starts on 2023-12-01, before the plan period starts on 2024-01-01"
    )


def test_errors_before_warnings(tmp_path: Path) -> None:
    root = case_repo("translation-warnings", tmp_path)
    (root / "plans/sample-city/zz-member-error").mkdir()  # a cycle without vision.yaml
    lines = run_cli(["validate"], root).lines
    severities = [" error [" in line for line in lines]
    assert severities == sorted(severities, reverse=True)
    assert severities[0] and not severities[-1]


# --- what PATH can be --------------------------------------------------------------------------


def test_default_path_is_the_current_folder(broken: Path) -> None:
    assert run_cli(["validate"], broken).out == run_cli(["validate", "."], broken).out


@pytest.mark.parametrize(
    "path",
    [".", "plans", "plans/", "plans/sample-city", PLAN, f"{PLAN}/", CONTRACTS],
)
def test_every_kind_of_path_finds_the_commitment_problem(broken: Path, path: str) -> None:
    result = run_cli(["validate", path], broken)
    assert result.code == 1
    assert any(line.startswith(f"{CONTRACTS}:9:10: error [within-plan]") for line in result.lines)


def test_repository_root_and_plans_folder_cover_every_member(broken: Path) -> None:
    for path in (".", "plans"):
        files = files_of(run_cli(["validate", path], broken))
        assert files == {CONTRACTS, f"{PLAN}/vision.yaml", "plans/village/member.yaml"}


def test_member_folder_covers_its_plans_only(broken: Path) -> None:
    files = files_of(run_cli(["validate", "plans/sample-city"], broken))
    assert files == {CONTRACTS, f"{PLAN}/vision.yaml"}
    files = files_of(run_cli(["validate", "plans/village"], broken))
    assert files == {"plans/village/member.yaml"}


def test_plan_folder(broken: Path) -> None:
    result = run_cli(["validate", PLAN], broken)
    assert files_of(result) == {CONTRACTS, f"{PLAN}/vision.yaml"}
    assert "1 plan checked" in result.err


def test_single_file_reports_only_that_file(broken: Path) -> None:
    result = run_cli(["validate", CONTRACTS], broken)
    assert result.code == 1
    assert files_of(result) == {CONTRACTS}
    assert len(result.lines) == 2  # starts before and ends after the plan
    vision = run_cli(["validate", f"{PLAN}/vision.yaml"], broken)
    assert files_of(vision) == {f"{PLAN}/vision.yaml"}
    valid = run_cli(["validate", f"{PLAN}/commitments/open-budget.yaml"], broken)
    assert (valid.code, valid.out) == (0, "")


def test_single_member_file(broken: Path) -> None:
    result = run_cli(["validate", "plans/village/member.yaml"], broken)
    assert result.code == 1
    assert files_of(result) == {"plans/village/member.yaml"}
    assert run_cli(["validate", "plans/sample-city/member.yaml"], broken).code == 0


def test_a_file_outside_any_plan_is_still_checked(tmp_path: Path) -> None:
    (tmp_path / "commitments").mkdir()
    (tmp_path / "commitments" / "x.yaml").write_text("id: x\ntitel: X\n", encoding="utf-8")
    result = run_cli(["validate", "commitments/x.yaml"], tmp_path)
    assert result.code == 1
    assert "commitments/x.yaml:2:1: error [schema-unknown-key]" in result.out


def test_a_file_of_no_known_kind_outside_any_plan_exits_2(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    assert run_cli(["validate", "x.yaml"], tmp_path).code == 2


def test_several_paths_report_each_problem_once(broken: Path) -> None:
    once = run_cli(["validate", "."], broken)
    twice = run_cli(["validate", ".", "plans", "plans/sample-city", PLAN], broken)
    assert twice.lines == once.lines


def test_paths_from_another_folder_are_shown_as_given(broken: Path) -> None:
    result = run_cli(["validate", broken.name], broken.parent)
    assert any(line.startswith(f"{broken.name}/{CONTRACTS}:9:10:") for line in result.lines)


def test_absolute_path_below_the_working_folder_is_shown_relative(broken: Path) -> None:
    result = run_cli(["validate", str(broken / PLAN)], broken)
    assert f"{CONTRACTS}:9:10: error [within-plan]" in result.out


def test_schemas_check_passes_in_the_project() -> None:
    project = Path(__file__).resolve().parents[2]
    result = run_cli(["schemas", "--check"], project)
    assert result.code == 0, result.err


def test_an_unexpected_failure_is_one_line_its_traceback_only_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actionplan.cli import validate

    def fail(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate, "run", fail)  # registration reads `run` from the module
    result = run_cli(["validate"], tmp_path)
    assert result.code == 1
    assert result.err == (
        "actionplan: internal error: RuntimeError: boom "
        "(run with --debug for details and report it)\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        run_cli(["--debug", "validate"], tmp_path)


def test_the_validate_line_parser_knows_the_name_validate_is_listed_under() -> None:
    """`cli/validate.py` parses a plain line itself, by the command's name: the one command
    module that writes its name again (the others are named by `COMMANDS` alone)."""
    from actionplan.cli import validate
    from actionplan.cli.parser import COMMANDS

    assert COMMANDS[validate.NAME] == "validate"
