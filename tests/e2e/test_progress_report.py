"""The progress report, built by the pipeline's action and read back in every format: HTML
(lxml), PDF (pdftotext) and DOCX (python-docx), with its timeline and its e-filing payloads."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import pytest
from lxml.html import HtmlElement

from actionplan.merge import Plan, localized, merge, plan_json
from actionplan.pipeline import actions
from actionplan.pipeline import documents as monitoring
from actionplan.pipeline.project import PlanTarget, Settings
from actionplan.render import raster, timeline
from actionplan.render.html import render_action_plan
from actionplan.render.labels import load_labels
from actionplan.render.markdown import to_text
from actionplan.render.monitoring import render_progress_report
from actionplan.status import flags_of
from actionplan.validate import validate_paths
from documents import skeleton
from expected_status import (
    FLAG_LETTERS,
    PARIS_2,
    PARIS_2024_2026,
    SCOTLAND,
    SCOTLAND_2026,
    Expected,
)
from helpers import EPOCH, GOLDEN_PLAN, ROOT, as_of, check_golden, load_merged

TEMPLATES = ROOT / "templates"
SETTINGS = Settings(ROOT)
NEW_YEAR = dt.date(2026, 1, 1)
CASES = {"scotland": (SCOTLAND, SCOTLAND_2026), "paris-2024-2026": (PARIS_2, PARIS_2024_2026)}
FLAG_WORDS = {
    "en": ("Late", "Stalled", "No update for more than four months"),
    "fr": ("En retard", "Bloqué", "Pas de mise à jour depuis plus de quatre mois"),
}


def target_of(cycle: Path, out: Path) -> PlanTarget:
    return PlanTarget(cycle.parent, cycle, out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case's output folder, built by the doit action on 2026-01-01."""
    out = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, (cycle, _) in CASES.items():
            folder = tmp_path_factory.mktemp(name)
            plan = as_of(cycle, tmp_path_factory.mktemp(f"{name}-plans"), NEW_YEAR)
            assert actions.progress_action(target_of(plan, folder), SETTINGS) is None
            out[name] = folder
    return out


def reports_of() -> Iterator[tuple[str, str]]:
    for name, (cycle, _) in CASES.items():
        for lang in load_merged(cycle, NEW_YEAR).member.languages:
            yield name, lang


REPORTS = list(reports_of())
IDS = [f"{name}/{lang}" for name, lang in REPORTS]


def expected_texts(plan: Plan, lang: str) -> list[str]:
    """What a reader must find: titles, notes, evidence, reporters (read from the plan files)."""

    def text(value: object) -> str:
        return to_text(localized(value, lang, plan.primary_language)[0])

    def blocks(value: object) -> list[str]:
        """Each paragraph or list item: a table cell's columns may interleave in pdftotext."""
        source = localized(value, lang, plan.primary_language)[0]
        parts = re.split(r"\n\s*\n|\n\s*(?:[-*+]|\d+[.)])\s+", "\n" + source)
        return [t for part in parts if (t := to_text(part))]

    found = []
    for c in plan.commitments:
        found.append(text(c.title))
        found += [text(m.title) for m in c.milestones]
        log = plan.progress.get(c.id)
        for entry in log.entries if log else []:
            found += blocks(entry.note) if entry.note is not None else []
            found += [e.title for e in entry.evidence]
            found += [entry.reported_by] if entry.reported_by else []
    return found


def missing(plan: Plan, lang: str, text: str) -> list[str]:
    body = skeleton(text)
    return [t for t in expected_texts(plan, lang) if skeleton(t) not in body]


def parse(path: Path) -> HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def flagged(expected: Expected) -> dict[tuple[str, str], set[str]]:
    return {
        (cid, mid): {FLAG_LETTERS[x] for x in letters}
        for cid, (_, milestones) in expected.items()
        for mid, (_, letters) in milestones.items()
    }


def test_every_language_and_format_is_built(built: dict[str, Path]) -> None:
    for name, _ in REPORTS:
        target = target_of(CASES[name][0], built[name])
        assert sorted(monitoring.progress_targets(target)) == sorted(
            built[name] / f"progress-report.{lang2}.{ext}"
            for lang2 in load_merged(CASES[name][0], NEW_YEAR).member.languages
            for ext in ("html", "pdf", "docx")
        )
        assert all(p.stat().st_size > 0 for p in monitoring.progress_targets(target))


