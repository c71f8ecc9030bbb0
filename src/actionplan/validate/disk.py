"""What the checks of a plan read from the disk, taken down without parsing any of it: the
validate cache's key (`actionplan.validate.cache`), with the standard library alone.

The checks read a plan through its `FolderSource` (validate/plan.py), which answers from the
disk whether an entry is there, what the walk of the plan folder finds, whether a file stays in
the plans folder, the name problems give it and its bytes. Each of those answers is a function
of a few facts about the entries it asks about, and these are what is taken down here, for
every entry it may ask about (a superset: a file the checks only name is hashed too): the
entry's status (there, or the error that says why not), its real path (a file's name in the
problems, and whether it leads out of the plans folder, follow from it and the current folder),
what it is once links are followed, and the hash of its bytes when it is a regular file the
checks may read (only its size above the loader's limit, which is all the loader reads of it).
The walk of the plan folder is `walk_plan` itself, taken down as it answers."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from actionplan.layout import FORUM_FILE, MEMBER_FILE
from actionplan.validate.files import PlanFiles, walk_plan

READ_LIMIT = 2 * 1024 * 1024
"""The loader's MAX_FILE_BYTES: a larger file is reported by its size alone, never read."""
SETTLED_NS = 2_000_000_000
"""How long a file is left alone before its hash is remembered by its status (Disk)."""
# Where the catalogues stand (actionplan.render.labels: LOCALES_FOLDER, FALLBACK, DOMAIN), and
# the templates the package comes with (validate/catalogues.py's SOURCE_TEMPLATES).
LOCALES = "locales"
CATALOGUE = Path("LC_MESSAGES") / "actionplan.po"
ENGLISH = Path(LOCALES) / "en" / CATALOGUE
SOURCE_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"

Readable = Callable[[str], bool]
"""Whether the checks may read the file at a real path."""


def _always(real: str) -> bool:
    return True


def _never(real: str) -> bool:
    return False


class Disk:
    """The facts about entries, each folder's real path worked out once.

    A file's hash is taken from `known` (by its real path: device, inode, size, times of change
    and the hash, as `learnt` holds them) when its status is that, rather than read again, as
    git's index does; only the hash of a file left alone SETTLED_NS or more is learnt, for a
    change made within the same tick of the file system's clock would keep the times.

    The walk of a plan folder is taken from `walks` (by the folder's name as given, as
    `walks_learnt` holds them) when every folder it listed has the status it had then, rather
    than listed again, as git's untracked cache does: a folder's times of change move when an
    entry is added to it, removed or renamed, which is all its listing shows (a file edited in
    place changes its own status, which its hash answers for). Only a walk that met no link
    and blocked nothing is kept, for where a link leads and what is there are not in the
    listings; and only when each folder it listed was left alone SETTLED_NS, as for files."""

    def __init__(
        self, known: Mapping[str, object] | None = None, walks: Mapping[str, object] | None = None
    ) -> None:
        self.reals: dict[str, str] = {}
        self.known = known or {}
        self.learnt: dict[str, list[object]] = {}
        self.used: set[str] = set()  # the known hashes that stood for a file
        self.walks = walks or {}
        self.walks_learnt: dict[str, list[object]] = {}
        self.walks_used: set[str] = set()  # the known walks that stood for one
        self.cwd = os.getcwd()
        self.settled = time.time_ns() - SETTLED_NS

    def real(self, path: str, is_link: bool | None = None) -> str:
        """`os.path.realpath(path)`, from its folder's (one lstat, not one per folder on the
        way): a name that is no link stands in its folder's real path."""
        found = self.reals.get(path)
        if found is not None:
            return found
        cut = path.rfind("/") + 1  # os.path.split, inlined: once for each file of every plan
        folder, name = path[:cut], path[cut:]
        if folder != "/" * len(folder):
            folder = folder.rstrip("/")
        if name in ("", ".", ".."):
            found = os.path.realpath(path)
        else:
            above = self.real(folder or ".")
            joined = f"{above}/{name}" if above != "/" else f"/{name}"  # both absolute
            link = os.path.islink(joined) if is_link is None else is_link
            found = os.path.realpath(joined) if link else joined
        self.reals[path] = found
        return found

    def entry(self, path: Path | str, readable: Readable) -> list[object]:
        """The facts about the entry at `path`, its bytes' hash when `readable` lets them be
        read (from `known` when the file's status is the one known)."""
        name = str(path)
        try:
            status = os.lstat(name)
        except OSError as exc:
            return [name, "absent", exc.errno, self.real(name)]
        link = stat.S_ISLNK(status.st_mode)
        real = self.real(name, link)
        if link:
            try:
                status = os.stat(name)
            except OSError as exc:
                return [name, real, "leads nowhere", exc.errno]
        if not stat.S_ISREG(status.st_mode) or not readable(real):
            return [name, real, stat.S_IFMT(status.st_mode), status.st_size]
        known = self.known_hash(real, status)
        return [name, real, "file", *(["sha256", known] if known else self.content(name, real))]

    def walked(self, path: Path | str) -> list[object]:
        """`entry` for a file the walk of the plan folder found: a regular file, a folder, or a
        link (to a regular file in the plans folder, or to nothing), which may all be read."""
        return self.entry(path, _always)

    def content(self, path: str, real: str) -> list[object]:
        """What the loader reads of a regular file: its bytes' hash, its size when it is too
        large, the error that stops it. Opened without blocking, should a pipe be there now."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            return ["error", exc.errno, exc.strerror]
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                return ["not a file", stat.S_IFMT(status.st_mode)]
            return self.read(fd, status, real)
        except OSError as exc:
            return ["error", exc.errno, exc.strerror]
        finally:
            os.close(fd)

    def known_hash(self, real: str, status: os.stat_result) -> str | None:
        """The hash known of the file at `real` when its status is the one known with it."""
        known = self.known.get(real)
        if not isinstance(known, list) or known[:-1] != _signature(status):
            return None
        if not isinstance(known[-1], str) or status.st_size > READ_LIMIT:
            return None
        self.used.add(real)
        return known[-1]

    def read(self, fd: int, status: os.stat_result, real: str) -> list[object]:
        """The hash of the bytes of the open regular file `fd`, read to its end, or its size
        alone above the loader's limit; learnt when the file was left alone long enough."""
        if status.st_size > READ_LIMIT:
            return ["too large", status.st_size]
        data = os.read(fd, status.st_size + 1)
        if len(data) > status.st_size:  # it grew since: read to its end, as the loader does
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
        digest = hashlib.sha256(data).hexdigest()
        settled = max(status.st_mtime_ns, status.st_ctime_ns) < self.settled
        if len(data) == status.st_size and settled:
            self.learnt[real] = [*_signature(status), digest]
        return ["sha256", digest]

    def walk(self, cycle_dir: Path, root: str) -> tuple[list[str], list[object]]:
        """`walk_plan(cycle_dir, root)`, as the key holds it: the files found, and the entries
        blocked with their problems. From `walks` when it still stands (see the class)."""
        name = str(cycle_dir)
        known = self.walks.get(name)
        if isinstance(known, list) and self._stands(known, name, root):
            self.walks_used.add(name)
            return known[-1], []
        found = walk_plan(cycle_dir, root)
        files = [str(path) for path in found.files]
        if not found.blocked and not found.linked:
            self._learn_walk(name, root, found.folders, files)
        blocked: list[object] = [
            [str(path), found.blocked[path].as_dict()] for path in sorted(found.blocked, key=str)
        ]
        return files, blocked

    def _stands(self, known: list[object], name: str, root: str) -> bool:
        """Whether the walk `known` is still the walk of the plan folder `name`: from the same
        folder, to the same plans folder, and every folder it listed as it was."""
        if len(known) != 5 or known[:2] != [self.cwd, root] or known[2] != self.real(name):
            return False
        folders, files = known[3], known[4]
        if not isinstance(folders, list) or not folders or not isinstance(files, list):
            return False
        if not isinstance(folders[0], list) or folders[0][:1] != [name]:  # the walk's top
            return False
        if not all(isinstance(file, str) for file in files):
            return False
        for folder in folders:
            if not isinstance(folder, list) or not folder or not isinstance(folder[0], str):
                return False
            try:
                status = os.lstat(folder[0])
            except OSError:
                return False
            if not stat.S_ISDIR(status.st_mode) or folder[1:] != _folder_signature(status):
                return False
        return True

    def _learn_walk(self, name: str, root: str, folders: list[Path], files: list[str]) -> None:
        """Keep the walk of `name` when every folder it listed was left alone long enough:
        a folder changed since it was listed, even now, has times past `settled`."""
        statuses = []
        for folder in folders:
            try:
                status = os.lstat(folder)
            except OSError:
                return
            if max(status.st_mtime_ns, status.st_ctime_ns) >= self.settled:
                return
            statuses.append([str(folder), *_folder_signature(status)])
        self.walks_learnt[name] = [self.cwd, root, self.real(name), statuses, files]


