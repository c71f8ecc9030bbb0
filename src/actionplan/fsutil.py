"""Atomic writes: a failed build leaves the previous output whole, never half a file.

And what keeps the build to its folder: whether a path lies in it once links are followed, and
the temporary files a killed write left there (only those: their names are ours alone).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"
# mkstemp's random part: eight characters of its alphabet (tempfile._RandomNameSequence).
_RANDOM_PART = r"[a-z0-9_]{8}"


def write_atomic(target: Path, data: bytes | str) -> None:
    """Write `data` to `target` through a temporary file in the same folder and a rename."""
    import tempfile  # here: a validation whose plans all come from the cache writes nothing

    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stray_temporaries(targets: Iterable[Path]) -> list[Path]:
    """The temporary files write_atomic left beside `targets` when a build was killed: named
    `.<target name>.<8 random characters>.tmp`, each target's own, so that a task that removes
    its targets' never removes another task's file in progress, nor a file of the user's."""
    by_folder: dict[Path, set[str]] = {}
    for target in targets:
        by_folder.setdefault(target.parent, set()).add(target.name)
    found: list[Path] = []
    for folder, names in by_folder.items():
        found += [folder / name for name in _listing(folder) if _temporary_of(name, names)]
    return sorted(found)


def _listing(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _temporary_of(name: str, targets: set[str]) -> bool:
    match = re.fullmatch(rf"\.(.+)\.{_RANDOM_PART}{re.escape(TEMPORARY_SUFFIX)}", name)
    return match is not None and match.group(1) in targets


def remove_stray_temporaries(targets: Iterable[Path]) -> None:
    for path in stray_temporaries(targets):
        path.unlink(missing_ok=True)


def inside(folder: Path, path: Path) -> bool:
    """Whether `path` lies in `folder` once `..` and every link on the way are followed."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def display_name(path: Path) -> str:
    """The path as problems name it: relative to the working directory when it lies below it.

    Here, in a module of the standard library alone, so that a validation whose problems all
    come from the cache names its files without loading the YAML parser."""
    try:  # realpath, not resolve: a symbolic link loop is a path to report, not an error
        return str(Path(os.path.realpath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def shown(path: Path | str) -> str:
    """A path as a message names it: from the current folder when it lies there."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
    return absolute if outside else relative
