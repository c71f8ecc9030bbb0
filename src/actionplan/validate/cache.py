"""The validate cache: a plan's problems, kept under a key of everything they depend on.

Reading every file of a plan to hash it costs little; parsing, the schemas and the rules are
what takes the time, and so does loading the libraries that do them. So the key is taken with
the standard library alone (this module, `files` and `layout` import nothing else): the plan
is looked at as the checks' `FolderSource` looks at it (`actionplan.validate.disk`), along with
the tool (its version, its own files, its libraries' versions), the build date, the current
folder (problems name files from it) and --strict. On a hit the stored problems stand for the
plan and nothing else is imported; on a miss the plan is checked, then looked at again, and its
problems are stored only when nothing changed meanwhile, so what is stored is what was checked.
The repository's own label catalogues are kept the same way. An entry that cannot be read, or
is not what this module writes, is a miss. Beside the entries, HASHES keeps the hash of each
file by its status (device, inode, size, times of change), as git's index does, so that a warm
run reads no file it has read before (see `disk.Disk`)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import actionplan
from actionplan.fsutil import inside, write_atomic
from actionplan.problems import Problem, Severity
from actionplan.validate.disk import LOCALES, Disk, catalogue_events, plan_events
from actionplan.validate.files import PlanFiles

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (cli/parser.py)
if TYPE_CHECKING:
    from actionplan.validate.plan import LoadedPlan, PlanSource

FORMAT = 2  # of the entries and keys: a change makes every older entry a miss
FOLDER = Path("build") / "cache" / "validate"
"""Where the cache is, below the repository's root: in build/, the one folder the tool writes
in unasked, which git ignores."""
# The libraries whose behaviour shows in the problems (parsing, schemas, codes, Markdown).
LIBRARIES = (
    "pydantic",
    "pydantic-core",
    "ruamel.yaml",
    "jsonschema",
    "pycountry",
    "babel",
    "markdown-it-py",
)
HASHES = "files.json"
"""Beside the entries' folder: the hashes of the files known by their status (Disk)."""
_FIELDS = {"file": str, "line": int, "column": int, "rule": str, "path": str, "message": str}

Check = Callable[[PlanFiles, dt.date, "PlanSource | None"], tuple["LoadedPlan", list[Problem]]]


