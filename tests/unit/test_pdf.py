"""The PDF renderer: real files, read back with pdftotext, pdffonts and pypdf (no mocks).

The sample HTML carries the markup `templates/print.css` expects (cover, nav, commitments, a
long table, a draft banner) and the stylesheet inlined, as the HTML renderer does for print.
Only structure is checked, never bytes across machines.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from actionplan.errors import RenderError
from actionplan.merge import plan_json
from actionplan.render.html import render_action_plan
from actionplan.render.pdf import OfflineFetcher, write_pdf
from documents import A4_BODY, REAL_IDS, REAL_PLANS, clean, missing_fields, recording_listener
from helpers import ROOT, load_merged

PRINT_CSS = (ROOT / "templates" / "print.css").read_text(encoding="utf-8")
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
PLAN_JSON = '{"member": "paris", "title": "Καλημέρα"}'.encode()
LATIN = "The city publishes its budget every quarter"
GREEK = "Καλημέρα κόσμε"
ARABIC = "مرحبا بالعالم"
MEMBER = "Ville de Paris"
TITLE = "Open Paris action plan"
DRAFT = "Draft: not yet approved"


def sample_html(*, extra_head: str = "", extra_body: str = "", draft: bool = True) -> str:
    rows = "".join(
        f'<tr><td>{i}</td><th scope="row">Milestone {i}</th><td>2024-01-{i % 28 + 1:02d}</td></tr>'
        for i in range(1, 46)
    )
    commitments = "".join(
        f'<section class="commitment" id="commitment-{n}"><h2>Commitment {n}: open budget {n}</h2>'
        f"<h3>Problem</h3><p>{LATIN} (commitment {n}).</p><p>{GREEK} {n}.</p>"
        f'<div class="prose" lang="ar" dir="rtl"><p>{ARABIC} {n}</p></div>'
        "<ul><li>First step</li><li>Second step</li></ul></section>"
        for n in (1, 2)
    )
    banner = f'<p class="draft-banner" role="note">{DRAFT}</p>' if draft else ""
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8"><title>{TITLE}</title>
<style>{PRINT_CSS}</style>{extra_head}</head>
<body class="action-plan{" is-draft" if draft else ""}">
<header class="cover" id="cover"><p class="cover-member">{MEMBER}</p>
<h1 class="cover-title" id="title">{TITLE}</h1>{banner}</header>
<nav class="toc" aria-labelledby="contents-heading"><h2 id="contents-heading">Contents</h2><ol>
<li><a href="#vision">Vision</a></li><li><a href="#summary">Summary</a><ol>
<li><a href="#commitment-1">Commitment 1</a></li><li><a href="#commitment-2">Commitment 2</a></li>
</ol></li></ol></nav>
<main id="main"><section id="vision"><h2>Vision</h2><p>{LATIN}.</p>{extra_body}</section>
<section id="summary"><h2>Summary</h2><table><caption>Milestones</caption>
<thead><tr><th scope="col">Number</th><th scope="col">Milestone title</th>
<th scope="col">Expected end</th></tr></thead><tbody>{rows}</tbody></table></section>
{commitments}</main></body></html>"""


def render(tmp_path: Path, html: str, name: str = "plan.pdf") -> Path:
    target = tmp_path / name
    attachments = [("plan.json", PLAN_JSON, "The merged plan")]
    write_pdf(html, target, title=TITLE, lang="en", attachments=attachments, base_dir=ROOT)
    return target


def pdftotext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return clean(result.stdout)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return render(tmp_path_factory.mktemp("pdf"), sample_html())


@pytest.fixture(scope="module")
def reader(pdf: Path) -> PdfReader:
    return PdfReader(pdf)


def catalog(reader: PdfReader) -> Any:
    """The document catalog, as loosely typed as PDF dictionaries are."""
    return reader.trailer["/Root"]


def attachment_spec(reader: PdfReader) -> Any:
    """The file specification of the first (only) attachment."""
    return catalog(reader)["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()


def page_of(path: Path, reader: PdfReader, needle: str) -> int:
    """The first page (1-based) whose text holds `needle`, the TOC page left out."""
    for number in range(3, len(reader.pages) + 1):
        if needle in pdftotext(path, number):
            return number
    raise AssertionError(f"{needle!r} is on no page")


def test_text_of_every_script_is_extractable(pdf: Path, reader: PdfReader) -> None:
    for text in (pdftotext(pdf), clean("".join(p.extract_text() for p in reader.pages))):
        for needle in (LATIN, GREEK, ARABIC, MEMBER, TITLE, "Milestone 45"):
            assert needle in text


def test_fonts_cover_the_scripts_and_are_embedded(pdf: Path, reader: PdfReader) -> None:
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font
                names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"Noto-Sans", "Noto-Sans-Bold", "Noto-Naskh-Arabic"} <= names
    rows = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    table = rows.stdout.splitlines()[2:]
    assert table and all(row.split()[-5] == "yes" for row in table)  # the "emb" column


def test_tagged_pdf_ua_with_language_and_title(reader: PdfReader) -> None:
    root = catalog(reader)
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == TITLE
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp
    assert f'<rdf:li xml:lang="x-default">{TITLE}</rdf:li>' in xmp
    assert reader.pdf_header.endswith("1.7")


def test_plan_json_is_attached(reader: PdfReader) -> None:
    assert reader.attachments["plan.json"] == [PLAN_JSON]
    assert attachment_spec(reader)["/Desc"] == "The merged plan"


