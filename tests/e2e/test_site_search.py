"""The site's search (Pagefind, indexed at build time), on the example plans and the Arabic and
French member Sfax: `doit site` alone builds the site and all it links to, the site is served
over HTTP under a sub-path (`/repo/build/site/`, as GitHub Pages serves a project under
`/<repository>/`) and searched in headless Chromium: from the English home a member's name, a
word of the French plan only and an Arabic word each find their page, a milestone's title its
commitment on the plan page, with no serious or critical axe-core violation while results show;
the box is reached by Tab and, without JavaScript, says search needs it. The site's bytes are
the same when rebuilt, a second `doit site` does nothing and a one-member edit reindexes.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import builds
from browsers import axe, chromium, describe
from builds import copy_repository
from helpers import ROOT, epoch_of

SFAX = ROOT / "tests" / "cases" / "valid" / "arabic-french-member" / "plans" / "sfax"
BUILD_DATE = dt.date(2026, 11, 28)  # the Sfax case's: its progress entries are dated up to it
WAIT_MS = 15_000


def doit(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return builds.doit(repo, *args, epoch=epoch_of(BUILD_DATE), **env)


def ran(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The tasks doit ran (`.  name`), not those it found up to date."""
    return {line[3:] for line in result.stdout.splitlines() if line.startswith(".  ")}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans and Sfax, built by `doit site` alone."""
    root = copy_repository(tmp_path_factory.mktemp("search") / "repo")
    shutil.copytree(SFAX, root / "plans" / "sfax")
    doit(root, "-n", "4", "site")
    return root


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    return repo / "build" / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(repo: Path) -> Iterator[str]:
    """The site over HTTP on 127.0.0.1, under the sub-path /repo/build/site/."""
    handler = functools.partial(_Quiet, directory=str(repo.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/repo/build/site/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
        assert errors == []
    finally:
        context.close()


def search(page: Any, url: str, query: str, expected: str | None = None) -> list[str]:
    """The result links (pages and sub-results) shown for `query` typed on the page at `url`,
    once the link `expected` shows (results come in one by one), or the first does."""
    page.goto(url, wait_until="load")
    page.locator("#search input").fill(query)
    shown = f'#search a[href="{expected}"]' if expected else "#search .pagefind-ui__result-link"
    page.locator(shown).first.wait_for(timeout=WAIT_MS)
    links = page.locator("#search .pagefind-ui__result-link")
    hrefs: list[str] = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return hrefs


def test_doit_site_alone_builds_all_the_site_links_to(site: Path) -> None:
    for name in ("index.html", "feeds/network.atom", "data/commitments.csv", "site-search.js"):
        assert (site / name).is_file(), name
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    members = len(list(site.glob("*/index.html")))
    plans = len(list(site.glob("*/*/index.*.html")))
    assert [lang["page_count"] for lang in entry["languages"].values()] == [members + plans]


def test_a_member_name_from_the_home_finds_its_page(page: Any, base_url: str) -> None:
    member = "/repo/build/site/scotland/index.html"
    assert member in search(page, base_url + "index.html", "Scotland", member)
    page.locator(f'#search a[href="{member}"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(base_url) and page.title()
    assert page.locator("h1").count() == 1


def test_a_word_of_the_french_plan_from_the_english_home(page: Any, base_url: str) -> None:
    french = "/repo/build/site/paris/2024-2026/index.fr.html"
    assert french in search(page, base_url + "index.html", "commande publique", french)
    message = page.locator("#search .pagefind-ui__message").inner_text()
    assert "result" in message  # the box speaks the home page's English


def test_an_arabic_word_finds_the_arabic_plan_page(page: Any, base_url: str) -> None:
    arabic = "/repo/build/site/sfax/2025-2027/index.ar.html"
    assert arabic in search(page, base_url + "index.html", "الميزانية", arabic)
    search(page, base_url + "sfax/2025-2027/index.ar.html", "الميزانية", arabic)
    message = page.locator("#search .pagefind-ui__message").inner_text()
    assert any("\u0600" <= char <= "\u06ff" for char in message), message  # in Arabic


def test_a_milestone_title_leads_to_its_commitment(page: Any, base_url: str) -> None:
    target = "/repo/build/site/paris/2024-2026/index.fr.html#c-commande-publique-ouverte"
    assert target in search(page, base_url + "index.html", "Export OCDS quotidien", target)
    page.locator(f'#search a[href="{target}"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("index.fr.html#c-commande-publique-ouverte")
    assert page.locator("#c-commande-publique-ouverte").count() == 1


def test_results_shown_have_no_serious_axe_violation(page: Any, base_url: str) -> None:
    search(page, base_url + "paris/2024-2026/index.fr.html", "budget")
    assert page.locator('[role="search"]').count() == 1
    blocking, _ = axe(page)
    assert blocking == [], describe(blocking)


def test_the_search_input_is_reached_with_tab_from_the_top(page: Any, base_url: str) -> None:
    page.goto(base_url + "sfax/2025-2027/index.ar.html", wait_until="load")
    page.locator("#search input").wait_for(timeout=WAIT_MS)
    assert page.locator("#search input").get_attribute("aria-label") == "البحث في الموقع"
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#search input')"):
            break
    else:
        pytest.fail("eight Tabs from the top never reached the search input")
    page.keyboard.type("Sfax")
    page.locator("#search .pagefind-ui__result-link").first.wait_for(timeout=WAIT_MS)


ICON_AND_CLEAR = """form => {
    const box = form.getBoundingClientRect();
    const icon = parseFloat(getComputedStyle(form, "::before").left) + box.left;
    const clear = form.querySelector(".pagefind-ui__search-clear").getBoundingClientRect();
    return [icon - box.left < box.width / 2, clear.left - box.left < box.width / 2];
}"""


@pytest.mark.parametrize(
    ("path", "start_left"),
    [("paris/2024-2026/index.fr.html", True), ("sfax/2025-2027/index.ar.html", False)],
)
def test_the_search_box_starts_where_its_language_reads(
    page: Any, base_url: str, path: str, start_left: bool
) -> None:
    """Pagefind UI places its icon and its clear button by left and right: on a right-to-left
    page the icon stands at the right, where the text starts, and the clear button left."""
    page.goto(base_url + path, wait_until="load")
    page.locator("#search input").fill("x")
    page.locator("#search .pagefind-ui__search-clear").wait_for(timeout=WAIT_MS)
    form = page.locator("#search .pagefind-ui__form")
    assert form.evaluate(ICON_AND_CLEAR) == [start_left, not start_left]


def test_without_javascript_the_page_says_search_needs_it(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "paris/2024-2026/index.fr.html", wait_until="load")
        note = page.locator("#search noscript").inner_text()
        assert "JavaScript" in note and "recherche" in note
        page.locator("main a").first.click()
        page.wait_for_load_state("load")
        assert page.locator("main h1").count() == 1
    finally:
        context.close()


def _bytes(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_the_site_rebuilt_from_scratch_has_the_same_bytes(repo: Path, site: Path) -> None:
    before = _bytes(site)
    shutil.rmtree(site)
    rebuilt = ran(doit(repo, "site"))
    assert "search:network" in rebuilt and "site:index" in rebuilt
    after = _bytes(site)
    assert sorted(after) == sorted(before)
    assert [name for name in before if before[name] != after[name]] == []


def test_a_second_run_does_nothing_and_one_member_reindexes(repo: Path, site: Path) -> None:
    assert ran(doit(repo, "site")) == set()
    vision = repo / "plans" / "scotland" / "2023-2025" / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(text + "# edited\n", encoding="utf-8")
    rebuilt = ran(doit(repo, "site"))
    assert {"site:scotland", "site:index"} <= rebuilt
    assert "search:network" not in rebuilt  # the pages came out the same
    title = "title: Scotland's Open Government Action Plan 2023-2025"
    vision.write_text(text.replace(title, title + ", revised"), encoding="utf-8")
    entry = (site / "pagefind" / "pagefind-entry.json").read_bytes()
    rebuilt = ran(doit(repo, "site"))
    assert {"site:scotland", "search:network"} <= rebuilt
    assert not [task for task in rebuilt if task.startswith("site:") and "paris" in task]
    assert (site / "pagefind" / "pagefind-entry.json").read_bytes() != entry
    assert ran(doit(repo, "site")) == set()


def test_a_shard_leaves_the_index_to_the_merge(repo: Path) -> None:
    listing = doit(repo, "list", "--all", "--quiet", ACTIONPLAN_SHARD="1/3").stdout.split()
    assert "site:paris" in listing
    assert "search:network" not in listing


def test_a_failed_index_leaves_the_former_one_whole(tmp_path: Path) -> None:
    from actionplan.render.site.search import SearchIndexError, write_index

    def index(*pages: Path) -> None:
        # in a thread of its own: Playwright's sync API keeps an event loop in this one
        with ThreadPoolExecutor(1) as pool:
            pool.submit(write_index, ROOT / "templates", site, list(pages)).result()

    site = tmp_path / "site"
    page = site / "member" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="fr"><main data-pagefind-body><h1>Sfax</h1></main></html>')
    index(page)
    before = _bytes(site)
    with pytest.raises(SearchIndexError, match="search index was not built"):
        index(page, site / "gone" / "index.html")
    assert _bytes(site) == before
    assert sorted(p.name for p in site.iterdir()) == ["member", "pagefind", "site-search.js"]


def test_doit_clean_removes_the_whole_bundle(repo: Path, site: Path) -> None:
    (site / ".pagefind-left-by-a-killed-run").mkdir()
    doit(repo, "clean", "search")
    assert not (site / "pagefind").exists() and not (site / "site-search.js").exists()
    assert not list(site.glob(".pagefind-*"))
