"""Hostile file trees: links out of the repository or in loops, unreadable folders, FIFOs and
devices, files that stand outside the layout. Each is reported at the path that causes it, with
a rule id; none is followed out of the repository, opened when it is not a regular file, or
left to an internal error."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import BASE, DEFAULT_BUILD_DATE, epoch_of, run_cli

PLAN = "plans/sample-city/2024-2025"
MEMBER = "plans/sample-city"
SRC = Path(__file__).resolve().parents[2] / "src"


def rules_at(lines: list[str]) -> list[str]:
    """`FILE [RULE]` of each report line, sorted."""
    return sorted(f"{line.split(':')[0]} [{line.split('[')[1].split(']')[0]}]" for line in lines)


def run_process(
    args: list[str], cwd: Path, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, with a timeout: a hang fails the test, not the run."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch_of(DEFAULT_BUILD_DATE)}
    env["PYTHONPATH"] = str(SRC)
    return subprocess.run(
        [sys.executable, "-m", "actionplan", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=preexec,
    )


# --- symbolic links to folders: reported at the link, never followed out ----------------------


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (f"{PLAN}/commitments/root", "/"),
        (f"{PLAN}/usr", "/usr"),
        (f"{MEMBER}/usr", "/usr"),
        ("plans/usr", "/usr"),
    ],
)
def test_a_link_to_a_system_folder_is_reported_at_the_link(
    repo: Path, link: str, target: str
) -> None:
    (repo / link).symlink_to(target)
    started = time.monotonic()
    result = run_cli(["validate"], repo)
    assert time.monotonic() - started < 20
    assert "internal error" not in result.err, result.err
    assert result.code == 1, result.out + result.err
    assert rules_at(result.lines) == [f"{link} [symlink-outside]"], result.out
    assert "folder outside the plans folder" in result.out


def test_a_cycle_folder_linked_out_is_reported_at_the_link(repo: Path, tmp_path: Path) -> None:
    elsewhere = shutil.copytree(repo / PLAN, tmp_path / "elsewhere")
    (repo / MEMBER / "2026-2027").symlink_to(elsewhere)
    result = run_cli(["validate"], repo)
    assert rules_at(result.lines) == [f"{MEMBER}/2026-2027 [symlink-outside]"], result.out
    direct = run_cli(["validate", f"{MEMBER}/2026-2027"], repo)
    assert direct.code == 1
    assert rules_at(direct.lines) == [f"{MEMBER}/2026-2027 [symlink-outside]"], direct.out


def test_a_member_folder_linked_out_is_reported_once_at_the_link(
    repo: Path, tmp_path: Path
) -> None:
    elsewhere = shutil.copytree(repo / MEMBER, tmp_path / "elsewhere")
    (repo / "plans" / "linked-city").symlink_to(elsewhere)
    for args in (["validate"], ["validate", "plans/linked-city"]):
        result = run_cli(args, repo)
        assert result.code == 1
        assert rules_at(result.lines) == ["plans/linked-city [symlink-outside]"], result.out
        assert str(tmp_path / "elsewhere") not in result.out


def test_a_link_to_a_folder_inside_the_repository_is_followed(repo: Path) -> None:
    shared = repo / "plans" / "_shared"
    shared.mkdir()
    (repo / PLAN / "commitments").rename(shared / "commitments")
    (repo / PLAN / "commitments").symlink_to("../../_shared/commitments")
    result = run_cli(["validate", "--strict"], repo)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (f"{PLAN}/commitments/self", "."),
        (f"{PLAN}/commitments/up", ".."),
        (f"{PLAN}/progress/member", "../.."),
        (f"{PLAN}/assessments/plans", "../../.."),
        (f"{MEMBER}/again", "."),
        ("plans/again", "."),
    ],
)
def test_a_link_in_a_loop_is_reported_at_the_link(repo: Path, link: str, target: str) -> None:
    (repo / link).symlink_to(target)
    result = run_cli(["validate"], repo)
    assert "internal error" not in result.err, result.err
    assert result.code == 1, result.out + result.err
    assert rules_at(result.lines) == [f"{link} [symlink-loop]"], result.out


def test_links_between_two_folders_are_read_once(repo: Path) -> None:
    (repo / PLAN / "commitments" / "to-progress").symlink_to("../progress")
    (repo / PLAN / "progress" / "to-commitments").symlink_to("../commitments")
    result = run_cli(["validate"], repo)
    assert rules_at(result.lines) == [
        f"{PLAN}/commitments/to-progress [symlink-loop]",
        f"{PLAN}/progress/to-commitments [symlink-loop]",
    ], result.out


def test_links_fanning_out_are_walked_in_linear_time(repo: Path) -> None:
    """Two links to each next folder, twenty deep: 2**20 paths, 20 folders read once each."""
    shared = repo / "plans" / "_shared"
    depth = 20
    for level in range(depth):
        (shared / f"d{level}").mkdir(parents=True)
    for level in range(depth - 1):
        for name in ("a", "b"):
            (shared / f"d{level}" / name).symlink_to(f"../d{level + 1}")
    (repo / PLAN / "commitments" / "deep").symlink_to("../../../_shared/d0")
    started = time.monotonic()
    result = run_cli(["validate"], repo)
    assert time.monotonic() - started < 10
    assert result.code == 1
    assert {line.split("[")[1].split("]")[0] for line in result.lines} == {"symlink-loop"}
    assert len(result.lines) == depth - 1  # the second link to each folder


def test_a_big_tree_is_walked_in_linear_time(repo: Path) -> None:
    """Ten thousand entries that are not plan files: a walk, not a search per entry."""
    notes = repo / PLAN / "notes"
    for folder in range(100):
        (notes / f"n{folder}").mkdir(parents=True)
        for index in range(100):
            (notes / f"n{folder}" / f"{index}.md").touch()
    started = time.monotonic()
    result = run_cli(["validate", "--strict"], repo)
    assert time.monotonic() - started < 10
    assert result.code == 0, result.out


# --- files that are not regular files: never opened -----------------------------------------


def test_a_fifo_named_yaml_is_reported_not_opened(repo: Path) -> None:
    os.mkfifo(repo / PLAN / "commitments" / "pipe.yaml")
    os.mkfifo(repo / PLAN / "commitments" / "pipe.md")  # not a plan file: not a problem
    done = run_process(["validate"], repo)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        f"{PLAN}/commitments/pipe.yaml:1:1: error [file-unreadable] this is a named pipe, "
        "not a regular file; it is not read"
    ]


def test_a_member_file_that_is_a_fifo_is_reported_not_opened(repo: Path) -> None:
    (repo / MEMBER / "member.yaml").unlink()
    os.mkfifo(repo / MEMBER / "member.yaml")
    done = run_process(["validate"], repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{MEMBER}/member.yaml:1:1: error [file-unreadable] this is a named pipe" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_fifo_given_as_path_is_a_bad_path(repo: Path) -> None:
    os.mkfifo(repo / PLAN / "commitments" / "pipe.yaml")
    for command in ("validate", "textconv"):
        done = run_process([command, f"{PLAN}/commitments/pipe.yaml"], repo)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "pipe.yaml: not a regular file" in done.stderr
        assert "(a named pipe)" in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["validate", "textconv"])
def test_dev_null_is_a_bad_path(repo: Path, command: str) -> None:
    result = run_cli([command, "/dev/null"], repo)
    assert result.code == 2, result.out + result.err
    assert result.out == ""
    assert "actionplan: /dev/null: not a regular file" in result.err
    assert "(a character device)" in result.err


def test_proc_is_a_bad_path(repo: Path) -> None:
    result = run_cli(["validate", "/proc"], repo)
    assert result.code == 2, result.out + result.err
    assert "internal error" not in result.err
    assert "/proc: no plans found" in result.err


def test_a_path_through_a_file_is_a_bad_path(repo: Path) -> None:
    result = run_cli(["validate", f"{MEMBER}/member.yaml/2024-2025"], repo)
    assert result.code == 2
    assert "member.yaml/2024-2025: no such file or folder" in result.err


# --- unreadable folders -------------------------------------------------------------------------


def _without_file_permission_override() -> None:
    """In the child: drop the capabilities that let root read any folder (as a user process
    would run), so that a folder without permissions is as unreadable to it as to anyone."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    preexec = _without_file_permission_override if os.geteuid() == 0 else None
    return run_process(args, cwd, preexec)


