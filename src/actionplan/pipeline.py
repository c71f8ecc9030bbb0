"""What dodo.py's tasks call: the plans to build, their honest inputs and targets, the actions.

Each action loads and validates its plan again (milliseconds) instead of passing models between
tasks, so every task stands alone under `doit -n 2` and never writes from an invalid plan.
dodo.py imports this module just to list tasks, so the validator, the models and the renderers
(pydantic models take a fifth of a second to build, WeasyPrint most of a second to import) are
imported inside the actions that use them, and what task creation needs (the plans, their files,
the templates they include, the build date) is found here with the standard library and
ruamel.yaml only: a no-op `doit` stays fast.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

from actionplan import __version__
from actionplan.clock import build_date
from actionplan.errors import ActionPlanError, RenderError
from actionplan.fsutil import inside, shown, write_atomic
from actionplan.layout import LANGUAGE, PlanFolder, plan_folders
from actionplan.loader import load_file

if TYPE_CHECKING:
    from actionplan.merge import Plan
    from actionplan.validate.files import PlanFiles
    from actionplan.validate.plan import LoadedPlan

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
FORMS_FILE = DATA_DIR / "forms.yaml"
ACTION_PLAN_TEMPLATE = "action-plan.html.j2"


@dataclass(frozen=True)
class Settings:
    """Where things are: everything a build reads besides the plans, and where it writes."""

    root: Path

    @property
    def plans_dir(self) -> Path:
        return self.root / "plans"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    def schema_files(self) -> list[Path]:
        return sorted(self.schemas.glob("*.schema.json"))

    @property
    def reference_docx(self) -> Path:
        return self.templates / "reference.docx"

    def label_files(self) -> list[Path]:
        return sorted((self.templates / "labels").glob("*.yaml"))


@dataclass(frozen=True)
class PlanTarget:
    """One plan (member/cycle) as doit sees it."""

    member_dir: Path
    cycle_dir: Path
    out_dir: Path

    @property
    def name(self) -> str:
        return f"{self.member_dir.name}/{self.cycle_dir.name}"

    @property
    def files(self) -> PlanFiles:
        from actionplan.validate.files import PlanFiles

        return PlanFiles(self.member_dir, self.cycle_dir)

    @property
    def folder(self) -> PlanFolder:
        return PlanFolder(self.member_dir, self.cycle_dir)

    def inputs(self) -> list[Path]:
        """Every file of the plan: what validation and plan.json depend on."""
        return self.folder.all_files()

    def action_plan_inputs(self) -> list[Path]:
        """The files the action plan document is made of: not progress, not assessments."""
        return self.folder.action_plan_files()

    def languages(self) -> list[str]:
        """The member's languages, read at task-creation time to name the targets: only the
        codes the validator accepts, since a code names files (`../..` would climb out of
        build/); a plan with another fails validation and writes nothing anyway."""
        doc, problems = load_file(self.member_dir / "member.yaml")
        langs = doc.data.get("languages") if isinstance(doc.data, dict) else None
        if problems or not isinstance(langs, list):
            return []
        codes = [code for code in langs if isinstance(code, str) and LANGUAGE.fullmatch(code)]
        return list(dict.fromkeys(codes))


def plans(settings: Settings) -> Iterator[PlanTarget]:
    """Every plan under plans/: the cycles `actionplan.validate.files.discover` finds there."""
    for folder in plan_folders(settings.plans_dir):
        out = settings.build_dir / folder.member_dir.name / folder.cycle_dir.name
        yield PlanTarget(folder.member_dir, folder.cycle_dir, out)


def outside_build(settings: Settings, targets: Iterable[Path]) -> list[str]:
    """A message for each target that lies outside build/ once links are followed (a folder
    under build/ linked elsewhere): a task with one writes nothing and `doit clean` deletes
    nothing of it."""
    return [
        f"{shown(target)}: outside build/ (it leads to {Path(target).resolve()}); not written"
        for target in targets
        if not inside(settings.build_dir, target)
    ]


def config(settings: Settings) -> dict[str, str]:
    """Settings that change outputs without changing a file: doit's config_changed."""
    return {"version": __version__, "build_date": build_date().isoformat()}


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
    with a scan of the tags (a millisecond, where parsing takes a tenth of a second, at every
    `doit`). Raises UntrackedTemplate for a template named at run time."""
    seen: dict[str, None] = {}
    pending = [name]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen[current] = None
        source = _JINJA_SKIPPED.sub("", (templates / current).read_text(encoding="utf-8"))
        referenced = []
        for argument in _JINJA_REFERENCE.findall(source):
            literal = _JINJA_LITERAL.match(argument)
            if literal is None:
                message = f"{current}: a template named at run time cannot be tracked"
                raise UntrackedTemplate(message)
            referenced.append(literal.group(1) or literal.group(2))
        pending.extend(sorted(referenced))
    return [templates / item for item in seen]


TEMPLATES = {
    "action-plan": ACTION_PLAN_TEMPLATE,
    "progress": "progress-report.html.j2",
    "inception": "assessment-inception.html.j2",
    "end-of-commitment": "assessment-end-of-commitment.html.j2",
    "final-summary": "assessment-final-summary.html.j2",
}
"""Each document's template (as actionplan.render.html and .monitoring name them), for file_dep."""

