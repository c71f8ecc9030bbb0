"""doit tasks: validate every plan under plans/ and build it into build/<member>/<cycle>/.

Every task runs through `actionplan.pipeline_state.run` (inputs as read, messages not
tracebacks), none has a target outside build/, and one run at a time uses the state file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from doit.tools import config_changed

from actionplan import pipeline
from actionplan import pipeline_monitoring as monitoring
from actionplan import pipeline_state as state
from actionplan.errors import ActionPlanError

SETTINGS = pipeline.Settings(Path(__file__).resolve().parent)
STATE = SETTINGS.root / state.STATE_FILE
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
    "backend": state.BACKEND,
    "dep_file": str(STATE),
    "codec_cls": state.state_codec(STATE),  # doit's hook before it opens the state file
}
CONFIG = pipeline.config(SETTINGS)
SCHEMAS = SETTINGS.schema_files()
Creator = Callable[[], Iterator[dict[str, Any]]]


def _plans() -> tuple[list[pipeline.PlanTarget], list[str]]:
    """The plans, or why they cannot be listed (a folder that cannot be read)."""
    try:
        return list(pipeline.plans(SETTINGS)), []
    except OSError as error:
        return [], [pipeline.describe(error)]


PLANS, UNLISTED = _plans()


def _listed(creator: Creator) -> Creator:
    """`creator`, or when it cannot list its tasks (plans it cannot read, a template missing or
    named at run time) one task that fails with the reason, where doit prints a traceback."""

    @functools.wraps(creator)
    def create() -> Iterator[dict[str, Any]]:
        problems, tasks = UNLISTED, []
        if not problems:
            try:
                tasks = list(creator())
            except (ActionPlanError, OSError, ValueError) as error:
                problems = [pipeline.describe(error)]
        if problems:
            messages = [f"cannot list the tasks: {problem}" for problem in problems]
            tasks = [{"name": "unlisted", "actions": [(state.refuse, [messages])]}]
        yield from tasks

    return create


def _task(
    name: str,
    action: tuple[Callable[..., bool], list[Any]],
    inputs: list[Path],
    targets: list[Path],
) -> dict[str, Any]:
    """A task that runs `action` on `inputs` into `targets`, or fails with a message, writing
    nothing, when a target lies outside build/."""
    deps, outputs = [str(p) for p in inputs], [str(p) for p in targets]
    refused = pipeline.outside_build(SETTINGS, targets)
    run = (state.refuse, [refused]) if refused else (state.run, [*action, deps, outputs])
    return {
        "name": name,
        "actions": [run],
        "file_dep": deps,
        "targets": [] if refused else outputs,
        "uptodate": [config_changed(CONFIG), state.BuiltFrom(tuple(deps))],
        "clean": [state.clean],
    }


def _build(
    action: Callable[..., bool],
    deps: Callable[[pipeline.PlanTarget], list[Path]],
    targets: Callable[[pipeline.PlanTarget], list[Path]],
    family: str,
) -> Iterator[dict[str, Any]]:
    shared = pipeline.dependencies(SETTINGS, family)
    for plan in PLANS:
        task = _task(plan.name, (action, [plan, SETTINGS]), deps(plan) + shared, targets(plan))
        yield task | {"task_dep": [f"validate:{plan.name}"]}


@_listed
def task_validate() -> Iterator[dict[str, Any]]:
    """Validate each plan's files against the schemas and the rules across files."""
    for plan in PLANS:
        action = (pipeline.validate_action, [plan])
        task = _task(plan.name, action, plan.inputs() + SCHEMAS, [])
        yield task | {"verbosity": 2, "clean": []}


@_listed
def task_json() -> Iterator[dict[str, Any]]:
    """Write plan.json, the merged plan in every language."""
    yield from _build(
        pipeline.json_action, pipeline.PlanTarget.inputs, pipeline.json_targets, "json"
    )


@_listed
def task_html() -> Iterator[dict[str, Any]]:
    """Render the action plan as HTML in each of the member's languages."""
    yield from _build(
        pipeline.html_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.html_targets,
        "html",
    )


@_listed
def task_pdf() -> Iterator[dict[str, Any]]:
    """Render the action plan as PDF/UA in each language, plan.json attached."""
    yield from _build(
        pipeline.pdf_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.pdf_targets,
        "pdf",
    )


@_listed
def task_docx() -> Iterator[dict[str, Any]]:
    """Render the action plan as DOCX in each language, styled by templates/reference.docx."""
    yield from _build(
        pipeline.docx_action,
        pipeline.PlanTarget.action_plan_inputs,
        pipeline.docx_targets,
        "docx",
    )


@_listed
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
    action: tuple[Callable[..., bool], list[Any]],
    inputs: list[Path],
    deps: list[Path],
    targets: list[Path],
) -> dict[str, Any]:
    task = _task(name, action, [*inputs, *deps], targets)
    return task | {"task_dep": [f"validate:{plan.name}"]}


@_listed
def task_progress() -> Iterator[dict[str, Any]]:
    """Render each plan's progress report (HTML, PDF, DOCX per language) once it has progress."""
    deps = pipeline.dependencies(SETTINGS, "progress")
    for plan in PLANS:
        if targets := monitoring.progress_targets(plan):
            action = (monitoring.progress_action, [plan, SETTINGS])
            inputs = monitoring.progress_inputs(plan)
            yield _monitoring_task(plan, plan.name, action, inputs, deps, targets)


@_listed
def task_assessments() -> Iterator[dict[str, Any]]:
    """Render each written assessment (HTML, PDF, DOCX per language) under assessments/."""
    for plan in PLANS:
        for doc in monitoring.assessment_documents(plan):
            action = (monitoring.assessment_action, [plan, SETTINGS, doc.name])
            deps = pipeline.dependencies(SETTINGS, doc.kind)
            targets = monitoring.assessment_targets(plan, doc)
            name = f"{plan.name}/{doc.name}"
            yield _monitoring_task(plan, name, action, list(doc.inputs), deps, targets)


def task_diff() -> dict[str, Any]:
    """Diff every plan against a git revision (--rev, default HEAD) into build/diff/."""
    from actionplan.diff import tasks as diff_tasks

    plans = [(plan.member_dir, plan.cycle_dir) for plan in PLANS]
    return diff_tasks.task(SETTINGS.root, plans, SETTINGS.templates)
