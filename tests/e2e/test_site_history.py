"""A plan page's timeline and co-creation record, and each commitment's history page, built by
`doit site:paris` in a git copy of the repository where one commitment was edited in a second
commit, and read back with lxml: the history page lists each progress entry with its date and
statuses as the progress log has them, each commit that touched the commitment's file, and links
back to the plan page; the plan page holds the timeline, each meeting and each contribution with
its response. The git history reader follows a renamed file; outside git a history page says
it has no record of edits and the plan page dates its last update on the build date.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from actionplan.loader import load_file
from actionplan.render.labels import load_labels
from actionplan.render.site.context import HASH_LENGTH, git_edits
from builds import copy_repository
from helpers import ROOT, epoch_of

BUILD_DATE = dt.date(2026, 1, 10)
PLAN = "paris/2024-2026"
EDITED = "assemblee-citoyenne"
FIRST = "2025-03-04T12:00:00+00:00"
SECOND = "2025-09-15T12:00:00+00:00"
FRENCH = load_labels(ROOT / "templates", "fr")
GIT = ("git", "-c", "user.name=t", "-c", "user.email=t@example.org")


def run(repo: Path, *args: str, date: str = SECOND) -> str:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch_of(BUILD_DATE)}
    env |= {"GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
    result = subprocess.run(
        [*args], cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans committed, then one commitment edited in a second commit, and Paris's
    site pages built."""
    root = copy_repository(tmp_path_factory.mktemp("history") / "repo")
    run(root, "git", "init", "-q")
    run(root, "git", "add", ".")
    run(root, *GIT, "commit", "-q", "-m", "plans: the examples", date=FIRST)
    edited = root / "plans" / PLAN / "commitments" / f"{EDITED}.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    run(root, *GIT, "commit", "-q", "-am", "paris: <review> of the assembly's commitment")
    run(root, sys.executable, "-m", "doit", "-n", "4", f"site:{PLAN.split('/')[0]}")
    return root


def site(repo: Path) -> Path:
    return repo / "build" / "site"


def page(repo: Path, path: str) -> Any:
    return lxml.html.parse(str(site(repo) / path)).getroot()


def history(repo: Path, cid: str, lang: str = "fr") -> Any:
    return page(repo, f"{PLAN}/commitments/{cid}.{lang}.html")


def commitments(repo: Path) -> list[str]:
    return sorted(p.stem for p in (repo / "plans" / PLAN / "commitments").glob("*.yaml"))


def entries(repo: Path, cid: str) -> list[dict[str, Any]]:
    path = repo / "plans" / PLAN / "progress" / f"{cid}.yaml"
    if not path.is_file():
        return []
    doc, problems = load_file(path)
    assert problems == []
    return list(doc.data["entries"])


def rows(table: Any) -> list[Any]:
    return table.xpath("./tbody/tr")


def test_a_page_per_commitment_and_language_with_its_lang_and_dir(repo: Path) -> None:
    folder = site(repo) / PLAN / "commitments"
    expected = {f"{cid}.{lang}.html" for cid in commitments(repo) for lang in ("fr", "en")}
    assert {p.name for p in folder.iterdir()} == expected
    for name in expected:
        root = page(repo, f"{PLAN}/commitments/{name}")
        assert (root.get("lang"), root.get("dir")) == (name.split(".")[1], "ltr")


def test_the_status_changes_are_the_progress_logs_newest_first(repo: Path) -> None:
    checked = 0
    for cid in commitments(repo):
        logged = entries(repo, cid)
        tables = history(repo, cid).xpath("//table[@class='changes']")
        if not logged:
            assert tables == []
            continue
        shown = rows(tables[0])
        dates = [row.xpath("./td[1]/time/@datetime")[0] for row in shown]
        assert dates == [str(e["date"]) for e in reversed(logged)]
        statuses = [row.xpath("string(./td[3])").strip() for row in shown]
        assert statuses == [FRENCH.enum("status", e["status"]) for e in reversed(logged)]
        checked += 1
    assert checked >= 3


def test_the_edits_are_the_commits_that_touched_the_file(repo: Path) -> None:
    hashes = run(repo, "git", "log", "--format=%H").split()
    edits = history(repo, EDITED).xpath("//table[@class='edits']")[0]
    shown = [
        (
            row.xpath("./td[1]/time/@datetime")[0],
            row.xpath("string(./th)"),
            row.xpath("string(./td[2])"),
        )
        for row in rows(edits)
    ]
    assert shown == [
        ("2025-09-15", hashes[0][:HASH_LENGTH], "paris: <review> of the assembly's commitment"),
        ("2025-03-04", hashes[1][:HASH_LENGTH], "plans: the examples"),
    ]
    other = history(repo, "budget-participatif").xpath("//table[@class='edits']")[0]
    assert len(rows(other)) == 1


def test_a_history_page_links_back_and_every_link_resolves(repo: Path) -> None:
    plan = page(repo, f"{PLAN}/index.fr.html")
    for cid in commitments(repo):
        assert plan.xpath(f"//a[@href='commitments/{cid}.fr.html']"), cid
        root = history(repo, cid)
        assert root.xpath(f"//a[@href='../index.fr.html#c-{cid}']"), cid
        _links_resolve(site(repo) / PLAN / "commitments" / f"{cid}.fr.html", site(repo) / "paris")
    _links_resolve(site(repo) / PLAN / "index.fr.html", site(repo) / "paris")


