"""doit's progress, assessments and efiling tasks: honest inputs, targets once the data exist."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from actionplan.pipeline import deps
from actionplan.pipeline.families import FAMILIES
from actionplan.render import monitoring
from helpers import ROOT


@pytest.fixture(scope="module")
def dodo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dodo_under_test", ROOT / "dodo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tasks(creator: Any) -> dict[str, dict[str, Any]]:
    produced: Iterator[dict[str, Any]] = creator()
    return {task["name"]: task for task in produced}


def plan_files(task: dict[str, Any], folder: str) -> list[str]:
    return [dep for dep in task["file_dep"] if f"/{folder}/" in dep and "/plans/" in dep]


def test_default_tasks_build_the_monitoring_documents(dodo: ModuleType) -> None:
    assert {"progress", "assessments"} <= set(dodo.DOIT_CONFIG["default_tasks"])


def test_a_progress_entry_rebuilds_the_report_not_the_action_plan(dodo: ModuleType) -> None:
    progress = tasks(dodo.task_progress)
    assert sorted(progress) == ["paris/2021-2023", "paris/2024-2026", "scotland/2023-2025"]
    scotland = progress["scotland/2023-2025"]
    assert len(plan_files(scotland, "progress")) == 4
    assert plan_files(scotland, "assessments") == []
    assert any(dep.endswith("templates/progress-report.html.j2") for dep in scotland["file_dep"])
    assert any(dep.endswith("templates/reports.css") for dep in scotland["file_dep"])
    for creator in (dodo.task_html, dodo.task_pdf, dodo.task_docx):
        for task in tasks(creator).values():
            assert plan_files(task, "progress") == plan_files(task, "assessments") == []
            assert not any(dep.endswith("reports.css") for dep in task["file_dep"])
    efiling = tasks(dodo.task_efiling)["scotland/2023-2025"]
    assert len(plan_files(efiling, "progress")) == 4 and plan_files(efiling, "assessments")
    json_task = tasks(dodo.task_json)["scotland/2023-2025"]
    assert len(plan_files(json_task, "progress")) == 4


def test_each_assessment_is_a_task_reading_its_own_file(dodo: ModuleType) -> None:
    found = tasks(dodo.task_assessments)
    assert sorted(found) == [
        "paris/2021-2023/end-of-commitment-budget-participatif",
        "scotland/2023-2025/end-of-commitment-climate-assembly-response",
        "scotland/2023-2025/end-of-commitment-fiscal-transparency",
        "scotland/2023-2025/final-summary",
        "scotland/2023-2025/inception",
    ]
    fiscal = found["scotland/2023-2025/end-of-commitment-fiscal-transparency"]
    assert [Path(p).name for p in plan_files(fiscal, "assessments")] == ["fiscal-transparency.yaml"]
    assert plan_files(fiscal, "progress") == []
    targets = [Path(t).relative_to(ROOT / "build") for t in fiscal["targets"]]
    assert [str(t) for t in targets] == [
        f"scotland/2023-2025/assessments/end-of-commitment-fiscal-transparency.en.{ext}"
        for ext in ("html", "pdf", "docx")
    ]


def test_efiling_targets_list_the_monitoring_forms(dodo: ModuleType) -> None:
    targets = tasks(dodo.task_efiling)["scotland/2023-2025"]["targets"]
    names = {Path(t).name for t in targets}
    assert {"progress-fiscal-transparency.json", "inception.html", "final-summary.json"} <= names
    assert "end-of-commitment-climate-assembly-response.html" in names
    paris = {Path(t).name for t in tasks(dodo.task_efiling)["paris/2024-2026"]["targets"]}
    assert "inception.json" not in paris and "progress-donnees-climat.json" not in paris


def test_the_template_names_agree() -> None:
    assert deps.TEMPLATES["progress"] == monitoring.PROGRESS_REPORT
    for kind, name in monitoring.ASSESSMENT_TEMPLATES.items():
        assert deps.TEMPLATES[kind] == name


def test_every_family_of_the_table_is_a_default_task_of_dodo(dodo: ModuleType) -> None:
    """A row added to the table without its `task_*` line in dodo.py would never be built."""
    creators = {name.removeprefix("task_") for name in vars(dodo) if name.startswith("task_")}
    assert creators == {"validate", *FAMILIES, "diff"}
    assert dodo.DOIT_CONFIG["default_tasks"] == ["validate", *FAMILIES]