@functools.cache
def tool_digest() -> str:
    """The tool as the problems depend on it: version, every file of the package, libraries."""
    digest = hashlib.sha256(f"actionplan {actionplan.__version__}\0".encode())
    package = Path(actionplan.__file__).parent
    for relative, path in _package_files(package):
        digest.update(f"{relative}\0".encode())
        with open(path, "rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    for name, version in library_versions().items():
        digest.update(f"{name} {version}\0".encode())
    return digest.hexdigest()


def _package_files(package: Path) -> list[tuple[str, str]]:
    """Every file of the package (its bytecode caches aside), by its path from the package."""
    found = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        base = Path(folder).relative_to(package)
        found += [((base / name).as_posix(), os.path.join(folder, name)) for name in names]
    return sorted(found)


def library_versions() -> dict[str, str]:
    """The version of each of LIBRARIES, "-" for one not installed.

    Read from the names of the `*.dist-info` folders on the path, the first of each project as
    importlib.metadata finds it: importing importlib.metadata alone takes longer than the
    whole key of a plan. A library installed otherwise is asked of importlib.metadata."""
    wanted = {_project(name): name for name in LIBRARIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in sorted(names):
            project, _, version = folder.removesuffix(".dist-info").partition("-")
            name = wanted.get(_project(project))
            if folder.endswith(".dist-info") and name and name not in found:
                found[name] = version
    for name in LIBRARIES:
        if name not in found:
            found[name] = _metadata_version(name)
    return {name: found[name] for name in LIBRARIES}


def _project(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _metadata_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def default_folder(paths: list[Path]) -> Path | None:
    """`build/cache/validate` in the repository the first PATH lies in (the folder that holds
    `plans/`); None (no cache) for a path in no repository, or when that repository's build/
    leads out of it: nothing is written outside a repository's build/ unless asked for with
    --cache-dir."""
    start = Path(os.path.abspath(paths[0] if paths else Path(".")))
    for root in (start, *start.parents):
        if (root / "plans").is_dir():
            folder = root / FOLDER
            return folder if inside(root / "build", folder) and inside(root, folder) else None
    return None


class Cache:
    """The entries of one folder, for the plans of a run on `today`, with or without --strict."""

    def __init__(self, folder: Path, today: dt.date, strict: bool = False) -> None:
        self.folder = folder / "validate"
        self.today = today
        self.context = [FORMAT, tool_digest(), today.isoformat(), strict, os.getcwd()]
        self.hits = 0
        self.misses = 0
        self.warned = False
        # The folders on the way to the plans, each looked at once a run, and the files whose
        # hashes and the plan folders whose walks are known by their status.
        self.disk = Disk(*self._known())

    def run(self, files: PlanFiles, check: Check) -> tuple[LoadedPlan | None, list[Problem]]:
        """The plan's problems: stored ones (and no loaded plan) when its key is known, else
        checked by `check` and stored when its files stood still meanwhile."""
        key = self.key(["plan", *plan_events(files, self.disk)])
        stored = self.get(key)
        if stored is not None:
            self.hits += 1
            return None, stored
        self.misses += 1
        plan, problems = check(files, self.today, None)
        if self.key(["plan", *plan_events(files)]) == key:  # all looked at afresh
            self.put(key, problems)
        return plan, problems

    def catalogues(self, root: Path) -> list[Problem]:
        """The problems of the repository's own label catalogues (`check_catalogues`)."""
        if not os.path.isdir(root / LOCALES):
            return []  # as check_catalogues finds without a catalogue, and no entry to read
        key = self.key(["catalogues", *catalogue_events(root)])
        stored = self.get(key)
        if stored is not None:
            return stored
        from actionplan.validate.catalogues import check_catalogues

        problems = check_catalogues(root)
        if self.key(["catalogues", *catalogue_events(root)]) == key:
            self.put(key, problems)
        return problems

    def _known(self) -> tuple[dict[str, object], dict[str, object]]:
        """The hashes of files and the walks of plan folders known by their status (Disk),
        stored in HASHES by `save`."""
        try:
            with open(self.folder.parent / HASHES, "rb") as handle:
                stored = json.loads(handle.read())
            if stored.get("format") != FORMAT:
                return {}, {}
            files, walks = stored.get("files"), stored.get("walks")
            return _mapping(files), _mapping(walks)
        except (OSError, ValueError, AttributeError):
            return {}, {}  # none, or not ours: every file is read and every folder listed

    def save(self) -> None:
        """Store the hashes and walks learnt in this run, with the known ones that served in it
        (the others go: the file holds the last run's plans, not every run's)."""
        disk = self.disk
        if disk.learnt or disk.walks_learnt:
            files = {path: disk.known[path] for path in sorted(disk.used)}
            files.update(disk.learnt)
            walks = {name: disk.walks[name] for name in sorted(disk.walks_used)}
            walks.update(disk.walks_learnt)
            stored = {"format": FORMAT, "files": files, "walks": walks}
            self._write(self.folder.parent / HASHES, stored)

    def key(self, events: list[object]) -> str:
        # ASCII: a file name that is not UTF-8 holds surrogates, which only escapes can carry.
        return hashlib.sha256(json.dumps([*self.context, events]).encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> list[Problem] | None:
        try:
            with open(self.path(key), "rb") as handle:
                entry = json.loads(handle.read())
            if not isinstance(entry, dict) or entry.get("format") != FORMAT:
                return None
            if entry.get("key") != key or not isinstance(entry.get("problems"), list):
                return None
            return [_problem(item) for item in entry["problems"]]
        except (OSError, ValueError, TypeError, KeyError):
            return None  # no entry, or not one of ours whole: checked again and rewritten

    def put(self, key: str, problems: list[Problem]) -> None:
        entry = {"format": FORMAT, "key": key, "problems": [p.as_dict() for p in problems]}
        self._write(self.path(key), entry)

    def _write(self, path: Path, entry: dict[str, object]) -> None:
        try:
            write_atomic(path, json.dumps(entry))
        except OSError as exc:
            if not self.warned:
                self.warned = True
                print(
                    f"actionplan: warning: cannot write the validation cache in {self.folder}: "
                    f"{exc.strerror or exc}; the plans are checked without it",
                    file=sys.stderr,
                )


def _mapping(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _problem(item: object) -> Problem:
    """A stored problem, checked field by field: ValueError or TypeError when it is not one."""
    if not isinstance(item, dict) or set(item) != {*_FIELDS, "severity"}:
        raise ValueError("not a stored problem")
    for name, kind in _FIELDS.items():
        if type(item[name]) is not kind:
            raise TypeError(f"{name} is not {kind.__name__}")
    return Problem(**{**item, "severity": Severity(item["severity"])})