@pytest.mark.parametrize("folder", [f"{PLAN}/commitments", PLAN, MEMBER])
def test_an_unreadable_folder_is_reported_at_the_folder(repo: Path, folder: str) -> None:
    os.chmod(repo / folder, 0)
    try:
        done = run_unprivileged(["validate"], repo)
    finally:
        os.chmod(repo / folder, 0o755)
    assert "Traceback" not in done.stderr, done.stderr
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert (
        f"{folder}:1:1: error [file-unreadable] cannot read the folder: Permission denied; "
        "the plan files in it are not checked"
    ) in lines, done.stdout
    if folder != f"{PLAN}/commitments":  # (without the commitments, references do not resolve)
        assert len(lines) == 1, done.stdout


def test_an_unreadable_plans_folder_is_a_bad_path(repo: Path) -> None:
    os.chmod(repo / "plans", 0)
    try:
        done = run_unprivileged(["validate"], repo)
    finally:
        os.chmod(repo / "plans", 0o755)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "plans: cannot read the folder: Permission denied" in done.stderr
    assert "Traceback" not in done.stderr


# --- files standing outside the layout ----------------------------------------------------------


def test_files_outside_the_layout_are_reported(repo: Path) -> None:
    shutil.copy(repo / MEMBER / "member.yaml", repo / PLAN / "member.yaml")
    shutil.copy(repo / PLAN / "vision.yaml", repo / "plans" / "vision.yaml")
    shutil.copy(repo / PLAN / "vision.yaml", repo / MEMBER / "vision.yaml")
    commitment = repo / PLAN / "commitments" / "open-budget.yaml"
    commitment.rename(commitment.with_name("open-budget.YAML"))
    (repo / MEMBER / "Member.YAML").write_text("id: x\n", encoding="utf-8")
    (repo / "plans" / "_drafts.yaml").write_text("id: x\n", encoding="utf-8")  # set aside
    result = run_cli(["validate"], repo)
    assert "internal error" not in result.err, result.err
    stray = [line for line in result.lines if "[layout-unknown-file]" in line]
    assert rules_at(stray) == sorted(
        [
            f"{MEMBER}/Member.YAML [layout-unknown-file]",
            f"{PLAN}/commitments/open-budget.YAML [layout-unknown-file]",
            f"{PLAN}/member.yaml [layout-unknown-file]",
            f"{MEMBER}/vision.yaml [layout-unknown-file]",
            "plans/vision.yaml [layout-unknown-file]",
        ]
    ), result.out
    text = "\n".join(stray)
    assert "open-budget.YAML:1:1: error [layout-unknown-file] " in text
    assert "rename it to open-budget.yaml (plan files end in lower-case .yaml)" in text
    assert f"{PLAN}/member.yaml:1:1: error [layout-unknown-file] " in text
    assert "member.yaml stands in the member folder, plans/<member>/member.yaml" in text
    assert "plans/vision.yaml:1:1: error [layout-unknown-file] this file is not part" in text


