"""The validate cache: a plan's problems, kept under a key of everything they depend on.

Reading every file of a plan to hash it costs little; parsing, the schemas and the rules are
what takes the time. So a plan is first walked and read exactly as `load_plan` walks and reads
it (the same source, with a read that keeps the bytes instead of parsing them), and the key is
the hash of all it met: every name, every link or folder not followed, every file's bytes,
along with the tool (its version, its own files, its libraries' versions), the build date, the
current folder (problems name files from it) and --strict. On a hit the stored problems stand
for the plan; on a miss the plan is checked from the bytes already read, so what is stored is
what was checked. An entry that cannot be read, or is not what this module writes, is a miss."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import actionplan
from actionplan.fsutil import inside, write_atomic
from actionplan.loader import MAX_FILE_BYTES, Document, load_bytes, too_large
from actionplan.problems import Problem, Severity, problem
from actionplan.validate.files import PlanFiles
from actionplan.validate.plan import FolderSource, LoadedPlan, PlanSource, load_plan

FORMAT = 1  # of the entries: a change makes every older entry a miss
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
_FIELDS = {"file": str, "line": int, "column": int, "rule": str, "path": str, "message": str}

Check = Callable[[PlanFiles, dt.date, PlanSource], tuple[LoadedPlan, list[Problem]]]


@functools.cache
def tool_digest() -> str:
    """The tool as the problems depend on it: version, every file of the package, libraries."""
    digest = hashlib.sha256(f"actionplan {actionplan.__version__}\0".encode())
    package = Path(actionplan.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    return digest.hexdigest()


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


class RecordingSource(FolderSource):
    """A plan's folders, read once: a first pass (`record`) walks and reads every file as
    `load_plan` does, without parsing; later passes replay what it found, parsing the bytes."""

    def __init__(self, files: PlanFiles) -> None:
        super().__init__(files)
        self.events: list[object] = []
        self.recording = True
        self.found: dict[tuple[str, Path], object] = {}
        self.reads: dict[Path, tuple[str, bytes | None, list[Problem]]] = {}

    def record(self, files: PlanFiles) -> list[object]:
        load_plan(files, self)
        self.recording = False
        return self.events

    def _once(self, what: str, path: Path, answer: Callable[[], object]) -> object:
        if (what, path) not in self.found:
            value = answer()
            self.found[what, path] = value
            shown = value.as_dict() if isinstance(value, Problem) else value
            self.events.append([what, str(path), shown])
        return self.found[what, path]

    def exists(self, path: Path) -> bool:
        return bool(self._once("exists", path, lambda: super(RecordingSource, self).exists(path)))

    def yaml_files(self, cycle_dir: Path) -> list[Path]:
        listed = self.found.get(("walk", cycle_dir))
        if not isinstance(listed, list):
            listed = self.found["walk", cycle_dir] = super().yaml_files(cycle_dir)
            self.events.append(["walk", str(cycle_dir), [str(p) for p in listed]])
        return list(listed)

    def outside(self, path: Path) -> Problem | None:
        found = self._once("outside", path, lambda: super(RecordingSource, self).outside(path))
        return found if isinstance(found, Problem) else None

    def read(self, path: Path) -> tuple[str, Document, list[Problem]]:
        if path not in self.reads:
            self.reads[path] = self._read_bytes(path)
        shown, raw, problems = self.reads[path]
        if self.recording or raw is None:
            # While recording, the bytes are only hashed: the placeholder is never reported.
            placeholder = problems or [problem("file-unreadable", shown, "")]
            return shown, Document(path=path, data=None), placeholder
        doc, found = load_bytes(raw, path, shown, defer_positions=True)
        return shown, doc, found

    def _read_bytes(self, path: Path) -> tuple[str, bytes | None, list[Problem]]:
        """What `loader.load_file` reads, and its problems when it cannot (the same words)."""
        shown = self.names(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                result: tuple[str, bytes | None, list[Problem]] = (
                    shown,
                    None,
                    [too_large(shown, size)],
                )
            else:
                result = (shown, path.read_bytes(), [])
        except OSError as exc:
            why = f"cannot read the file: {exc.strerror or exc}"
            result = (shown, None, [problem("file-unreadable", shown, why)])
        bytes_hash = hashlib.sha256(result[1]).hexdigest() if result[1] is not None else None
        self.events.append(["read", str(path), shown, bytes_hash, [p.as_dict() for p in result[2]]])
        return result


class Cache:
    """The entries of one folder, for the plans of a run on `today`, with or without --strict."""

    def __init__(self, folder: Path, today: dt.date, strict: bool = False) -> None:
        self.folder = folder / "validate"
        self.today = today
        self.context = [FORMAT, tool_digest(), today.isoformat(), strict, os.getcwd()]
        self.hits = 0
        self.warned = False

    def run(self, files: PlanFiles, check: Check) -> tuple[LoadedPlan | None, list[Problem]]:
        """The plan's problems: stored ones (and no loaded plan) when its key is known, else
        checked by `check` from the bytes read for the key, and stored."""
        source = RecordingSource(files)
        key = self.key(files, source.record(files))
        stored = self.get(key)
        if stored is not None:
            self.hits += 1
            return None, stored
        plan, problems = check(files, self.today, source)
        self.put(key, problems)
        return plan, problems

    def key(self, files: PlanFiles, events: list[object]) -> str:
        what = [
            *self.context,
            str(files.member_dir),
            str(files.cycle_dir) if files.cycle_dir else None,
            sorted(str(p) for p in files.only),
            files.blocked,
            [p.as_dict() for p in files.problems],
            events,
        ]
        return hashlib.sha256(json.dumps(what, ensure_ascii=False).encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> list[Problem] | None:
        try:
            entry = json.loads(self.path(key).read_bytes())
            if not isinstance(entry, dict) or entry.get("format") != FORMAT:
                return None
            if entry.get("key") != key or not isinstance(entry.get("problems"), list):
                return None
            return [_problem(item) for item in entry["problems"]]
        except (OSError, ValueError, TypeError, KeyError):
            return None  # no entry, or not one of ours whole: checked again and rewritten

    def put(self, key: str, problems: list[Problem]) -> None:
        entry = {"format": FORMAT, "key": key, "problems": [p.as_dict() for p in problems]}
        try:
            write_atomic(self.path(key), json.dumps(entry, ensure_ascii=False))
        except OSError as exc:
            if not self.warned:
                self.warned = True
                print(
                    f"actionplan: warning: cannot write the validation cache in {self.folder}: "
                    f"{exc.strerror or exc}; the plans are checked without it",
                    file=sys.stderr,
                )


def _problem(item: object) -> Problem:
    """A stored problem, checked field by field: ValueError or TypeError when it is not one."""
    if not isinstance(item, dict) or set(item) != {*_FIELDS, "severity"}:
        raise ValueError("not a stored problem")
    for name, kind in _FIELDS.items():
        if type(item[name]) is not kind:
            raise TypeError(f"{name} is not {kind.__name__}")
    return Problem(**{**item, "severity": Severity(item["severity"])})
