"""The action plan as HTML: escaping, safe links, languages, outline, tables, drafts, every text."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from actionplan.merge import Plan, merge, text_fields
from actionplan.render.html import (
    html_dependencies,
    render_action_plan,
    template_dependencies,
)
from actionplan.render.markdown import render_block, render_inline, to_text
from actionplan.validate import validate_paths
from helpers import (
    BASE_PLAN,
    DEFAULT_BUILD_DATE,
    EPOCH,
    GOLDEN_PLAN,
    PLAN_DIR_IDS,
    PLAN_DIRS,
    check_golden,
    load_merged,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HOSTILE = (
    'Before <script>alert(1)</script> and <b onclick="x()">bold</b>.\n\n'
    "[click me](javascript:alert(1)) and [ok](https://example.org/ok) and "
    "![tracker](https://evil.example/pixel.png) and <img src=x onerror=alert(2)>\n\n"
    "# Not a heading\n"
)


def parse(html: str) -> HtmlElement:
    return lxml.html.document_fromstring(html.encode("utf-8"))


def words(text: str) -> str:
    return " ".join(text.split())


def document_text(root: HtmlElement) -> str:
    body = root.find("body")
    assert body is not None
    return words(body.text_content())


def render(plan: Plan, lang: str, **kwargs: bool) -> HtmlElement:
    return parse(render_action_plan(plan, lang, TEMPLATES, **kwargs))


@pytest.fixture(scope="module")
def base_plan() -> Plan:
    return load_merged(BASE_PLAN)


def with_foreword(plan: Plan, text: str) -> Plan:
    return plan.model_copy(update={"vision": plan.vision.model_copy(update={"foreword": text})})


def test_raw_html_in_plan_text_shows_as_text(base_plan: Plan) -> None:
    root = render(with_foreword(base_plan, HOSTILE), "en")
    assert root.xpath("//script") == [] and root.xpath("//b") == []
    assert root.xpath("//*[@onclick or @onerror]") == []
    text = document_text(root)
    assert 'Before <script>alert(1)</script> and <b onclick="x()">bold</b>.' in text
    assert "<img src=x onerror=alert(2)>" in text
    assert "# Not a heading" in text


def test_only_http_https_and_mailto_are_links(base_plan: Plan) -> None:
    root = render(with_foreword(base_plan, HOSTILE), "en")
    hrefs = [str(h) for h in root.xpath("//a/@href")]
    assert all(re.match(r"^(#|https?://|mailto:)", h) for h in hrefs), hrefs
    assert "https://example.org/ok" in hrefs
    assert "[click me](javascript:alert(1))" in document_text(root)


def test_images_are_never_fetched(base_plan: Plan) -> None:
    root = render(with_foreword(base_plan, HOSTILE), "en")
    assert root.xpath("//img | //link | //script | //iframe | //object | //embed") == []
    assert root.xpath("//*[@src or @srcset]") == []
    link = root.xpath("//a[@href='https://evil.example/pixel.png']")
    assert [a.text_content() for a in link] == ["tracker"]  # the image as a link to it


def test_nothing_external_the_stylesheet_is_inline(base_plan: Plan) -> None:
    html = render_action_plan(base_plan, "en", TEMPLATES)
    root = parse(html)
    styles = root.xpath("//style")
    assert styles and (TEMPLATES / "style.css").read_text(encoding="utf-8").strip() in html
    assert not re.search(r"url\(|@import", "".join(s.text_content() for s in styles))


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_document_language_and_direction(base_plan: Plan, lang: str, direction: str) -> None:
    root = render(base_plan, lang)
    assert root.get("lang") == lang and root.get("dir") == direction
    assert root.xpath("//meta[@charset='utf-8']") and root.findtext(".//title")


def test_text_in_another_language_is_marked(base_plan: Plan) -> None:
    """German has no catalogue and no translation: English labels, English plan text, marked."""
    root = render(base_plan, "de")
    assert root.get("lang") == "de"
    heading = root.get_element_by_id("vision-heading")
    assert heading.text_content() == "Strategic vision"
    assert heading.xpath("span/@lang") == ["en"]
    title = root.get_element_by_id("title")
    assert title.xpath("span/@lang") == ["en"] and "Open Sample" in title.text_content()


def test_missing_translation_falls_back_to_the_primary_language(base_plan: Plan) -> None:
    commitment = base_plan.commitments[0]
    partial = commitment.model_copy(update={"problem": {"en": "Only in English."}})
    plan = base_plan.model_copy(update={"commitments": [partial, *base_plan.commitments[1:]]})
    root = render(plan, "fr")
    marked = root.xpath("//div[@class='prose'][@lang='en']")
    assert [words(d.text_content()) for d in marked] == ["Only in English."]
    assert root.get_element_by_id("vision-heading").text_content() == "Vision stratégique"


def _outline(root: HtmlElement) -> list[int]:
    return [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_one_heading_outline(cycle_dir: Path) -> None:
    plan = load_merged(cycle_dir)
    for lang in plan.member.languages:
        levels = _outline(render(plan, lang))
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_tables_have_scoped_headers_and_links_resolve(cycle_dir: Path) -> None:
    root = render(load_merged(cycle_dir), "en")
    assert root.xpath("//th") and all(th.get("scope") in ("col", "row") for th in root.iter("th"))
    assert all(table.xpath("caption") for table in root.iter("table"))
    ids = [str(i) for i in root.xpath("//@id")]
    assert len(ids) == len(set(ids))
    targets = {str(h)[1:] for h in root.xpath("//a/@href") if str(h).startswith("#")}
    assert targets <= set(ids)


def test_draft_banner_iff_no_approval(base_plan: Plan) -> None:
    approved = render(base_plan, "en")
    assert approved.find_class("draft-banner") == [] and "is-draft" not in approved.body.classes
    draft = base_plan.model_copy(
        update={"draft": True, "vision": base_plan.vision.model_copy(update={"approval": None})}
    )
    root = render(draft, "fr")
    (banner,) = root.find_class("draft-banner")
    assert "Projet" in banner.text_content()
    assert root.findtext(".//title").startswith("Projet")
    assert "is-draft" in root.body.classes


def missing_text(plan: Plan, lang: str, root: HtmlElement) -> list[str]:
    """Every text field of the plan for a reader of `lang` that the document does not show."""
    text = document_text(root)
    missing = []
    for field in text_fields(plan, lang):
        expected = to_text(field.text) if field.markdown else words(field.text)
        if expected not in text:
            missing.append(f"{field.path}: {expected[:60]!r}")
    return missing


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_every_text_field_is_in_the_html(cycle_dir: Path) -> None:
    plan = load_merged(cycle_dir)
    for lang in [*plan.member.languages, "de"]:
        assert missing_text(plan, lang, render(plan, lang)) == [], lang


def test_hostile_text_is_found_too(base_plan: Plan) -> None:
    plan = with_foreword(base_plan, HOSTILE)
    assert missing_text(plan, "en", render(plan, "en")) == []


def test_rendering_is_deterministic(base_plan: Plan) -> None:
    first = render_action_plan(base_plan, "fr", TEMPLATES)
    assert first == render_action_plan(load_merged(BASE_PLAN), "fr", TEMPLATES)
    assert first.endswith("</html>\n")


def test_print_stylesheet_is_inlined_only_for_print(base_plan: Plan, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "print.css").write_text("/* print-marker */\n", encoding="utf-8")
    assert "print-marker" in render_action_plan(base_plan, "en", templates, for_print=True)
    assert "print-marker" not in render_action_plan(base_plan, "en", templates)
    (templates / "print.css").unlink()
    assert render_action_plan(base_plan, "en", templates, for_print=True)


def test_template_dependencies_follow_extends_includes_and_imports() -> None:
    deps = template_dependencies(TEMPLATES, "action-plan.html.j2")
    names = {p.name for p in deps}
    assert deps[0] == TEMPLATES / "action-plan.html.j2"
    assert {"base.html.j2", "_macros.html.j2", "_commitment.html.j2"} <= names
    assert all(p.is_file() for p in deps)
    on_disk = {p.name for p in TEMPLATES.glob("*.html.j2")}
    documents = sorted(name for name in on_disk if not name.startswith("_"))  # the rest: partials
    used = set().union(*({p.name for p in template_dependencies(TEMPLATES, d)} for d in documents))
    assert on_disk <= used, "a partial template that no document uses"
    every = {p.relative_to(TEMPLATES).as_posix() for p in html_dependencies(TEMPLATES)}
    catalogues = {f"locales/{lang}/LC_MESSAGES/actionplan.po" for lang in ("en", "fr", "es")}
    assert {"style.css", *catalogues} <= every


def test_markdown_is_commonmark_without_html_or_unsafe_links() -> None:
    assert render_block("*a* <i>b</i>") == "<p><em>a</em> &lt;i&gt;b&lt;/i&gt;</p>\n"
    assert render_inline("[x](mailto:a@b.org)") == '<a href="mailto:a@b.org">x</a>'
    for unsafe in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "rel/path"):
        assert "<a" not in render_block(f"[x]({unsafe})")
        assert "<a" not in render_block(f"<{unsafe}>")
    assert render_block('"quotes" -- dashes...') == "<p>&quot;quotes&quot; -- dashes...</p>\n"
    assert render_block("[![a](https://i.example/i.png)](https://l.example)") == (
        '<p><a href="https://l.example">a</a></p>\n'
    )
    assert to_text("Title with *emphasis* and `code`") == "Title with emphasis and code"


@pytest.mark.skipif(not GOLDEN_PLAN.is_dir(), reason="the Paris example plan is not there")
def test_golden_html(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (loaded,) = validate_paths([GOLDEN_PLAN]).plans
    plan = merge(loaded)
    assert plan.build_date == DEFAULT_BUILD_DATE
    check_golden("paris-2021-2023/action-plan.fr.html", render_action_plan(plan, "fr", TEMPLATES))
