"""`actionplan status`: text and JSON on case repositories, exit codes, the example plans."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from helpers import BASE, ROOT, replace_in, run_cli

PLAN = "plans/sample-city/2024-2025"


def repo_without_final_summary(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    (root / PLAN / "assessments" / "final-summary.yaml").unlink()
    return root


def test_nothing_overdue_exits_0(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    result = run_cli(["status"], root)
    assert result.code == 0, result.out + result.err
    assert result.lines == [
        f"sample-city/2024-2025 ({PLAN}), as of 2026-01-01:",
        "  nothing overdue, nothing due within 30 days",
    ]
    assert "0 overdue, 0 due within 30 days in 1 plan (as of 2026-01-01)" in result.err


def test_overdue_first_then_due_soon_with_dates_and_files(tmp_path: Path) -> None:
    root = repo_without_final_summary(tmp_path)
    result = run_cli(["status", PLAN], root, dt.date(2025, 12, 15))
    assert result.code == 1  # something is overdue: a scheduled job fails
    assert result.lines[0] == f"sample-city/2024-2025 ({PLAN}), as of 2025-12-15:"
    assert result.lines[1:] == [
        f"  overdue   2024-07-01  progress update of open-contracts: {PLAN}/progress/"
        "open-contracts.yaml (532 days overdue)",
        f"  overdue   2024-10-01  progress update of participatory-budget: {PLAN}/progress/"
        "participatory-budget.yaml (440 days overdue)",
        f"  due       2025-12-31  final summary: {PLAN}/assessments/final-summary.yaml "
        "(in 16 days)",
    ]


def test_all_lists_what_is_done_and_upcoming(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    for name in ("end-of-commitment/open-budget.yaml", "final-summary.yaml"):  # after the day
        (root / PLAN / "assessments" / name).unlink()
    with (root / PLAN / "vision.yaml").open("a", encoding="utf-8") as vision:
        vision.write("submitted: 2024-01-10\n")
    result = run_cli(["status", "--all"], root, dt.date(2025, 3, 1))
    assert result.code == 1, result.out
    states = [line.split()[0] for line in result.lines[1:]]
    assert states == ["overdue", "overdue", "upcoming", "upcoming", "done"]
    assert result.lines[3].startswith("  upcoming  2025-05-10  progress update of open-budget")
    assert result.lines[4].startswith("  upcoming  2025-12-31  final summary")
    assert "inception assessment" in result.lines[5]
    assert result.lines[5].endswith("(done on 2024-03-15)")


def test_json_shape(tmp_path: Path) -> None:
    root = repo_without_final_summary(tmp_path)
    result = run_cli(["status", "--format", "json"], root)
    assert result.code == 1
    assert result.err == ""
    data = json.loads(result.out)
    assert data == {
        "build_date": "2026-01-01",
        "plans": [
            {
                "plan": "sample-city/2024-2025",
                "folder": PLAN,
                "valid": True,
                "invalid_files": [],
                "items": [
                    {
                        "kind": "final-summary",
                        "subject": None,
                        "due": "2025-12-31",
                        "state": "overdue",
                        "file": "assessments/final-summary.yaml",
                        "since": "2025-12-31",
                        "done_on": None,
                        "draft": False,
                        "items": [],
                        "path": f"{PLAN}/assessments/final-summary.yaml",
                    }
                ],
            }
        ],
    }


def test_a_plan_that_does_not_validate_is_named_and_still_reported(tmp_path: Path) -> None:
    root = repo_without_final_summary(tmp_path)
    broken = root / PLAN / "commitments" / "open-contracts.yaml"
    replace_in(broken, "id: open-contracts", "id: [open-contracts")
    result = run_cli(["status"], root, dt.date(2025, 6, 1))
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "  does not validate (`actionplan validate` says why); errors in:" in result.lines
    assert f"    {PLAN}/commitments/open-contracts.yaml" in result.lines
    # what the valid files tell: open-budget's and participatory-budget's updates
    assert any("progress update of open-budget" in line for line in result.lines)
    assert not any("open-contracts:" in line for line in result.lines)
    assert not any("final summary" in line for line in result.lines)  # its end is not known
    as_json = json.loads(run_cli(["status", "--format", "json"], root, dt.date(2025, 6, 1)).out)
    assert as_json["plans"][0]["valid"] is False


def test_bad_arguments_and_paths_exit_2(tmp_path: Path) -> None:
    assert run_cli(["status", "--format", "xml"], tmp_path).code == 2
    missing = run_cli(["status", "nowhere"], tmp_path)
    assert missing.code == 2
    assert "nowhere" in missing.err


def test_the_example_plans(tmp_path: Path) -> None:
    """Every example plan is reported, the same bytes on the same build date."""
    first = run_cli(["status", "--all", "--format", "json"], ROOT, dt.date(2026, 1, 1))
    again = run_cli(["status", "--all", "--format", "json"], ROOT, dt.date(2026, 1, 1))
    assert first.out == again.out
    assert "internal error" not in first.err
    data = json.loads(first.out)
    keys = {plan["plan"] for plan in data["plans"]}
    assert {"paris/2021-2023", "scotland/2023-2025"} <= keys
    overdue = any(i["state"] == "overdue" for p in data["plans"] for i in p["items"])
    assert first.code == (1 if overdue else 0)
    text = run_cli(["status"], ROOT, dt.date(2026, 1, 1))
    assert text.code == first.code
    assert all(f"{key} (" in text.out for key in keys)
