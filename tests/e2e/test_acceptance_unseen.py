"""Regressions found by acceptance testing with members the other tests never saw: an Arabic and
French member (right to left first) and a Portuguese and English one (no Portuguese catalogue).

Their plans are the valid cases `tests/cases/valid/arabic-french-member/` and
`tests/cases/valid/portuguese-english-member/`, built on their build date (2026-11-28).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import pytest
from PIL import ImageFont, features

from actionplan.merge import Plan
from actionplan.render import efiling, monitoring, raster, timeline
from actionplan.render.html import render_action_plan
from actionplan.render.labels import load_labels
from helpers import CASES, ROOT, Case, build_repo, load_merged, run_cli

TEMPLATES = ROOT / "templates"
ARABIC = CASES / "valid" / "arabic-french-member"
PORTUGUESE = CASES / "valid" / "portuguese-english-member"
BUILD_DATE = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(Case.load(ARABIC), tmp_path_factory.mktemp("unseen") / "repo")


@pytest.fixture(scope="module")
def sfax(repo: Path) -> Plan:
    return load_merged(repo / "plans" / "sfax" / "2025-2027", BUILD_DATE)


@pytest.fixture(scope="module")
def porto_alegre(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    root = build_repo(Case.load(PORTUGUESE), tmp_path_factory.mktemp("pt") / "repo")
    return load_merged(root / "plans" / "porto-alegre" / "2026-2027", BUILD_DATE)


# --- validate and diff with `.` and paths relative to a member's or a plan's folder ----------


@pytest.mark.parametrize(
    ("where", "args"),
    [
        ("plans/sfax", []),
        ("plans/sfax", ["2025-2027"]),
        ("plans/sfax/2025-2027", []),
        ("plans/sfax/2025-2027", ["."]),
        ("plans/sfax/2025-2027/commitments", ["budget-ouvert.yaml"]),
        ("plans/sfax/2025-2027/commitments", ["../.."]),
    ],
)
def test_validate_inside_a_member_or_plan_folder(repo: Path, where: str, args: list[str]) -> None:
    # `.` has no name and `Path(".").parent` is `.`: the folder names were read as ``
    result = run_cli(["validate", *args], repo / where, BUILD_DATE)
    assert result.code == 0, result.out + result.err
    assert "valid" in result.err or result.err.startswith("0 errors, ")  # warnings: due dates


def test_a_problem_found_from_inside_a_folder_is_reported_there(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    build_repo(Case.load(ARABIC), copy)
    member = copy / "plans" / "sfax" / "member.yaml"
    member.write_text(member.read_text("utf-8").replace("id: sfax", "id: safax"), "utf-8")
    commitments = copy / "plans" / "sfax" / "2025-2027" / "commitments"
    result = run_cli(["validate", "budget-ouvert.yaml", "../../member.yaml"], commitments)
    assert result.code == 1
    assert result.lines == [
        "../../member.yaml:2:5: error [id-mismatch] id `safax` differs from the folder name "
        "`sfax`; they must be equal"
    ]


def test_diff_of_a_plan_folder_given_as_dot(repo: Path) -> None:
    result = run_cli(["diff", ".", ".", "--exit-code"], repo / "plans/sfax/2025-2027", BUILD_DATE)
    assert result.code == 0, result.err
    assert "No changes" in result.out


# --- right to left: HTML, PDF, DOCX ----------------------------------------------------------


def test_a_telephone_number_reads_left_to_right(sfax: Plan) -> None:
    html = render_action_plan(sfax, "ar", TEMPLATES)
    assert '<dd><span dir="ltr">+216 74 400 100</span></dd>' in html


def test_a_label_filled_into_a_fallback_label_stays_english(sfax: Plan) -> None:
    # "Late: 1" in a Persian report (right to left, no catalogue): "Late" is an English label,
    # not Persian text (Arabic has its own catalogue now)
    root = lxml.html.fromstring(monitoring.render_progress_report(sfax, "fa", TEMPLATES))
    words = root.xpath("//li[contains(@class, 'flag')]//span[text()='Late']")
    assert words
    for word in words:
        assert word.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["en"]
    (note,) = {n.text_content() for n in root.xpath("//*[@class='abandoned-note']")}
    assert note == "(1 abandoned, not counted)"
    # the parentheses stay inside the English span, so right to left does not flip them
    (inner,) = root.xpath("//*[@class='abandoned-note']/span[@lang='en']")[:1]
    assert inner.text_content() == note


def test_the_timeline_is_drawn_left_to_right_in_a_right_to_left_document(sfax: Plan) -> None:
    html = monitoring.render_progress_report(sfax, "ar", TEMPLATES)
    (svg,) = lxml.html.fromstring(html).xpath("//svg")
    assert svg.get("direction") == "ltr"  # else text-anchor flips and labels leave the chart


def test_an_arabic_timeline_reaches_the_pdf_as_a_laid_out_picture(
    sfax: Plan, porto_alegre: Plan
) -> None:
    # WeasyPrint draws SVG text letter by letter: Arabic came out unjoined and reversed
    arabic = timeline.chart(sfax, "ar", load_labels(TEMPLATES, "ar"))
    assert arabic.needs_layout
    printed = monitoring.render_progress_report(sfax, "ar", TEMPLATES, medium="print")
    assert '<img class="timeline-chart" src="data:image/png;base64,' in printed
    assert "<svg" not in printed
    for plan, lang in ((sfax, "fr"), (porto_alegre, "pt")):
        assert not timeline.chart(plan, lang, load_labels(TEMPLATES, lang)).needs_layout
        assert "<svg" in monitoring.render_progress_report(plan, lang, TEMPLATES, medium="print")
    assert "<svg" in monitoring.render_progress_report(sfax, "ar", TEMPLATES, medium="screen")


@pytest.mark.skipif(not features.check_feature("raqm"), reason="Pillow without libraqm")
def test_the_png_timeline_shapes_arabic() -> None:
    shaped = raster.font(22, False, complex_text=True)
    basic = raster.font(22, False)
    assert getattr(shaped, "layout_engine", None) == ImageFont.Layout.RAQM
    assert getattr(basic, "layout_engine", None) == ImageFont.Layout.BASIC
    # joined letters are narrower than the isolated forms the basic layout draws
    assert shaped.getlength("سبتمبر") < 0.7 * basic.getlength("سبتمبر")
    assert timeline.needs_layout("سبتمبر") and timeline.needs_layout("שלום")
    assert not timeline.needs_layout("Orçamento – déc. 2026 …")


def test_efiling_fragments_read_right_to_left_in_arabic(sfax: Plan) -> None:
    # Arabic has its catalogue now: questions and answers in Arabic, both right to left, beside
    # the French block (a language without a catalogue reads English words, marked `en`:
    # tests/e2e/test_efiling_fragments.py)
    vision = efiling.payloads(sfax, TEMPLATES)["commitment-budget-ouvert.html"]
    assert '<h3 lang="ar" dir="rtl">1*. عنوان الالتزام</h3>\n<div lang="ar" dir="rtl"><p>' in vision
    assert '<h3 lang="fr">1*. Titre de l&#x27;engagement</h3>\n<div lang="fr"><p>' in vision
    progress = efiling.payloads(sfax, TEMPLATES)["progress-budget-ouvert.html"]
    assert '<h3 lang="ar" dir="rtl">2*. حالة كل مرحلة</h3>\n<div lang="ar" dir="rtl">' in progress
    assert 'lang="en"' not in vision + progress


# --- messages ----------------------------------------------------------------------------------


def test_a_long_value_in_a_message_is_shortened_visibly(tmp_path: Path) -> None:
    copy = build_repo(Case.load(PORTUGUESE), tmp_path / "repo")
    log = copy / "plans/porto-alegre/2026-2027/progress/obras-abertas.yaml"
    text = log.read_text("utf-8").replace("url: https://", "url: ftp://")
    log.write_text(text, "utf-8")
    result = run_cli(["validate"], copy, BUILD_DATE)
    assert result.code == 1
    assert "is the text `ftp://prefeitura.poa.br/obras/inventari…`" in result.out
