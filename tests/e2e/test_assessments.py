"""The monitoring body's assessments as documents (HTML, PDF, DOCX per language) and as e-filing
payloads: rating scales in every language, verdicts, links to the commitments they judge."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from lxml.html import HtmlElement

from actionplan.pipeline import actions
from actionplan.pipeline import documents as monitoring
from actionplan.pipeline.project import PlanTarget, Settings
from actionplan.render.efiling import payloads
from actionplan.render.html import render_action_plan
from actionplan.render.labels import enum_groups, load_labels
from actionplan.render.monitoring import ASSESSMENT_TEMPLATES, render_assessment
from documents import skeleton
from expected_status import PARIS_1, SCOTLAND
from helpers import BASE_PLAN, EPOCH, ROOT, load_merged

TEMPLATES = ROOT / "templates"
SETTINGS = Settings(ROOT)
NEW_YEAR = dt.date(2026, 1, 1)
LATER = dt.date(2026, 3, 1)  # after Scotland's final summary (2026-02-20)
CASES = {"scotland": (SCOTLAND, LATER), "paris-2021-2023": (PARIS_1, NEW_YEAR)}
EPOCHS = {NEW_YEAR: EPOCH, LATER: str(int(dt.datetime(2026, 3, 1, tzinfo=dt.UTC).timestamp()))}


def target_of(name: str, out: Path) -> PlanTarget:
    cycle = CASES[name][0]
    return PlanTarget(cycle.parent, cycle, out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every assessment of each case, built by the doit action."""
    out = {}
    for name, (_, day) in CASES.items():
        folder = tmp_path_factory.mktemp(name)
        target = target_of(name, folder)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", EPOCHS[day])
            for doc in monitoring.assessment_documents(target):
                assert actions.assessment_action(target, SETTINGS, doc.name) is None
        out[name] = folder
    return out


def html(built: dict[str, Path], name: str, stem: str, lang: str = "en") -> HtmlElement:
    path = built[name] / "assessments" / f"{stem}.{lang}.html"
    return lxml.html.document_fromstring(path.read_bytes())


