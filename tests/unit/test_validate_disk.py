"""The validate cache's key (validate/disk.py): it takes down every entry the checks look at,
with the standard library alone, and agrees with the modules whose constants it repeats."""

from __future__ import annotations

import copy
import os
import pickle
import time
from importlib import metadata
from pathlib import Path

import pytest

import actionplan
from actionplan.layout import PlanFolder
from actionplan.loader import MAX_FILE_BYTES, Document
from actionplan.problems import Problem, Severity
from actionplan.render import labels
from actionplan.validate import catalogues
from actionplan.validate import disk as disk_module
from actionplan.validate.cache import LIBRARIES, _package_files, library_versions
from actionplan.validate.disk import (
    CATALOGUE,
    ENGLISH,
    LOCALES,
    READ_LIMIT,
    SOURCE_TEMPLATES,
    Disk,
    Readable,
    plan_events,
)
from actionplan.validate.files import PlanFiles, discover, plans_root
from actionplan.validate.plan import FolderSource, load_plan
from helpers import BASE_PLAN, Case, build_repo, case_dirs

CASES = case_dirs("valid") + case_dirs("invalid")


class Spy(FolderSource):
    """The plan's folders, as the checks read them, noting every entry they ask about."""

    def __init__(self, files: PlanFiles) -> None:
        super().__init__(files)
        self.asked: set[str] = set()

    def exists(self, path: Path) -> bool:
        self.asked.add(str(path))
        return super().exists(path)

    def outside(self, path: Path) -> Problem | None:
        self.asked.add(str(path))
        return super().outside(path)

    def display(self, path: Path) -> str:
        self.asked.add(str(path))
        return super().display(path)

    def read(self, path: Path) -> tuple[str, Document, list[Problem]]:
        self.asked.add(str(path))
        return super().read(path)


