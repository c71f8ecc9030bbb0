"""Approval, filing and draft marks as the documents show them, read back from HTML, PDF, DOCX.

The draft mark is lifted only by an approval that counts (`actionplan.approval`); when the plan
has an approval that does not, the notice says why. A commitment added after the approval says
so, the filing date is on the cover, a draft assessment is marked like a draft plan, and the
inception assessment shows the member's response beside each recommendation.

The plans are the base case repository with a few lines changed. The approvals that do not
count are errors of validation, so doit would not build them: those plans are merged and
rendered in-process (merge needs valid schemas only), as the renderers would see them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import lxml.html
import pytest
from lxml.html import HtmlElement

from actionplan.merge import Plan, merge
from actionplan.pipeline import actions
from actionplan.pipeline.project import PlanTarget, Settings
from actionplan.render.docx import write_docx
from actionplan.render.html import render_action_plan
from actionplan.render.monitoring import Medium, render_assessment
from actionplan.render.pdf import write_pdf
from actionplan.validate import validate_paths
from helpers import BASE, DEFAULT_BUILD_DATE, EPOCH, ROOT, replace_in

TEMPLATES = ROOT / "templates"
SETTINGS = Settings(ROOT)
REFERENCE = TEMPLATES / "reference.docx"
CYCLE = Path("plans/sample-city/2024-2025")
NOT_FORMAL_REASON = (
    "Its approval of December 15, 2023 does not count: approved by civil society or the forum "
    "only, formal approval by the executive or the council is missing."
)
ADDED = "Added on June 1, 2024, after the plan's approval (December 15, 2023)."
ASSESSMENT_DRAFT = "This assessment is still being discussed with stakeholders."
SECOND_RECOMMENDATION = """  - en: Publish the minutes within a month.
    fr: Publier les comptes rendus dans le mois.
"""
RESPONSES = """responses:
  - recommendation: 1
    response:
      en: Papers now go out ten days before each forum meeting.
      fr: Les documents partent dix jours avant chaque réunion du forum.
    date: 2024-04-10
    commitments: [open-budget]
"""


def clean(text: str) -> str:
    """Text as a reader sees it: presentation forms folded, spaces collapsed (documents.clean,
    without importing documents.py, which merges the example plans as it loads)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _copy(dest: Path) -> Path:
    shutil.copytree(BASE / "plans", dest / "plans")
    return dest / CYCLE


def _merged(cycle: Path, day: dt.date = DEFAULT_BUILD_DATE) -> tuple[Plan, list[str]]:
    """The plan merged as the pipeline merges it, and the rules its validation reported."""
    result = validate_paths([cycle], today=day)
    (loaded,) = result.plans
    errors = [p.rule for p in result.problems if p.severity == "error"]
    return merge(loaded, today=day), errors


def _not_formal(cycle: Path) -> None:
    replace_in(cycle / "vision.yaml", "kind: executive", "kind: civil-society")


def _in_future(cycle: Path) -> None:
    replace_in(cycle / "vision.yaml", "date: 2023-12-15", "date: 2026-02-01")


def _approved_record(cycle: Path) -> None:
    """Filed, one commitment added after the approval, a draft inception with one response."""
    (cycle / "vision.yaml").write_text(
        (cycle / "vision.yaml").read_text(encoding="utf-8") + "submitted: 2023-12-20\n",
        encoding="utf-8",
    )
    replace_in(
        cycle / "commitments" / "open-contracts.yaml", "\nlead:", "\nadded: 2024-06-01\nlead:"
    )
    inception = cycle / "assessments" / "inception.yaml"
    replace_in(inception, "date: 2024-03-15\n", "date: 2024-03-15\nstatus: draft\n")
    text = inception.read_text(encoding="utf-8")
    inception.write_text(text + SECOND_RECOMMENDATION + RESPONSES, encoding="utf-8")


@pytest.fixture(scope="module")
def approved_cycle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cycle = _copy(tmp_path_factory.mktemp("approved"))
    _approved_record(cycle)
    return cycle


