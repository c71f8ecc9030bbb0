"""The network's pages of the public site (the home page, its pages by country and by OGP
value) in every language of the members, built by `doit site:index` over the example plans,
an Arabic and French member and one writing in Fijian (no catalogue, no Babel locale), and
read back: each page in its language and direction with a
language menu linking it to itself in the others, links that stay in the page's language, the
labels, countries and values in it, the plan's period said once, and in headless Chromium on a
360 px phone no table header or member name broken inside a word and no serious or critical
axe-core violation. The whole site's link walk is tests/e2e/test_site.py's.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

import builds
from actionplan.pipeline import documents as docs
from actionplan.pipeline.project import Settings, plans
from browsers import axe, chromium, describe
from builds import copy_repository
from helpers import ROOT, epoch_of

SFAX = ROOT / "tests" / "cases" / "valid" / "arabic-french-member" / "plans" / "sfax"
BUILD_DATE = dt.date(2026, 11, 28)  # the Sfax case's: its progress entries are dated up to it
LANGUAGES = {"ar": "العربية", "en": "English", "es": "español", "fj": "Fijian", "fr": "français"}
"""The members' languages (and English, the default), each named in itself (Fijian, which CLDR
has no locale of, in English)."""
MEMBER_LANGUAGES = {
    "buenos-aires": ["es"],
    "paris": ["fr", "en"],
    "scotland": ["en"],
    "sfax": ["ar", "fr"],
    "suva": ["en", "fj"],
}
UNDATED_TITLE = "Scotland's Open Government Action Plan"
"""Scotland's plan title without its years, so that its period shows after it."""
PHONE = {"width": 360, "height": 740}
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.members thead th, .members tbody th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""
"""The words of the table's header cells and member names that lie on more than one line."""


def doit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return builds.doit(repo, *args, epoch=epoch_of(BUILD_DATE))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans and Sfax, Scotland's title without its years; the network's pages
    built (with the feed and the data their header links to), not the members' documents."""
    root = copy_repository(tmp_path_factory.mktemp("network") / "repo")
    shutil.copytree(SFAX, root / "plans" / "sfax")
    shutil.copytree(root / "plans" / "scotland", root / "plans" / "suva")
    member = root / "plans" / "suva" / "member.yaml"
    text = member.read_text(encoding="utf-8").replace("id: scotland", "id: suva")
    text = text.replace("country: GB", "country: FJ").replace(
        "languages: [en]", "languages: [en, fj]"
    )
    member.write_text(text, encoding="utf-8")
    vision = root / "plans" / "scotland" / "2023-2025" / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(text.replace(f"{UNDATED_TITLE} 2023-2025", UNDATED_TITLE), encoding="utf-8")
    doit(root, "site:index", "feeds:network", "opendata")
    return root


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    return repo / "build" / "site"


def names(site: Path) -> list[str]:
    """The network's pages by name without language: `index`, `country/fr`, `value/...`."""
    countries = sorted(p.stem for p in (site / "country").glob("??.html"))
    values = [f"value/{value}" for value in docs.OGP_VALUES]
    return ["index", *(f"country/{code}" for code in countries), *values]


def parse(page: Path) -> Any:
    return lxml.html.parse(str(page)).getroot()


def page_path(name: str, lang: str) -> str:
    return f"{name}.html" if lang == "en" else f"{name}.{lang}.html"