class Noting(Disk):
    """A Disk that notes the entries it takes down."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: set[str] = set()

    def entry(self, path: Path, readable: Readable) -> list[object]:
        self.taken.add(str(path))
        return super().entry(path, readable)

    def walked(self, path: Path) -> list[object]:
        self.taken.add(str(path))
        return super().walked(path)


@pytest.mark.parametrize("case_dir", CASES, ids=[p.name for p in CASES])
def test_the_key_takes_down_every_entry_the_checks_look_at(
    case_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = build_repo(Case.load(case_dir), tmp_path / "repo")
    monkeypatch.chdir(repo)
    named = [Path("."), *sorted(Path("plans").rglob("*.yaml"))[:3]]  # lone files too
    for start in named:
        for files in discover(start):
            spy, disk = Spy(files), Noting()
            load_plan(files, spy)
            events = plan_events(files, disk)
            assert spy.asked <= disk.taken, files
            assert plans_root(files.member_dir) in events  # worked out as the walk does


def test_the_key_of_a_file_is_what_the_loader_reads_of_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (files,) = discover(Path("plans"))
    vision = BASE_PLAN.relative_to(BASE_PLAN.parents[2]) / "vision.yaml"
    before = plan_events(files)
    assert plan_events(files) == before
    vision.write_bytes(vision.read_bytes().replace(b"a", b"b", 1))  # the same size
    assert plan_events(files) != before
    big = vision.read_bytes() + b"#" * MAX_FILE_BYTES
    vision.write_bytes(big)
    assert any(isinstance(e, list) and "too large" in e for e in plan_events(files))


@pytest.mark.parametrize(
    "shape", ["plain", "link to a file", "link to a folder", "dots", "absent", "loop"]
)
def test_real_paths_are_os_path_realpath(shape: str, tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "l").symlink_to(tmp_path / "a")
    paths = {
        "plain": tmp_path / "a" / "b" / "f.yaml",
        "link to a file": tmp_path / "f.yaml",
        "link to a folder": tmp_path / "l" / "b" / "f.yaml",
        "dots": tmp_path / "l" / "b" / ".." / "b" / "f.yaml",
        "absent": tmp_path / "l" / "nothing" / "f.yaml",
        "loop": tmp_path / "loop" / "f.yaml",
    }
    (tmp_path / "f.yaml").symlink_to(paths["plain"])
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    disk = Disk()
    assert disk.real(str(paths[shape])) == os.path.realpath(paths[shape])
    old = os.getcwd()
    os.chdir(tmp_path / "l")
    try:
        relative = os.path.relpath(paths[shape])
        assert Disk().real(relative) == os.path.realpath(relative)
    finally:
        os.chdir(old)


def test_the_constants_repeated_are_the_modules_own() -> None:
    assert READ_LIMIT == MAX_FILE_BYTES
    assert LOCALES == labels.LOCALES_FOLDER
    assert Path(LOCALES) / labels.FALLBACK / CATALOGUE == ENGLISH
    assert Path(labels.catalogue_path(Path(), "x")).relative_to("x") == CATALOGUE
    assert SOURCE_TEMPLATES == catalogues.SOURCE_TEMPLATES


def test_library_versions_are_importlib_metadata_s() -> None:
    assert library_versions() == {name: metadata.version(name) for name in LIBRARIES}


def test_the_tool_s_files_are_every_file_of_the_package() -> None:
    package = Path(actionplan.__file__).parent
    every = sorted(
        (p.relative_to(package).as_posix(), str(p))
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert _package_files(package) == every


def _hash_of(disk: Disk, path: Path) -> object:
    return disk.walked(path)[-1]


def test_a_known_hash_stands_for_a_file_only_while_its_status_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "vision.yaml"
    path.write_bytes(b"title: one\n")
    assert not _learnt(path)  # just written: not learnt
    monkeypatch.setattr(disk_module, "SETTLED_NS", -(10**12))  # as if written long ago
    first = Disk()
    before = _hash_of(first, path)
    assert list(first.learnt) == [str(path)]
    again = Disk(first.learnt)
    assert _hash_of(again, path) == before and again.used == {str(path)}
    status = path.stat()
    time.sleep(0.05)  # past the tick of the file system's clock (what SETTLED_NS waits for)
    path.write_bytes(b"title: two\n")  # the same size, and the same modification time
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    changed = Disk(first.learnt)
    assert _hash_of(changed, path) != before and not changed.used  # its change time moved


def _learnt(path: Path) -> dict[str, list[object]]:
    disk = Disk()
    disk.walked(path)
    return disk.learnt


def test_damaged_known_hashes_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "vision.yaml"
    path.write_bytes(b"title: one\n")
    truth = _hash_of(Disk(), path)
    status = path.stat()
    signature = [status.st_dev, status.st_ino, status.st_size]
    times = [status.st_mtime_ns, status.st_ctime_ns]
    for junk in ("nonsense", 3, [*signature, *times, 7], [*signature, times[0], 0, "0" * 64], []):
        assert _hash_of(Disk({str(path): junk}), path) == truth


# --- the walks of plan folders, kept by their folders' status --------------------------------

COMMITMENTS = Path("plans/sample-city/2024-2025/commitments")


def _change(change: str, plan: Path) -> None:
    """Change the plan folder `plan` as `change` says (the base plan's)."""
    commitments = plan / "commitments"
    budget = commitments / "open-budget.yaml"
    if change == "file added":
        (commitments / "new.yaml").write_bytes(budget.read_bytes())
    elif change == "file removed":
        budget.unlink()
    elif change == "file renamed":
        budget.rename(commitments / "open-budget-2.yaml")
    elif change == "folder added":
        (plan / "meetings").mkdir()
        (plan / "meetings" / "2024-05-01-forum.yaml").write_text("date: 2024-05-01\n")
    elif change == "file edited":
        budget.write_bytes(budget.read_bytes() + b"# edited\n")
    elif change in ("plan folder linked", "subfolder linked"):
        folder = plan if change == "plan folder linked" else commitments
        moved = folder.with_name(".moved")
        folder.rename(moved)
        folder.symlink_to(moved.name)  # the same files, through a link


CHANGES = [
    "none",
    "file edited",
    "file added",
    "file removed",
    "file renamed",
    "folder added",
    "plan folder linked",
    "subfolder linked",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_kept_walk_stands_only_while_the_folders_it_listed_are_as_they_were(
    change: str, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    monkeypatch.setattr(disk_module, "SETTLED_NS", -(10**12))  # as if written long ago
    (files,) = discover(Path("plans"))
    assert files.cycle_dir is not None
    first = Disk()
    before = plan_events(files, first)
    assert list(first.walks_learnt) == [str(files.cycle_dir)]
    assert first.walks_learnt[str(files.cycle_dir)][3][0][0] == str(files.cycle_dir)
    time.sleep(0.05)  # past the tick of the file system's clock (what SETTLED_NS waits for)
    _change(change, files.cycle_dir)
    again = Disk(first.learnt, first.walks_learnt)
    events = plan_events(files, again)
    assert events == plan_events(files)  # what a look at every folder finds
    assert (events == before) == (change == "none")
    assert bool(again.walks_used) == (change in ("none", "file edited"))


def test_a_walk_is_kept_only_when_its_folders_were_left_alone_and_it_met_no_link(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (files,) = discover(Path("plans"))
    fresh = Disk()
    plan_events(files, fresh)
    assert not fresh.walks_learnt  # just written: a change within the same tick would hide
    monkeypatch.setattr(disk_module, "SETTLED_NS", -(10**12))
    (COMMITMENTS / "link.yaml").symlink_to("open-budget.yaml")
    linked = Disk()
    plan_events(files, linked)
    assert not linked.walks_learnt  # where a link leads is not in a listing


@pytest.mark.parametrize(
    "junk",
    [
        "nonsense",
        3,
        [],
        ["cwd", "root", "start", [], []],
        [None] * 5,
        "no folder listed",
        "walk with junk folders",
    ],
)
def test_damaged_kept_walks_are_ignored(
    junk: object, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    monkeypatch.setattr(disk_module, "SETTLED_NS", -(10**12))
    (files,) = discover(Path("plans"))
    first = Disk()
    truth = plan_events(files, first)
    name = str(files.cycle_dir)
    if junk == "no folder listed":
        junk = [*first.walks_learnt[name][:3], [], []]
    if junk == "walk with junk folders":
        junk = [*first.walks_learnt[name][:3], [[name, "x"], 7, [None]], []]
    damaged = Disk(first.learnt, {name: junk})
    assert plan_events(files, damaged) == truth and not damaged.walks_used


def test_problems_and_plan_folders_are_values_as_dataclasses_were() -> None:
    one = Problem("a.yaml", 1, 2, Severity.ERROR, "rule", "$", "wrong")
    same = Problem(**one.as_dict() | {"severity": Severity.ERROR})
    assert one == same and hash(one) == hash(same) and len({one, same}) == 1
    assert one != one.replace(line=3) and one.replace(line=3).line == 3 and one.line == 1
    assert repr(one) == (
        "Problem(file='a.yaml', line=1, column=2, severity=<Severity.ERROR: 'error'>, "
        "rule='rule', path='$', message='wrong')"
    )
    assert pickle.loads(pickle.dumps(one)) == one == copy.deepcopy(one)
    with pytest.raises(AttributeError):
        one.line = 5  # type: ignore[misc]
    folder = PlanFolder(Path("plans/a"), Path("plans/a/2024-2025"))
    assert folder == PlanFolder(Path("plans/a"), Path("plans/a/2024-2025")) and {folder: 1}
    assert pickle.loads(pickle.dumps(folder)) == folder
    assert repr(folder).startswith("PlanFolder(member_dir=PosixPath('plans/a'), cycle_dir=")
    with pytest.raises(AttributeError):
        folder.cycle_dir = Path("x")  # type: ignore[misc]
