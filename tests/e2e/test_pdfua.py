"""The PDFs read back as a PDF/UA checker and a screen reader read them (`tests/pdfua.py`).

WeasyPrint wrote no `/Scope` on any table header cell (1,757 of them in the example plans'
23 PDFs) and no `/Lang` below the document's, so an English label in a Greek plan was read with
a Greek voice; `actionplan.render.pdfua` adds both. Small documents pin the rules; every PDF the
example plans build, and those of the Arabic, Portuguese and a Greek member, pass the check.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from weasyprint import HTML

import pdfua
from actionplan.render import pdfua as finishing
from actionplan.render.pdf import PDF_VARIANT, render_pdf
from builds import BUILD_EPOCH, copy_repository
from helpers import CASES, ROOT, Case, build_repo, epoch_of

UNSEEN = {
    "sfax": CASES / "valid" / "arabic-french-member",
    "porto-alegre": CASES / "valid" / "portuguese-english-member",
}
UNSEEN_DATE = dt.date(2026, 11, 28)
DOCUMENT_TASKS = ("html", "pdf", "progress", "assessments", "cocreation")


def page(body: str, lang: str = "el") -> str:
    head = '<meta charset="utf-8"><title>T</title>'
    return f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def rendered(body: str, lang: str = "el", **kwargs: object) -> bytes:
    return render_pdf(page(body, lang), title="T", lang=lang, base_dir=ROOT, **kwargs)  # type: ignore[arg-type]


# --- table header cells ------------------------------------------------------------------------

TABLES = """
<table><thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead>
<tbody><tr><th scope="row">r1</th><td>1</td></tr><tr><th scope="row">r2</th><td>2</td></tr></tbody>
</table>
<table><tr><th>A</th><th>B</th></tr><tr><th>r1</th><td>1</td></tr></table>
<table><tr><td>1</td><th scope="colgroup">x</th></tr><tr><td>2</td><th scope="rowgroup">y</th></tr>
</table>
"""


def scopes(data: bytes) -> list[str]:
    with pdfua.open_pdf(data) as pdf:
        return [
            str(pdfua.attribute_objects(cell)[0].get("/Scope", ""))
            for cell, _ in pdfua.elements(pdf)
            if cell.get("/S") == "/TH"
        ]


def test_every_header_cell_says_what_it_heads() -> None:
    # the HTML's scope where it has one, else the cell's place: first row, or first of its row
    assert scopes(rendered(TABLES)) == [
        *("/Column", "/Column", "/Row", "/Row"),
        *("/Column", "/Column", "/Row"),
        *("/Column", "/Row"),
    ]
    assert pdfua.problems(rendered(TABLES)) == []


def test_a_header_cell_keeps_its_table_attributes() -> None:
    with pdfua.open_pdf(rendered(TABLES)) as pdf:
        cells = [e for e, _ in pdfua.elements(pdf) if e.get("/S") in ("/TH", "/TD")]
        assert all(pdfua.attribute_objects(c)[0].O == "/Table" for c in cells)
        assert any("/Headers" in pdfua.attribute_objects(c)[0] for c in cells)


# --- each element in its own language -------------------------------------------------------------

MIXED = """
<h1>Στρατηγικό όραμα</h1>
<p lang="en">Strategic vision
<span lang="fr">vision stratégique <span lang="el">όραμα</span></span></p>
<table><thead><tr><th scope="col" lang="en">Milestone</th></tr></thead>
<tbody><tr><td>Ορόσημο</td></tr></tbody></table>
<ul><li lang="EL">ναι</li><li lang="en-GB">colour</li></ul>
"""


def test_an_element_in_another_language_carries_its_lang() -> None:
    data = rendered(MIXED)
    assert pdfua.languages(data) == Counter({"en": 2, "fr": 1, "el": 1, "en-GB": 1})
    with pdfua.open_pdf(data) as pdf:
        read_in = {str(e.S): lang for e, lang in pdfua.elements(pdf) if e.S in ("/H1", "/TH")}
    assert read_in == {"/H1": "el", "/TH": "en"}
    assert pdfua.problems(data) == []


def test_text_in_the_documents_language_carries_no_lang() -> None:
    data = rendered('<h1>Vision</h1><p lang="en">Text</p><p lang="EN">More</p>', lang="en")
    assert pdfua.languages(data) == Counter()


# --- what WeasyPrint wrote is kept, and the bytes are reproducible -------------------------------


def test_same_input_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    files = [("plan.json", b'{"id": "x"}', "the plan")]
    first = rendered(MIXED + TABLES, attachments=files)
    assert rendered(MIXED + TABLES, attachments=files) == first
    assert finishing.finish(first, lang="el") == first  # finishing twice changes nothing


def test_finishing_keeps_what_weasyprint_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    files = [("plan.json", b'{"id": "x"}', "the plan")]
    finished = rendered("<h1>Όραμα</h1>" + TABLES, attachments=files)
    document = HTML(string=page("<h1>Όραμα</h1>" + TABLES), base_url=str(ROOT)).render()
    raw = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)
    with pdfua.open_pdf(finished) as pdf, pdfua.open_pdf(raw) as before:
        assert pdf.open_metadata().get(pdfua.PDFUA_PART) == "1"
        assert pdf.open_metadata().get(pdfua.DC_TITLE) == "T"
        assert str(pdf.docinfo["/CreationDate"]) == "D:20260528202640Z"
        assert pdf.attachments["plan.json"].get_file().read_bytes() == b'{"id": "x"}'
        assert len(pdf.pages) == len(before.pages)
        assert pdf.pdf_version == before.pdf_version
        assert [o.title for o in pdf.open_outline().root] == ["Όραμα"]
        assert len(pdf.trailer.ID) == 2  # the first as WeasyPrint wrote it, the second a hash


# --- the documents the build writes ---------------------------------------------------------------


def build(repo: Path, epoch: str) -> list[Path]:
    """Every document `doit` builds in `repo` as of `epoch`; the PDFs. The code is this
    checkout's: a source file saved meanwhile fails a task ("run doit again"), so it is."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-m", "doit", *DOCUMENT_TASKS],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if "changed during the build" not in result.stdout + result.stderr:
            break
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return sorted((repo / "build").rglob("*.pdf"))


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build(copy_repository(tmp_path_factory.mktemp("pdfua") / "repo"), BUILD_EPOCH)


