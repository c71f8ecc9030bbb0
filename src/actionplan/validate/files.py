"""Where plans are: turn the paths given on the command line into plans and their files.

Folders are read with one listing each, whatever links they hold, and never out of the plans
folder: a link out of it, or back into a folder read already, is reported at the link and not
followed (a link to `/` would otherwise have the validator read, and quote, the whole machine).
Only regular files are ever opened: a named pipe would block the run for good. What the layout
is (the kinds of file and where each stands) is `actionplan.layout`'s, re-exported here."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from actionplan.errors import UsageError
from actionplan.fsutil import display_name
from actionplan.layout import CYCLE, MEMBER_FILES, YAML_SUFFIXES, classify, is_yaml_name
from actionplan.layout import LAYOUT_DEPTH as LAYOUT_DEPTH  # for validate/plan.py's imports
from actionplan.problems import Problem, problem

PLAN_FILES = (
    "plan files go in vision.yaml, roadmap.yaml, commitments/, progress/, assessments/, "
    "meetings/ or contributions/"
)
PLAN_FOLDERS = (
    "plan files stand in plans/<member>/ (member.yaml, forum.yaml) or "
    "plans/<member>/<YYYY-YYYY>/ (vision.yaml, roadmap.yaml, commitments/, progress/, "
    "assessments/, meetings/, contributions/)"
)
_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class PlanFiles:
    """The files of one plan (or of a member alone, when `cycle_dir` is None).

    A plain class, as problems.py's: a validation from the cache loads no dataclasses."""

    def __init__(
        self,
        member_dir: Path,
        cycle_dir: Path | None,
        only: set[Path] | None = None,
        problems: list[Problem] | None = None,
        blocked: bool = False,
        reals: tuple[str | None, str | None] = (None, None),
    ) -> None:
        self.member_dir = member_dir
        self.cycle_dir = cycle_dir
        self.only = only if only is not None else set()  # when set, report only these files
        # What finding the plan met on the way (files outside the layout, links not followed,
        # unreadable folders): reported with the plan's own problems.
        self.problems = problems if problems is not None else []
        self.blocked = blocked  # the member folder is not read at all (`problems` says why)
        # The real paths of its folders as discovery found them (None: not known, worked out).
        self.reals = reals

    def _fields(self) -> tuple[object, ...]:
        return (self.member_dir, self.cycle_dir, self.only, self.problems, self.blocked)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlanFiles) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self) -> str:
        names = ("member_dir", "cycle_dir", "only", "problems", "blocked")
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields(), strict=True))
        return f"PlanFiles({shown})"

    def identity(self) -> tuple[str, str | None]:
        """The real paths of its folders: the same for two names of one plan."""
        member, cycle = self.reals
        if self.cycle_dir is not None:
            cycle = cycle or os.path.realpath(self.cycle_dir)
        return member or os.path.realpath(self.member_dir), cycle

    @property
    def member_name(self) -> str:
        """The member folder's own name, even when it was given as `.` or `..`."""
        return _own_name(self.member_dir)

    @property
    def cycle_name(self) -> str | None:
        return _own_name(self.cycle_dir) if self.cycle_dir else None

    @property
    def key(self) -> str:
        return self.member_name + (f"/{self.cycle_name}" if self.cycle_dir else "")


# --- problems found on the way ---------------------------------------------------------------


def shown_at(path: Path) -> str:
    """How problems name the entry `path` itself: a link, not what it leads to."""
    if path.name in ("", ".", ".."):
        return display_name(path)
    folder = display_name(path.parent)
    return path.name if folder == "." else os.path.join(folder, path.name)


def outside(path: Path, what: str = "file") -> Problem:
    done = "read" if what == "file" else "followed"
    return problem(
        "symlink-outside",
        shown_at(path),
        f"this is a symbolic link to a {what} outside the plans folder, which is not {done}; "
        f"put the {what} itself here",
    )


def _looping(path: Path, again: Path | None) -> Problem:
    if again is None:
        why = "leads back to a folder it stands in, so the folders would be read without end"
    else:
        why = f"leads to a folder read already ({shown_at(again)}), whose files would count twice"
    return problem("symlink-loop", shown_at(path), f"this symbolic link {why}; it is not followed")


def unreadable_folder(path: Path, exc: OSError) -> Problem:
    return problem(
        "file-unreadable",
        shown_at(path),
        f"cannot read the folder: {exc.strerror or exc}; the plan files in it are not checked",
    )


def _unreadable_entry(path: Path, exc: OSError) -> Problem:
    return problem(
        "file-unreadable", shown_at(path), f"cannot tell what this is: {exc.strerror or exc}"
    )


def not_regular(path: Path, mode: int) -> Problem:
    kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a file")
    return problem(
        "file-unreadable", shown_at(path), f"this is {kind}, not a regular file; it is not read"
    )


