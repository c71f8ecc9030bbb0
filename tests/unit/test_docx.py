"""The DOCX renderer: real files from pandoc, read back with python-docx (no mocks)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from actionplan.errors import RenderError
from actionplan.render.docx import write_docx
from actionplan.render.html import render_action_plan
from documents import REAL_IDS, REAL_PLANS, missing_fields, recording_listener
from helpers import ROOT, load_merged

REFERENCE = ROOT / "templates" / "reference.docx"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
LATIN = "The city publishes its budget every quarter"
GREEK = "Καλημέρα κόσμε"
ARABIC = "مرحبا بالعالم"
MEMBER = "Ville de Paris"
TITLE = "Open Paris action plan"
DRAFT = "Draft: not yet approved"


def sample_html(*, lang: str = "en", direction: str = "ltr", extra_body: str = "") -> str:
    """An action plan page shaped like the HTML renderer's: head, cover, nav, main."""
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<meta name="author" content="{MEMBER}"><meta name="description" content="Plan summary">
<title>Draft – {TITLE} – {MEMBER}</title>
<style>body {{ color: red; }} .cover::after {{ content: "STYLE-LEAK"; }}</style>
<script>var leak = "SCRIPT-LEAK";</script></head>
<body class="action-plan is-draft">
<header class="cover" id="cover"><p class="cover-member">{MEMBER}</p>
<h1 id="title" class="cover-title">{TITLE}</h1>
<p class="draft-banner" role="note"><strong>Draft:</strong> not yet approved</p></header>
<nav class="toc" id="contents" aria-labelledby="contents-heading">
<h2 id="contents-heading">Contents</h2><ol><li><a href="#vision">Vision</a></li>
<li><a href="#commitments">Commitments</a><ol><li><a href="#commitment-budget">Commitment 1
Open budget</a></li></ol></li></ol></nav>
<main id="main">
<section id="vision"><h2>Vision</h2><div class="prose"><p>{LATIN}, <em>openly</em>.</p>
<p>{GREEK}.</p><ul><li>First objective</li><li>Second objective</li></ul>
<ol><li>Step one</li><li>Step two</li></ol></div>
<div class="prose" lang="ar" dir="rtl"><p>{ARABIC}</p></div>{extra_body}</section>
<section id="commitments"><h2>Commitments</h2>
<table class="summary-table"><caption>Commitments at a glance</caption>
<thead><tr><th scope="col">Number</th><th scope="col">Title</th>
<th scope="col">Lead</th></tr></thead>
<tbody><tr><td>1</td><th scope="row"><a href="#commitment-budget">Open budget</a></th>
<td>Finance department</td></tr></tbody></table></section>
<section id="commitment-budget" class="commitment"><h2>Commitment 1 Open budget</h2>
<h3 id="commitment-budget-problem">Problem</h3><div class="prose"><p>Budgets are opaque.</p></div>
</section></main>
<footer class="colophon"><p>Built on 14 November 2023</p></footer></body></html>"""


def render(tmp_path: Path, html: str, name: str = "plan.docx", lang: str = "en") -> Path:
    target = tmp_path / name
    write_docx(html, target, reference_doc=REFERENCE, title=TITLE, lang=lang)
    return target


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return render(tmp_path_factory.mktemp("docx"), sample_html())


@pytest.fixture(scope="module")
def document(docx_path: Path) -> Document:
    return docx.Document(str(docx_path))


def styled(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def body_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_headings_carry_word_heading_styles(document: Document) -> None:
    assert styled(document, "Heading 1") == [TITLE]
    assert styled(document, "Heading 2") == ["Vision", "Commitments", "Commitment 1 Open budget"]
    assert styled(document, "Heading 3") == ["Problem"]


def test_text_of_every_script_and_the_cover_arrive(document: Document) -> None:
    text = "\n".join(p.text for p in document.paragraphs)
    for needle in (LATIN, GREEK, ARABIC, MEMBER, DRAFT, "Built on 14 November 2023"):
        assert needle in text


def test_lists_are_word_lists(document: Document) -> None:
    items = [p for p in document.paragraphs if p.text in {"First objective", "Step two"}]
    assert len(items) == 2
    assert all(p._p.pPr is not None and p._p.pPr.numPr is not None for p in items)


def test_table_is_an_editable_grid_with_a_header_row(document: Document) -> None:
    (table,) = document.tables
    assert table.style is not None and table.style.name == "Table"
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [["Number", "Title", "Lead"], ["1", "Open budget", "Finance department"]]
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    borders = document.styles["Table"].element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert borders is not None and borders.find(qn("w:insideH")).get(qn("w:val")) == "single"


def test_head_style_and_script_do_not_leak(docx_path: Path, document: Document) -> None:
    xml = body_xml(docx_path)
    for leak in ("STYLE-LEAK", "SCRIPT-LEAK", "color: red", "Plan summary"):
        assert leak not in xml
    assert styled(document, "Title") == [] and styled(document, "Author") == []


def test_nav_becomes_a_word_toc_field(docx_path: Path, document: Document) -> None:
    xml = body_xml(docx_path)
    assert 'TOC \\o "2-3" \\h \\z \\u' in xml and 'w:dirty="true"' in xml
    assert '<w:hyperlink w:anchor="commitment-budget"' in xml
    assert '<w:bookmarkStart w:id="' in xml and 'w:name="commitment-budget"' in xml
    assert styled(document, "TOC Heading") == ["Contents"]
    assert styled(document, "toc 2") == ["Vision", "Commitments"]
    assert styled(document, "toc 3") == ["Commitment 1 Open budget"]


def test_core_properties_and_reference_styles(document: Document) -> None:
    core = document.core_properties
    assert core.title == TITLE and core.language == "en"
    stamps = {stamp.replace(tzinfo=None) for stamp in (core.created, core.modified) if stamp}
    assert stamps == {dt.datetime(2023, 11, 14, 22, 13, 20)}
    assert document.styles["Normal"].font.name == "Noto Sans"
    heading = document.styles["Heading 1"]
    assert heading.font.name == "Noto Sans" and heading.font.bold
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:cs")) == "Noto Naskh Arabic"
    section = document.sections[0]
    size = [
        round(length.mm) if length else 0 for length in (section.page_width, section.page_height)
    ]
    assert size == [210, 297]
    assert section.left_margin is not None and round(section.left_margin.mm) == 20
    footer = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_same_input_same_bytes(
    docx_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert render(tmp_path, sample_html()).read_bytes() == docx_path.read_bytes()
    with zipfile.ZipFile(docx_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_without_source_date_epoch_no_dates_and_still_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render(tmp_path, sample_html(), "a.docx")
    second = render(tmp_path, sample_html(), "b.docx")
    assert first.read_bytes() == second.read_bytes()
    core = docx.Document(str(first)).core_properties
    assert core.created is None and core.modified is None and core.title == TITLE
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_right_to_left_document(tmp_path: Path) -> None:
    html = sample_html(lang="ar", direction="rtl")
    path = render(tmp_path, html, lang="ar")
    paragraphs = docx.Document(str(path)).paragraphs
    member = next(p for p in paragraphs if p.text == MEMBER)
    assert member._p.pPr is not None and member._p.pPr.find(qn("w:bidi")) is not None
    assert docx.Document(str(path)).core_properties.language == "ar"


def test_nothing_is_fetched_or_embedded(tmp_path: Path) -> None:
    with recording_listener() as (port, received):
        url = f"http://127.0.0.1:{port}"
        extra = (
            f'<p><img src="{url}/x.png" alt="remote image"> <img src="file:///etc/passwd" alt="pw">'
            f'</p><iframe src="{url}/frame.html"></iframe>'
        )
        path = render(tmp_path, sample_html(extra_body=extra))
    assert received == []
    with zipfile.ZipFile(path) as archive:
        assert not [name for name in archive.namelist() if name.startswith("word/media/")]
    assert "remote image" in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_failures_raise_render_error_and_keep_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    target.write_bytes(b"previous")
    not_a_docx = tmp_path / "reference.docx"
    not_a_docx.write_text("not a zip")
    with pytest.raises(RenderError) as raised:
        write_docx(sample_html(), target, reference_doc=not_a_docx, title=TITLE, lang="en")
    assert raised.value.__cause__ is not None
    with pytest.raises(RenderError, match="no reference document"):
        write_docx(
            sample_html(), target, reference_doc=tmp_path / "missing.docx", title=TITLE, lang="en"
        )
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx", "reference.docx"]


def test_committed_reference_docx_is_what_the_script_builds() -> None:
    script = ROOT / "scripts" / "make_reference_docx.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("cycle_dir", "lang"), REAL_PLANS, ids=REAL_IDS)
def test_every_text_field_of_an_example_plan_is_in_its_docx(
    cycle_dir: Path, lang: str, tmp_path: Path
) -> None:
    plan = load_merged(cycle_dir)
    html = render_action_plan(plan, lang, ROOT / "templates", for_print=True)
    target = tmp_path / f"action-plan.{lang}.docx"
    write_docx(html, target, reference_doc=REFERENCE, title="Plan", lang=lang)
    document = docx.Document(str(target))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert missing_fields(plan, lang, text) == []
    assert styled(document, "Heading 1") and styled(document, "Heading 2")
    assert document.core_properties.language == lang
