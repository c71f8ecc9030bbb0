"""doit tasks: validate every plan under plans/ and build it into build/<member>/<cycle>/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from doit.tools import config_changed

from actionplan import pipeline
from actionplan import pipeline_monitoring as monitoring

DOIT_CONFIG = {
    "default_tasks": [
        "validate",
        "json",
        "html",
        "pdf",
        "docx",
        "efiling",
        "progress",
        "assessments",
    ],
    "verbosity": 1,
}
SETTINGS = pipeline.Settings(Path(__file__).resolve().parent)
CONFIG = pipeline.config(SETTINGS)
PLANS = list(pipeline.plans(SETTINGS))
SCHEMAS = [str(p) for p in SETTINGS.schema_files()]


def _build(
    action: Callable[..., bool],
    deps: Callable[[pipeline.PlanTarget], list[Path]],
    targets: Callable[[pipeline.PlanTarget], list[Path]],
    family: str,
) -> Iterator[dict[str, Any]]:
    shared = [str(p) for p in pipeline.dependencies(SETTINGS, family)]
    for plan in PLANS:
        yield {
            "name": plan.name,
            "actions": [(action, [plan, SETTINGS])],
            "file_dep": [str(p) for p in deps(plan)] + shared,
            "targets": [str(p) for p in targets(plan)],
            "task_dep": [f"validate:{plan.name}"],
            "uptodate": [config_changed(CONFIG)],
            "clean": True,
        }


def task_validate() -> Iterator[dict[str, Any]]:
    """Validate each plan's files against the schemas and the rules across files."""
    for plan in PLANS:
        yield {
            "name": plan.name,
            "actions": [(pipeline.validate_action, [plan])],
            "file_dep": [str(p) for p in plan.inputs()] + SCHEMAS,
            "uptodate": [config_changed(CONFIG)],
            "verbosity": 2,
        }


def task_json() -> Iterator[dict[str, Any]]:
    """Write plan.json, the merged plan in every language."""
    yield from _build(
        pipeline.json_action, pipeline.PlanTarget.inputs, pipeline.json_targets, "json"
    )


def task_html() -> Iterator[dict[str, Any]]:
    """Render the action plan as HTML in each of the member's languages."""
    yield from _build(
        pipeline.html_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.html_targets,
        "html",
    )


def task_pdf() -> Iterator[dict[str, Any]]:
    """Render the action plan as PDF/UA in each language, plan.json attached."""
    yield from _build(
        pipeline.pdf_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.pdf_targets,
        "pdf",
    )


def task_docx() -> Iterator[dict[str, Any]]:
    """Render the action plan as DOCX in each language, styled by templates/reference.docx."""
    yield from _build(
        pipeline.docx_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.docx_targets,
        "docx",
    )


def task_efiling() -> Iterator[dict[str, Any]]:
    """Write the e-filing payloads (JSON and HTML per form) and their manifest."""
    yield from _build(
        pipeline.efiling_action,
        pipeline.PlanTarget.inputs,
        pipeline.efiling_targets,
        "efiling",
    )


def _monitoring_task(
    plan: pipeline.PlanTarget,
    name: str,
    action: tuple[Any, ...],
    inputs: list[Path],
    deps: list[Path],
    targets: list[Path],
) -> dict[str, Any]:
    return {
        "name": name,
        "actions": [action],
        "file_dep": [str(p) for p in [*inputs, *deps]],
        "targets": [str(p) for p in targets],
        "task_dep": [f"validate:{plan.name}"],
        "uptodate": [config_changed(CONFIG)],
        "clean": True,
    }


def task_progress() -> Iterator[dict[str, Any]]:
    """Render each plan's progress report (HTML, PDF, DOCX per language) once it has progress."""
    deps = monitoring.dependencies(SETTINGS, "progress")
    for plan in PLANS:
        if targets := monitoring.progress_targets(plan):
            action = (monitoring.progress_action, [plan, SETTINGS])
            inputs = monitoring.progress_inputs(plan)
            yield _monitoring_task(plan, plan.name, action, inputs, deps, targets)


def task_assessments() -> Iterator[dict[str, Any]]:
    """Render each written assessment (HTML, PDF, DOCX per language) under assessments/."""
    for plan in PLANS:
        for doc in monitoring.assessment_documents(plan):
            action = (monitoring.assessment_action, [plan, SETTINGS, doc.name])
            deps = monitoring.dependencies(SETTINGS, doc.kind)
            targets = monitoring.assessment_targets(plan, doc)
            name = f"{plan.name}/{doc.name}"
            yield _monitoring_task(plan, name, action, list(doc.inputs), deps, targets)


def task_diff() -> dict[str, Any]:
    """Diff every plan against a git revision (--rev, default HEAD) into build/diff/."""
    from actionplan.diff import tasks as diff_tasks

    plans = [(plan.member_dir, plan.cycle_dir) for plan in PLANS]
    return diff_tasks.task(SETTINGS.root, plans, SETTINGS.templates)