def test_the_network_pages_are_the_home_tasks_targets(repo: Path, site: Path) -> None:
    targets = set(docs.site_home_targets(list(plans(Settings(repo))), repo / "build"))
    written = {p for folder in ("country", "value") for p in (site / folder).glob("*.html")}
    written |= set(site.glob("index*.html")) | {site / "site.css"}
    assert written == targets
    assert names(site) == ["index", *(f"country/{c}" for c in ("ar", "fj", "fr", "gb", "tn"))] + [
        f"value/{value}" for value in docs.OGP_VALUES
    ]
    assert len(targets) == 1 + len(LANGUAGES) * len(names(site))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_page_in_each_language_has_its_lang_dir_and_menu(site: Path, lang: str) -> None:
    for name in names(site):
        page = site / page_path(name, lang)
        root = parse(page)
        assert (root.get("lang"), root.get("dir")) == (lang, "rtl" if lang == "ar" else "ltr")
        menu = root.xpath("//nav[contains(@class, 'network-languages')]//a")
        assert [a.get("hreflang") for a in menu] == sorted(LANGUAGES)
        assert [a.text_content() for a in menu] == [LANGUAGES[c] for c in sorted(LANGUAGES)]
        assert [a.get("lang") for a in menu] == sorted(LANGUAGES)
        current = [a.get("hreflang") for a in menu if a.get("aria-current") == "page"]
        assert current == [lang], page
        for link in menu:
            other = (page.parent / link.get("href")).resolve()
            assert other == (site / page_path(name, link.get("hreflang"))).resolve(), page
            assert parse(other).get("lang") == link.get("hreflang")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_links_stay_in_the_pages_language(site: Path, lang: str) -> None:
    for name in names(site):
        page = site / page_path(name, lang)
        root = parse(page)
        up = "../" if "/" in name else ""
        hrefs = [a.get("href") for a in root.xpath("//main//nav[@class='filters']//a")]
        assert sorted(hrefs) == sorted(up + page_path(n, lang) for n in names(site)[1:])
        home = root.xpath("//header//a")[0].get("href")
        assert home == up + page_path("index", lang)
        if name != "index":
            back = root.xpath("//p[@class='filter']/a")[0].get("href")
            assert back == up + page_path("index", lang)
        for row in root.xpath("//table[@class='members']/tbody/tr"):
            member_link, plan_link = row.xpath(".//a")
            member = member_link.get("href")[len(up) :].split("/")[0]
            assert member_link.get("href") == f"{up}{member}/index.html"
            own = MEMBER_LANGUAGES[member]
            shown = lang if lang in own else own[0]
            assert plan_link.get("href").startswith(f"{up}{member}/")
            assert plan_link.get("href").endswith(f"/index.{shown}.html")
            assert plan_link.get("hreflang") == (None if shown == lang else shown)


def test_the_links_out_of_the_network_pages_resolve(site: Path) -> None:
    """Feeds, data and each other: every link and alternate but those to the members' pages,
    which their own tasks write (test_site.py walks the whole site)."""
    broken = []
    for lang in LANGUAGES:
        for name in names(site):
            page = site / page_path(name, lang)
            root = parse(page)
            for link in root.xpath("//a/@href | //link[@rel='alternate']/@href"):
                path, _, fragment = link.partition("#")
                if not path:
                    assert root.xpath(f"//*[@id='{fragment}']"), f"{page}: {link}"
                    continue
                target = (page.parent / path).resolve()
                if target.relative_to(site.resolve()).parts[0] in MEMBER_LANGUAGES:
                    continue
                if not target.exists():
                    broken.append(f"{page.relative_to(site)}: {link}")
    assert broken == []


def test_the_french_home_reads_in_french(site: Path) -> None:
    root = parse(site / "index.fr.html")
    assert root.findtext(".//h1") == "Plans d'action PGO Local"
    headers = [th.text_content() for th in root.xpath("//table//thead//th")]
    assert headers == ["Membre", "Pays", "Plan d'action en cours", "Avancement", "Alertes"]
    countries = [a.text_content() for a in root.xpath("//nav[@class='filters'][1]//a")]
    assert countries == ["Argentine", "Fidji", "France", "Royaume-Uni", "Tunisie"]
    values = [a.text_content() for a in root.xpath("//nav[@class='filters'][2]//a")]
    assert values == ["Transparence", "Responsabilité", "Participation citoyenne", "Inclusion"]
    tunisia = parse(site / "country" / "tn.fr.html")
    assert "Membres en Tunisie." in tunisia.xpath("string(//p[@class='filter'])")


