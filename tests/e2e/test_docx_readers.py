"""The DOCX as its readers open it: converted to PDF by LibreOffice Writer (`soffice
--headless`), then read back with pdftotext, words with their positions (`-bbox`) and the XML.

- Table columns are as wide as their content: no word of a table cell is broken mid-word at A4
  ("Transpar|ency" in five equal columns).
- A right-to-left document's tables run right to left (`w:bidiVisual`), its contents too, and
  text in a left-to-right language keeps its punctuation on its side ("jurisdiction?").
- Every run in another language than the document's names it (`w:lang`), and a heading's or a
  cell's language stays on that heading or cell.

Each example plan (and the unseen Arabic member) is rendered in every language once per module,
and LibreOffice converts them all in one run, with a profile of its own.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from actionplan.pipeline.actions import action_plan_only
from actionplan.render.docx import render_docx, write_docx
from actionplan.render.html import render_action_plan
from documents import clean
from helpers import ROOT, load_merged

REFERENCE = ROOT / "templates" / "reference.docx"
EPOCH = "1780000000"
SFAX = ROOT / "tests" / "cases" / "valid" / "arabic-french-member" / "plans" / "sfax" / "2025-2027"
SFAX_DAY = dt.date(2026, 11, 28)  # the case's build date
PLANS = [
    (ROOT / "plans" / "paris" / "2021-2023", dt.date(2026, 1, 1)),
    (ROOT / "plans" / "scotland" / "2023-2025", dt.date(2026, 1, 1)),
    (ROOT / "plans" / "buenos-aires" / "2026-2027", dt.date(2026, 1, 1)),
    (SFAX, SFAX_DAY),
]
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
WORD = re.compile(r"[^\W\d_]+")
ENGLISH_QUESTION = "What is the long-term vision for open government in your jurisdiction?"
ENGLISH_HEADING = "Strategic vision"
COLUMNS = ["ALPHA", "BRAVO", "CHARLIE", "DELTA"]


def converted(docx_files: list[Path], folder: Path) -> None:
    """LibreOffice's PDFs of `docx_files` beside them, with a profile of this run's own (so
    that another soffice running on the machine neither blocks nor serves the conversion)."""
    profile = (folder / "libreoffice-profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
    command += ["pdf", "--outdir", str(folder), *map(str, docx_files)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    missing = [p for p in docx_files if not p.with_suffix(".pdf").is_file()]
    assert missing == [], f"LibreOffice did not convert {missing}"


def pdf_text(pdf: Path) -> str:
    """The PDF's text line by line (`-layout`: without it, pdftotext joins a word hyphenated at
    a line's end, "multi-|acteurs", into one that the DOCX does not hold)."""
    command = ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    x_max: float
    y_min: float


def pdf_words(pdf: Path, page: int = 1) -> list[Word]:
    """The words of a page as pdftotext places them (Arabic ones in visual order)."""
    command = ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"]
    html = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html
    )
    return [Word(text, float(x0), float(x1), float(y0)) for x0, y0, x1, text in found]


def body_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def table_words(path: Path) -> Counter[str]:
    """The words of the document's table cells that a line may not break: letters only, not in
    Arabic script (pdftotext's reading of shaped Arabic is not the text's)."""
    document = docx.Document(str(path))
    cells = {cell._tc: cell.text for t in document.tables for row in t.rows for cell in row.cells}
    return Counter(w for text in cells.values() for w in WORD.findall(text) if usable(w))


def usable(word: str) -> bool:
    return len(word) >= 4 and not ARABIC_LETTER.search(word)


