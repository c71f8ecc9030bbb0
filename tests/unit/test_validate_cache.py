"""The validate cache: a cached run prints what an uncached one does, and any change misses."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import actionplan
from actionplan.validate import validate_paths
from actionplan.validate.cache import FOLDER, Cache, default_folder, tool_digest
from helpers import BASE_PLAN, DEFAULT_BUILD_DATE, Case, Run, build_repo, case_dirs, run_cli

CASES = case_dirs("valid") + case_dirs("invalid")


def _entries(cache: Path) -> set[str]:
    folder = cache / "validate"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _same(a: Run, b: Run) -> None:
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err)


@pytest.mark.parametrize("case_dir", CASES, ids=[p.name for p in CASES])
def test_a_cached_run_prints_what_an_uncached_run_prints(case_dir: Path, tmp_path: Path) -> None:
    case = Case.load(case_dir)
    repo = build_repo(case, tmp_path / "repo")
    cache = tmp_path / "cache"
    strict = ["--strict"] if case.strict else []
    for form in ("text", "json"):
        args = ["validate", "--format", form, *strict]
        fresh = run_cli([*args, "--no-cache"], repo, case.build_date)
        cold = run_cli([*args, "--cache-dir", str(cache)], repo, case.build_date)
        stored = _entries(cache)
        warm = run_cli([*args, "--cache-dir", str(cache)], repo, case.build_date)
        _same(fresh, cold)
        _same(fresh, warm)
        assert stored and _entries(cache) == stored  # the second run wrote nothing: all hits


def _run(repo: Path, cache: Path, today: dt.date = DEFAULT_BUILD_DATE, strict: bool = False) -> int:
    """The plans of `repo` checked with the cache: how many came from it."""
    old = os.getcwd()
    os.chdir(repo)
    try:
        result = validate_paths([Path(".")], strict=strict, cache=Cache(cache, today, strict))
    finally:
        os.chdir(old)
    return result.cached


def test_a_second_run_checks_nothing_again(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _run(repo, cache) == 0
    assert _run(repo, cache) == 1


@pytest.mark.parametrize(
    "change",
    ["a file", "a new file", "a removed file", "the build date", "strict", "the tool's version"],
)
def test_any_change_of_an_input_misses(
    change: str, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _run(repo, cache)
    plan = repo / BASE_PLAN.relative_to(BASE_PLAN.parents[2])
    today, strict = DEFAULT_BUILD_DATE, False
    if change == "a file":
        vision = plan / "vision.yaml"
        vision.write_bytes(vision.read_bytes() + b"\n")
    elif change == "a new file":
        (plan / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    elif change == "a removed file":
        next((plan / "commitments").glob("*.yaml")).unlink()
    elif change == "the build date":
        today = DEFAULT_BUILD_DATE + dt.timedelta(days=1)
    elif change == "strict":
        strict = True
    else:
        monkeypatch.setattr(actionplan, "__version__", "99.0")
        tool_digest.cache_clear()
    try:
        assert _run(repo, cache, today, strict) == 0
    finally:
        tool_digest.cache_clear()


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b'{"format": 1}', b"\xff\xfe"])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(
    garbage: bytes, repo: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fresh = run_cli(["validate", "--no-cache"], repo)
    run_cli(["validate", "--cache-dir", str(cache)], repo)
    (entry,) = (cache / "validate").iterdir()
    entry.write_bytes(garbage)
    _same(fresh, run_cli(["validate", "--cache-dir", str(cache)], repo))
    assert entry.read_bytes() != garbage
    assert _run(repo, cache) == 1


def test_a_foreign_entry_under_the_key_is_not_trusted(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _run(repo, cache)
    (entry,) = (cache / "validate").iterdir()
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace('"problems": [', '"problems": [{"file": 1}, ', 1))
    assert _run(repo, cache) == 0


def test_an_unwritable_cache_warns_once_and_changes_nothing_else(
    repo: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    fresh = run_cli(["validate", "--no-cache"], repo)
    run = run_cli(["validate", "--cache-dir", str(blocker)], repo)
    assert (run.code, run.out) == (fresh.code, fresh.out)
    warnings = [ln for ln in run.err.splitlines() if "validation cache" in ln]
    assert len(warnings) == 1 and str(blocker) in warnings[0]
    assert run.err.replace(warnings[0] + "\n", "") == fresh.err


def test_no_cache_writes_nothing_and_the_default_is_in_build(repo: Path) -> None:
    run_cli(["validate", "--no-cache"], repo)
    assert not (repo / "build").exists()
    run_cli(["validate", "plans/sample-city"], repo)
    assert _entries(repo / FOLDER)
    assert default_folder([repo / "plans" / "sample-city"]) == repo / FOLDER
    assert sorted(p.name for p in repo.iterdir()) == ["build", "plans"]  # nothing else written


def test_no_cache_outside_a_repository_nor_through_a_build_link(repo: Path, tmp_path: Path) -> None:
    assert default_folder([tmp_path / "lone.yaml"]) is None
    (tmp_path / "elsewhere").mkdir()
    (repo / "build").symlink_to(tmp_path / "elsewhere")
    assert default_folder([repo]) is None
    run_cli(["validate"], repo)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_link_out_of_the_plans_and_a_lone_file_read_the_same(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")
    plan = repo / BASE_PLAN.relative_to(BASE_PLAN.parents[2])
    (plan / "commitments" / "leak.yaml").symlink_to(secret)
    cache = tmp_path / "cache"
    for args in (["validate"], ["validate", str(plan / "vision.yaml")]):
        fresh = run_cli([*args, "--no-cache"], repo)
        assert "symlink-outside" in fresh.out or args[1:]
        _same(fresh, run_cli([*args, "--cache-dir", str(cache)], repo))
        _same(fresh, run_cli([*args, "--cache-dir", str(cache)], repo))
    secret.write_text("id: changed\n", encoding="utf-8")  # not read, so not in the key
    assert _run(repo, cache) == 1