# The modules whose code shapes each family's output, besides the data files below: a change to
# the Lua filter of render/docx.py rebuilds the DOCX files, and nothing else.
_DOCUMENT_CODE = ("merge.py", "render/html.py", "render/markdown.py", "render/labels.py")
_REPORT_CODE = (
    "merge.py",
    "status.py",
    "render/html.py",
    "render/markdown.py",
    "render/labels.py",
    "render/monitoring.py",
    "render/pdf.py",
    "render/docx.py",
)
_CODE = {
    "json": ("merge.py", "status.py"),
    "html": _DOCUMENT_CODE,
    "pdf": (*_DOCUMENT_CODE, "render/pdf.py"),
    "docx": (*_DOCUMENT_CODE, "render/docx.py"),
    "efiling": (
        "merge.py",
        "status.py",
        "render/efiling.py",
        "render/markdown.py",
        "render/labels.py",
    ),
    "progress": (*_REPORT_CODE, "render/timeline.py", "render/raster.py"),
    "inception": _REPORT_CODE,
    "end-of-commitment": _REPORT_CODE,
    "final-summary": _REPORT_CODE,
}


def dependencies(settings: Settings, family: str) -> list[Path]:
    """Every file besides the plan's own that the outputs of `family` (a doit family, or a
    monitoring document: `progress` or an assessment kind) depend on (doit's file_dep): the
    schemas, the templates and stylesheets they inline, the label catalogues, the data files
    and the renderer modules that shape them."""
    if family in _MONITORING:
        return _monitoring_dependencies(settings, family)
    files = settings.schema_files()
    templates = settings.templates
    if family in ("html", "pdf", "docx"):
        files += template_dependencies(templates, ACTION_PLAN_TEMPLATE)
    if family in ("html", "pdf"):  # inlined: print.css under @media print (render_action_plan)
        files += [p for p in (templates / "style.css", templates / "print.css") if p.is_file()]
    if family == "docx":  # pandoc drops <style>: the reference document sets the styles
        files.append(settings.reference_docx)
    if family == "efiling":
        files.append(FORMS_FILE)
    if family != "json":
        files += settings.label_files()
    return files + [PACKAGE_DIR / name for name in _CODE.get(family, ())]


_MONITORING = ("progress", "inception", "end-of-commitment", "final-summary")


def _monitoring_dependencies(settings: Settings, document: str) -> list[Path]:
    """A monitoring document's: it is written in the three formats (reports.css, the
    reference DOCX)."""
    templates = settings.templates
    files = [*settings.schema_files(), *template_dependencies(templates, TEMPLATES[document])]
    names = ("style.css", "reports.css", "print.css")
    files += [templates / n for n in names if (templates / n).is_file()]
    files += [*settings.label_files(), settings.reference_docx]
    return files + [PACKAGE_DIR / name for name in _CODE[document]]


def json_targets(target: PlanTarget) -> list[Path]:
    return [target.out_dir / "plan.json"]


def html_targets(target: PlanTarget) -> list[Path]:
    return [target.out_dir / f"action-plan.{lang}.html" for lang in target.languages()]


def pdf_targets(target: PlanTarget) -> list[Path]:
    return [target.out_dir / f"action-plan.{lang}.pdf" for lang in target.languages()]


def docx_targets(target: PlanTarget) -> list[Path]:
    return [target.out_dir / f"action-plan.{lang}.docx" for lang in target.languages()]


def efiling_targets(target: PlanTarget) -> list[Path]:
    folder = target.out_dir / "efiling"
    names = ["vision"] + [
        f"commitment-{p.stem}"
        for p in target.action_plan_inputs()
        if p.parent.name == "commitments"
    ]
    names += efiling_names(target.folder)
    files = [folder / f"{name}.{ext}" for name in names for ext in ("json", "html")]
    return [*files, folder / "manifest.json"]


def efiling_names(folder: PlanFolder) -> list[str]:
    """Stems of the monitoring forms' e-filing files (`<stem>.json`, `<stem>.html`): each
    progress update, the inception assessment, each end-of-commitment one, the final summary."""
    names = [f"progress-{p.stem}" for p in folder.progress_files()]
    names += ["inception"] if folder.inception_file() else []
    names += [f"end-of-commitment-{p.stem}" for p in folder.end_of_commitment_files()]
    return names + (["final-summary"] if folder.final_summary_file() else [])


_P = ParamSpec("_P")