def document_words(path: Path) -> Counter[str]:
    """Every word of the DOCX, its paragraphs and its cells (the TOC field's text included)."""
    words: Counter[str] = Counter()
    for paragraph in body_xml(path).split("</w:p>"):
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
        words.update(w for w in WORD.findall(clean(text)) if usable(w))
    return words


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`<member>.<lang>` to the DOCX of every example plan, converted to PDF beside it."""
    folder = tmp_path_factory.mktemp("docx-readers")
    files: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for cycle_dir, day in PLANS:
            plan = action_plan_only(load_merged(cycle_dir, day))
            for lang in plan.member.languages:
                name = f"{cycle_dir.parent.name}.{lang}"
                html = render_action_plan(plan, lang, ROOT / "templates")
                files[name] = folder / f"{name}.docx"
                write_docx(html, files[name], reference_doc=REFERENCE, title=name, lang=lang)
    converted(list(files.values()), folder)
    return files


def test_no_word_of_a_table_is_broken_mid_word(built: dict[str, Path]) -> None:
    broken = {}
    for name, path in built.items():
        printed = Counter(WORD.findall(clean(pdf_text(path.with_suffix(".pdf")))))
        expected = document_words(path)
        # A word broken over two lines is missing from LibreOffice's text as often as it broke.
        short = sorted(w for w in table_words(path) if printed[w] < expected[w])
        if short:
            broken[name] = short
    assert broken == {}


def test_the_summary_table_shares_its_width_by_content(built: dict[str, Path]) -> None:
    xml = body_xml(built["paris.en"])
    summary = xml[xml.index("<w:tbl>") : xml.index("</w:tbl>")]
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', summary)]
    assert len(widths) == 5 and len(set(widths)) == 5, widths
    assert widths[0] == min(widths)  # the commitment's number
    assert '<w:tblLayout w:type="fixed"' in summary and '<w:tblW w:type="pct" w:w="5000"' in summary


def test_arabic_plan_tables_and_contents_run_right_to_left(built: dict[str, Path]) -> None:
    xml = body_xml(built["sfax.ar"])
    tables = re.findall(r"<w:tblPr>.*?</w:tblPr>", xml)
    assert tables and all("<w:bidiVisual />" in t for t in tables)
    toc = re.findall(r'<w:p><w:pPr><w:pStyle w:val="TOC\d"/>(.*?)</w:pPr>', xml)
    assert toc and all(p == "<w:bidi/>" for p in toc)
    assert "<w:bidiVisual" not in body_xml(built["sfax.fr"])


def test_arabic_plan_opens_right_aligned_in_libreoffice(built: dict[str, Path]) -> None:
    """The contents' entries end at the right margin (A4 is 595 points wide, 20 mm margins)."""
    document = docx.Document(str(built["sfax.ar"]))
    entries = [p.text for p in document.paragraphs if p.style and p.style.name == "toc 2"]
    assert entries
    first = WORD.findall(clean(entries[0]))[0]
    words = pdf_words(built["sfax.ar"].with_suffix(".pdf"))
    found = [w for w in words if folded(w.text) in (first, first[::-1])]
    assert found and all(w.x_max > 595 / 2 for w in found), (first, found)


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_same_plan_same_bytes(built: dict[str, Path], tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        plan = action_plan_only(load_merged(SFAX, SFAX_DAY))
        html = render_action_plan(plan, "ar", ROOT / "templates")
        again = tmp_path / "again.docx"
        write_docx(html, again, reference_doc=REFERENCE, title="sfax.ar", lang="ar")
    assert again.read_bytes() == built["sfax.ar"].read_bytes()


# Synthetic documents: fallback text in English inside an Arabic document, as the label
# catalogues leave it for a language they lack, whatever the example plans hold today.


def arabic_document() -> str:
    english = 'lang="en" dir="ltr"'
    cells = "".join(f"<td {english}>{name}</td>" for name in COLUMNS)
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>t</title></head><body>
<nav><h2>المحتويات</h2><ol><li><a href="#vision">الرؤية</a></li></ol></nav>
<main><section id="vision"><h2>الرؤية</h2>
<h3><span {english}>{ENGLISH_QUESTION}</span></h3>
<p>نص <span {english}>No.</span> نص</p>
<h3 {english}>{ENGLISH_HEADING}</h3>
<p>نريد مدينة مفتوحة.</p>
<table><thead><tr>{cells}</tr></thead>
<tbody><tr><td>1</td><td>٢</td><td>٣</td><td>٤</td></tr></tbody></table>
</section></main></body></html>"""


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docx-arabic")
    path = folder / "arabic.docx"
    write_docx(arabic_document(), path, reference_doc=REFERENCE, title="t", lang="ar")
    converted([path], folder)
    return path


def test_english_punctuation_stays_on_its_side(arabic: Path) -> None:
    words = [w.text for w in pdf_words(arabic.with_suffix(".pdf"))]
    assert "jurisdiction?" in words and "?jurisdiction" not in words
    assert "No." in words and ".No" not in words


def test_columns_run_right_to_left_in_libreoffice(arabic: Path) -> None:
    words = {w.text: w.x_min for w in pdf_words(arabic.with_suffix(".pdf"))}
    columns = [words[name] for name in COLUMNS]
    assert columns == sorted(columns, reverse=True)


def test_every_run_in_another_language_names_it(arabic: Path) -> None:
    document = docx.Document(str(arabic))
    languages: dict[str, set[str | None]] = {}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            tag = run._r.rPr.find(qn("w:lang")) if run._r.rPr is not None else None
            language = tag.get(qn("w:val")) if tag is not None else None
            languages.setdefault(clean(run.text).strip(), set()).add(language)
    assert languages[ENGLISH_QUESTION] == {"en"}
    assert languages[ENGLISH_HEADING] == {"en"}
    assert languages["No."] == {"en"}
    # The heading's language is the heading's: the Arabic after it is the document's.
    assert languages["نريد مدينة مفتوحة."] == {None}
    (table,) = document.tables
    for cell in table.rows[0].cells:
        (run,) = cell.paragraphs[0].runs
        assert run._r.rPr.find(qn("w:lang")).get(qn("w:val")) == "en"
        assert run._r.rPr.find(qn("w:rtl")) is None


def test_styles_name_the_document_language() -> None:
    for lang, attribute, value in (("ar", "w:bidi", "ar"), ("fr", "w:val", "fr")):
        html = arabic_document() if lang == "ar" else "<html lang='fr'><body><p>x</p></body></html>"
        data = render_docx(html, reference_doc=REFERENCE, title="t", lang=lang)
        with zipfile.ZipFile(BytesIO(data)) as archive:
            styles = archive.read("word/styles.xml").decode("utf-8")
        default = re.search(r"<w:rPrDefault>.*?<w:lang ([^>]*)/>", styles)
        assert default and f'{attribute}="{value}"' in default.group(1)
