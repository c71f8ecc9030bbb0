"""The build split by member across machines (`ACTIONPLAN_SHARD=K/N doit`): each shard lists
and builds only its members' plans, every member falls in exactly one shard, and the shards'
build/ folders merged hold the same bytes as one build of the whole repository.

The example plans fall in 3 shards as paris (1/3), buenos-aires and scotland (2/3) and none
(3/3): an empty shard builds nothing and succeeds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from actionplan.errors import UsageError
from actionplan.pipeline import project
from builds import PLANS, copy_repository, doit

SHARDS = 3
FAMILIES = ("json", "html", "efiling")
"""The families without PDF or DOCX, so that the test takes seconds: measured on two loaded
cores, 5 s; with docx 16 s; with every family (the PDFs, the monitoring documents) it passes
too, in 117 s."""


def built_files(repo: Path) -> dict[str, str]:
    """Every file under build/, by path relative to it, as its sha256 (doit's own record,
    `.doit.db`, stands beside build/, not in it), but the caches of build/cache/, which are no
    output: each shard keeps what it read, and the workflow does not carry them."""
    build = repo / "build"
    return {
        str(path.relative_to(build)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(build.rglob("*"))
        if path.is_file() and path.relative_to(build).parts[0] != "cache"
    }


def listed_plans(repo: Path, monkeypatch: pytest.MonkeyPatch, shard: str) -> set[str]:
    monkeypatch.setenv(project.SHARD_VARIABLE, shard)
    names = doit(repo, "list", "--all", "--quiet").stdout.split()
    return {name.split(":", 1)[1] for name in names if name.startswith("json:")}


# ---- Choosing the members --------------------------------------------------------------------


def test_unset_or_blank_selects_every_member() -> None:
    assert project.shard({}) is None
    assert project.shard({project.SHARD_VARIABLE: " "}) is None


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "1/0", "a/b", "1/2/3", "-1/2", "1 /2"])
def test_a_malformed_shard_is_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(UsageError, match=r"ACTIONPLAN_SHARD=.*expected K/N.*1 <= K <= N"):
        project.shard({project.SHARD_VARIABLE: text})


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_every_member_falls_in_exactly_one_shard(count: int) -> None:
    members = [f"member-{number}" for number in range(300)]
    shards = [project.Shard(index, count) for index in range(1, count + 1)]
    for member in members:
        assert sum(shard.holds(member) for shard in shards) == 1, member
    sizes = [sum(shard.holds(member) for member in members) for shard in shards]
    assert min(sizes) >= 300 / count / 2, sizes  # spread, not all in one


def test_the_shard_of_a_member_is_the_same_everywhere() -> None:
    # sha256, not Python's salted hash: these hold on every machine and in every run.
    assert project.Shard(1, 3).holds("paris")
    assert project.Shard(2, 3).holds("scotland") and project.Shard(2, 3).holds("buenos-aires")


def test_doit_list_shows_only_the_shards_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_repository(tmp_path / "repo")
    everything = {plan.name for plan in PLANS}
    shards = [listed_plans(repo, monkeypatch, f"{k}/{SHARDS}") for k in range(1, SHARDS + 1)]
    assert shards == [
        {"paris/2021-2023", "paris/2024-2026"},
        {"buenos-aires/2026-2027", "scotland/2023-2025"},
        set(),
    ]
    assert set().union(*shards) == everything
    monkeypatch.delenv(project.SHARD_VARIABLE)
    assert listed_plans(repo, monkeypatch, "") == everything


def test_a_malformed_shard_fails_the_build_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_repository(tmp_path / "repo")
    monkeypatch.setenv(project.SHARD_VARIABLE, "5/4")
    result = doit(repo, "json", check=False)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "cannot list the tasks: ACTIONPLAN_SHARD='5/4': expected K/N" in out
    assert "Traceback" not in out
    assert not (repo / "build").exists() or not any((repo / "build").rglob("*.json"))


# ---- The same bytes --------------------------------------------------------------------------


def test_the_shards_merged_are_the_whole_build_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = copy_repository(tmp_path / "whole")
    monkeypatch.delenv(project.SHARD_VARIABLE, raising=False)
    doit(whole, *FAMILIES)
    expected = built_files(whole)
    assert {name.split("/", 1)[0] for name in expected} == {p.name.split("/")[0] for p in PLANS}

    merged: dict[str, str] = {}
    for k in range(1, SHARDS + 1):
        shard = copy_repository(tmp_path / f"shard-{k}")
        monkeypatch.setenv(project.SHARD_VARIABLE, f"{k}/{SHARDS}")
        doit(shard, *FAMILIES)
        files = built_files(shard) if (shard / "build").is_dir() else {}
        assert not set(files) & set(merged), "a file built by two shards"
        merged |= files

    assert sorted(merged) == sorted(expected)
    differ = [name for name in expected if merged[name] != expected[name]]
    assert not differ, f"shards' bytes differ from the whole build: {differ}"
