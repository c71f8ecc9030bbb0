"""The progress report and the monitoring body's assessments as HTML, for screen, print and Word.

Each document is a template rendered with the action plan's helpers (`render.html.View`) plus
what it needs: the computed statuses (`plan.status`), the timeline, links to the action plan.
The `medium` decides the rest: `screen` is the HTML file; `print` adds the print stylesheet and
turns links to other files into plain references (WeasyPrint would make them absolute `file:`
links to the build machine); `word` puts the timeline in as a PNG described by the chart's own
description, since pandoc cannot convert inline SVG.
"""

from __future__ import annotations

import base64
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from babel.numbers import format_percent
from markupsafe import Markup

from actionplan.errors import RenderError
from actionplan.fsutil import write_atomic
from actionplan.merge import Plan
from actionplan.model.progress import ProgressEntry
from actionplan.render import timeline
from actionplan.render.html import View, document_view, render_template
from actionplan.render.labels import babel_locale, enum_groups
from actionplan.status import FLAGS, Completion, flags_of

PROGRESS_REPORT = "progress-report.html.j2"
ASSESSMENT_TEMPLATES = {
    "inception": "assessment-inception.html.j2",
    "end-of-commitment": "assessment-end-of-commitment.html.j2",
    "final-summary": "assessment-final-summary.html.j2",
}
DOCUMENT_TEMPLATES = (PROGRESS_REPORT, *ASSESSMENT_TEMPLATES.values())
"""Every document template besides the action plan's."""
STYLESHEET = "reports.css"
"""These documents' own styles, inlined after style.css (the action plan does without)."""

AssessmentKind = Literal["inception", "end-of-commitment", "final-summary"]
Medium = Literal["screen", "print", "word"]


@dataclass(frozen=True)
class Links:
    """Where the other documents of the plan are, seen from the one being rendered."""

    view: View
    medium: Medium
    up: str
    """"" for documents beside the action plan, "../" for those in assessments/."""

    def action_plan(self, cid: str) -> Markup:
        """A link to a commitment in the action plan; a plain reference in print."""
        number = {c.id: i for i, c in enumerate(self.view.plan.commitments, start=1)}[cid]
        if self.medium == "print":
            name = f"action-plan.{self.view.lang}.pdf"
            return Markup('<span class="plan-ref">{}</span>').format(
                self.view.label("progress_report.plan_reference", number=number, file=name)
            )
        href = f"{self.up}action-plan.{self.view.lang}.html#commitment-{cid}"
        return Markup('<a class="plan-ref" href="{}">{}</a>').format(
            href, self.view.label("progress_report.read_commitment")
        )

    def document(self, name: str, text: Markup) -> Markup:
        """A link to another HTML document of the plan (`name` without `.<lang>.html`)."""
        if self.medium == "print":
            return text
        return Markup('<a href="{}.{}.html">{}</a>').format(name, self.view.lang, text)


def _percent(view: View) -> Callable[[Completion], str]:
    locale = babel_locale(view.lang)

    def percent(completion: Completion) -> str:
        value = (completion.percent or 0) / 100
        return str(format_percent(value, locale=locale))

    return percent


def _common(view: View, medium: Medium, up: str) -> dict[str, Any]:
    return {
        "links": Links(view, medium, up),
        "percent": _percent(view),
        "flag_names": FLAGS,
        "flags_of": flags_of,
        "scales": enum_groups(),
    }


def render_document(
    view: View, template: str, templates: Path, medium: Medium, extra: dict[str, Any]
) -> str:
    """A monitoring document's HTML for `medium`, in the monitoring stylesheet (the progress
    report, the assessments, the co-creation report)."""
    return render_template(
        template,
        view,
        templates,
        for_print=medium == "print",
        extra=extra,
        stylesheets=(STYLESHEET,),
    )


