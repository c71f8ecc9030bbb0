"""The renderers the table of families names: doit actions, one call per task.

Each action loads and validates its plan again (milliseconds) instead of passing models between
tasks, so every task stands alone under `doit -n 2` and never writes from an invalid plan. The
validator, the models and the renderers (pydantic models take a fifth of a second to build,
WeasyPrint most of a second to import) are imported inside the actions, since task creation
imports this module only to name them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeAlias

from doit.exceptions import TaskFailed

from actionplan.errors import ActionPlanError
from actionplan.fsutil import shown, write_atomic
from actionplan.pipeline.documents import ASSESSMENTS, assessment_documents
from actionplan.pipeline.project import PlanTarget, Settings

if TYPE_CHECKING:
    from actionplan.merge import Plan
    from actionplan.model.common import LocalizedText
    from actionplan.render.monitoring import Medium
    from actionplan.validate.plan import LoadedPlan

_P = ParamSpec("_P")


Outcome: TypeAlias = TaskFailed | None
"""What an action returns: None when it wrote its targets, doit's TaskFailed with the message
saying why when it did not (doit prints it under the task's name)."""


class PlanNotBuilt(ActionPlanError):
    """The plan has errors, so no document is written from it; the message lists them."""


def reported(action: Callable[_P, None]) -> Callable[_P, Outcome]:
    """A doit action whose failure to write an output (a plan with errors, a renderer that
    fails, a label missing from its catalogue, a template that does not parse, a disk that is
    full) is doit's TaskFailed with a message naming the plan, not a traceback: the task fails
    and the previous outputs stay whole (every file is written atomically)."""

    @functools.wraps(action)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> Outcome:
        try:
            action(*args, **kwargs)
        except Exception as error:  # the edge of the action: what escapes, doit prints raw
            name = args[0].name if args and isinstance(args[0], PlanTarget) else action.__name__
            return TaskFailed(f"{name}: not built: {describe(error)}")
        return None

    return run


def describe(error: Exception) -> str:
    """One line saying what went wrong: our errors and the system's as they read, a template's
    at its file and line, anything else (a bug, still a message) with its kind."""
    if isinstance(error, ActionPlanError | OSError):
        return str(error)
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if isinstance(filename, str) and isinstance(line, int):  # jinja2's TemplateSyntaxError
        return f"{shown(filename)}:{line}: {getattr(error, 'message', None) or error}"
    return f"{type(error).__name__}: {error}"


def load_valid(target: PlanTarget) -> LoadedPlan:
    """The plan, valid; PlanNotBuilt listing its errors when it is not."""
    from actionplan.problem_report import format_problems
    from actionplan.problems import Severity
    from actionplan.validate import validate_plan

    plan, problems = validate_plan(target.files)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or not plan.complete:
        listed = format_problems(errors, "text")
        raise PlanNotBuilt(f"{len(errors)} error(s)\n{listed}".rstrip("\n"))
    return plan


def validate_action(target: PlanTarget) -> Outcome:
    """doit action: report every problem of the plan (warnings too); fail on errors."""
    from actionplan.problem_report import format_problems
    from actionplan.problems import Severity
    from actionplan.validate import validate_plan

    _plan, problems = validate_plan(target.files)
    sys.stdout.write(format_problems(problems, "text"))
    errors = sum(p.severity is Severity.ERROR for p in problems)
    return TaskFailed(f"{target.name}: {errors} error(s), listed above") if errors else None


def merged(target: PlanTarget) -> Plan:
    """The merged plan; PlanNotBuilt when it has errors."""
    from actionplan.merge import merge

    return merge(load_valid(target))


def action_plan_only(plan: Plan) -> Plan:
    """The plan as the action plan document (and the co-creation report) shows it: what was
    filed and the co-creation record, without the progress logs and assessments that come
    later, so a new progress entry does not rebuild it."""
    return plan.model_copy(
        update={
            "progress": {},
            "inception": None,
            "end_of_commitment": {},
            "final_summary": None,
            "status": {},
        }
    )


RECORD = ("forum", "roadmap", "meetings", "contributions")
"""merge.RECORD_SECTIONS, spelt out: task creation imports this module, never merge's models."""


def without_record(plan: Plan) -> Plan:
    """The plan without its co-creation record, for the documents that do not show it (the
    progress report, the assessments): a new meeting changes neither their bytes nor their
    plan.json."""
    return plan.model_copy(update=dict.fromkeys(RECORD, None))


def title(plan: Plan, lang: str, subject: LocalizedText | None = None, kind: str = "") -> str:
    """A document's title as its PDF and DOCX metadata hold it, without Markdown: the plan's
    title (or `subject`'s), after `<kind> – ` when the document names its kind."""
    from actionplan.merge import localized
    from actionplan.render.markdown import to_text

    text, _ = localized(
        plan.vision.title if subject is None else subject, lang, plan.primary_language
    )
    return f"{kind} – {to_text(text)}" if kind else to_text(text)


@reported
def json_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: write plan.json, the merged plan in every language."""
    from actionplan.merge import plan_json

    plan = merged(target)
    write_atomic(target.out_dir / "plan.json", plan_json(plan))


def _each_language(
    target: PlanTarget,
    settings: Settings,
    write: Callable[[Plan, str, str], None],
    *,
    for_print: bool = True,
) -> None:
    """The action plan's HTML in each of the member's languages, handed to `write` with the
    document it shows and the language (PlanNotBuilt, nothing written, when it has errors)."""
    from actionplan.render.html import render_action_plan

    plan = merged(target)
    document = action_plan_only(plan)
    for lang in plan.member.languages:
        html = render_action_plan(document, lang, settings.templates, for_print=for_print)
        write(document, lang, html)


@reported
def html_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the action plan as HTML, one file per language, for people to read: the
    PDF's HTML without print.css, whose WeasyPrint-only rules (running strings, leaders) are
    not CSS that browsers or the Nu checker know."""

    from actionplan.render.labels import fallback_warning

    def write(_document: Plan, lang: str, html: str) -> None:
        # Said once per plan and language, by the task every language's documents go with.
        if warning := fallback_warning(settings.templates, lang):
            sys.stderr.write(f"{target.name}: warning: {warning}\n")
        write_atomic(target.out_dir / f"action-plan.{lang}.html", html)

    _each_language(target, settings, write, for_print=False)


@reported
def pdf_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the action plan as PDF/UA per language, with its plan.json attached."""
    from actionplan.merge import plan_json
    from actionplan.render.pdf import write_pdf

    def write(document: Plan, lang: str, html: str) -> None:
        attachment = (
            "plan.json",
            plan_json(document).encode("utf-8"),
            "The action plan as data (actionplan plan.json)",
        )
        write_pdf(
            html,
            target.out_dir / f"action-plan.{lang}.pdf",
            title=title(document, lang),
            lang=lang,
            attachments=[attachment],
            base_dir=settings.root,
        )

    _each_language(target, settings, write)


@reported
def docx_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the action plan as DOCX per language, styled by the reference document."""
    from actionplan.render.docx import write_docx

    def write(document: Plan, lang: str, html: str) -> None:
        write_docx(
            html,
            target.out_dir / f"action-plan.{lang}.docx",
            reference_doc=settings.reference_docx,
            title=title(document, lang),
            lang=lang,
        )

    _each_language(target, settings, write, for_print=False)


@reported
def efiling_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the e-filing payloads and their manifest."""
    from actionplan.render import efiling

    plan = merged(target)
    files = efiling.payloads(plan, settings.templates)
    folder = target.out_dir / "efiling"
    for name, text in files.items():
        write_atomic(folder / name, text)
    # A payload of a commitment that no longer exists would sit beside the manifest unlisted.
    for stale in sorted(folder.iterdir()):
        if stale.is_file() and stale.name not in files:
            stale.unlink()


def _write_formats(
    stem: Path,
    render: Callable[[Medium], str],
    settings: Settings,
    *,
    title: str,
    lang: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """`<stem>.html`, `.pdf` and `.docx` of one monitoring document in one language."""
    from actionplan.render.monitoring import write_report_docx
    from actionplan.render.pdf import write_pdf

    write_atomic(stem.with_name(f"{stem.name}.html"), render("screen"))
    pdf = stem.with_name(f"{stem.name}.pdf")
    write_pdf(
        render("print"),
        pdf,
        title=title,
        lang=lang,
        attachments=attachments,
        base_dir=settings.root,
    )
    docx = stem.with_name(f"{stem.name}.docx")
    write_report_docx(
        render("word"), docx, reference_doc=settings.reference_docx, title=title, lang=lang
    )


def _kind(settings: Settings, lang: str, key: str) -> str:
    """A document kind's name in `lang`, from the label catalogue."""
    from actionplan.render.labels import load_labels

    return load_labels(settings.templates, lang).text(key)


@reported
def progress_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the progress report in every language, HTML, PDF (plan.json attached), DOCX."""
    from actionplan.render.monitoring import render_progress_report

    # Only what the report reads, so that an assessment or a meeting never changes its bytes.
    shown = without_record(merged(target)).model_copy(
        update={"inception": None, "end_of_commitment": {}, "final_summary": None}
    )
    _report_in_every_language(
        target,
        settings,
        shown,
        ("progress-report", "progress_report.kind", render_progress_report),
        "The action plan with its progress logs and computed statuses (actionplan plan.json)",
    )


def _report_in_every_language(
    target: PlanTarget,
    settings: Settings,
    shown: Plan,
    report: tuple[str, str, Callable[..., str]],
    attached: str,
) -> None:
    """A report made of the whole plan, `<stem>.<lang>.{html,pdf,docx}` in every language, the
    plan it shows attached to its PDFs as plan.json (described as `attached`). `report` is its
    file stem, the label of its kind and its renderer `(plan, lang, templates, medium)`."""
    from actionplan.merge import plan_json

    stem, kind, render = report
    attachment = ("plan.json", plan_json(shown).encode("utf-8"), attached)
    for lang in shown.member.languages:
        _write_formats(
            target.out_dir / f"{stem}.{lang}",
            partial(render, shown, lang, settings.templates),
            settings,
            title=title(shown, lang, kind=_kind(settings, lang, kind)),
            lang=lang,
            attachments=[attachment],
        )


@reported
def assessment_action(target: PlanTarget, settings: Settings, name: str) -> None:
    """doit action: one assessment in every language, as HTML, PDF and DOCX."""
    from actionplan.render.monitoring import render_assessment

    plan = without_record(merged(target))
    doc = next(d for d in assessment_documents(target) if d.name == name)
    subject: LocalizedText = plan.vision.title
    if doc.commitment is not None:
        subject = next(c.title for c in plan.commitments if c.id == doc.commitment)
    key = f"assessment.{doc.kind.replace('-', '_')}_kind"
    for lang in plan.member.languages:

        def render(medium: Medium, lang: str = lang) -> str:
            return render_assessment(
                plan, doc.kind, lang, settings.templates, medium, commitment=doc.commitment
            )

        _write_formats(
            target.out_dir / ASSESSMENTS / f"{name}.{lang}",
            render,
            settings,
            title=title(plan, lang, subject, _kind(settings, lang, key)),
            lang=lang,
        )


@reported
def cocreation_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the co-creation report in every language, HTML, PDF (plan.json attached),
    DOCX."""
    from actionplan.render.cocreation import render_cocreation_report

    _report_in_every_language(
        target,
        settings,
        action_plan_only(merged(target)),
        ("co-creation-report", "cocreation_report.kind", render_cocreation_report),
        "The action plan with its co-creation record (actionplan plan.json)",
    )


@reported
def site_action(settings: Settings, page: str, plans: list[PlanTarget]) -> None:
    """doit action: one member's site pages and downloads, or the home page (`page` index)."""
    from actionplan.pipeline.documents import SITE_HOME
    from actionplan.render import site

    shown = [(plan, merged(plan)) for plan in plans]
    if page == SITE_HOME:
        site.write_home(settings, shown)
    else:
        site.write_member(settings, shown)


@reported
def feed_action(settings: Settings, feed: str, plans: list[PlanTarget]) -> None:
    """doit action: the Atom feed `feed`: a plan's (its name), or the network's (`network`,
    every plan's entries)."""
    from actionplan.clock import build_date
    from actionplan.pipeline.documents import NETWORK, feed_path
    from actionplan.render.feeds import network_feed, plan_feed

    if feed != NETWORK:
        (plan,) = plans
        text = plan_feed(merged(plan), settings.templates)
        write_atomic(feed_path(settings.build_dir, plan), text)
        return
    text = network_feed([merged(plan) for plan in plans], settings.templates, build_date())
    write_atomic(feed_path(settings.build_dir, None), text)


@reported
def data_action(settings: Settings, plans: list[PlanTarget]) -> None:
    """doit action: data/, every plan's commitments and milestones with their documentation;
    every plan is read before the first file is written."""
    from actionplan.pipeline.documents import DATA, SITE
    from actionplan.render.opendata import files

    written = files([merged(plan) for plan in plans])
    for name, data in written.items():
        write_atomic(settings.build_dir / SITE / DATA / name, data)