def test_the_arabic_home_is_right_to_left_in_arabic(site: Path) -> None:
    root = parse(site / "index.ar.html")
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    countries = [a.text_content() for a in root.xpath("//nav[@class='filters'][1]//a")]
    assert countries == ["الأرجنتين", "المملكة المتحدة", "تونس", "فرنسا", "فيجي"]
    sfax = root.xpath("//tbody/tr[th/a[@href='sfax/index.html']]")[0]
    assert sfax.xpath("string(th)") == "بلدية صفاقس"
    assert sfax.xpath(".//a")[1].get("href") == "sfax/2025-2027/index.ar.html"


def test_a_language_without_catalogue_has_its_pages_in_english_words(site: Path) -> None:
    """Fijian has no catalogue: its pages' labels are the English ones, marked English, around
    the members' own words; the table links Suva's plan in Fijian, its language."""
    root = parse(site / "index.fj.html")
    assert (root.get("lang"), root.get("dir")) == ("fj", "ltr")
    heading = root.xpath("//h1")[0]
    assert heading.text_content() == "OGP Local action plans"
    assert heading.xpath("span/@lang") == ["en"]
    suva = root.xpath("//tbody/tr[th/a[@href='suva/index.html']]")[0]
    assert suva.xpath(".//a")[1].get("href") == "suva/2023-2025/index.fj.html"


@pytest.mark.parametrize(
    ("lang", "countries"),
    [
        ("en", ["Argentina", "Fiji", "France", "Tunisia", "United Kingdom"]),
        ("es", ["Argentina", "Fiyi", "Francia", "Reino Unido", "Túnez"]),
    ],
)
def test_countries_and_rows_go_by_the_countrys_name(
    site: Path, lang: str, countries: list[str]
) -> None:
    root = parse(site / page_path("index", lang))
    assert [a.text_content() for a in root.xpath("//nav[@class='filters'][1]//a")] == countries
    cells = root.xpath("//table[@class='members']/tbody/tr/td[1]")
    assert list(dict.fromkeys(td.text_content() for td in cells)) == countries


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_period_shows_once(site: Path, lang: str) -> None:
    root = parse(site / page_path("index", lang))
    rows = {
        row.xpath("th/a")[0].get("href").split("/")[0]: row
        for row in root.xpath("//table[@class='members']/tbody/tr")
    }
    for member, row in rows.items():
        cell = row.xpath("td[2]")[0]
        periods = cell.xpath("span[@class='period']")
        if member == "scotland":  # its title, made undated, needs the period said
            assert [p.text_content() for p in periods] == ["(2023-2025)"]
        else:
            assert periods == [], member
        cycle = row.xpath("td[2]/a")[0].get("href").split("/")[1]
        assert cell.text_content().count(cycle) == 1, cell.text_content()


def test_a_second_run_does_nothing(repo: Path) -> None:
    lines = doit(repo, "site:index").stdout.splitlines()
    assert "-- site:index" in lines and ".  site:index" not in lines


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def open_page(browser: Any, page: Path) -> tuple[Any, Any]:
    context = browser.new_context(viewport=PHONE, offline=True)
    tab = context.new_page()
    tab.goto(page.as_uri(), wait_until="load")
    return context, tab


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_header_or_member_name_breaks_inside_a_word_on_a_phone(
    site: Path, browser: Any, lang: str
) -> None:
    context, tab = open_page(browser, site / page_path("index", lang))
    try:
        broken = tab.evaluate(BROKEN_WORDS)
        checked = tab.evaluate("document.querySelectorAll('.members th').length")
        page = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    finally:
        context.close()
    assert broken == []
    assert checked == 5 + len(MEMBER_LANGUAGES)
    assert page[0] <= page[1], "the page scrolls sideways: the table must scroll in its region"


@pytest.mark.parametrize("name", ["index.fr.html", "index.ar.html", "country/tn.ar.html"])
def test_the_network_pages_are_accessible(site: Path, browser: Any, name: str) -> None:
    context, tab = open_page(browser, site / name)
    try:
        blocking, result = axe(tab)
    finally:
        context.close()
    assert blocking == [], describe(blocking)
    assert result["passes"]
