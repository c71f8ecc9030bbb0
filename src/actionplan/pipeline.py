"""What dodo.py's tasks call: the plans to build, their honest inputs and targets, the actions.

Each action loads and validates its plan again (milliseconds) instead of passing models between
tasks, so every task stands alone under `doit -n 2` and never writes from an invalid plan.
dodo.py imports this module just to list tasks, so the renderers (WeasyPrint alone takes most of
a second to import) are imported inside the actions that use them: a no-op `doit` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan import __version__
from actionplan.fsutil import write_atomic
from actionplan.loader import load_file
from actionplan.problems import Severity
from actionplan.report import format_problems
from actionplan.validate import build_date, validate_plan
from actionplan.validate.files import PlanFiles, discover, plan_yaml_files
from actionplan.validate.plan import LoadedPlan

if TYPE_CHECKING:
    from actionplan.merge import Plan

DATA_DIR = Path(__file__).parent / "data"
FORMS_FILE = DATA_DIR / "forms.yaml"


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
        return PlanFiles(self.member_dir, self.cycle_dir)

    def inputs(self) -> list[Path]:
        """Every file of the plan: what validation and plan.json depend on."""
        return [self.member_dir / "member.yaml", *plan_yaml_files(self.cycle_dir)]

    def action_plan_inputs(self) -> list[Path]:
        """The files the action plan document is made of: not progress, not assessments."""
        commitments = self.cycle_dir / "commitments"
        found = sorted(commitments.glob("*.yaml")) if commitments.is_dir() else []
        vision = self.cycle_dir / "vision.yaml"
        return [self.member_dir / "member.yaml", *([vision] if vision.exists() else []), *found]

    def languages(self) -> list[str]:
        """The member's languages, read at task-creation time to name the targets."""
        doc, problems = load_file(self.member_dir / "member.yaml")
        langs = doc.data.get("languages") if isinstance(doc.data, dict) else None
        if problems or not isinstance(langs, list):
            return []
        return [code for code in langs if isinstance(code, str)]


def plans(settings: Settings) -> Iterator[PlanTarget]:
    if not settings.plans_dir.is_dir():
        return
    for files in discover(settings.plans_dir):
        if files.cycle_dir is not None:
            out = settings.build_dir / files.member_dir.name / files.cycle_dir.name
            yield PlanTarget(files.member_dir, files.cycle_dir, out)


def config(settings: Settings) -> dict[str, str]:
    """Settings that change outputs without changing a file: doit's config_changed."""
    return {"version": __version__, "build_date": build_date().isoformat()}


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
    files = [folder / f"{name}.{ext}" for name in names for ext in ("json", "html")]
    return [*files, folder / "manifest.json"]


def load_valid(target: PlanTarget) -> LoadedPlan | None:
    """The plan when it is valid; otherwise its problems go to stderr and None comes back."""
    plan, problems = validate_plan(target.files)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or not plan.complete:
        sys.stderr.write(format_problems(errors, "text"))
        sys.stderr.write(f"{target.name}: not built, {len(errors)} error(s)\n")
        return None
    return plan


def validate_action(target: PlanTarget) -> bool:
    """doit action: report every problem of the plan; fail on errors."""
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
        update={"progress": {}, "inception": None, "end_of_commitment": {}, "final_summary": None}
    )


def _title(plan: Plan, lang: str) -> str:
    from actionplan.merge import localized

    title, _ = localized(plan.vision.title, lang, plan.primary_language)
    return title


def json_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: write plan.json, the merged plan in every language."""
    from actionplan.merge import plan_json

    plan = merged(target)
    if plan is None:
        return False
    write_atomic(target.out_dir / "plan.json", plan_json(plan))
    return True


def html_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the action plan as HTML, one file per language."""
    from actionplan.render.html import render_action_plan

    plan = merged(target)
    if plan is None:
        return False
    document = action_plan_only(plan)
    for lang in plan.member.languages:
        html = render_action_plan(document, lang, settings.templates)
        write_atomic(target.out_dir / f"action-plan.{lang}.html", html)
    return True


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


def efiling_action(target: PlanTarget, settings: Settings) -> bool:
    """doit action: the e-filing payloads and their manifest."""
    from actionplan.render import efiling

    plan = merged(target)
    if plan is None:
        return False
    files = efiling.payloads(action_plan_only(plan), settings.templates)
    for name, text in files.items():
        write_atomic(target.out_dir / "efiling" / name, text)
    return True