def words(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_documents_exist_once_their_files_do(built: dict[str, Path]) -> None:
    scotland = monitoring.assessment_documents(target_of("scotland", built["scotland"]))
    assert [d.name for d in scotland] == [
        "inception",
        "end-of-commitment-climate-assembly-response",
        "end-of-commitment-fiscal-transparency",
        "final-summary",
    ]
    paris = monitoring.assessment_documents(target_of("paris-2021-2023", built["paris-2021-2023"]))
    assert [d.name for d in paris] == ["end-of-commitment-budget-participatif"]
    for name, docs in (("scotland", scotland), ("paris-2021-2023", paris)):
        target = target_of(name, built[name])
        for doc in docs:
            files = monitoring.assessment_targets(target, doc)
            assert files and all(p.is_file() and p.stat().st_size for p in files)
    final = scotland[-1]
    assert sum(p.parent.name == "end-of-commitment" for p in final.inputs) == 2
    assert not any(p.parent.name == "progress" for d in scotland for p in d.inputs)


def test_inception_requirements_are_a_met_partly_not_met_table(built: dict[str, Path]) -> None:
    root = html(built, "scotland", "inception")
    rows = root.xpath("//table[contains(@class, 'requirements')]/tbody/tr")
    assert len(rows) == 6
    verdicts = [row.xpath(".//span[contains(@class, 'met')]")[0] for row in rows]
    assert [v.get("class") for v in verdicts].count("met met-yes") == 4
    assert [words(v) for v in verdicts].count("Partly met") == 2
    assert "4 met, 2 partly met, 0 not met" in words(root)
    chosen = root.xpath("//section[@id='public-influence']//*[@aria-current='true']")
    assert [words(c) for c in chosen] == ["Collaborate"]
    scale = words(root.xpath("//section[@id='public-influence']//p[@class='scale']")[0])
    assert all(w in scale for w in ("Inform", "Consult", "Involve", "Collaborate", "Empower"))


@pytest.mark.parametrize(
    ("name", "stem", "lang"),
    [
        ("scotland", "inception", "en"),
        ("scotland", "end-of-commitment-fiscal-transparency", "en"),
        ("scotland", "final-summary", "en"),
        ("paris-2021-2023", "end-of-commitment-budget-participatif", "fr"),
    ],
)
def test_commitments_link_to_their_text_in_the_action_plan(
    built: dict[str, Path], name: str, stem: str, lang: str
) -> None:
    cycle, day = CASES[name]
    plan = load_merged(cycle, day)
    anchors = set(
        lxml.html.document_fromstring(render_action_plan(plan, lang, TEMPLATES)).xpath("//@id")
    )
    root = html(built, name, stem, lang)
    links = [str(h) for h in root.xpath("//a/@href") if str(h).startswith("../action-plan.")]
    assert links
    for link in links:
        file, anchor = link.split("#")
        assert file == f"../action-plan.{lang}.html" and anchor in anchors


def test_end_of_commitment_scales_and_ratings(built: dict[str, Path]) -> None:
    root = html(built, "scotland", "end-of-commitment-fiscal-transparency")
    completion = root.get_element_by_id("completion")
    assert [words(c) for c in completion.xpath(".//*[@aria-current='true']")] == ["Substantial"]
    for level in ("Not started", "Limited", "Substantial", "Complete"):
        assert level in words(completion)
    table = root.get_element_by_id("did-it-open-government")
    ratings = [words(td) for td in table.xpath(".//tbody/tr/td[1]")]
    assert ratings == ["Major", "Did not change", "Marginal"]  # transparency, accountability, …
    assert "Outstanding" in words(table) and "Worsened" in words(table)  # the scale
    assert root.xpath("//a[@href='https://www.gov.scot/budget-explorer']")
    french = html(built, "paris-2021-2023", "end-of-commitment-budget-participatif", "fr")
    assert [words(c) for c in french.xpath("//*[@aria-current='true']")] == ["Substantiel"]
    assert "Majeur" in words(french) and "Évaluation de fin d'engagement" in words(french)


def test_final_summary_lists_each_commitments_completion(built: dict[str, Path]) -> None:
    root = html(built, "scotland", "final-summary")
    rows = root.xpath("//table[contains(@class, 'commitments-completion')]/tbody/tr")
    assert len(rows) == 4
    links = root.xpath("//table//a[starts-with(@href, 'end-of-commitment-')]")
    assert {a.get("href"): words(a) for a in links} == {
        "end-of-commitment-climate-assembly-response.en.html": "Complete",
        "end-of-commitment-fiscal-transparency.en.html": "Substantial",
    }
    folder = built["scotland"] / "assessments"
    assert all((folder / a.get("href")).is_file() for a in links)
    assert words(root).count("Not assessed yet") == 2


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("inception", ["Dr Alasdair Grant", "Partly met", "Collaborate", "Substantial"]),
        ("end-of-commitment-fiscal-transparency", ["Substantial", "Major", "Did not change"]),
        ("final-summary", ["Community Land Scotland members", "Not assessed yet"]),
    ],
)
def test_pdf_and_docx_read_back(built: dict[str, Path], stem: str, expected: list[str]) -> None:
    base = built["scotland"] / "assessments" / f"{stem}.en"
    pdf = base.with_name(base.name + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    document = docx.Document(str(base.with_name(base.name + ".docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    body = "\n".join([p.text for p in document.paragraphs] + cells)
    for phrase in expected:
        assert skeleton(phrase) in skeleton(text), phrase
        assert phrase in body, phrase
    assert b"file://" not in pdf.read_bytes()
    if stem != "final-summary":
        links = [r.target_ref for r in document.part.rels.values() if r.is_external]
        assert any(link.startswith("../action-plan.en.html#commitment-") for link in links)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_scale_is_labelled_in_the_readers_language(lang: str) -> None:
    plan = load_merged(BASE_PLAN)
    labels = load_labels(TEMPLATES, lang)
    assert not labels.fallback
    shown = ""
    for kind in ASSESSMENT_TEMPLATES:
        cid = next(iter(plan.end_of_commitment)) if kind == "end-of-commitment" else None
        page = render_assessment(plan, kind, lang, TEMPLATES, commitment=cid)
        shown += words(lxml.html.document_fromstring(page))
    groups = enum_groups()
    for group in ("public_influence", "completion", "rating", "potential"):
        for value in groups[group]:
            assert labels.enum(group, value) in shown, (group, value)
    verdicts = {labels.text(f"assessment.met_{v}") for v in ("yes", "partial", "no")}
    assert len(verdicts) == 3
    for kind in ("inception", "end_of_commitment", "final_summary"):
        assert labels.text(f"assessment.{kind}_kind") in shown


def test_assessment_payloads(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCHS[LATER])
        plan = load_merged(SCOTLAND, LATER)
    files = payloads(plan, TEMPLATES)
    assert {name.rsplit(".", 1)[0] for name in files} == {
        "vision",
        "manifest",
        *(f"commitment-{c.id}" for c in plan.commitments),
        *(f"progress-{c.id}" for c in plan.commitments),
        "inception",
        "end-of-commitment-climate-assembly-response",
        "end-of-commitment-fiscal-transparency",
        "final-summary",
    }
    inception = json.loads(files["inception.json"])
    assert inception["form"] == "inception"
    assert list(inception["answers"]) == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2", "3", "4"]
    assert list(inception["unnumbered"]) == ["evaluator", "date", "status"]
    assert inception["answers"]["1.4"][0]["answer"]["met"] == "partial"
    assert inception["answers"]["2"][0]["answer"] == "collaborate"
    end = json.loads(files["end-of-commitment-fiscal-transparency.json"])
    assert end["commitment"] == "fiscal-transparency"
    assert end["answers"]["1.1"][0]["answer"] == "substantial"
    assert end["answers"]["2.2"][0]["answer"]["rating"] == "marginal"  # participation
    fragment = lxml.html.fragment_fromstring(files["inception.html"], create_parent="div")
    assert "Partially" in words(fragment) and "Collaborate" in words(fragment)
    final = json.loads(files["final-summary.json"])
    assert final["answers"]["1"][0]["answer"] == "2026-02-11"


def test_a_draft_plans_assessments_are_marked() -> None:
    plan = load_merged(BASE_PLAN).model_copy(update={"draft": True})
    page = render_assessment(plan, "inception", "es", TEMPLATES)
    root = lxml.html.document_fromstring(page)
    assert "is-draft" in root.body.classes and root.find_class("draft-banner")
    assert root.get("lang") == "es" and "Evaluación inicial" in words(root)
