"""The HTML people read is valid: the Nu HTML checker (the vnu.jar of the npm package vnu-jar
that tests/node/package-lock.json pins, run with Debian's Java) finds no error in any HTML
document a build writes, for every example plan and the cases in right-to-left and other
languages, in every language of the member.

The action plan's HTML is the file `actions.html_action` writes; the progress report, the
assessments and the co-creation report are the `screen` medium their actions write as `.html`.
The print stylesheet (WeasyPrint's running strings and leaders, which no browser knows) goes to
the PDF only. The page of `actionplan diff --format html` is checked from its golden files.
The checker's warnings are allowed; the test prints them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from actionplan.merge import Plan
from actionplan.pipeline import actions
from actionplan.pipeline.project import PlanTarget, Settings
from actionplan.render.cocreation import render_cocreation_report
from actionplan.render.html import render_action_plan
from actionplan.render.monitoring import render_assessment, render_progress_report
from builds import BUILD_EPOCH
from documents import shown, vnu
from helpers import ROOT, Case, build_repo, epoch_of, load_merged

TEMPLATES = ROOT / "templates"
BUILD_DATE = dt.datetime.fromtimestamp(int(BUILD_EPOCH), tz=dt.UTC).date()
CASES = ("arabic-french-member", "portuguese-english-member", "cocreation-record")


def plans(tmp: Path) -> Iterator[tuple[str, Path, dt.date]]:
    """(name, plan folder, build date) of every example plan and of the cases (built in
    `tmp`, over the base repository)."""
    for vision in sorted((ROOT / "plans").glob("*/*/vision.yaml")):
        yield f"{vision.parent.parent.name}-{vision.parent.name}", vision.parent, BUILD_DATE
    for name in CASES:
        case = Case.load(ROOT / "tests" / "cases" / "valid" / name)
        repo = build_repo(case, tmp / name)
        for vision in sorted((repo / "plans").glob("*/*/vision.yaml")):
            member = vision.parent.parent.name
            yield f"{name}-{member}-{vision.parent.name}", vision.parent, case.build_date


def documents(plan: Plan) -> Iterator[tuple[str, Callable[[str], str]]]:
    """(file stem, renderer of a language) of every monitoring document the plan has, as its
    action writes the `.html` (the `screen` medium)."""
    shown = actions.without_record(plan)
    if plan.progress:
        yield "progress-report", lambda lang: render_progress_report(shown, lang, TEMPLATES)
    if plan.inception is not None:
        yield "inception", lambda lang: render_assessment(shown, "inception", lang, TEMPLATES)
    if plan.final_summary is not None:
        yield (
            "final-summary",
            lambda lang: render_assessment(shown, "final-summary", lang, TEMPLATES),
        )
    for cid in plan.end_of_commitment:
        yield (
            f"end-of-commitment-{cid}",
            partial(end_of_commitment, shown, cid),
        )
    if any(getattr(plan, part) for part in actions.RECORD):
        document = actions.action_plan_only(plan)
        yield "co-creation-report", lambda lang: render_cocreation_report(document, lang, TEMPLATES)


def end_of_commitment(plan: Plan, cid: str, lang: str) -> str:
    return render_assessment(plan, "end-of-commitment", lang, TEMPLATES, commitment=cid)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every HTML document of every plan, in every language, in one folder."""
    out = tmp_path_factory.mktemp("html")
    files = []
    with pytest.MonkeyPatch.context() as patch:
        for name, folder, day in plans(tmp_path_factory.mktemp("cases")):
            patch.setenv("SOURCE_DATE_EPOCH", epoch_of(day))
            target = PlanTarget(folder.parent, folder, out / name)
            assert actions.html_action(target, Settings(ROOT)) is None, name
            files += sorted((out / name).glob("action-plan.*.html"))
            plan = load_merged(folder, today=day)
            for stem, render in documents(plan):
                for lang in plan.member.languages:
                    path = out / name / f"{stem}.{lang}.html"
                    path.write_text(render(lang), encoding="utf-8")
                    files.append(path)
    return files


def test_every_html_document_is_valid(built: list[Path]) -> None:
    kinds = {p.name.split(".")[0].split("-commitment-")[0] for p in built}
    assert {"action-plan", "progress-report", "inception", "final-summary"} <= kinds
    assert {"end-of", "co-creation-report"} <= kinds
    assert any(p.name.endswith(".ar.html") for p in built)
    messages = vnu(built)
    errors = [m for m in messages if m.get("type") != "info"]
    warnings = [m for m in messages if m.get("type") == "info"]
    print(f"{len(built)} documents, {len(warnings)} warnings:", *map(shown, warnings), sep="\n")
    assert errors == [], "\n".join(map(shown, errors))


def test_the_diff_page_is_valid() -> None:
    """`actionplan diff --format html`, as its golden files hold it (one of them with the
    co-creation record), is valid too."""
    pages = sorted((ROOT / "tests" / "golden" / "diff").rglob("*.html"))
    assert len(pages) >= 3
    errors = [m for m in vnu(pages) if m.get("type") != "info"]
    assert errors == [], "\n".join(map(shown, errors))


def test_the_print_rules_go_to_the_pdf_only(built: list[Path]) -> None:
    """The running strings of print.css are in the HTML WeasyPrint lays out, not in the file."""
    plan = load_merged(ROOT / "plans" / "paris" / "2024-2026", today=BUILD_DATE)
    assert "string-set" in render_action_plan(plan, "fr", TEMPLATES, for_print=True)
    for path in built:
        assert "string-set" not in path.read_text(encoding="utf-8"), path.name


def test_the_checker_sees_an_error_where_there_is_one(tmp_path: Path) -> None:
    """The checker runs and reports: the print stylesheet inlined, as the HTML file had it."""
    plan = load_merged(ROOT / "plans" / "paris" / "2024-2026", today=BUILD_DATE)
    page = tmp_path / "print.html"
    page.write_text(render_action_plan(plan, "fr", TEMPLATES, for_print=True), encoding="utf-8")
    errors = [m for m in vnu([page]) if m.get("type") == "error"]
    assert any("string" in m.get("message", "") for m in errors), errors