def _signature(status: os.stat_result) -> list[object]:
    """What changes when a file does: device, inode, size, times of modification and change."""
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def _folder_signature(status: os.stat_result) -> list[object]:
    """What changes when a folder's listing does (a folder put in its place is another inode)."""
    return [status.st_dev, status.st_ino, status.st_mtime_ns, status.st_ctime_ns]


def plan_events(files: PlanFiles, disk: Disk | None = None) -> list[object]:
    """Everything the checks of the plan `files` read, as `load_plan` reads it (the real paths
    of the folders as `disk` found them, when given one)."""
    disk = disk or Disk()
    root = disk.real(os.path.dirname(os.path.abspath(files.member_dir)))  # files.plans_root
    below = root.rstrip(os.sep) + os.sep

    def confined(real: str) -> bool:
        return real.startswith(below)

    events: list[object] = [
        str(files.member_dir),
        str(files.cycle_dir) if files.cycle_dir else None,
        sorted(str(p) for p in files.only),
        files.blocked,
        [p.as_dict() for p in files.problems],
        root,
    ]
    if files.blocked:
        return events
    events += [disk.entry(files.member_dir / name, confined) for name in (MEMBER_FILE, FORUM_FILE)]
    if files.cycle_dir is None:  # lone files named on the command line: read wherever they are
        return events + [disk.entry(path, _always) for path in sorted(files.only)]
    events.append(disk.entry(files.cycle_dir / "vision.yaml", _never))
    walked, blocked = disk.walk(files.cycle_dir, root)
    events += [walked, blocked]
    # The walk only lists what stays in the plans folder: each file it found may be read.
    return events + [disk.walked(path) for path in walked]


def catalogue_events(root: Path) -> list[object]:
    """Everything the check of a repository's label catalogues reads: each language's
    catalogue in its `locales` folder, and the English ones it is checked against."""
    disk = Disk()
    folder = root / LOCALES
    events: list[object] = [str(root), disk.entry(folder, _never)]
    try:
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    except OSError as exc:
        names, events = [], [*events, ["unlisted", exc.errno]]
    events += [disk.entry(folder / name / CATALOGUE, _always) for name in names]
    english = [root / "templates" / ENGLISH, SOURCE_TEMPLATES / ENGLISH]
    return events + [disk.entry(path, _always) for path in english]