def entry_exists(path: Path) -> bool:
    """Whether there is an entry (a file, a folder, a link) at `path`; True when that cannot be
    told, for a folder on the way that cannot be read is reported itself, not every file in it
    as missing."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def special_file(path: Path) -> Problem | None:
    """The problem of a file that is there but is no regular file (a pipe, a device): opening
    it would block or read without end. Whatever cannot be told is left to the loader."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else not_regular(path, mode)


def stray(path: Path, where: str = PLAN_FILES) -> Problem:
    """A file named as a YAML file where the layout has none: it would be ignored."""
    return problem(
        "layout-unknown-file",
        shown_at(path),
        "this file is not part of the plan layout and would be ignored; "
        + layout_hint(path, where),
    )


def layout_hint(path: Path, where: str) -> str:
    suffix = path.suffix
    if suffix != ".yaml" and suffix.lower() in YAML_SUFFIXES:
        return f"rename it to {path.stem}.yaml (plan files end in lower-case .yaml)"
    if path.name == "member.yaml":
        return "member.yaml stands in the member folder, plans/<member>/member.yaml"
    return where


# --- where a link leads ---------------------------------------------------------------------


def _below(real: str, folder: str) -> bool:
    """Whether the real path `real` lies inside the real path `folder`."""
    return real.startswith(folder.rstrip(os.sep) + os.sep)


def _folder_link(real: str, root: str, container: str) -> str | None:
    """What is wrong with following a link to the folder `real`, from the folder `container`
    (both real paths): `outside` the plans folder `root`, a `loop`, or nothing."""
    if real in (root, container) or _below(container, real):
        return "loop" if real == root or _below(real, root) else "outside"
    return None if _below(real, root) else "outside"


def plans_root(member_dir: Path) -> str:
    """The real path of the plans folder a member folder stands in: no link leads out of it."""
    return os.path.realpath(os.path.dirname(os.path.abspath(member_dir)))


def _target(path: Path) -> tuple[str, int | None]:
    """Where a link leads (its real path) and the mode of what is there (None: nothing)."""
    real = os.path.realpath(path)
    try:
        return real, os.stat(real).st_mode
    except OSError:
        return real, None


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return list(entries)


# --- the walk of a plan folder -------------------------------------------------------------


