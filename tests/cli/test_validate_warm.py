"""`actionplan validate` from its cache, run as users run it (`python -m actionplan`): the same
output as a check of every plan, with the standard library alone; only what changed is checked
again, a damaged entry is a miss, and nothing is written outside the cache's folder."""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from actionplan.cli.parser import build_parser
from actionplan.cli.validate import parsed
from actionplan.validate import validate_paths
from actionplan.validate.cache import Cache
from helpers import CASES, DEFAULT_BUILD_DATE, Case, build_repo, epoch_of

# Modules a warm run must not import: the parser, the models and schemas, the checks, the
# libraries behind them, and importlib.metadata (slower to import than a warm run's work).
HEAVY = (
    "pydantic",
    "pydantic_core",
    "jsonschema",
    "ruamel",
    "_ruamel_yaml",
    "babel",
    "markdown_it",
    "pycountry",
    "jinja2",
    "importlib.metadata",
    "actionplan.loader",
    "actionplan.model",
    "actionplan.render",
    "actionplan.validate.plan",
    "actionplan.validate.rules",
    "actionplan.validate.schema",
    "actionplan.validate.catalogues",
)


# `python -m actionplan ARGS`, writing the modules it loaded to the file $MODULES as it exits
# (-X importtime would miss those that importlib.import_module loads, as the parser does).
DRIVER = """
import atexit, json, os, runpy, sys
def written():
    with open(os.environ["MODULES"], "w", encoding="utf-8") as handle:
        json.dump(sorted(sys.modules), handle)
atexit.register(written)
runpy.run_module("actionplan", run_name="__main__", alter_sys=True)
"""


@dataclass
class Ran:
    code: int
    out: str
    err: str
    imported: set[str]

    def heavy(self) -> set[str]:
        return {m for m in self.imported if m.split(".")[0] in HEAVY or m.startswith(HEAVY)}