def _history(plan: Plan) -> dict[str, dict[str, list[ProgressEntry]]]:
    out: dict[str, dict[str, list[ProgressEntry]]] = {}
    for c in plan.commitments:
        log = plan.progress.get(c.id)
        entries = log.entries if log is not None else []
        out[c.id] = {m.id: [e for e in entries if e.milestone == m.id] for m in c.milestones}
    return out


def _figure(drawing: timeline.Chart, medium: Medium) -> Markup:
    """The chart as inline SVG, or as a PNG whose alt text is the chart's desc: for Word, and
    for the PDF when its text needs a layout WeasyPrint's SVG text lacks (Arabic, Hebrew)."""
    if medium == "screen" or (medium == "print" and not drawing.needs_layout):
        return Markup(timeline.svg(drawing))
    from actionplan.render import raster  # Pillow: only when a DOCX is made

    data = base64.b64encode(raster.png(drawing)).decode("ascii")
    return Markup(
        '<img class="timeline-chart" src="data:image/png;base64,{}" alt="{}" title="{}">'
    ).format(data, drawing.desc, drawing.title)


def render_progress_report(
    plan: Plan, lang: str, templates: Path, medium: Medium = "screen"
) -> str:
    """The progress report of `plan` in `lang`, on the plan's build date."""
    view = document_view(plan, lang, templates)
    drawing = timeline.chart(plan, lang, view.labels)
    extra = _common(view, medium, "") | {
        "history": _history(plan),
        "chart": _figure(drawing, medium),
        "chart_bars": drawing.bars,
    }
    return render_document(view, PROGRESS_REPORT, templates, medium, extra)


def render_assessment(
    plan: Plan,
    kind: AssessmentKind,
    lang: str,
    templates: Path,
    medium: Medium = "screen",
    commitment: str | None = None,
) -> str:
    """One assessment of `plan` in `lang`: `commitment` names the end-of-commitment one."""
    view = document_view(plan, lang, templates)
    extra = _common(view, medium, "../")
    if kind == "end-of-commitment":
        if commitment is None or commitment not in plan.end_of_commitment:
            raise ValueError(f"no end-of-commitment assessment of {commitment!r}")
        extra |= {"assessment": plan.end_of_commitment[commitment], "cid": commitment}
    return render_document(view, ASSESSMENT_TEMPLATES[kind], templates, medium, extra)


def write_report_docx(
    html: str, target: Path, *, reference_doc: Path, title: str, lang: str
) -> None:
    """`render.docx`'s conversion, the pictures' descriptions tidied; written atomically."""
    from actionplan.render.docx import render_docx

    if not reference_doc.is_file():
        raise RenderError(f"cannot render the DOCX {target}: no reference document {reference_doc}")
    try:
        data = render_docx(html, reference_doc=reference_doc, title=title, lang=lang)
        write_atomic(target, tidy_docx_pictures(data))
    except (RuntimeError, OSError, zipfile.BadZipFile) as error:
        raise RenderError(f"cannot render the DOCX {target}: {error}") from error


_PICTURE_DESCR = re.compile(rb'(<pic:cNvPr\b[^>]*?\bdescr=")data:[^"]*(")')
_DOC_DESCR = re.compile(rb'<wp:docPr\b[^>]*?\bdescr="([^"]*)"')


def tidy_docx_pictures(data: bytes) -> bytes:
    """pandoc writes an image's `data:` source as the picture's description: put the alt text
    (the drawing's own description) there instead. Entries keep their order and timestamps."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as sink:
        for info in source.infolist():
            payload = source.read(info)
            if info.filename == "word/document.xml":
                payload = _fix_descriptions(payload)
            sink.writestr(info, payload, compresslevel=9)
    return out.getvalue()


def _fix_descriptions(xml: bytes) -> bytes:
    alts = _DOC_DESCR.findall(xml)
    pieces = iter(alts)

    def replace(match: re.Match[bytes]) -> bytes:
        return match.group(1) + next(pieces, b"") + match.group(2)

    return _PICTURE_DESCR.sub(replace, xml)