class Walk:
    """What is below a plan folder: the entries named as YAML files for the loader (a folder
    or a broken link so named too, for the loader to report), and the entries that are not
    read, each with its problem."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.blocked: dict[Path, Problem] = {}
        # The folders listed, in the order read, and whether a link was met: without a link
        # (nor anything blocked) the walk follows from those folders' listings alone
        # (validate/disk.py).
        self.folders: list[Path] = []
        self.linked = False


def walk_plan(cycle_dir: Path, root: str) -> Walk:
    """Every entry below the plan folder named as a YAML file, each folder read once (its
    links to folders followed after the folders themselves, so a file is found where it
    stands) and never one out of `root`, the real path of the plans folder."""
    walker = _Walker(cycle_dir, root)
    container = os.path.realpath(parent_folder(cycle_dir))
    wrong = _folder_link(walker.start, root, container)
    if wrong:
        walker.block(cycle_dir, outside(cycle_dir, "folder") if wrong == "outside" else None)
        return walker.walk
    walker.tree(cycle_dir, walker.start)
    walker.follow_links()
    walker.walk.files.sort()
    return walker.walk


class _Walker:
    def __init__(self, cycle_dir: Path, root: str) -> None:
        self.root = root
        self.start = os.path.realpath(cycle_dir)
        self.walk = Walk()
        self.read: dict[str, Path] = {}  # each folder read: its real path, the path it was read at
        self.links: list[tuple[Path, str, str]] = []  # link, its target, its folder (real)

    def block(self, path: Path, found: Problem | None) -> None:
        self.walk.blocked[path] = found or _looping(path, None)

    def tree(self, top: Path, top_real: str) -> None:
        """The folders below `top` that are no links; the links are kept for later."""
        pending = [(top, top_real)]
        while pending:
            folder, real = pending.pop()
            if real in self.read:  # also below a folder reached through a link, read already
                continue
            self.read[real] = folder
            self.walk.folders.append(folder)
            try:
                entries = _listing(folder)
            except OSError as exc:
                self.walk.blocked[folder] = unreadable_folder(folder, exc)
                continue
            for entry in entries:
                try:
                    self._entry(folder, real, entry, pending)
                except OSError as exc:  # the entry went away or cannot be looked at
                    path = folder / entry.name
                    self.walk.blocked[path] = _unreadable_entry(path, exc)

    def _entry(
        self, folder: Path, real: str, entry: os.DirEntry[str], pending: list[tuple[Path, str]]
    ) -> None:
        named = is_yaml_name(entry.name)
        if entry.is_symlink():
            self._link(folder / entry.name, real, named)
        elif entry.is_dir(follow_symlinks=False):
            pending.append((folder / entry.name, os.path.join(real, entry.name)))
            if named:
                self.walk.files.append(folder / entry.name)
        elif named and entry.is_file(follow_symlinks=False):
            self.walk.files.append(folder / entry.name)
        elif named:
            path = folder / entry.name
            self.walk.blocked[path] = not_regular(path, entry.stat(follow_symlinks=False).st_mode)

    def _link(self, path: Path, container: str, named: bool) -> None:
        self.walk.linked = True
        real, mode = _target(path)
        if mode is None:  # leads nowhere (or round in circles): the loader says so
            if named:
                self.walk.files.append(path)
        elif stat.S_ISDIR(mode):
            self.links.append((path, real, container))
        elif not named:
            return  # a link to something that is no plan file, which is never read
        elif not _below(real, self.root):
            self.walk.blocked[path] = outside(path)
        elif stat.S_ISREG(mode):
            self.walk.files.append(path)
        else:
            self.walk.blocked[path] = not_regular(path, mode)

    def follow_links(self) -> None:
        """Read the folders the links lead to, once each, and never out of the plans folder;
        the links found in them are followed in turn."""
        index = 0
        while index < len(self.links):
            link, real, container = self.links[index]
            index += 1
            wrong = _folder_link(real, self.root, container)
            if wrong == "outside":
                self.block(link, outside(link, "folder"))
            elif wrong or _below(self.start, real):
                self.block(link, None)
            elif real in self.read:
                self.block(link, _looping(link, self.read[real]))
            else:
                self.tree(link, real)


# --- the folders around the plans ----------------------------------------------------------


class _Found:
    """What stands in a plans folder or a member folder: the folders to look in, and the
    problems of everything else that would otherwise be passed over without a word."""

    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.problems: list[Problem] = []
        # The real path of each folder that is no link, from its container's: not a realpath
        # (an lstat of every folder on the way) per folder of every member.
        self.reals: dict[Path, str] = {}


def _scan(
    folder: Path,
    root: str,
    *,
    report: bool,
    skip: tuple[str, ...],
    own: tuple[str, ...] = (),
    container: str | None = None,
) -> _Found:
    """The folders in `folder` (links to folders inside `root` included) and, when `report`,
    the problems of its links not followed and of the YAML files standing in it, but for
    names starting with `skip` and the files `own` (which the caller reads). `container`:
    the real path of `folder`, when known."""
    found = _Found()
    container = container or os.path.realpath(folder)
    where = PLAN_FOLDERS if report else ""
    for entry in sorted(_listing(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith(skip) or name in own:
            continue
        path = folder / name
        if entry.is_symlink():
            _scan_link(path, root, container, found, where)
        elif entry.is_dir(follow_symlinks=False):
            found.folders.append(path)
            found.reals[path] = os.path.join(container, name)
        elif report and is_yaml_name(name):
            found.problems.append(stray(path, where))
    if not report:
        found.problems.clear()
    return found


def _scan_link(path: Path, root: str, container: str, found: _Found, where: str) -> None:
    real, mode = _target(path)
    if mode is not None and stat.S_ISDIR(mode):
        wrong = _folder_link(real, root, container)
        if wrong is None:
            found.folders.append(path)
        else:
            found.problems.append(
                outside(path, "folder") if wrong == "outside" else _looping(path, None)
            )
    elif is_yaml_name(path.name):
        is_out = mode is not None and not _below(real, root)
        found.problems.append(outside(path) if is_out else stray(path, where))


def _member_plans(
    member_dir: Path, root: str | None = None, real: str | None = None
) -> list[PlanFiles]:
    """The plans of a member folder; `root` is its `plans_root` and `real` its real path, when
    known."""
    root = root or plans_root(member_dir)
    real = real or os.path.realpath(member_dir)
    wrong = _folder_link(real, root, root)
    if wrong:
        why = outside(member_dir, "folder") if wrong == "outside" else _looping(member_dir, None)
        return [PlanFiles(member_dir, None, problems=[why], blocked=True)]
    try:
        found = _scan(member_dir, root, report=True, skip=(".",), own=MEMBER_FILES, container=real)
    except OSError as exc:
        why = unreadable_folder(member_dir, exc)
        return [PlanFiles(member_dir, None, problems=[why], blocked=True)]
    plans = [PlanFiles(member_dir, c, reals=(real, found.reals.get(c))) for c in found.folders]
    plans = plans or [PlanFiles(member_dir, None, reals=(real, None))]
    plans[0].problems.extend(found.problems)
    return plans


def _looks_like_member(folder: Path) -> bool:
    """A member folder: with its member.yaml, or a plan folder (YYYY-YYYY or with vision.yaml)."""
    if os.path.exists(folder / "member.yaml"):
        return True
    try:
        entries = _listing(folder)
    except OSError:
        return False
    folders = [e.name for e in entries if _is_folder(e)]
    return any(CYCLE.match(n) or os.path.exists(folder / n / "vision.yaml") for n in folders)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _plans_in(path: Path) -> list[PlanFiles]:
    """The plans of the members in a plans/ folder, or in another folder that holds some."""
    is_plans = _is_plans(path)
    try:
        here = os.path.realpath(path)
        found = _scan(path, here, report=is_plans, skip=(".", "_"), container=here)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the folder: {exc.strerror or exc}") from exc
    members = found.folders if is_plans else [m for m in found.folders if _looks_like_member(m)]
    if not members:
        said = "".join(f"; {p.file}: {p.message}" for p in found.problems)
        raise UsageError(f"{path}: no plans found (expected plans/<member>/member.yaml){said}")
    root = plans_root(members[0])  # the same for all: they stand in the same folder
    plans = [plan for m in members for plan in _member_plans(m, root, found.reals.get(m))]
    plans[0].problems.extend(found.problems)
    return plans


def require_file(path: Path) -> None:
    """A path given on the command line that must be a regular file: anything else (a pipe, a
    device, a folder) is a bad path, told before it is opened."""
    if _path_kind(path, "a regular file") != "file":
        raise UsageError(f"{path}: not a regular file (a folder)")


def _path_kind(path: Path, wanted: str = "a regular file or folder") -> str:
    """`file` or `folder`; anything else given on the command line is a bad path."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise UsageError(f"{path}: no such file or folder") from exc
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "something else")
    raise UsageError(f"{path}: not {wanted} ({kind})")


