"""doit tasks: validate every plan under plans/ and build it into build/<member>/<cycle>/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from doit.tools import config_changed

from actionplan import pipeline
from actionplan.pipeline import FORMS_FILE
from actionplan.render.html import html_dependencies

DOIT_CONFIG = {
    "default_tasks": ["validate", "json", "html", "pdf", "docx", "efiling"],
    "verbosity": 1,
}
SETTINGS = pipeline.Settings(Path(__file__).resolve().parent)
CONFIG = pipeline.config(SETTINGS)
PLANS = list(pipeline.plans(SETTINGS))
SCHEMAS = [str(p) for p in SETTINGS.schema_files()]
TEMPLATES = [str(p) for p in html_dependencies(SETTINGS.templates)]
LABELS = [str(p) for p in SETTINGS.label_files()]


def _build(
    action: Callable[..., bool],
    deps: Callable[[pipeline.PlanTarget], list[Path]],
    targets: Callable[[pipeline.PlanTarget], list[Path]],
    extra: list[str],
) -> Iterator[dict[str, Any]]:
    for plan in PLANS:
        yield {
            "name": plan.name,
            "actions": [(action, [plan, SETTINGS])],
            "file_dep": [str(p) for p in deps(plan)] + SCHEMAS + extra,
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
    yield from _build(pipeline.json_action, pipeline.PlanTarget.inputs, pipeline.json_targets, [])


def task_html() -> Iterator[dict[str, Any]]:
    """Render the action plan as HTML in each of the member's languages."""
    yield from _build(
        pipeline.html_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.html_targets,
        TEMPLATES,
    )


def task_pdf() -> Iterator[dict[str, Any]]:
    """Render the action plan as PDF/UA in each language, plan.json attached."""
    yield from _build(
        pipeline.pdf_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.pdf_targets,
        [*TEMPLATES, str(SETTINGS.templates / "print.css")],
    )


def task_docx() -> Iterator[dict[str, Any]]:
    """Render the action plan as DOCX in each language, styled by templates/reference.docx."""
    yield from _build(
        pipeline.docx_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.docx_targets,
        [*TEMPLATES, str(SETTINGS.reference_docx)],
    )


def task_efiling() -> Iterator[dict[str, Any]]:
    """Write the e-filing payloads (JSON and HTML per form) and their manifest."""
    yield from _build(
        pipeline.efiling_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.efiling_targets,
        [*LABELS, str(FORMS_FILE)],
    )
