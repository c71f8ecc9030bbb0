"""Right to left all the way, read back as a reader sees it: the Arabic case (Sfax) rendered in
Arabic, and in Persian (`fa`, a right-to-left language without a catalogue: English labels,
Arabic plan text) to see fallback text inside a right-to-left document.

Positions come from `pdftotext -bbox` (the x of each word as drawn): in a right-to-left line
what is read first stands further right.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from actionplan.merge import Plan
from actionplan.pipeline import actions
from actionplan.render.bidi import running_text
from actionplan.render.html import render_action_plan
from actionplan.render.pdf import render_pdf
from helpers import ROOT, Case, build_repo, epoch_of, load_merged

TEMPLATES = ROOT / "templates"
CASE = Case.load(ROOT / "tests" / "cases" / "valid" / "arabic-french-member")
Word = tuple[float, float, str]
"""x, y (top) and text of a word on a page."""


@pytest.fixture(scope="module")
def sfax(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The Sfax action plan as a draft (so that it has the draft notice and its header)."""
    repo = build_repo(CASE, tmp_path_factory.mktemp("sfax") / "repo")
    plan = load_merged(repo / "plans" / "sfax" / "2025-2027", today=CASE.build_date)
    return actions.action_plan_only(plan).model_copy(update={"draft": True})


@pytest.fixture(scope="module")
def pdfs(sfax: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    files = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch_of(CASE.build_date))
        for lang in ("ar", "fa"):
            html = render_action_plan(sfax, lang, TEMPLATES, for_print=True)
            files[lang] = out / f"{lang}.pdf"
            files[lang].write_bytes(render_pdf(html, title="t", lang=lang, base_dir=ROOT))
    return files


@cache
def words(pdf: Path, page: int) -> list[Word]:
    text = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', text)
    return [
        (float(x), float(y), lxml.html.fromstring(f"<i>{w}</i>").text or "") for x, y, w in found
    ]


def line_of(found: list[Word], *texts: str) -> list[Word]:
    """The words of the first line holding every one of `texts`."""
    for _, y, _ in found:
        line = [w for w in found if abs(w[1] - y) < 2]
        if all(any(w[2] == t for w in line) for t in texts):
            return line
    raise AssertionError(f"no line holds {texts}: {[w[2] for w in found]}")


def x_of(line: list[Word], text: str) -> float:
    return next(x for x, _, w in line if w == text)


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_a_date_range_reads_from_its_start_right_to_left(pdfs: dict[str, Path], lang: str) -> None:
    # The cover's period: 1 July 2025 to 30 June 2027, the start read first, so on the right.
    line = line_of(words(pdfs[lang], 1), "2025", "2027")
    assert x_of(line, "2025") > x_of(line, "2027"), line


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_a_date_range_is_an_isolate_with_its_dates_in_order(sfax: Plan, lang: str) -> None:
    page = lxml.html.document_fromstring(render_action_plan(sfax, lang, TEMPLATES))
    ranges = page.find_class("range")
    assert ranges
    for element in ranges:
        assert element.get("dir") == "rtl"
        dates = [b.text_content() for b in element.iter("bdi")]
        assert len(dates) == 2 and all(b.get("dir") == "rtl" for b in element.iter("bdi"))
    cover = page.find_class("cover-period")[0].text_content()
    assert cover.index("2025") < cover.index("2027")
    # English words between the dates of a document without a catalogue say they are English.
    connectors = [s for r in ranges for s in r.iter("span") if s.get("lang")]
    assert all(s.get("lang") == "en" for s in connectors)
    assert bool(connectors) == (lang == "fa")


def test_english_in_a_right_to_left_running_header_keeps_its_full_stop(
    pdfs: dict[str, Path],
) -> None:
    header = [w for w in words(pdfs["fa"], 3) if w[1] < 70]
    texts = [w[2] for w in header]
    assert "yet." in texts, texts
    assert not any(t.startswith(".") for t in texts), texts


def test_running_text_turns_directions_into_isolates() -> None:
    html = '<strong><span lang="en" dir="ltr">Draft</span></strong> <span dir="ltr">not yet.</span>'
    assert running_text(html) == "\u2066\u200eDraft\u200e\u2069 \u2066\u200enot yet.\u200e\u2069"
    assert running_text("<b>a &amp; b</b>\n  c<br>") == "a & b c"
    assert running_text('<span dir="rtl">نص') == "\u2067\u200fنص\u200f\u2069"


def test_a_term_stands_right_of_its_description_in_a_right_to_left_pdf(
    pdfs: dict[str, Path],
) -> None:
    # The vision's facts: "Start of the action plan period" | 1 July 2025, a row of a grid.
    line = line_of(words(pdfs["fa"], 3), "Start", "2025")
    assert x_of(line, "Start") > x_of(line, "2025"), line


def test_fallback_text_is_marked_on_the_innermost_element_holding_it(sfax: Plan) -> None:
    """Every heading's English label is a `<span lang="en" dir="ltr">` directly holding its
    text (what the PDF's structure tree takes each element's /Lang from)."""
    page = lxml.html.document_fromstring(render_action_plan(sfax, "fa", TEMPLATES))
    headings = page.xpath("//h2|//h3")
    assert headings
    for heading in headings:
        spans = heading.xpath(".//span[@lang='en']")
        assert spans, lxml.html.tostring(heading)
        assert all(s.get("dir") == "ltr" and (s.text or "").strip() for s in spans)