OBJECTIVES = (
    "Três compromissos sobre obras, orçamento participativo e resiliência climática.",
    "Τρεις δεσμεύσεις για τα δημόσια έργα, τον συμμετοχικό προϋπολογισμό και την ανθεκτικότητα.",
    "  en: Three commitments on public works, the participatory budget and climate resilience.\n",
)


def greek(case: Path) -> Path:
    """The Portuguese member as a Greek one (`el`, then `en`): its titles and objectives in
    Greek, its other `pt` texts kept but read as `el`; the objectives are left untranslated, so
    the English documents show them in Greek."""
    for path in (case / "plans").rglob("*.yaml"):
        text = path.read_text("utf-8").replace("  pt:", "  el:").replace("- pt\n", "- el\n")
        text = text.replace(
            "Plano de Ação de Governo Aberto", "Σχέδιο Δράσης Ανοικτής Διακυβέρνησης"
        )
        text = text.replace(OBJECTIVES[0], OBJECTIVES[1]).replace(OBJECTIVES[2], "")
        path.write_text(text, "utf-8")
    return case


@pytest.fixture(scope="module", params=["sfax", "porto-alegre", "greek"])
def unseen(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    name = str(request.param)
    tmp = tmp_path_factory.mktemp(name)
    case = build_repo(Case.load(UNSEEN.get(name, UNSEEN["porto-alegre"])), tmp / "case")
    if name == "greek":
        greek(case)
    return build(copy_repository(tmp / "repo", case / "plans"), epoch_of(UNSEEN_DATE))


def check(pdfs: list[Path]) -> dict[str, list[str]]:
    return {str(pdf): found for pdf in pdfs if (found := pdfua.problems(pdf))}


def html_languages(pdf: Path) -> set[str]:
    """The languages of the HTML beside `pdf` other than the document's."""
    root = lxml.html.document_fromstring(pdf.with_suffix(".html").read_bytes())
    doc = root.get("lang", "").lower()
    return {e.get("lang") for e in root.body.iter() if (e.get("lang") or doc).lower() != doc}


def test_every_pdf_of_the_examples_passes_the_check(examples: list[Path]) -> None:
    kinds = {p.name.split(".")[0] for p in examples}
    assert {"action-plan", "progress-report", "co-creation-report", "inception"} <= kinds
    assert check(examples) == {}
    cells = sum((pdfua.header_cells(p) for p in examples), Counter())
    assert cells[""] == 0 and cells["/Column"] > 500 and cells["/Row"] > 300


def test_every_pdf_speaks_the_languages_of_its_html(examples: list[Path]) -> None:
    spoken = {str(p): set(pdfua.languages(p)) for p in examples}
    assert spoken == {str(p): html_languages(p) for p in examples}
    assert any(spoken.values())  # the Paris co-creation report quotes French in English


def test_the_pdfs_of_unseen_members_pass_the_check(unseen: list[Path]) -> None:
    assert {p.name for p in unseen} >= {"action-plan.en.pdf", "progress-report.en.pdf"}
    assert check(unseen) == {}
    for pdf in unseen:
        assert set(pdfua.languages(pdf)) == html_languages(pdf), pdf.name


def test_untranslated_greek_in_an_english_pdf_is_read_as_greek(tmp_path: Path) -> None:
    case = greek(build_repo(Case.load(UNSEEN["porto-alegre"]), tmp_path / "case"))
    built = build(copy_repository(tmp_path / "repo", case / "plans"), epoch_of(UNSEEN_DATE))
    english = next(p for p in built if p.name == "action-plan.en.pdf")
    assert pdfua.languages(english)["el"] >= 1
    assert "en" not in pdfua.languages(english.with_name("action-plan.el.pdf"))