def _links_resolve(path: Path, member: Path) -> None:
    """Every link of the page into its member's folder resolves, fragments included (the
    network's pages, the stylesheet and the feeds are other tasks': test_site.py walks them)."""
    tree = lxml.html.parse(str(path)).getroot()
    for _element, _attribute, link, _pos in tree.iterlinks():
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            continue
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not target.is_relative_to(member.resolve()):
            continue
        assert target.is_file(), (path, link)
        if parts.fragment and target.suffix == ".html":
            ids = lxml.html.parse(str(target)).getroot().xpath("//@id")
            assert parts.fragment in ids, (path, link)


def test_the_plan_page_holds_the_timeline(repo: Path) -> None:
    plan = page(repo, f"{PLAN}/index.fr.html")
    section = plan.xpath("//section[@aria-labelledby='timeline']")[0]
    chart = section.xpath(".//*[local-name()='svg']")[0]
    assert chart.get("role") == "img"
    milestones = sum(
        len(load_file(p)[0].data["milestones"])
        for p in (repo / "plans" / PLAN / "commitments").glob("*.yaml")
    )
    bars = section.xpath(".//details//tbody/tr")
    assert len(bars) == len(commitments(repo)) + milestones


def test_the_plan_page_holds_each_meeting_and_each_response(repo: Path) -> None:
    plan = page(repo, f"{PLAN}/index.fr.html")
    meetings = sorted((repo / "plans" / PLAN / "meetings").glob("*.yaml"))
    assert meetings
    for path in meetings:
        assert plan.xpath(f"//section[@id='meeting-{path.stem}']//h3"), path.stem
    answered = 0
    for path in (repo / "plans" / PLAN / "contributions").glob("*.yaml"):
        for item in load_file(path)[0].data["items"]:
            found = plan.xpath(f"//article[@id='contribution-{path.stem}-{item['id']}']")
            assert found, item["id"]
            if "response" in item:
                response = found[0].xpath(".//div[@class='response']")
                assert response, item["id"]
                reason = item["response"].get("reason")
                if isinstance(reason, dict):
                    reason = reason.get("fr", "")
                if isinstance(reason, str) and reason:
                    words = " ".join(reason.split()[:4]).strip("*_")
                    assert words in " ".join(response[0].text_content().split())
                answered += 1
    assert answered >= 3


def test_the_git_history_follows_a_renamed_file_and_is_none_outside_git(tmp_path: Path) -> None:
    folder = tmp_path / "plans" / "m" / "2025-2026" / "commitments"
    folder.mkdir(parents=True)
    (folder / "old.yaml").write_text("id: old\n", encoding="utf-8")
    (folder / "other.yaml").write_text("id: other\n", encoding="utf-8")
    assert git_edits(tmp_path, folder, ["old"]) is None
    run(tmp_path, "git", "init", "-q")
    run(tmp_path, "git", "add", ".")
    run(tmp_path, *GIT, "commit", "-q", "-m", "first", date=FIRST)
    run(tmp_path, "git", "mv", str(folder / "old.yaml"), str(folder / "new.yaml"))
    run(tmp_path, *GIT, "commit", "-q", "-m", "renamed")
    (folder / "fresh.yaml").write_text("id: fresh\n", encoding="utf-8")
    edits = git_edits(tmp_path, folder, ["new", "other", "fresh"])
    assert edits is not None
    assert [e.subject for e in edits["new"]] == ["renamed", "first"]
    assert [e.date for e in edits["new"]] == [dt.date(2025, 9, 15), dt.date(2025, 3, 4)]
    assert [e.subject for e in edits["other"]] == ["first"]
    assert edits["fresh"] == []


def test_outside_git_a_history_page_says_it_has_no_record_of_edits(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    plans = tmp_path_factory.mktemp("plans") / "plans"
    shutil.copytree(ROOT / "plans" / "buenos-aires", plans / "buenos-aires")
    root = copy_repository(tmp_path_factory.mktemp("outside") / "repo", plans)
    run(root, sys.executable, "-m", "doit", "-n", "4", "site:buenos-aires")
    spanish = load_labels(ROOT / "templates", "es")
    folder = root / "build" / "site" / "buenos-aires" / "2026-2027"
    pages = sorted((folder / "commitments").glob("*.es.html"))
    assert pages
    for path in pages:
        text = " ".join(lxml.html.parse(str(path)).getroot().text_content().split())
        assert spanish.text("site.history.no_git") in text
    plan = lxml.html.parse(str(folder / "index.es.html")).getroot().text_content()
    updated = spanish.text("site.updated", date=spanish.date(BUILD_DATE))
    assert updated in " ".join(plan.split())


def test_a_commit_after_the_build_reruns_the_members_pages_alone(tmp_path: Path) -> None:
    """Edit, build, then commit: no file changed, yet the history page and the last update
    come from git, so the next `doit` rebuilds that member's pages, no other member's, and the
    one after does nothing."""
    root = copy_repository(tmp_path / "repo")
    run(root, "git", "init", "-q")
    run(root, "git", "add", ".")
    run(root, *GIT, "commit", "-q", "-m", "plans: the examples", date=FIRST)
    edited = root / "plans" / PLAN / "commitments" / f"{EDITED}.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    pages = ("site:paris", "site:buenos-aires")
    run(root, sys.executable, "-m", "doit", "-n", "4", *pages)
    run(root, *GIT, "commit", "-q", "-am", "paris: reviewed after the build")
    output = run(root, sys.executable, "-m", "doit", *pages)
    ran = {line.split()[-1] for line in output.splitlines() if line.startswith(".  ")}
    assert ran == {"site:paris"}, output
    subjects = history(root, EDITED).xpath("//table[@class='edits']//td[2]/text()")
    assert subjects[0] == "paris: reviewed after the build"
    output = run(root, sys.executable, "-m", "doit", *pages)
    assert not [line for line in output.splitlines() if line.startswith(".  ")], output
