"""What dodo.py's `progress` and `assessments` tasks call: the monitoring documents of a plan.

Like `actionplan.pipeline` (whose settings, targets and loading these reuse), inputs are honest
and outputs exist only once their data do:

- the progress report (`progress-report.<lang>.{html,pdf,docx}`) exists once the plan has a
  progress log, and reads the member, the vision, the commitments and the progress logs: a
  new progress entry rebuilds it, never the action plan;
- each assessment (`assessments/<name>.<lang>.{html,pdf,docx}`, name `inception`,
  `end-of-commitment-<id>` or `final-summary`) exists once its file does, and reads the
  member, the vision, the commitments and its own file (the final summary also reads the
  end-of-commitment assessments, whose levels of completion it lists).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan.fsutil import write_atomic
from actionplan.pipeline import PlanTarget, Settings, merged, reported

if TYPE_CHECKING:
    from actionplan.merge import Plan
    from actionplan.model.common import LocalizedText
    from actionplan.render.monitoring import AssessmentKind, Medium

FORMATS = ("html", "pdf", "docx")
ASSESSMENTS = "assessments"


def progress_files(target: PlanTarget) -> list[Path]:
    """The plan's progress logs."""
    return target.folder.progress_files()


def end_of_commitment_files(target: PlanTarget) -> list[Path]:
    return target.folder.end_of_commitment_files()


def progress_inputs(target: PlanTarget) -> list[Path]:
    """What the progress report is made of: the action plan's files and the progress logs."""
    return [*target.action_plan_inputs(), *progress_files(target)]


def progress_targets(target: PlanTarget) -> list[Path]:
    """The progress report in every language and format; nothing without a progress log."""
    if not progress_files(target):
        return []
    return [
        target.out_dir / f"progress-report.{lang}.{ext}"
        for lang in target.languages()
        for ext in FORMATS
    ]


@dataclass(frozen=True)
class AssessmentDocument:
    """One assessment document of a plan, as doit sees it."""

    name: str
    """File name stem: inception, end-of-commitment-<id> or final-summary."""
    kind: AssessmentKind
    commitment: str | None
    inputs: tuple[Path, ...]


def assessment_documents(target: PlanTarget) -> list[AssessmentDocument]:
    """The plan's assessments whose files exist, with what each reads."""
    base = tuple(target.action_plan_inputs())
    folder = target.cycle_dir / ASSESSMENTS
    ends = end_of_commitment_files(target)
    docs: list[AssessmentDocument] = []
    if (folder / "inception.yaml").is_file():
        docs.append(
            AssessmentDocument("inception", "inception", None, (*base, folder / "inception.yaml"))
        )
    for path in ends:
        docs.append(
            AssessmentDocument(
                f"end-of-commitment-{path.stem}", "end-of-commitment", path.stem, (*base, path)
            )
        )
    if (folder / "final-summary.yaml").is_file():
        final = folder / "final-summary.yaml"
        docs.append(
            AssessmentDocument("final-summary", "final-summary", None, (*base, final, *ends))
        )
    return docs


def assessment_targets(target: PlanTarget, doc: AssessmentDocument) -> list[Path]:
    folder = target.out_dir / ASSESSMENTS
    return [folder / f"{doc.name}.{lang}.{ext}" for lang in target.languages() for ext in FORMATS]


def _title(plan: Plan, lang: str, settings: Settings, key: str, subject: LocalizedText) -> str:
    """A document's title for its metadata: `<kind> – <subject>` in `lang`."""
    from actionplan.merge import localized
    from actionplan.render.labels import load_labels
    from actionplan.render.markdown import to_text

    text, _ = localized(subject, lang, plan.primary_language)
    return f"{load_labels(settings.templates, lang).text(key)} – {to_text(text)}"


def _write_formats(
    stem: Path,
    render: Callable[[Medium], str],
    settings: Settings,
    *,
    title: str,
    lang: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """`<stem>.html`, `.pdf` and `.docx` of one document in one language."""
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


@reported
def progress_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the progress report in every language, HTML, PDF (plan.json attached), DOCX."""
    from actionplan.merge import plan_json
    from actionplan.render.monitoring import render_progress_report

    plan = merged(target)
    if plan is None:
        return False
    # Only what the report reads, so that an assessment never changes its bytes.
    shown = plan.model_copy(
        update={"inception": None, "end_of_commitment": {}, "final_summary": None}
    )
    attachment = (
        "plan.json",
        plan_json(shown).encode("utf-8"),
        "The action plan with its progress logs and computed statuses (actionplan plan.json)",
    )
    for lang in plan.member.languages:
        _write_formats(
            target.out_dir / f"progress-report.{lang}",
            partial(render_progress_report, shown, lang, settings.templates),
            settings,
            title=_title(shown, lang, settings, "progress_report.kind", shown.vision.title),
            lang=lang,
            attachments=[attachment],
        )
    return True


@reported
def assessment_action(target: PlanTarget, settings: Settings, name: str) -> bool:
    """doit action: one assessment in every language, as HTML, PDF and DOCX."""
    from actionplan.render.monitoring import render_assessment

    plan = merged(target)
    if plan is None:
        return False
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
            title=_title(plan, lang, settings, key, subject),
            lang=lang,
        )
    return True