def test_a4_pages_with_numbers_and_running_header(pdf: Path, reader: PdfReader) -> None:
    total = len(reader.pages)
    assert total >= 5
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]
    cover = pdftotext(pdf, 1)
    assert not re.search(rf"\b1 ?/ ?{total}\b", cover)
    assert cover.count(MEMBER) == 1 and cover.count(DRAFT) == 1  # no header on the cover
    for number in range(2, total + 1):
        text = pdftotext(pdf, number)
        assert re.search(rf"\b{number} ?/ ?{total}\b", text), text
        assert MEMBER in text and TITLE in text and DRAFT in text


def test_table_of_contents_has_the_page_numbers(pdf: Path, reader: PdfReader) -> None:
    toc = pdftotext(pdf, 2)
    for label, heading in (
        ("Vision", "Vision"),
        ("Summary", "Summary"),
        ("Commitment 1", "Commitment 1: open budget 1"),
        ("Commitment 2", "Commitment 2: open budget 2"),
    ):
        found = re.search(rf"{label} \.{{3,}} ?(\d+)", toc)
        assert found, toc
        assert int(found.group(1)) == page_of(pdf, reader, heading)


def test_each_commitment_starts_a_page(pdf: Path, reader: PdfReader) -> None:
    first = page_of(pdf, reader, "Commitment 1: open budget 1")
    second = page_of(pdf, reader, "Commitment 2: open budget 2")
    assert second == first + 1
    assert "Milestone 45" not in pdftotext(pdf, first)


def test_table_header_repeats_on_every_page(pdf: Path, reader: PdfReader) -> None:
    pages = [n for n in range(3, len(reader.pages) + 1) if "Milestone 4" in pdftotext(pdf, n)]
    pages += [n for n in range(3, len(reader.pages) + 1) if "Milestone 45" in pdftotext(pdf, n)]
    assert len(set(pages)) >= 2
    for number in set(pages):
        assert "Milestone title" in pdftotext(pdf, number)


def test_bookmarks_follow_the_headings(reader: PdfReader) -> None:
    def titles(items: Any) -> list[str]:
        out: list[str] = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item["/Title"]]
        return out

    assert {TITLE, "Vision", "Summary", "Commitment 2: open budget 2", "Problem"} <= set(
        titles(reader.outline)
    )


def test_same_input_same_bytes(pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = render(tmp_path, sample_html())
    assert again.read_bytes() == pdf.read_bytes()
    info = PdfReader(again).metadata
    assert info is not None
    assert info["/CreationDate"] == info["/ModDate"] == "D:20231114221320Z"


def test_without_source_date_epoch_no_dates_and_still_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render(tmp_path, sample_html(draft=False), "a.pdf")
    second = render(tmp_path, sample_html(draft=False), "b.pdf")
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    assert reader.metadata is not None and "/CreationDate" not in reader.metadata
    params = attachment_spec(reader)["/EF"]["/F"].get_object()["/Params"]
    assert "/CreationDate" not in params
    assert DRAFT not in pdftotext(first)


def test_nothing_is_fetched_from_the_network(tmp_path: Path) -> None:
    with recording_listener() as (port, received):
        head, body = hostile_markup(f"http://127.0.0.1:{port}")
        target = render(tmp_path, sample_html(extra_head=head, extra_body=body))
    assert received == []
    reader = PdfReader(target)
    assert list(reader.attachments) == ["plan.json"]
    assert "remote image" in pdftotext(target)


def hostile_markup(url: str) -> tuple[str, str]:
    """Every way HTML and CSS can ask WeasyPrint for a resource at `url`: (head, body)."""
    head = (
        f'<style>@import url("{url}/import.css");</style>'
        f'<link rel="stylesheet" href="{url}/style.css">'
        f'<link rel="attachment" href="{url}/leak.bin">'
        f"<style>@font-face {{ font-family: Remote; src: url({url}/font.woff2); }}"
        f" #vision {{ background: url({url}/bg.png); font-family: Remote, sans-serif; }}</style>"
    )
    body = (
        f'<img src="{url}/x.png" alt="remote image"><img src="file:///etc/passwd" alt="passwd">'
        f'<a rel="attachment" href="file:///etc/hostname">hostname</a>'
        f'<object data="{url}/object.svg"></object><embed src="{url}/embed.svg">'
    )
    return head, body


def test_fetcher_serves_data_and_templates_only(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = OfflineFetcher(templates)
    assert fetcher.fetch((templates / "logo.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x",
        (tmp_path / "secret.txt").as_uri(),
        (templates / ".." / "secret.txt").as_uri(),
        "file://example.org/etc/passwd",
    ):
        with pytest.raises(ValueError, match="refusing"):
            fetcher.fetch(url)


def test_failure_raises_render_error_and_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"previous")
    broken: Any = [("plan.json", "not bytes", "The merged plan")]
    with pytest.raises(RenderError) as raised:
        write_pdf(sample_html(), target, title=TITLE, lang="en", attachments=broken, base_dir=ROOT)
    assert raised.value.__cause__ is not None
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


# ---- The HTML renderer's real output, for every example plan and language -----------------


@pytest.mark.parametrize(("cycle_dir", "lang"), REAL_PLANS, ids=REAL_IDS)
def test_every_text_field_of_an_example_plan_is_in_its_pdf(
    cycle_dir: Path, lang: str, tmp_path: Path
) -> None:
    plan = load_merged(cycle_dir)
    html = render_action_plan(plan, lang, ROOT / "templates", for_print=True)
    target = tmp_path / f"action-plan.{lang}.pdf"
    attachments = [("plan.json", plan_json(plan).encode(), "The merged plan")]
    write_pdf(html, target, title="Plan", lang=lang, attachments=attachments, base_dir=ROOT)
    body = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *A4_BODY, str(target), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert missing_fields(plan, lang, body) == []
    reader = PdfReader(target)
    assert catalog(reader)["/Lang"] == lang
    assert reader.attachments["plan.json"] == [plan_json(plan).encode()]
