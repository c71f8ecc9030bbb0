"""What keeps doit's record of the build (`.doit.db`) true, and each task to its own outputs.

- One run at a time. Two runs at once corrupted the record (dbm), and every later run then
  ended in a traceback. dodo.py gives doit `state_codec` as the codec of its database: doit
  makes the codec right before it opens the file, after reading dodo.py, for every command; so
  that is where a run waits for any other run on the repository (the lock is held until the
  process ends, since doit writes the file last) and where a file it could not read is moved
  aside, with a message, and the build starts over. The record is sqlite, which a killed run
  leaves whole.
- Recorded as built only from what was read. doit signs a task's file_dep once its action has
  ended, so an input saved during the action would be recorded as built. `run` fails the task
  when an input changed while it ran, and records (as doit values) the inputs as they were when
  it started, which `BuiltFrom` (an uptodate check) compares on the next run.
- The temporary files a killed run left beside a task's targets go at its next run, and with
  `doit clean`.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from doit.dependency import JSONCodec
from doit.exceptions import TaskFailed

from actionplan.fsutil import remove_stray_temporaries, shown, stray_temporaries
from actionplan.pipeline.actions import describe

STATE_FILE = ".doit.db"
BACKEND = "sqlite3"
VALUES_KEY = "inputs_read"
_HELD: dict[str, int] = {}
"""The locks this process holds, by path: doit run twice in one process takes its lock once."""


def state_codec(state: Path) -> Callable[[], JSONCodec]:
    """doit's codec_cls: doit's own JSON codec, made once the run holds the lock and the
    state file is readable."""
    return functools.partial(_open_state, state)


def _open_state(state: Path) -> JSONCodec:
    hold_lock(state.with_name(state.name + ".lock"))
    set_aside_if_damaged(state)
    return JSONCodec()


def hold_lock(lock: Path) -> None:
    """Wait until no other process holds `lock`, then hold it until this process ends."""
    key = os.path.realpath(lock)
    if key in _HELD:
        return
    try:
        fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        sys.stderr.write(f"doit: not locked ({error}): do not run doit twice at once here\n")
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.stderr.write("doit: another doit run is using this repository; waiting for it\n")
        sys.stderr.flush()
        fcntl.flock(fd, fcntl.LOCK_EX)
    _HELD[key] = fd


def damage(state: Path) -> str | None:
    """Why doit could not read the state file, or None when it can (or there is none yet)."""
    if not state.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(state)) as db:
            if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                return "sqlite finds it damaged"
            tables = db.execute("SELECT name FROM sqlite_master WHERE name = 'doit'").fetchall()
            for (data,) in db.execute("SELECT task_data FROM doit") if tables else ():
                json.loads(data)
    except (sqlite3.Error, ValueError, TypeError) as error:
        return str(error)
    return None


def set_aside_if_damaged(state: Path) -> None:
    """Move a state file doit could not read (and its journals) aside, saying so: the tasks
    all run again, where doit would end every run in a traceback."""
    reason = damage(state)
    if reason is None:
        return
    aside = state.with_name(state.name + ".damaged")
    for suffix in ("", "-journal", "-wal", "-shm"):
        part = state.with_name(state.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))
    sys.stderr.write(
        f"doit: {shown(state)} could not be read ({reason}); moved it to {shown(aside)}: "
        "every task runs again\n"
    )


# ---- Inputs as read --------------------------------------------------------------------------


def _stats(paths: Sequence[str]) -> str:
    """One digest of the paths' sizes and modification times: a cheap check of no change."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            stat = os.stat(path)
            digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return digest.hexdigest()


def _contents(paths: Sequence[str]) -> dict[str, str]:
    return {path: _content(path) for path in paths}


def _content(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as error:
        return f"unreadable: {error.strerror}"


def _combined(contents: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(contents.items())).encode()).hexdigest()


@dataclass(frozen=True)
class BuiltFrom:
    """doit uptodate: true while the inputs are those the task's last successful run started
    from (their times and sizes, or else their bytes: a file touched but not changed is no
    change)."""

    inputs: tuple[str, ...]

    def __call__(self, task: object, values: Mapping[str, Any]) -> bool:
        saved = values.get(VALUES_KEY)
        if not isinstance(saved, dict):
            return False
        if saved.get("stats") == _stats(self.inputs):
            return True
        return bool(saved.get("contents") == _combined(_contents(self.inputs)))


def run(
    action: Callable[..., TaskFailed | None],
    args: Sequence[object],
    inputs: Sequence[str],
    targets: Sequence[str],
) -> dict[str, Any] | TaskFailed:
    """doit action: `action(*args)`, after the temporary files a killed run left beside the
    targets are gone; a failure is a message, and a success is recorded with the inputs as
    they were when it started, unless one changed while it ran."""
    remove_stray_temporaries(Path(target) for target in targets)
    stats, before = _stats(inputs), _contents(inputs)
    try:
        failed = action(*args)
    except Exception as error:  # the edge of the task: what escapes, doit prints raw
        return TaskFailed(f"failed: {describe(error)}")
    if failed is not None:
        return failed
    if changed := [path for path, digest in _contents(inputs).items() if digest != before[path]]:
        names = ", ".join(shown(path) for path in changed)
        return TaskFailed(f"{names}: changed during the build; run doit again")
    return {VALUES_KEY: {"stats": stats, "contents": _combined(before)}}


def refuse(messages: Sequence[str]) -> TaskFailed:
    """doit action of a task whose targets are not all inside build/: it writes nothing."""
    return TaskFailed("\n".join(messages))


def clean(task: Any, dryrun: bool) -> None:
    """doit clean: the task's targets, and the temporary files a killed run left beside them."""
    targets = [Path(target) for target in task.targets]
    for path in sorted([*targets, *stray_temporaries(targets)], reverse=True):
        if path.is_file():
            print(f"{task.name} - removing file '{shown(path)}'")
            if not dryrun:
                path.unlink()