@pytest.mark.parametrize(("name", "lang"), REPORTS, ids=IDS)
def test_html_shows_every_text_completion_and_flag(
    built: dict[str, Path], name: str, lang: str
) -> None:
    cycle, expected = CASES[name]
    plan = load_merged(cycle, NEW_YEAR)
    root = parse(built[name] / f"progress-report.{lang}.html")
    text = root.body.text_content()
    assert missing(plan, lang, text) == []
    assert load_labels(TEMPLATES, lang).date(NEW_YEAR) in text  # "today" is the build date
    summary = root.get_element_by_id("summary")
    for (complete, counted, _, percent), cid in zip(
        (v[0] for v in expected.values()), expected, strict=True
    ):
        row = summary.xpath(f".//tr[th/a[@href='#progress-{cid}']]")[0]
        cell = re.sub(r"[\s\u202f\u00a0]+", " ", row.text_content())
        assert re.search(rf"\b{percent} ?%", cell), (cid, cell)
        assert f"{complete}" in cell and f"{counted}" in cell
    for (cid, mid), flags in flagged(expected).items():
        (row,) = root.xpath(f"//tr[th/a[@href='#progress-{cid}-milestone-{mid}']]")
        got = {cls.removeprefix("flag-") for li in row.xpath(".//li") for cls in li.classes}
        assert got - {"flag"} == flags, (cid, mid)
    words = " ".join(root.xpath("//li[contains(@class, 'flag')]/text()"))
    for word in FLAG_WORDS[lang][:1]:
        assert word in words


@pytest.mark.parametrize(("name", "lang"), REPORTS, ids=IDS)
def test_html_timeline_is_an_svg_with_a_text_alternative(
    built: dict[str, Path], name: str, lang: str
) -> None:
    plan = load_merged(CASES[name][0], NEW_YEAR)
    root = parse(built[name] / f"progress-report.{lang}.html")
    (svg,) = root.xpath("//figure//svg")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.xpath(f"./title[@id='{title_id}']")[0].text_content().strip()
    desc = svg.xpath(f"./desc[@id='{desc_id}']")[0].text_content()
    assert load_labels(TEMPLATES, lang).date(NEW_YEAR) in desc
    milestones = sum(len(c.milestones) for c in plan.commitments)
    assert str(milestones) in desc and str(len(plan.commitments)) in desc
    rows = root.xpath("//table[contains(@class, 'timeline-alternative')]/tbody/tr")
    assert len(rows) == len(plan.commitments) + milestones
    assert len(svg.xpath(".//rect")) >= len(rows)
    assert root.xpath("//img | //script | //*[@src]") == []


@pytest.mark.parametrize(("name", "lang"), REPORTS, ids=IDS)
def test_html_outline_tables_and_links(built: dict[str, Path], name: str, lang: str) -> None:
    plan = load_merged(CASES[name][0], NEW_YEAR)
    root = parse(built[name] / f"progress-report.{lang}.html")
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert all(th.get("scope") in ("col", "row") for th in root.iter("th"))
    assert all(table.xpath("caption") for table in root.iter("table"))
    ids = [str(i) for i in root.xpath("//@id")]
    assert len(ids) == len(set(ids))
    inner = {str(h)[1:] for h in root.xpath("//a/@href") if str(h).startswith("#")}
    assert inner <= set(ids)
    plan_ids = set(
        lxml.html.document_fromstring(render_action_plan(plan, lang, TEMPLATES)).xpath("//@id")
    )
    outer = [str(h) for h in root.xpath("//a/@href") if str(h).startswith("action-plan.")]
    assert len(outer) == len(plan.commitments)
    for href in outer:
        file, anchor = href.split("#")
        assert file == f"action-plan.{lang}.html" and anchor in plan_ids


@pytest.mark.parametrize(("name", "lang"), REPORTS, ids=IDS)
def test_pdf_shows_texts_flags_and_the_chart(built: dict[str, Path], name: str, lang: str) -> None:
    plan = load_merged(CASES[name][0], NEW_YEAR)
    pdf = built[name] / f"progress-report.{lang}.pdf"
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert missing(plan, lang, text) == []
    labels = load_labels(TEMPLATES, lang)
    for word in FLAG_WORDS[lang]:
        assert skeleton(word) in skeleton(text)
    assert skeleton(labels.text("timeline.alternative_caption")) in skeleton(text)
    # the chart's own text: its axis years and the build-date marker
    assert skeleton(labels.text("timeline.today_outside", date=labels.date(NEW_YEAR))) in (
        skeleton(text)
    ) or skeleton(labels.text("timeline.today", date=labels.date(NEW_YEAR))) in skeleton(text)
    assert b"file://" not in pdf.read_bytes()  # links to other files are not made absolute


@pytest.mark.parametrize(("name", "lang"), REPORTS, ids=IDS)
def test_docx_shows_texts_flags_and_the_chart_as_a_described_picture(
    built: dict[str, Path], name: str, lang: str
) -> None:
    plan = load_merged(CASES[name][0], NEW_YEAR)
    path = built[name] / f"progress-report.{lang}.docx"
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert missing(plan, lang, text) == []
    for word in FLAG_WORDS[lang]:
        assert word in text
    (picture,) = document.inline_shapes
    labels = load_labels(TEMPLATES, lang)
    drawing = timeline.chart(plan, lang, labels)
    doc_pr = picture._inline.docPr
    assert doc_pr.get("descr") == drawing.desc and doc_pr.get("title") == drawing.title
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml")
        (media,) = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert archive.read(media) == raster.png(drawing)
    assert b"data:image" not in body  # the picture's description is its alt text too
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert any(link.startswith(f"action-plan.{lang}.html") for link in links)