def reported(action: Callable[_P, bool]) -> Callable[_P, bool]:
    """A doit action whose failure to write an output (a renderer that fails, a label missing
    from its catalogue, a template that does not parse, a disk that is full) is a message naming
    the plan, not a traceback: the task fails and the previous outputs stay whole (every file is
    written atomically)."""

    @functools.wraps(action)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> bool:
        try:
            return action(*args, **kwargs)
        except Exception as error:  # the edge of the action: what escapes, doit prints raw
            name = args[0].name if args and isinstance(args[0], PlanTarget) else action.__name__
            sys.stderr.write(f"{name}: not built: {describe(error)}\n")
            return False

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


def load_valid(target: PlanTarget) -> LoadedPlan | None:
    """The plan when it is valid; otherwise its problems go to stderr and None comes back."""
    from actionplan.problem_report import format_problems
    from actionplan.problems import Severity
    from actionplan.validate import validate_plan

    plan, problems = validate_plan(target.files)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or not plan.complete:
        sys.stderr.write(format_problems(errors, "text"))
        sys.stderr.write(f"{target.name}: not built, {len(errors)} error(s)\n")
        return None
    return plan


def validate_action(target: PlanTarget) -> bool:
    """doit action: report every problem of the plan; fail on errors."""
    from actionplan.problem_report import format_problems
    from actionplan.problems import Severity
    from actionplan.validate import validate_plan

    _plan, problems = validate_plan(target.files)
    sys.stdout.write(format_problems(problems, "text"))
    return not any(p.severity is Severity.ERROR for p in problems)


def merged(target: PlanTarget) -> Plan | None:
    from actionplan.merge import merge

    loaded = load_valid(target)
    return merge(loaded) if loaded is not None else None


def action_plan_only(plan: Plan) -> Plan:
    """The plan as the action plan document shows it: what was filed, without the progress
    logs and assessments that come later, so a new progress entry does not rebuild it."""
    return plan.model_copy(
        update={
            "progress": {},
            "inception": None,
            "end_of_commitment": {},
            "final_summary": None,
            "status": {},
        }
    )


def _title(plan: Plan, lang: str) -> str:
    """The plan's title as the PDF and DOCX metadata hold it: its words, without Markdown."""
    from actionplan.merge import localized
    from actionplan.render.markdown import to_text

    title, _ = localized(plan.vision.title, lang, plan.primary_language)
    return to_text(title)


@reported
def json_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: write plan.json, the merged plan in every language."""
    from actionplan.merge import plan_json

    plan = merged(target)
    if plan is None:
        return False
    write_atomic(target.out_dir / "plan.json", plan_json(plan))
    return True


@reported
def html_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the action plan as HTML, one file per language: the very HTML the PDF is
    made of (print.css inlined under `@media print`), so a browser prints the same pages."""
    from actionplan.render.html import render_action_plan

    plan = merged(target)
    if plan is None:
        return False
    document = action_plan_only(plan)
    for lang in plan.member.languages:
        html = render_action_plan(document, lang, settings.templates, for_print=True)
        write_atomic(target.out_dir / f"action-plan.{lang}.html", html)
    return True


@reported
def pdf_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the action plan as PDF/UA per language, with its plan.json attached."""
    from actionplan.merge import plan_json
    from actionplan.render.html import render_action_plan
    from actionplan.render.pdf import write_pdf

    plan = merged(target)
    if plan is None:
        return False
    document = action_plan_only(plan)
    attachment = (
        "plan.json",
        plan_json(document).encode("utf-8"),
        "The action plan as data (actionplan plan.json)",
    )
    for lang in plan.member.languages:
        html = render_action_plan(document, lang, settings.templates, for_print=True)
        write_pdf(
            html,
            target.out_dir / f"action-plan.{lang}.pdf",
            title=_title(plan, lang),
            lang=lang,
            attachments=[attachment],
            base_dir=settings.root,
        )
    return True


@reported
def docx_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the action plan as DOCX per language, styled by the reference document."""
    from actionplan.render.docx import write_docx
    from actionplan.render.html import render_action_plan

    plan = merged(target)
    if plan is None:
        return False
    document = action_plan_only(plan)
    for lang in plan.member.languages:
        html = render_action_plan(document, lang, settings.templates)
        write_docx(
            html,
            target.out_dir / f"action-plan.{lang}.docx",
            reference_doc=settings.reference_docx,
            title=_title(plan, lang),
            lang=lang,
        )
    return True


@reported
def efiling_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the e-filing payloads and their manifest."""
    from actionplan.render import efiling

    plan = merged(target)
    if plan is None:
        return False
    files = efiling.payloads(plan, settings.templates)
    folder = target.out_dir / "efiling"
    for name, text in files.items():
        write_atomic(folder / name, text)
    # A payload of a commitment that no longer exists would sit beside the manifest unlisted.
    for stale in sorted(folder.iterdir()):
        if stale.is_file() and stale.name not in files:
            stale.unlink()
    return True
