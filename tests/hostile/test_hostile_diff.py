"""`actionplan diff` against hostile input: odd file names at a revision, `--lang` given a path,
and a revision read with exactly the rules a folder is read with.

Each test builds a small git repository from the base case (tests/cases/base) in a temporary
folder, so the revision side (`HEAD:PATH`) and the folder side (`PATH`) hold the same files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from actionplan.diff.api import render
from actionplan.errors import UsageError
from helpers import BASE, CASES, PREFIX, ROOT, Run, run_cli

TEMPLATES = ROOT / "templates"
PLAN = "plans/sample-city/2024-2025"
COMMITMENTS = f"{PLAN}/commitments"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def make_repo(root: Path, *overlays: str) -> Path:
    """The base plans, with the plans of the named invalid cases laid over them, committed."""
    shutil.copytree(BASE, root)
    for case in overlays:
        shutil.copytree(CASES / "invalid" / case / "plans", root / "plans", dirs_exist_ok=True)
    return root


def commit(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plans")


def diff(repo: Path, *args: str) -> Run:
    return run_cli(["diff", *args, "--templates", str(TEMPLATES)], repo)


def problem_lines(run: Run) -> list[str]:
    """The problem lines a diff printed on standard error, the `HEAD:` of a revision taken off."""
    lines = [line.removeprefix("HEAD:") for line in run.err.splitlines()]
    return sorted(line for line in lines if PREFIX.match(line))


def same_problems(repo: Path) -> tuple[list[str], list[str]]:
    """The problems of the plan read from HEAD and from the working folder, each compared with
    itself (so that a plan that does not merge still shows all its problems)."""
    at_head = diff(repo, f"HEAD:{PLAN}", f"HEAD:{PLAN}")
    in_folder = diff(repo, PLAN, PLAN)
    assert "Traceback" not in at_head.err + in_folder.err
    assert at_head.code == in_folder.code, at_head.err + in_folder.err
    return problem_lines(at_head), problem_lines(in_folder)


# --- file names at a revision -----------------------------------------------------------------


def odd_commitment(repo: Path, name: str, cid: str) -> None:
    text = (repo / COMMITMENTS / "open-contracts.yaml").read_text(encoding="utf-8")
    text = text.replace("id: open-contracts", f"id: {cid}")
    (repo / COMMITMENTS / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "extra\nname.yaml",  # a line break: a line-based reader shifts every later file
        "extra name.yaml",
        "\"extra\" 'name'.yaml",
        "extra\tname.yaml",
        "extra\n0123456789012345678901234567890123456789 blob 3\nname.yaml",  # a forged header
    ],
    ids=["newline", "space", "quotes", "tab", "forged-header"],
)
def test_each_file_at_a_revision_is_read_as_itself(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path / "repo")
    odd_commitment(repo, name, "extra")
    commit(repo)
    run = diff(repo, f"HEAD:{PLAN}", PLAN, "--format", "json", "--exit-code")
    assert "Traceback" not in run.err
    assert run.code == 0, run.err  # the same files, so no change
    # the name is not the id, which is reported, the same from both sides, escaped
    shown = name.replace("\n", "\\n")  # a tab is left as it is: it breaks no line
    old, new = problem_lines(run)[::2], problem_lines(run)[1::2]
    assert old == new
    assert len(new) == 1 and "[id-mismatch]" in new[0] and f"`{shown[:-5]}`" in new[0]
    assert f"{COMMITMENTS}/{shown}:1:5: error" in new[0]


def test_files_after_an_odd_name_keep_their_own_content(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    odd_commitment(repo, "a\nb.yaml", "a-b")
    commit(repo)
    run = run_cli(["diff", f"HEAD:{PLAN}", PLAN, "--format", "json"], repo)
    assert run.code == 0, run.err
    assert '"identical": true' in run.out


# --- --lang -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang",
    ["../../etc/passwd", "/etc/hostname", "../../../secret", "EN", "e", "en/", "en\n", ""],
)
def test_lang_must_be_a_language_code(tmp_path: Path, lang: str) -> None:
    repo = make_repo(tmp_path / "repo")
    (tmp_path / "secret.yaml").write_text("diff:\n  title: SECRET\n", encoding="utf-8")
    for fmt in ("text", "html"):
        run = diff(repo, PLAN, PLAN, "--format", fmt, "--lang", lang)
        assert run.code == 2, run.out + run.err
        assert run.out == ""
        assert "--lang" in run.err and "language code" in run.err
        assert "Traceback" not in run.err and "SECRET" not in run.err


def test_lang_without_a_catalogue_gets_english_labels(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    run = diff(repo, PLAN, PLAN, "--format", "markdown", "--lang", "de")
    assert run.code == 0, run.err
    english = diff(repo, PLAN, PLAN, "--format", "markdown", "--lang", "en")
    assert run.out == english.out


def test_render_refuses_a_path_for_a_language(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (tmp_path / "evil.yaml").write_text("diff: {}\n", encoding="utf-8")
    from actionplan.diff.api import diff_arguments

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        comparison = diff_arguments(PLAN, PLAN)
    finally:
        os.chdir(cwd)
    for fmt in ("text", "markdown", "html"):
        with pytest.raises(UsageError, match="language code"):
            render(comparison.diff, fmt, TEMPLATES, lang="../../../evil")


# --- the same rules for a revision as for a folder --------------------------------------------


def test_a_revision_is_checked_by_every_rule_a_folder_is(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo", "markdown-too-deep", "within-commitment", "layout-unknown-file"
    )
    commit(repo)
    at_head, in_folder = same_problems(repo)
    assert at_head == in_folder
    rules = {m.group("rule") for line in in_folder if (m := PREFIX.match(line))}
    assert {"markdown-too-deep", "within-commitment", "layout-unknown-file"} <= rules


def test_warnings_and_missing_files_read_alike(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", "translation-warnings")
    (repo / PLAN / "vision.yaml").unlink()
    commit(repo)
    at_head, in_folder = same_problems(repo)
    assert at_head == in_folder
    assert any("[layout-missing-file]" in line for line in in_folder)


def test_a_file_too_large_at_a_revision_reads_like_in_a_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    padding = "# " + "padding " * 7 + "pad\n"
    with (repo / PLAN / "assessments/final-summary.yaml").open("a", encoding="utf-8") as f:
        f.write(padding * 40_000)
    commit(repo)
    at_head, in_folder = same_problems(repo)
    assert at_head == in_folder
    assert any("[file-too-large]" in line for line in in_folder)


def test_a_link_out_of_the_plans_at_a_revision_is_not_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "secret.yaml").write_text("password: hunter2\n", encoding="utf-8")
    (repo / PLAN / "assessments/final-summary.yaml").unlink()
    (repo / PLAN / "assessments/final-summary.yaml").symlink_to("../../../../secret.yaml")
    link = repo / COMMITMENTS / "extra.yaml"
    link.symlink_to("/etc/hostname")
    commit(repo)
    at_head, in_folder = same_problems(repo)
    assert at_head == in_folder
    assert sum("[symlink-outside]" in line for line in in_folder) == 4  # twice per side


def test_a_link_inside_the_plans_at_a_revision_is_followed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    shared = repo / "plans" / "shared.yaml"
    (repo / COMMITMENTS / "open-contracts.yaml").rename(shared)
    (repo / COMMITMENTS / "open-contracts.yaml").symlink_to("../../../shared.yaml")
    commit(repo)
    run = diff(repo, f"HEAD:{PLAN}", PLAN, "--format", "json", "--exit-code")
    assert run.code == 0, run.err
    assert problem_lines(run) == []
