"""`actionplan diff`: golden outputs in every format, git revisions, exit codes, the two cycles.

The revisions are built in a temporary git repository: a copy of plans/paris (2024-2026) and
schemas/ committed, then a second commit that adds and withdraws a commitment, edits prose,
moves a milestone, adds progress entries (two regressions), and changes the approval, the
participants and the member. Run with UPDATE_GOLDEN=1 to rewrite tests/golden/diff/ after a
deliberate change (and read the difference before committing it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import lxml.html
import pytest

from actionplan.diff.comment import MARKER, comment
from actionplan.diff.compare import is_regression
from actionplan.diff.textconv import textconv
from actionplan.diff.words import PARAGRAPH, elide, join, prose_diffs, tokens, word_spans
from actionplan.pipeline import diffs as tasks
from helpers import ROOT, check_golden, copy_example_plan, epoch_of, run_cli

TEMPLATES = ROOT / "templates"
PLAN = "plans/paris/2024-2026"
BUILD_DATE = dt.date(2026, 1, 1)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
# a commit id changes with every run of the fixture: golden files name it <commit>
SHA = re.compile(r"\b[0-9a-f]{40}\b")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def make_edits(repo: Path) -> None:
    """The second revision: one change of each kind the diff reports."""
    plan = repo / PLAN
    commitments = plan / "commitments"
    # a commitment withdrawn, another added
    added = (commitments / "donnees-climat.yaml").read_text(encoding="utf-8")
    (commitments / "donnees-climat.yaml").unlink()
    added = added.replace("id: donnees-climat", "id: budget-vert")
    added = added.replace("Suivre le Plan Climat en données ouvertes", "Un budget vert lisible")
    added = added.replace("Track the Climate Plan as open data", "A readable green budget")
    (commitments / "budget-vert.yaml").write_text(added, encoding="utf-8")
    # prose edited, a milestone moved, a milestone retitled
    budget = commitments / "budget-participatif.yaml"
    edit(budget, "suivi public des projets lauréats", "suivi public de tous les projets lauréats")
    edit(budget, "public tracking of winning projects", "public tracking of all winning projects")
    edit(budget, "    end: 2025-11-30\n", "    end: 2026-01-14\n")
    edit(
        budget,
        "en: Publication of the actual cost of projects",
        "en: Publication of the real cost of every project",
    )
    # progress: two regressions, one completion, one note edited
    progress = plan / "progress"
    append(
        progress / "budget-participatif.yaml",
        "  - date: 2025-12-20\n"
        "    milestone: explication-retards\n"
        "    status: in-progress\n"
        "    note:\n"
        "      fr: Trois directions ont de nouveau dépassé le délai d'un mois.\n"
        "      en: Three departments missed the one-month deadline again.\n"
        "    reported_by: Karim Benali\n",
    )
    edit(
        progress / "budget-participatif.yaml",
        "are published for every edition.",
        "are published for every edition since 2014.",
    )
    append(
        progress / "commande-publique-ouverte.yaml",
        "  - date: 2025-12-22\n"
        "    milestone: export-ocds\n"
        "    status: stalled\n"
        "    reported_by: Thomas Vidal\n",
    )
    append(
        progress / "logement-social-transparent.yaml",
        "  - date: 2025-12-30\n"
        "    milestone: observateurs-commissions\n"
        "    status: complete\n"
        "    reported_by: Sophie Lagarde\n",
    )
    # vision, approval, participants
    vision = plan / "vision.yaml"
    edit(vision, "can be followed as open data.", "can be followed as open data by anyone.")
    edit(vision, "  date: 2023-12-13\n", "  date: 2023-12-20\n")
    edit(
        vision,
        "    - name: Collectif Données Citoyennes\n"
        "      organization: Collectif Données Citoyennes\n"
        "      kind: civil-society\n",
        "",
    )
    edit(
        vision,
        "    - name: Agence d'écologie urbaine\n"
        "      organization: Ville de Paris\n"
        "      role: other-government-staff\n",
        "    - name: Conseil parisien de la jeunesse\n      role: affected-community\n",
    )
    edit(
        vision,
        "      organization: Université Paris Cité\n      role: strategic-stakeholder\n",
        "      organization: Université Paris Cité\n      role: civil-society-counterpart\n",
    )
    # the member
    edit(repo / "plans/paris/member.yaml", "phone: +33 1 42 76 40 40", "phone: +33 1 42 76 40 41")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_example_plan(tmp_path_factory.mktemp("diff") / "repo", "paris/2024-2026", "schemas")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Paris 2024-2026")
    make_edits(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Edits of every kind")
    yield root


def diff(repo: Path, *args: str, fmt: str = "text") -> tuple[int, str, str]:
    extra = [] if fmt == "json" else ["--templates", str(TEMPLATES)]
    result = run_cli(["diff", *args, "--format", fmt, *extra], repo, BUILD_DATE)
    return result.code, result.out, result.err


# --- golden outputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "ext"), [("text", "txt"), ("markdown", "md"), ("html", "html"), ("json", "json")]
)
def test_revision_against_working_folder(repo: Path, fmt: str, ext: str) -> None:
    code, out, err = diff(repo, f"HEAD~1:{PLAN}", PLAN, fmt=fmt)
    assert code == 0, err
    check_golden(f"diff/revisions.{ext}", SHA.sub("<commit>", out))


@pytest.mark.parametrize(("fmt", "ext"), [("text", "txt"), ("json", "json")])
def test_revision_against_revision(repo: Path, fmt: str, ext: str) -> None:
    code, out, err = diff(repo, f"HEAD~1:{PLAN}", f"HEAD:{PLAN}", fmt=fmt)
    assert code == 0, err
    check_golden(f"diff/revision-to-revision.{ext}", SHA.sub("<commit>", out))
    # the same diff as against the working folder, but for how the new side is named
    _, folder, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN, fmt=fmt)
    if fmt == "json":
        a, b = json.loads(out), json.loads(folder)
        a.pop("new"), b.pop("new")
        assert a == b


@pytest.mark.parametrize(
    ("fmt", "ext"), [("text", "txt"), ("markdown", "md"), ("html", "html"), ("json", "json")]
)
def test_two_cycles_of_paris(fmt: str, ext: str) -> None:
    code, out, err = diff(ROOT, "plans/paris/2021-2023", PLAN, fmt=fmt)
    assert code == 0, err
    check_golden(f"diff/paris-cycles.{ext}", SHA.sub("<commit>", out))


# --- what the diff finds ----------------------------------------------------------------------


def json_diff(repo: Path, *args: str) -> dict:
    code, out, err = diff(repo, *args, fmt="json")
    assert code == 0, err
    data: dict = json.loads(out)
    return data


def test_every_kind_of_change_is_found(repo: Path) -> None:
    data = json_diff(repo, f"HEAD~1:{PLAN}", PLAN)
    commitments = data["commitments"]
    assert [c["id"] for c in commitments["added"]] == ["budget-vert"]
    assert [c["id"] for c in commitments["removed"]] == ["donnees-climat"]
    changed = {c["id"]: c for c in commitments["changed"]}
    assert set(changed) == {
        "budget-participatif",
        "commande-publique-ouverte",
        "logement-social-transparent",
    }
    budget = changed["budget-participatif"]
    summary = next(f for f in budget["fields"] if f["path"] == "summary")
    assert {w["lang"] for w in summary["words"]} == {"fr", "en"}
    english = next(w for w in summary["words"] if w["lang"] == "en")
    assert {"op": "insert", "text": "all"} in english["spans"]
    [move] = budget["milestones_moved"]
    assert (move["id"], move["old_end"], move["new_end"], move["slip_days"]) == (
        "reunions-quartiers",
        "2025-11-30",
        "2026-01-14",
        45,
    )
    [retitled] = budget["milestones_changed"]
    assert retitled["id"] == "cout-reel" and retitled["fields"][0]["path"] == "title"
    [status] = budget["status_changes"]
    assert (status["old"], status["new"], status["regression"]) == ("complete", "in-progress", True)
    assert [e["date"] for e in budget["progress_added"]] == ["2025-12-20"]
    assert [e["date"] for e in budget["progress_changed"]] == ["2024-12-16"]
    stalled = changed["commande-publique-ouverte"]["status_changes"][0]
    assert (stalled["new"], stalled["regression"]) == ("stalled", True)
    done = changed["logement-social-transparent"]["status_changes"][0]
    assert (done["old"], done["new"], done["regression"]) == ("in-progress", "complete", False)
    assert [f["path"] for f in data["vision"]] == ["long_term_vision"]
    approval = data["approval"]
    assert approval["change"] == "changed"
    assert {(f["path"], f["change"]) for f in approval["fields"]} == {
        ("date", "changed"),
        ("approved_by[Collectif Données Citoyennes]", "removed"),
    }
    people = data["participants"]
    assert [p["name"] for p in people["added"]] == ["Conseil parisien de la jeunesse"]
    assert [p["name"] for p in people["removed"]] == ["Agence d'écologie urbaine"]
    [role] = people["changed"]
    assert role["fields"] == [
        {
            "path": "role",
            "change": "changed",
            "old": "strategic-stakeholder",
            "new": "civil-society-counterpart",
            "words": [],
        }
    ]
    assert [f["path"] for f in data["member"]] == ["point_of_contact.phone"]
    assert data["summary"]["status_regressions"] == 2
    assert data["summary"]["max_slip_days"] == 45
    assert not data["cross_cycle"] and not data["identical"]


def test_the_summary_line_comes_first_in_markdown(repo: Path) -> None:
    _, out, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN, fmt="markdown")
    assert out.splitlines()[0] == (
        "**paris/2024-2026**: 1 commitment added, 1 withdrawn, 3 changed; 1 milestone moved "
        "(max slip 45 days); 3 status changes, 2 regressions; 1 vision field changed; "
        "approval changed; 3 participant changes; 1 member field changed"
    )


def test_two_cycles_carried_over_dropped_and_new() -> None:
    data = json_diff(ROOT, "plans/paris/2021-2023", PLAN)
    assert data["cross_cycle"] is True
    commitments = data["commitments"]
    carried = [c["id"] for c in commitments["changed"] + commitments["unchanged"]]
    assert sorted(carried) == ["budget-participatif", "logement-social-transparent"]
    assert [c["id"] for c in commitments["removed"]] == ["agendas-elus"]
    assert sorted(c["id"] for c in commitments["added"]) == [
        "assemblee-citoyenne",
        "commande-publique-ouverte",
        "donnees-climat",
    ]
    assert data["assessments"] == []  # they belong to their cycle
    assert all(c["progress_added"] == [] for c in commitments["changed"])


def test_two_cycles_read_as_cycles(tmp_path: Path) -> None:
    _, out, _ = diff(ROOT, "plans/paris/2021-2023", PLAN)
    lines = out.splitlines()
    assert lines[2].startswith("3 new commitments, 1 dropped, 2 carried over (2 changed);")
    for heading in ("New commitments", "Dropped commitments", "Commitments carried over"):
        assert heading in lines
    assert "withdrawn" not in out


def test_french_labels(repo: Path) -> None:
    code, out, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN, "--lang", "fr")
    assert code == 0
    assert out.splitlines()[2].startswith("1 engagement ajouté, 1 retiré, 3 modifiés;")
    assert "régression" in out


# --- identical plans, exit codes, errors ------------------------------------------------------


def test_identical_plans_give_an_empty_diff(repo: Path) -> None:
    code, out, _ = diff(repo, f"HEAD:{PLAN}", PLAN, "--exit-code")
    assert code == 0
    assert out.splitlines()[-1] == "No changes"
    data = json_diff(repo, f"HEAD:{PLAN}", PLAN)
    assert data["identical"] is True
    assert data["commitments"]["changed"] == [] and data["vision"] == []
    assert data["commitments"]["unchanged"] != []


def test_exit_code_when_the_plans_differ(repo: Path) -> None:
    assert diff(repo, f"HEAD~1:{PLAN}", PLAN, "--exit-code")[0] == 1
    assert diff(repo, f"HEAD~1:{PLAN}", PLAN)[0] == 0


def test_whitespace_only_changes_are_no_change(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "plans"
    shutil.copytree(repo / "plans", copy)
    vision = copy / "paris/2024-2026/vision.yaml"
    edit(
        vision,
        "Une ville où chaque décision publique importante peut être suivie de son",
        "Une ville où chaque décision publique importante\n    peut être suivie de son",
    )
    code, out, _ = diff(repo, PLAN, str(copy / "paris/2024-2026"), "--exit-code")
    assert (code, out.splitlines()[-1]) == (0, "No changes")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope:" + PLAN, PLAN], "unknown revision `nope`"),
        (["HEAD:plans/paris/2099-2100", PLAN], "no folder `plans/paris/2099-2100`"),
        (["plans/paris/2099-2100", PLAN], "no such folder"),
        (["plans/paris", PLAN], "not a plan folder"),
        (["HEAD:plans/paris", PLAN], "not a plan folder"),
        (["HEAD:plans", PLAN], "not a plan folder"),
        ([PLAN, PLAN, "--format", "pdf"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2(repo: Path, args: list[str], message: str) -> None:
    code, _, err = diff(repo, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_not_a_repository_exits_2(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans/paris", tmp_path / "plans/paris")
    code, _, err = diff(tmp_path, f"HEAD:{PLAN}", PLAN)
    assert code == 2
    assert "not in a git repository" in err


def test_a_plan_that_does_not_validate_exits_2_with_its_problems(
    repo: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "plans"
    shutil.copytree(repo / "plans", copy)
    broken = copy / "paris/2024-2026/commitments/budget-participatif.yaml"
    edit(broken, "    end: 2026-01-14\n", "    end: soon\n")
    code, out, err = diff(repo, PLAN, str(copy / "paris/2024-2026"))
    assert (code, out) == (2, "")
    assert "budget-participatif.yaml:" in err and "error [" in err
    assert "does not validate" in err


def test_a_rule_problem_is_shown_and_the_diff_goes_on(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "plans"
    shutil.copytree(repo / "plans", copy)
    log = copy / "paris/2024-2026/progress/budget-participatif.yaml"
    append(log, "  - date: 2025-01-01\n    milestone: cout-reel\n    status: complete\n")
    code, out, err = diff(repo, PLAN, str(copy / "paris/2024-2026"))
    assert code == 0
    assert "has problems (the diff goes on)" in err
    assert "Progress entries" in out


def test_a_broken_file_at_a_revision_is_reported_with_rev_and_path(repo: Path) -> None:
    code, _, err = diff(repo, f"HEAD~1:{PLAN}/vision.yaml", PLAN)
    assert code == 2  # a file is not a plan folder
    assert "not a plan folder" in err or "no folder" in err


def test_path_is_read_from_the_working_directory(repo: Path) -> None:
    result = run_cli(
        ["diff", "HEAD~1:paris/2024-2026", "paris/2024-2026", "--format", "json"],
        repo / "plans",
        BUILD_DATE,
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["old"]["path"] == PLAN and data["old"]["revision"] == "HEAD~1"


# --- formats ----------------------------------------------------------------------------------


def test_json_follows_its_schema(repo: Path) -> None:
    schema = json.loads((ROOT / "schemas/diff.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for args in ((f"HEAD~1:{PLAN}", PLAN), (f"HEAD:{PLAN}", PLAN)):
        validator.validate(json_diff(repo, *args))
    validator.validate(json_diff(ROOT, "plans/paris/2021-2023", PLAN))


@pytest.mark.parametrize("lang", [None, "en", "es"])
def test_html_is_a_standalone_accessible_page(repo: Path, lang: str | None) -> None:
    extra = ["--lang", lang] if lang else []
    code, out, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN, *extra, fmt="html")
    assert code == 0
    page = lxml.html.document_fromstring(out)
    assert page.get("lang") == (lang or "fr")  # the new plan's primary language by default
    assert len(page.findall(".//h1")) == 1
    assert page.findall(".//table") and all(
        th.get("scope") in ("col", "row") for th in page.iter("th")
    )
    assert page.findall(".//ins") and page.findall(".//del")
    assert not page.xpath("//script | //link | //img | //iframe | //object")
    assert not re.search(r"url\(|@import", out)
    # English text in a French page is marked as English
    if lang is None:  # the English word diffs of a French page are marked as English
        assert page.xpath("//p[@lang='en']//ins")
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_html_is_well_formed_xml_apart_from_the_doctype(repo: Path) -> None:
    from xml.etree import ElementTree

    _, out, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN, fmt="html")
    body = out.split("\n", 1)[1]  # <!DOCTYPE html>
    body = re.sub(r"<meta [^>]*>", "", body)
    ElementTree.fromstring(body)


def test_colour_only_when_asked_or_on_a_terminal(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, plain, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN)
    assert "\x1b[" not in plain
    _, coloured, _ = diff(repo, f"HEAD~1:{PLAN}", PLAN, "--color", "always")
    assert "\x1b[32m" in coloured and "\x1b[31m" in coloured
    from actionplan.cli import diff as command

    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert command._use_color("auto")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not command._use_color("auto")


# --- the parts --------------------------------------------------------------------------------


def test_regressions() -> None:
    assert is_regression("complete", "in-progress")
    assert is_regression("complete", "not-started")
    assert is_regression("in-progress", "stalled")
    assert is_regression(None, "abandoned")
    assert is_regression("stalled", "abandoned")
    assert not is_regression("in-progress", "complete")
    assert not is_regression("stalled", "in-progress")
    assert not is_regression("stalled", "stalled")
    assert not is_regression("complete", None)


def test_word_tokens_keep_paragraph_breaks_only() -> None:
    text = "One two\n  three.\n\n- four\n- five\n"
    assert tokens(text) == ["One", "two", "three.", PARAGRAPH, "-", "four", "-", "five"]
    assert join(tokens(text)) == "One two three.\n\n- four - five"


def test_word_spans() -> None:
    similarity, spans = word_spans("the quick brown fox", "the slow brown fox jumps")
    assert [(s.op, s.text) for s in spans] == [
        ("equal", "the"),
        ("delete", "quick"),
        ("insert", "slow"),
        ("equal", "brown fox"),
        ("insert", "jumps"),
    ]
    assert 0 < similarity < 1
    assert prose_diffs({"fr": "a b", "en": "c d"}, {"fr": "a  b", "en": "c e"}, "fr", "fr") != []
    assert [
        p.lang
        for p in prose_diffs({"fr": "a b", "en": "c d"}, {"fr": "a  b", "en": "c e"}, "fr", "fr")
    ] == ["en"]
    assert prose_diffs("a\nb", "a b", "fr", "fr") == []


def test_long_runs_of_kept_words_are_cut() -> None:
    words = " ".join(f"w{i}" for i in range(40))
    _, spans = word_spans(words, words.replace("w20", "X"))
    shown = ["…" if s is None else s.text for s in elide(spans, 3)]
    assert shown == ["…", "w17 w18 w19", "w20", "X", "w21 w22 w23", "…"]


def test_textconv_is_one_value_a_line_whatever_the_wrapping(tmp_path: Path) -> None:
    source = ROOT / PLAN / "commitments/budget-participatif.yaml"
    text = source.read_text(encoding="utf-8")
    a = tmp_path / "a_budget.yaml"  # as git names its temporary copies: no plan layout
    b = tmp_path / "b_budget.yaml"
    a.write_text(text, encoding="utf-8")
    b.write_text(
        text.replace(
            "Poursuivre le suivi public des projets lauréats engagé en 2021, en y",
            "Poursuivre le suivi public des projets\n    lauréats engagé en 2021, en y",
        ),
        encoding="utf-8",
    )
    assert textconv(a) == textconv(b)
    lines = textconv(a).splitlines()
    assert "milestones[reunions-quartiers].end: 2025-11-30" in lines
    assert lines[0] == "id: budget-participatif"


def test_textconv_of_a_broken_file_is_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    assert textconv(broken) == "title: [unclosed\n"
    result = run_cli(["textconv", str(broken)], tmp_path)
    assert (result.code, result.out) == (0, "title: [unclosed\n")


def test_gitattributes_routes_plan_files_to_textconv() -> None:
    lines = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "plans/**/*.yaml diff=actionplan" in lines


def test_doit_diff_action_writes_every_format(repo: Path, tmp_path: Path) -> None:
    old_cwd = os.getcwd()
    os.environ["SOURCE_DATE_EPOCH"] = epoch_of(BUILD_DATE)
    try:
        os.chdir(repo)
        plans = [(repo / "plans/paris", repo / PLAN)]
        assert tasks.diff_action("HEAD~1", repo, plans, TEMPLATES) is None
    finally:
        os.chdir(old_cwd)
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    outputs = tasks.diff_outputs(repo / "build", "paris/2024-2026")
    assert sorted(p.name for p in outputs.values()) == [
        "2024-2026.html",
        "2024-2026.json",
        "2024-2026.md",
    ]
    assert all(p.is_file() for p in outputs.values())
    assert (
        json.loads(outputs["json"].read_text(encoding="utf-8"))["summary"]["commitments_added"] == 1
    )
    task = tasks.task(repo, plans, TEMPLATES)
    assert task["params"][0]["name"] == "rev" and task["params"][0]["default"] == "HEAD"


def test_pull_request_comment(repo: Path, tmp_path: Path) -> None:
    old_cwd = os.getcwd()
    try:
        os.chdir(repo)
        body = comment(repo, "HEAD~1", tmp_path / "out")
    finally:
        os.chdir(old_cwd)
    assert body.startswith(MARKER)
    assert "**paris/2024-2026**: 1 commitment added, 1 withdrawn, 3 changed;" in body
    assert (tmp_path / "out/paris/2024-2026.md").is_file()