def test_a_plans_folder_with_only_stray_files_says_so(repo: Path) -> None:
    shutil.rmtree(repo / MEMBER)
    (repo / "plans" / "vision.yaml").write_text("id: x\n", encoding="utf-8")
    result = run_cli(["validate"], repo)
    assert result.code == 2
    assert "no plans found" in result.err
    assert "plans/vision.yaml" in result.err


def test_what_stands_beside_a_plan_is_told_whatever_the_paths_given(repo: Path) -> None:
    (repo / MEMBER / "notes.yaml").write_text("a: b\n", encoding="utf-8")
    (repo / "plans" / "vision.yaml").write_text("a: b\n", encoding="utf-8")
    result = run_cli(["validate", PLAN, MEMBER, "plans"], repo)
    assert rules_at(result.lines) == [
        f"{MEMBER}/notes.yaml [layout-unknown-file]",
        "plans/vision.yaml [layout-unknown-file]",
    ], result.out


def test_a_file_given_that_links_out_is_not_read(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: s3cr3t-value\n", encoding="utf-8")
    leak = f"{PLAN}/commitments/leak.yaml"
    (repo / leak).symlink_to(secret)
    result = run_cli(["validate", leak], repo)
    assert result.code == 1
    assert "s3cr3t" not in result.out + result.err
    assert rules_at(result.lines) == [f"{leak} [symlink-outside]"], result.out


def test_a_plans_folder_reached_through_a_link_is_read(tmp_path: Path) -> None:
    shutil.copytree(BASE / "plans", tmp_path / "kept" / "all-plans")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "plans").symlink_to(tmp_path / "kept" / "all-plans")
    result = run_cli(["validate", "--strict"], tmp_path / "repo")
    assert result.code == 0, result.out + result.err
    assert "1 plan valid" in result.err
