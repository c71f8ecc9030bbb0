"""The public site (`doit site`) of the example plans and of an Arabic and French member, built
in a git copy of the repository and read back: every internal link resolves, each page has its
language and direction, the home page and a French and an Arabic plan page open in headless
Chromium without a serious or critical axe-core violation and without sideways scrolling on a
phone, the last update comes from git with the four-month flag, and a second `doit site` does
nothing while a change to one member rebuilds its pages and the home page alone.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from browsers import axe, chromium, describe
from builds import copy_repository
from documents import shown, vnu
from helpers import ROOT, epoch_of

SFAX = ROOT / "tests" / "cases" / "valid" / "arabic-french-member" / "plans" / "sfax"
BUILD_DATE = dt.date(2026, 11, 28)  # the Sfax case's: its progress entries are dated up to it
COMMITTED = "2026-01-05T12:00:00+00:00"  # more than four months before: Sfax's plan is outdated
PHONE = {"width": 375, "height": 740}
PAGES = {
    "home": "index.html",
    "paris-fr": "paris/2024-2026/index.fr.html",
    "sfax-ar": "sfax/2025-2027/index.ar.html",
    "paris-history-fr": "paris/2024-2026/commitments/assemblee-citoyenne.fr.html",
    "sfax-history-ar": "sfax/2025-2027/commitments/budget-ouvert.ar.html",
}


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch_of(BUILD_DATE)}
    env |= {"GIT_COMMITTER_DATE": COMMITTED, "GIT_AUTHOR_DATE": COMMITTED}
    result = subprocess.run(
        [*args], cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def doit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(repo, sys.executable, "-m", "doit", *args)


def executed(result: subprocess.CompletedProcess[str], family: str) -> set[str]:
    """The tasks of `family` doit ran (`.  name`), not those it found up to date (`-- name`)."""
    lines = result.stdout.splitlines()
    return {line[3:] for line in lines if line.startswith(f".  {family}:")}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans and Sfax, committed to git, built by the default `doit`."""
    root = copy_repository(tmp_path_factory.mktemp("site") / "repo")
    shutil.copytree(SFAX, root / "plans" / "sfax")
    git = ("git", "-c", "user.name=t", "-c", "user.email=t@example.org")
    run(root, "git", "init", "-q")
    run(root, "git", "add", ".")
    run(root, *git, "commit", "-q", "-m", "plans")
    doit(root, "-n", "4")
    return root


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    return repo / "build" / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.is_relative_to(site) and _ours(site, p))


def _ours(site: Path, page: Path) -> bool:
    """The site's own pages: not the built documents it copies for download."""
    parts = page.relative_to(site).parts
    return (
        page.name == "index.html"
        or page.name.startswith("index.")
        or parts[0]
        in (
            "country",
            "value",
        )
        or (len(parts) == 4 and parts[2] == "commitments")  # a commitment's history page
    )


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    for page in pages(site):
        tree = lxml.html.parse(str(page)).getroot()
        ids = set(tree.xpath("//@id"))
        for element, _attribute, link, _pos in tree.iterlinks():
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # mailto:, a member's website: not the site's
            if not parts.path:
                if parts.fragment and parts.fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: #{parts.fragment}")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.exists() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {link} ({element.tag})")
    assert broken == []
    assert len(pages(site)) >= 12


def test_every_page_has_its_language_and_direction(site: Path) -> None:
    seen = set()
    for page in [*site.rglob("index.*.html"), *site.glob("*/*/commitments/*.html")]:
        lang = page.name.split(".")[1]
        root = lxml.html.parse(str(page)).getroot()
        assert root.get("lang") == lang, page
        assert root.get("dir") == ("rtl" if lang == "ar" else "ltr"), page
        seen.add(lang)
    assert {"ar", "fr", "en", "es"} <= seen
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert (home.get("lang"), home.get("dir")) == ("en", "ltr")


def test_the_home_lists_every_member_with_filters(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    for member in ("paris", "scotland", "buenos-aires", "sfax"):
        assert f'href="{member}/index.html"' in home
    assert 'href="country/tn.html"' in home and (site / "country" / "tn.html").is_file()
    tunisia = (site / "country" / "tn.html").read_text(encoding="utf-8")
    assert "sfax/index.html" in tunisia and "paris/index.html" not in tunisia
    assert (site / "value" / "inclusion.html").is_file()


def test_a_plan_page_says_when_it_changed_and_flags_an_old_record(site: Path) -> None:
    sfax = (site / "sfax" / "2025-2027" / "index.fr.html").read_text(encoding="utf-8")
    assert "Dernière mise à jour le 5 janvier 2026." in sfax
    assert "Informations publiques non à jour" in sfax
    paris = (site / "paris" / "2024-2026" / "index.fr.html").read_text(encoding="utf-8")
    assert "5 janvier 2026" in paris
    assert "Informations publiques non à jour" not in paris  # its commitments have ended
    for name in ("action-plan.fr.pdf", "action-plan.fr.docx", "plan.json", "efiling/manifest.json"):
        assert f'href="{name}"' in paris
        assert (site / "paris" / "2024-2026" / name).is_file()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_accessible_and_fit_a_phone(site: Path, browser: Any, name: str) -> None:
    url = (site / PAGES[name]).as_uri()
    context = browser.new_context(viewport=PHONE, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, wait_until="load")
        assert errors == []
        width = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        scroll_width, client_width = page.evaluate(width)
        assert scroll_width <= client_width, "the page scrolls sideways on a phone"
        blocking, result = axe(page)
    finally:
        context.close()
    assert blocking == [], describe(blocking)
    assert result["passes"]


def test_a_second_run_does_nothing_and_one_member_rebuilds_alone(repo: Path) -> None:
    assert executed(doit(repo, "site"), "site") == set()
    vision = repo / "plans" / "scotland" / "2023-2025" / "vision.yaml"
    vision.write_text(vision.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert executed(doit(repo, "site"), "site") == {"site:scotland", "site:index"}
    assert executed(doit(repo, "site"), "site") == set()


def test_a_shard_builds_its_members_pages_and_leaves_the_home_to_the_merge(repo: Path) -> None:
    env = {**os.environ, "ACTIONPLAN_SHARD": "1/3"}
    listing = subprocess.run(
        [sys.executable, "-m", "doit", "list", "--all", "--quiet"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert "site:paris" in listing
    assert "site:index" not in listing


def test_every_page_of_the_site_is_valid_html(site: Path) -> None:
    """The Nu checker finds no error in any page of the site, nor in the documents copied into
    it (the e-filing fragments, made to be pasted into a form, are no pages)."""
    files = [p for p in site.rglob("*.html") if "efiling" not in p.relative_to(site).parts]
    files = [p for p in files if p.relative_to(site).parts[0] != "pagefind"]
    assert any("commitments" in p.parts for p in files) and (site / "index.ar.html") in files
    errors = [m for m in vnu(files) if m.get("type") != "info"]
    assert errors == [], "\n".join(map(shown, errors))