def actionplan(args: list[str], cwd: Path) -> Ran:
    """`python -m actionplan ARGS` in `cwd`: its output and the modules it loaded."""
    modules = cwd.parent / f"modules-{os.getpid()}.json"
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch_of(DEFAULT_BUILD_DATE), MODULES=str(modules))
    command = [sys.executable, "-c", DRIVER, *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    imported = set(json.loads(modules.read_text(encoding="utf-8")))
    modules.unlink()
    return Ran(done.returncode, done.stdout, done.stderr, imported)


@pytest.fixture
def busy_repo(tmp_path: Path) -> Path:
    """Three plans with errors and warnings, and a label catalogue that lacks labels."""
    repo = build_repo(Case.load(CASES / "invalid" / "duplicate-id"), tmp_path / "repo")
    shutil.copytree(CASES / "invalid" / "catalogue-missing-label" / "locales", repo / "locales")
    for other in ("second-city", "third-city"):
        shutil.copytree(repo / "plans" / "sample-city", repo / "plans" / other)
    return repo


def _entries(repo: Path) -> dict[str, bytes]:
    folder = repo / "build" / "cache" / "validate" / "validate"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def _tree(top: Path) -> dict[str, bytes | None]:
    """Every entry below `top`: a file's bytes, None for a folder."""
    return {str(p.relative_to(top)): None if p.is_dir() else p.read_bytes() for p in top.rglob("*")}


@pytest.mark.parametrize("form", ["text", "json", "github"])
def test_a_warm_run_prints_what_a_check_of_every_plan_prints_with_the_standard_library(
    form: str, busy_repo: Path
) -> None:
    args = ["validate", "--format", form]
    fresh = actionplan([*args, "--no-cache"], busy_repo)
    cold = actionplan(args, busy_repo)
    stored = _entries(busy_repo)
    warm = actionplan(args, busy_repo)
    assert fresh.code == 1 and "error" in fresh.out and "warning" in fresh.out
    assert "catalogue-missing-label" in fresh.out
    assert "3 plans checked" in fresh.err or form == "json"
    for run in (cold, warm):
        assert (run.code, run.out, run.err) == (fresh.code, fresh.out, fresh.err)
    assert len(stored) == 4 and _entries(busy_repo) == stored  # 3 plans, the catalogues
    assert {"pydantic", "actionplan.loader", "babel"} <= cold.heavy()  # what the check needs
    assert warm.heavy() == set()
    assert {"actionplan.cli.validate", "actionplan.validate.cache"} <= warm.imported
    # A plain line is parsed without argparse, and the problems and plans are no dataclasses.
    assert not {"argparse", "typing", "dataclasses", "inspect"} & warm.imported


def test_strict_is_kept_apart_and_a_valid_repository_exits_0(busy_repo: Path) -> None:
    shutil.rmtree(busy_repo / "locales")
    shutil.rmtree(busy_repo / "plans" / "sample-city")
    for other in ("second-city", "third-city"):  # valid again: the base plan, renamed
        shutil.rmtree(busy_repo / "plans" / other)
    shutil.copytree(CASES / "base" / "plans" / "sample-city", busy_repo / "plans" / "sample-city")
    for args in (["validate"], ["validate", "--strict"]):
        fresh = actionplan([*args, "--no-cache"], busy_repo)
        actionplan(args, busy_repo)
        warm = actionplan(args, busy_repo)
        assert (warm.code, warm.out, warm.err) == (fresh.code, fresh.out, fresh.err)
        assert warm.heavy() == set()
    assert len(_entries(busy_repo)) == 2  # one per --strict


def test_one_edited_file_has_its_plan_alone_checked_again(busy_repo: Path) -> None:
    actionplan(["validate"], busy_repo)
    before = _entries(busy_repo)
    vision = busy_repo / "plans" / "second-city" / "2024-2025" / "vision.yaml"
    vision.write_bytes(vision.read_bytes() + b"# edited\n")
    edited = actionplan(["validate"], busy_repo)
    after = _entries(busy_repo)
    assert set(before) < set(after) and len(after) == len(before) + 1  # one plan stored anew
    assert edited.out == actionplan(["validate", "--no-cache"], busy_repo).out
    assert actionplan(["validate"], busy_repo).heavy() == set()  # and then it is warm again


def test_damaged_entries_are_misses_checked_again_without_a_traceback(busy_repo: Path) -> None:
    fresh = actionplan(["validate", "--no-cache"], busy_repo)
    actionplan(["validate"], busy_repo)
    folder = busy_repo / "build" / "cache" / "validate" / "validate"
    garbage = [b"", b"{not json", b"[]", b'{"format": 2}', b"\xff\xfe", b'{"format": 2, "key": 1}']
    entries = sorted(folder.iterdir())
    for entry, junk in zip(entries, garbage, strict=False):
        entry.write_bytes(junk)
    (folder.parent / "files.json").write_bytes(b'{"format": 2, "files": {"a": 1}')
    again = actionplan(["validate"], busy_repo)
    assert (again.code, again.out, again.err) == (fresh.code, fresh.out, fresh.err)
    assert "Traceback" not in again.err
    assert all(entry.read_bytes() not in garbage for entry in entries)  # rewritten
    assert actionplan(["validate"], busy_repo).heavy() == set()


def test_nothing_is_written_outside_the_cache_folder(busy_repo: Path, tmp_path: Path) -> None:
    before = _tree(tmp_path)
    actionplan(["validate"], busy_repo)
    actionplan(["validate", "--cache-dir", str(tmp_path / "ci-cache")], busy_repo)
    (busy_repo / "plans" / "third-city" / "member.yaml").write_text("id: x\n", encoding="utf-8")
    actionplan(["validate"], busy_repo)
    after = _tree(tmp_path)
    changed = {name for name in after if before.get(name, b"?") != after[name]}
    written = {name for name in changed if "member.yaml" not in name}
    caches = ("repo/build", "ci-cache")
    assert written and all(name.startswith(caches) for name in written)
    assert not any(".tmp" in name for name in after)  # no temporary file left behind
    assert set(before) <= set(after)  # nothing removed


@pytest.mark.parametrize(
    "args", [["--help"], ["--no-such-option"], ["--format", "nope"], ["no-such-path"]]
)
def test_the_command_line_is_parsed_before_anything_heavy_is_imported(
    args: list[str], tmp_path: Path
) -> None:
    ran = actionplan(["validate", *args], tmp_path)
    assert ran.code == (0 if args == ["--help"] else 2)
    assert ran.heavy() == set()
    assert not {"traceback", "logging", "tempfile"} & ran.imported
    assert not {"actionplan.cli.diff", "actionplan.cli.new"} & ran.imported  # nor other commands


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"], ["--debug", "--help"]])
def test_the_list_of_commands_and_the_version_import_nothing_heavy(
    args: list[str], tmp_path: Path
) -> None:
    """They print every command's name and help, not their arguments, whose choices load the
    scaffold and the diff's models (pydantic and all: half a second, before this test)."""
    ran = actionplan(args, tmp_path)
    assert ran.code == 0 and ran.err == ""
    assert ("actionplan 0." in ran.out) if args == ["--version"] else ("textconv" in ran.out)
    assert ran.heavy() == set()
    assert not {"actionplan.scaffold", "actionplan.diff.api"} & ran.imported


def test_json_output_from_the_cache_is_the_same_objects(busy_repo: Path) -> None:
    fresh = json.loads(actionplan(["validate", "--format", "json", "--no-cache"], busy_repo).out)
    actionplan(["validate", "--format", "json"], busy_repo)
    warm = json.loads(actionplan(["validate", "--format", "json"], busy_repo).out)
    assert warm == fresh and {p["severity"] for p in warm} == {"error", "warning"}


def test_the_cache_counts_one_miss_for_one_edited_plan(
    busy_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(busy_repo)
    folder = busy_repo / "build" / "cache"
    first = Cache(folder, DEFAULT_BUILD_DATE)
    validate_paths([Path(".")], cache=first)
    assert (first.hits, first.misses) == (0, 3)
    member = busy_repo / "plans" / "third-city" / "member.yaml"
    member.write_bytes(member.read_bytes() + b"\n")
    again = Cache(folder, DEFAULT_BUILD_DATE)
    result = validate_paths([Path(".")], cache=again)
    assert (again.hits, again.misses, result.checked) == (2, 1, 3)
    assert [plan.files.member_name for plan in result.plans] == ["third-city"]  # parsed alone


def test_a_plan_folder_changed_after_a_warm_run_is_listed_and_checked_again(
    busy_repo: Path,
) -> None:
    time.sleep(2.1)  # the folders left alone long enough for their listings to be kept
    actionplan(["validate"], busy_repo)
    warm = actionplan(["validate"], busy_repo)
    hashes = busy_repo / "build" / "cache" / "validate" / "files.json"
    assert len(json.loads(hashes.read_bytes())["walks"]) == 3  # one a plan, kept
    assert warm.heavy() == set()
    plans = busy_repo / "plans"
    commitments = [plans / name / "2024-2025" / "commitments" for name in _CITIES]
    budget = "participatory-budget.yaml"
    (commitments[0] / "copied.yaml").write_bytes((commitments[0] / budget).read_bytes())
    (commitments[1] / budget).unlink()
    (commitments[2] / budget).rename(commitments[2] / "renamed.yaml")
    _same_as_a_full_check(busy_repo, warm)
    (commitments[2]).rename(commitments[2].with_name("moved"))
    commitments[2].symlink_to("moved")  # a folder replaced by a link to it
    (commitments[2] / "renamed.yaml").rename(commitments[2] / budget)
    _same_as_a_full_check(busy_repo, warm)
    edited = actionplan(["validate"], busy_repo)  # and a file edited where the walk is kept
    inception = plans / "second-city" / "2024-2025" / "assessments" / "inception.yaml"
    inception.write_text("not: [a, plan\n", encoding="utf-8")
    _same_as_a_full_check(busy_repo, edited)


_CITIES = ("sample-city", "second-city", "third-city")


def _same_as_a_full_check(repo: Path, before: Ran) -> None:
    entries = len(_entries(repo))
    changed = actionplan(["validate"], repo)
    fresh = actionplan(["validate", "--no-cache"], repo)
    assert (changed.code, changed.out, changed.err) == (fresh.code, fresh.out, fresh.err)
    assert changed.out != before.out and len(_entries(repo)) > entries  # checked again


# What a line of `validate` may hold: its options, their values, PATHs, and what argparse
# takes otherwise (help, an abbreviation, an option and its value in one, the end of options).
TOKENS = (
    "validate",
    "--debug",
    "--strict",
    "--no-cache",
    "--format",
    "json",
    "nope",
    "--cache-dir",
    "dir",
    "a",
    "-",
    "",
    "--",
    "--format=json",
    "--str",
    "-h",
)


def test_a_plain_validate_line_is_parsed_as_argparse_parses_it() -> None:
    parser = build_parser("validate")
    accepted = 0
    for length in range(5):
        for rest in itertools.product(TOKENS, repeat=length):
            for line in (["validate", *rest], ["--debug", "validate", *rest]):
                mine = parsed(line)
                if mine is not None:
                    assert vars(mine) == _argparse(parser, line), line
                    accepted += 1
    assert accepted > 1000
    for plain in (
        ["validate"],
        ["validate", "--format", "json", "--strict", "plans/a", "plans/b"],
        ["--debug", "validate", "plans", "--no-cache", "--cache-dir", "/tmp/cache"],
    ):
        assert parsed(plain) is not None  # the lines people write do without argparse


def _argparse(parser: argparse.ArgumentParser, line: list[str]) -> dict[str, object] | None:
    """argparse's values for `line`, None when it refuses it (or prints help)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return vars(parser.parse_args(line))
    except SystemExit:
        return None
