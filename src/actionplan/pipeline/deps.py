"""What a document depends on besides its plan's files: doit's file_dep, found fast.

A task reruns when a schema, a template it includes, a stylesheet it inlines, a label catalogue,
a data file or the code that shapes its output changes, and only then: a change to the Lua
filter of render/docx.py rebuilds the DOCX files and nothing else. Templates are followed by a
scan of their tags (a millisecond, where Jinja2's parser takes a tenth of a second at every
`doit`).
"""

from __future__ import annotations

import re
from pathlib import Path

from actionplan.errors import RenderError
from actionplan.pipeline.project import Settings
from actionplan.render.includes import walk

PACKAGE_DIR = Path(__file__).resolve().parents[1]
FORMS_FILE = PACKAGE_DIR / "data" / "forms.yaml"
ACTION_PLAN_TEMPLATE = "action-plan.html.j2"

# Jinja2's tags that name another template, with the syntax of the default environment. Comments
# and raw blocks are cut out first; a tag whose template is not a string literal is refused.
_JINJA_SKIPPED = re.compile(r"\{#.*?#\}|\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_JINJA_REFERENCE = re.compile(r"\{%[-+]?\s*(?:extends|include|import|from)\s+(\S+)")
_JINJA_LITERAL = re.compile(r"^(?:\"([^\"]+)\"|'([^']+)')")


class UntrackedTemplate(RenderError, ValueError):
    """A template named at run time: no task could say what it depends on."""


def template_dependencies(templates: Path, name: str) -> list[Path]:
    """The template `name` and every template it extends, includes or imports, recursively:
    what `actionplan.render.html.template_dependencies` finds with Jinja2's parser, found
    with a scan of the tags. Raises UntrackedTemplate for a template named at run time."""

    def referenced(current: str) -> list[str]:
        source = _JINJA_SKIPPED.sub("", (templates / current).read_text(encoding="utf-8"))
        names = []
        for argument in _JINJA_REFERENCE.findall(source):
            literal = _JINJA_LITERAL.match(argument)
            if literal is None:
                message = f"{current}: a template named at run time cannot be tracked"
                raise UntrackedTemplate(message)
            names.append(literal.group(1) or literal.group(2))
        return names

    return [templates / item for item in walk(name, referenced)]


TEMPLATES = {
    "action-plan": ACTION_PLAN_TEMPLATE,
    "progress": "progress-report.html.j2",
    "inception": "assessment-inception.html.j2",
    "end-of-commitment": "assessment-end-of-commitment.html.j2",
    "final-summary": "assessment-final-summary.html.j2",
    "cocreation": "co-creation-report.html.j2",
}
"""Each document's template (as actionplan.render.html and .monitoring name them), for file_dep."""

# The modules whose code shapes each family's output, besides the data files below.
_DOCUMENT_CODE = (
    "merge.py",
    "render/html.py",
    "markdown.py",
    "render/markdown.py",
    "render/labels.py",
)
_REPORT_CODE = (
    "merge.py",
    "status.py",
    "render/html.py",
    "markdown.py",
    "render/markdown.py",
    "render/labels.py",
    "render/monitoring.py",
    "render/pdf.py",
    "render/pdfua.py",
    "render/docx.py",
    "data/docx.lua",
)
_CODE = {
    "json": ("merge.py", "status.py"),
    "html": _DOCUMENT_CODE,
    "pdf": (*_DOCUMENT_CODE, "render/pdf.py", "render/pdfua.py"),
    "docx": (*_DOCUMENT_CODE, "render/docx.py", "data/docx.lua"),
    "efiling": (
        "merge.py",
        "status.py",
        "render/efiling.py",
        "evidence.py",
        "approval.py",
        "markdown.py",
        "render/markdown.py",
        "render/labels.py",
    ),
    "progress": (*_REPORT_CODE, "render/timeline.py", "render/raster.py"),
    "inception": _REPORT_CODE,
    "end-of-commitment": _REPORT_CODE,
    "final-summary": _REPORT_CODE,
    "cocreation": (*_REPORT_CODE, "render/cocreation.py", "evidence.py", "approval.py"),
    "feeds": ("render/feeds.py", "merge.py", "status.py", "render/labels.py", "render/markdown.py"),
    "opendata": ("render/opendata.py", "merge.py", "status.py", "render/markdown.py"),
}
_MONITORING = ("progress", "inception", "end-of-commitment", "final-summary", "cocreation")


def dependencies(settings: Settings, family: str) -> list[Path]:
    """Every file besides the plan's own that the outputs of `family` (a doit family, or a
    monitoring document: `progress` or an assessment kind) depend on (doit's file_dep): the
    schemas, the templates and stylesheets they inline, the label catalogues, the data files
    and the renderer modules that shape them."""
    if family in _MONITORING:
        return _monitoring_dependencies(settings, family)
    if family == "site":
        return _site_dependencies(settings)
    files = settings.schema_files()
    templates = settings.templates
    if family in ("html", "pdf", "docx"):
        files += template_dependencies(templates, ACTION_PLAN_TEMPLATE)
    if family in ("html", "pdf"):  # inlined by render_action_plan; print.css for the PDF only
        names = ("style.css", "print.css") if family == "pdf" else ("style.css",)
        files += [p for p in (templates / n for n in names) if p.is_file()]
    if family == "docx":  # pandoc drops <style>: the reference document sets the styles
        files.append(settings.reference_docx)
    if family == "efiling":
        files.append(FORMS_FILE)
    if family not in ("json", "opendata"):
        files += settings.label_files()
    return files + [PACKAGE_DIR / name for name in _CODE.get(family, ())]


def _monitoring_dependencies(settings: Settings, document: str) -> list[Path]:
    """A monitoring document's: it is written in the three formats (reports.css, the
    reference DOCX)."""
    templates = settings.templates
    files = [*settings.schema_files(), *template_dependencies(templates, TEMPLATES[document])]
    names = ("style.css", "reports.css", "print.css")
    files += [templates / n for n in names if (templates / n).is_file()]
    files += [*settings.label_files(), settings.reference_docx]
    return files + [PACKAGE_DIR / name for name in _CODE[document]]


SITE_TEMPLATES = ("home.html.j2", "member.html.j2", "plan.html.j2", "commitment.html.j2")
SITE_RECORD_TEMPLATES = ("_record_meetings.html.j2", "_record_consultations.html.j2")
"""The co-creation report's partials a plan page shows its record with (in templates/)."""
_SITE_CODE = (
    "merge.py",
    "status.py",
    "markdown.py",
    "render/markdown.py",
    "render/labels.py",
    "render/site/__init__.py",
    "render/site/context.py",
    "render/site/pages.py",
    "render/html.py",
    "render/bidi.py",
    "render/timeline.py",
    "render/cocreation.py",
    "evidence.py",
)


def _site_dependencies(settings: Settings) -> list[Path]:
    """The site's pages': its templates and stylesheet, the catalogues, the code."""
    folder = settings.templates / "site"
    files = [*settings.schema_files(), folder / "site.css"]
    for name in SITE_TEMPLATES:
        files += template_dependencies(folder, name)
    for name in SITE_RECORD_TEMPLATES:
        files += template_dependencies(settings.templates, name)
    files += settings.label_files()
    return list(dict.fromkeys(files)) + [PACKAGE_DIR / name for name in _SITE_CODE]