def test_outputs_are_reproducible(built: dict[str, Path], tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        plan = as_of(SCOTLAND, tmp_path / "copy", NEW_YEAR)
        assert actions.progress_action(target_of(plan, tmp_path), SETTINGS) is None
    for ext in ("html", "pdf", "docx"):
        name = f"progress-report.en.{ext}"
        assert (tmp_path / name).read_bytes() == (built["scotland"] / name).read_bytes(), ext


def test_timeline_png_is_a_png_of_the_drawing() -> None:
    plan = load_merged(PARIS_2, NEW_YEAR)
    drawing = timeline.chart(plan, "fr", load_labels(TEMPLATES, "fr"))
    data = raster.png(drawing)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data == raster.png(drawing)
    assert b"tIME" not in data and b"tEXt" not in data
    svg = timeline.svg(drawing)
    assert svg.count("<text") == sum(1 for s in drawing.shapes if isinstance(s, timeline.Text))
    assert "Aujourd'hui" in svg and "janv." in svg and "2025" in svg


def test_the_build_date_marker_moves_with_the_build_date() -> None:
    plan = load_merged(PARIS_2, NEW_YEAR)
    labels = load_labels(TEMPLATES, "en")
    inside = timeline.svg(timeline.chart(plan, "en", labels))
    assert "Today: January 1, 2026" in inside and "outside" not in inside
    later = plan.model_copy(update={"build_date": dt.date(2026, 6, 1)})
    assert "outside the plan period" in timeline.svg(timeline.chart(later, "en", labels))


def test_progress_report_only_once_a_progress_log_exists(tmp_path: Path) -> None:
    buenos_aires = ROOT / "plans" / "buenos-aires" / "2026-2027"
    assert monitoring.progress_targets(target_of(buenos_aires, tmp_path)) == []
    inputs = monitoring.progress_inputs(target_of(SCOTLAND, tmp_path))
    assert any(p.parent.name == "progress" for p in inputs)
    assert not any("assessments" in p.parts for p in inputs)


def test_draft_report_is_marked(tmp_path: Path) -> None:
    plan = load_merged(PARIS_2, NEW_YEAR).model_copy(update={"draft": True})
    root = lxml.html.document_fromstring(render_progress_report(plan, "fr", TEMPLATES))
    assert "is-draft" in root.body.classes and root.find_class("draft-banner")


def test_progress_payloads_and_the_manifest(tmp_path: Path) -> None:
    target = target_of(as_of(SCOTLAND, tmp_path / "copy", NEW_YEAR), tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert actions.efiling_action(target, SETTINGS) is None
    folder = tmp_path / "efiling"
    assert sorted(folder.iterdir()) == sorted(monitoring.efiling_targets(target))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    assert listed == {p.name for p in folder.iterdir()} - {"manifest.json"}
    payload = json.loads((folder / "progress-fiscal-transparency.json").read_text("utf-8"))
    assert payload["form"] == "progress" and payload["commitment"] == "fiscal-transparency"
    rows = payload["answers"]["2"][0]["answer"]
    spend = next(r for r in rows if r["milestone"] == "spend-standard")
    assert (spend["number"], spend["status"], spend["updated"]) == (
        "2.3",
        "in-progress",
        "2025-06-30",
    )
    assert spend["flags"] == ["late", "stale"]
    assert payload["answers"]["3"][0]["answer"]["percent"] == 75
    fragment = lxml.html.fragment_fromstring(
        (folder / "progress-fiscal-transparency.html").read_text("utf-8"), create_parent="div"
    )
    assert [s.get("data-question") for s in fragment.xpath("section")] == ["1", "2", "3", None]
    assert fragment.xpath("section[@class='unnumbered']/section/@data-part") == ["as_of"]
    assert "No update for more than four months" in fragment.text_content()


def test_golden_progress_report_and_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (loaded,) = validate_paths([GOLDEN_PLAN]).plans
    plan = merge(loaded)
    html = render_progress_report(plan, "fr", TEMPLATES)
    check_golden("paris-2021-2023/progress-report.fr.html", html)
    status = json.loads(plan_json(plan))["status"]
    check_golden(
        "paris-2021-2023/status.json", json.dumps(status, ensure_ascii=False, indent=2) + "\n"
    )
    assert [flags_of(m) for m in plan.status["logement-social-transparent"].milestones] == [
        [],
        [],
        ["late", "stalled", "stale"],
    ]