def discover(path: Path) -> list[PlanFiles]:
    """Plans under a repository root, a plans/ folder, a member, a plan, or a single file."""
    if _path_kind(path) == "file":
        return [_plan_of_file(path)]
    if os.path.isdir(path / "plans") and not os.path.exists(path / "member.yaml"):
        path = path / "plans"
    if os.path.exists(path / "member.yaml"):
        return _member_plans(path)
    if _is_plans(path):  # whatever stands in it, as a vision.yaml put there by mistake
        return _plans_in(path)
    if os.path.exists(parent_folder(path) / "member.yaml") or os.path.exists(path / "vision.yaml"):
        return [PlanFiles(parent_folder(path), path)]
    return _plans_in(path)


def repository_root(path: Path) -> Path | None:
    """The plans repository a validated path is (its root or its plans/ folder), if any."""
    if (path / "plans").is_dir():
        return path
    if path.name == "plans" and path.is_dir():
        return path.parent
    return None


def _is_plans(path: Path) -> bool:
    """A folder named plans, or a link so named (to a folder named otherwise)."""
    return path.name == "plans" or os.path.basename(os.path.realpath(path)) == "plans"


def _plan_of_file(path: Path) -> PlanFiles:
    if path.suffix not in YAML_SUFFIXES:
        raise UsageError(f"{path}: not a YAML file")
    # The folder resolved, not the file: a file that is a link belongs to the plan it stands
    # in, which reports it when it leads out of the plans folder.
    resolved = path.parent.resolve() / path.name
    for ancestor in resolved.parents:
        if (os.path.exists(ancestor / "member.yaml") and ancestor != resolved.parent) or (
            path.name == "member.yaml" and ancestor == resolved.parent
        ):
            member_dir = ancestor
            relative = resolved.relative_to(member_dir).parts
            cycle = member_dir / relative[0] if len(relative) > 1 else None
            shown_cycle = _keep_form(path, resolved, cycle) if cycle else None
            return PlanFiles(_keep_form(path, resolved, member_dir), shown_cycle, {path})
    if classify(path) is None:
        raise UsageError(
            f"{path}: cannot tell what kind of plan file this is; it should stand in "
            "plans/<member>/ (member.yaml) or plans/<member>/<YYYY-YYYY>/ (vision.yaml, "
            "commitments/, progress/, assessments/)"
        )
    return PlanFiles(path.parent, None, {path})


def _keep_form(original: Path, resolved: Path, target: Path) -> Path:
    """Map a resolved folder back to the form the user gave, so reported paths look familiar."""
    up = len(resolved.relative_to(target).parts)
    result = original
    for _ in range(up):
        result = parent_folder(result)
    return result


def _own_name(folder: Path) -> str:
    """A folder's name as written in its parent (`.` and `..` made absolute; links kept)."""
    return Path(os.path.abspath(folder)).name


def parent_folder(path: Path) -> Path:
    """The parent folder, also for `.` and `..` (whose `.parent` is not their parent)."""
    return path / ".." if path.name in ("", "..") else path.parent