@pytest.fixture(scope="module")
def not_formal(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    cycle = _copy(tmp_path_factory.mktemp("not-formal"))
    _not_formal(cycle)
    return _merged(cycle)[0]


def _html(plan: Plan, lang: str = "en") -> HtmlElement:
    return lxml.html.document_fromstring(render_action_plan(plan, lang, TEMPLATES))


def _words(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _pdf_text(html: str, target: Path) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        write_pdf(html, target, title="test", lang="en", base_dir=ROOT)
    return _pdf_text_of(target)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return clean("\n".join([p.text for p in document.paragraphs] + cells))


# ---- the draft mark and why ------------------------------------------------------------------


def test_an_approval_without_executive_or_council_leaves_the_plan_a_draft(
    not_formal: Plan,
) -> None:
    assert not_formal.draft
    root = _html(not_formal)
    assert "is-draft" in root.body.get("class", "")
    assert root.findtext(".//title").startswith("Draft – ")
    (banner,) = root.find_class("draft-banner")
    assert _words(banner) == "Draft The action plan has not been approved yet."
    (reason,) = root.find_class("draft-reason")
    assert _words(reason) == NOT_FORMAL_REASON


def test_the_reason_is_in_the_readers_language(not_formal: Plan) -> None:
    (reason,) = _html(not_formal, "fr").find_class("draft-reason")
    assert _words(reason) == (
        "Son approbation du 15 décembre 2023 n'est pas valable : approuvé par la société civile "
        "ou le forum seulement, l'approbation formelle par l'exécutif ou le conseil manque."
    )


def test_an_approval_dated_after_the_build_is_not_yet_one(tmp_path: Path) -> None:
    cycle = _copy(tmp_path)
    _in_future(cycle)
    plan, _ = _merged(cycle)
    assert plan.draft
    (reason,) = _html(plan).find_class("draft-reason")
    assert _words(reason) == (
        "Its approval of February 1, 2026 does not count: it is dated after this document was "
        "built (January 1, 2026)."
    )
    # The same approval counts once the build date has passed it.
    later, _ = _merged(cycle, dt.date(2026, 3, 1))
    assert not later.draft and not _html(later).find_class("draft-reason")


def test_every_fault_is_given(tmp_path: Path) -> None:
    cycle = _copy(tmp_path)
    _not_formal(cycle)
    _in_future(cycle)
    vision = cycle / "vision.yaml"
    vision.write_text(vision.read_text(encoding="utf-8") + "submitted: 2025-12-20\n", "utf-8")
    plan, _ = _merged(cycle)
    (reason,) = _html(plan).find_class("draft-reason")
    assert _words(reason) == (
        "Its approval of February 1, 2026 does not count: approved by civil society or the forum "
        "only, formal approval by the executive or the council is missing; it is dated after "
        "this document was built (January 1, 2026); it is dated after the plan was filed with OGP "
        "(December 20, 2025)."
    )


def test_a_plan_without_approval_says_only_that(tmp_path: Path) -> None:
    cycle = _copy(tmp_path)
    vision = cycle / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(text[: text.index("approval:")], encoding="utf-8")
    plan, errors = _merged(cycle)
    assert plan.draft and errors == []
    root = _html(plan)
    assert root.find_class("draft-banner") and not root.find_class("draft-reason")


def test_invalid_approval_pdf_and_docx_carry_the_mark_and_reason(
    not_formal: Plan, tmp_path: Path
) -> None:
    pdf = _pdf_text(render_action_plan(not_formal, "en", TEMPLATES, True), tmp_path / "a.pdf")
    assert NOT_FORMAL_REASON in pdf
    # the running header repeats the notice on every page but the cover; the reason stays put
    assert pdf.count("Draft The action plan has not been approved yet.") > 3
    assert pdf.count(NOT_FORMAL_REASON) == 1
    target = tmp_path / "a.docx"
    html = render_action_plan(not_formal, "en", TEMPLATES)
    write_docx(html, target, reference_doc=REFERENCE, title="test", lang="en")
    text = _docx_text(target)
    assert "The action plan has not been approved yet." in text
    assert NOT_FORMAL_REASON in text


def test_the_progress_report_and_assessments_give_the_reason_too(not_formal: Plan) -> None:
    for kind in ("inception", "final-summary"):
        root = lxml.html.document_fromstring(render_assessment(not_formal, kind, "en", TEMPLATES))
        assert [_words(r) for r in root.find_class("draft-reason")] == [NOT_FORMAL_REASON]


# ---- a valid approval, a filing date, an added commitment ---------------------------------


@pytest.fixture(scope="module")
def built(approved_cycle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The approved plan's action plan and inception assessment, built by the doit actions."""
    out = tmp_path_factory.mktemp("build")
    target = PlanTarget(approved_cycle.parent, approved_cycle, out)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for action in (actions.html_action, actions.pdf_action, actions.docx_action):
            _succeeded(action(target, SETTINGS))
        _succeeded(actions.assessment_action(target, SETTINGS, "inception"))
    return out


def _succeeded(outcome: object) -> None:
    """A doit action wrote its targets (it returns doit's TaskFailed when it did not)."""
    assert outcome is None or outcome is True, outcome


def test_the_approved_record_is_valid(approved_cycle: Path) -> None:
    plan, errors = _merged(approved_cycle)
    assert errors == [] and not plan.draft


def test_a_valid_approval_lifts_the_draft_mark(built: Path) -> None:
    root = lxml.html.document_fromstring((built / "action-plan.en.html").read_bytes())
    assert not root.find_class("draft-banner") and not root.find_class("draft-reason")
    assert "is-draft" not in root.body.get("class", "")
    pdf = _pdf_text_of(built / "action-plan.en.pdf")
    assert "Draft" not in pdf and "not been approved" not in pdf
    assert "not been approved" not in _docx_text(built / "action-plan.en.docx")


def test_the_filing_date_is_on_the_cover(built: Path) -> None:
    root = lxml.html.document_fromstring((built / "action-plan.en.html").read_bytes())
    (cover,) = root.find_class("cover-submitted")
    assert _words(cover) == "Filed with OGP on December 20, 2023."
    assert cover.getparent().get("id") == "cover"
    assert "Filed with OGP on December 20, 2023." in _pdf_text_of(built / "action-plan.en.pdf", 1)
    assert "Déposé auprès du PGO le 20 décembre 2023." in _docx_text(built / "action-plan.fr.docx")


def test_a_commitment_added_after_the_approval_says_so(built: Path) -> None:
    root = lxml.html.document_fromstring((built / "action-plan.en.html").read_bytes())
    summary = root.find_class("summary-table")[0]
    notes = [_words(n) for n in summary.find_class("added-note")]
    assert notes == [ADDED]  # one commitment added, in its row of the summary
    (row,) = [r for r in summary.iter("tr") if r.find_class("added-note")]
    assert row.xpath(".//a/@href") == ["#commitment-open-contracts"]
    section = root.get_element_by_id("commitment-open-contracts")
    assert [_words(n) for n in section.find_class("added-note")] == [ADDED]
    pdf = _pdf_text_of(built / "action-plan.en.pdf")
    assert pdf.count(ADDED) == 2
    assert _docx_text(built / "action-plan.en.docx").count(ADDED) == 2
    french = _docx_text(built / "action-plan.fr.docx")
    assert "Ajouté le 1 juin 2024, après l'approbation du plan (15 décembre 2023)." in french


def test_a_commitment_added_before_the_approval_gives_its_date_only(
    approved_cycle: Path, tmp_path: Path
) -> None:
    shutil.copytree(approved_cycle.parent.parent, tmp_path / "plans")
    cycle = tmp_path / "plans" / "sample-city" / "2024-2025"
    replace_in(
        cycle / "commitments" / "open-contracts.yaml", "added: 2024-06-01", "added: 2023-12-01"
    )
    plan, _ = _merged(cycle)
    notes = [_words(n) for n in _html(plan).find_class("added-note")]
    assert notes == ["Added to the plan on December 1, 2023."] * 2


# ---- assessments: draft status and the member's responses ---------------------------------


def _pdf_text_of(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return clean(result.stdout)


def test_a_draft_assessment_is_marked_in_every_format(built: Path) -> None:
    stem = built / "assessments" / "inception.en"
    root = lxml.html.document_fromstring(stem.with_suffix(".en.html").read_bytes())
    assert root.findtext(".//title").startswith("Draft – Inception assessment")
    assert "is-draft" in root.body.get("class", "")
    (banner,) = root.find_class("draft-banner")
    assert _words(banner) == f"Draft {ASSESSMENT_DRAFT}"
    assert banner.getparent().tag == "header"
    pdf = _pdf_text_of(stem.with_suffix(".en.pdf"))
    assert ASSESSMENT_DRAFT in pdf
    assert pdf.count(f"Draft {ASSESSMENT_DRAFT}") >= 1
    assert ASSESSMENT_DRAFT in _docx_text(stem.with_suffix(".en.docx"))
    french = _docx_text(built / "assessments" / "inception.fr.docx")
    assert "Cette évaluation est encore en discussion avec les parties prenantes." in french


def test_a_final_assessment_of_an_approved_plan_has_no_mark(approved_cycle: Path) -> None:
    plan, _ = _merged(approved_cycle)
    for kind in ("final-summary", "end-of-commitment"):
        html = render_assessment(plan, kind, "en", TEMPLATES, commitment="open-budget")
        root = lxml.html.document_fromstring(html)
        assert not root.find_class("draft-banner") and "Draft" not in root.findtext(".//title")


def test_responses_stand_beside_their_recommendations(built: Path) -> None:
    path = built / "assessments" / "inception.en.html"
    root = lxml.html.document_fromstring(path.read_bytes())
    rows = root.xpath("//section[@id='recommendations']//table/tbody/tr")
    cells = [[_words(c) for c in row.xpath("./th|./td")] for row in rows]
    assert cells == [
        [
            "1",
            "Send papers a week before meetings.",
            "Response of April 10, 2024 Papers now go out ten days before each forum meeting. "
            "Carried by: Commitment 1: Open budget",
        ],
        ["2", "Publish the minutes within a month.", "No response yet."],
    ]
    pdf = _pdf_text_of(built / "assessments" / "inception.en.pdf")
    for text in ("Papers now go out ten days before each forum meeting.", "No response yet."):
        assert text in pdf
    french = _docx_text(built / "assessments" / "inception.fr.docx")
    assert "Les documents partent dix jours avant chaque réunion du forum." in french
    assert "Pas encore de réponse." in french


def test_the_annex_shows_responses_and_the_draft_status(approved_cycle: Path) -> None:
    plan, _ = _merged(approved_cycle)
    annex = _html(plan).get_element_by_id("inception")
    assert "No response yet." in _words(annex)
    assert "Papers now go out ten days before each forum meeting." in _words(annex)
    assert ASSESSMENT_DRAFT in _words(annex)


@pytest.mark.parametrize("medium", ["screen", "print", "word"])
def test_a_response_to_a_missing_recommendation_is_not_lost(
    approved_cycle: Path, medium: Medium
) -> None:
    plan, _ = _merged(approved_cycle)
    assert plan.inception is not None and plan.inception.responses is not None
    stray = plan.inception.responses[0].model_copy(update={"recommendation": 5})
    inception = plan.inception.model_copy(update={"responses": [stray]})
    html = render_assessment(
        plan.model_copy(update={"inception": inception}), "inception", "en", TEMPLATES, medium
    )
    rows = lxml.html.document_fromstring(html).xpath("//section[@id='recommendations']//tbody/tr")
    assert [_words(r.xpath("./th")[0]) for r in rows] == ["1", "2", "5"]
    assert "Papers now go out ten days" in _words(rows[2])
