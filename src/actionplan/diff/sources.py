"""The two sides of a diff: a plan folder, or `REV:PATH`, a plan folder at a git revision.

A revision is read straight from the repository's object store (`git ls-tree`, then every
blob in one `git cat-file --batch`), never checked out. Each side is loaded and validated by
the validator's own `validate_plan`, a revision through a `RevisionSource`, so both sides meet
the same rules, then merged: a side whose files cannot be merged (YAML or schema errors, a
missing file) stops the diff with exit 2 and its problems; other problems (rules across files)
are shown and the diff goes on.
"""

from __future__ import annotations

import errno
import os
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from actionplan.clock import build_date
from actionplan.errors import UsageError
from actionplan.loader import MAX_FILE_BYTES, Document, display_name, load_bytes, too_large
from actionplan.merge import Plan, merge
from actionplan.problems import Problem, Severity, problem
from actionplan.validate import validate_plan
from actionplan.validate.files import YAML_SUFFIXES, PlanFiles, parent_folder
from actionplan.validate.plan import LoadedPlan, link_outside


class PlanUnreadable(UsageError):
    """A side that cannot be diffed: it does not merge. Carries the problems to show."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


class NotAtRevision(UsageError):
    """REV:PATH names a folder that the revision does not have."""


@dataclass
class Side:
    """One side, loaded: the plan, where it came from, and the problems found."""

    source: str
    path: str
    plan: Plan
    revision: str | None = None
    commit: str | None = None
    problems: list[Problem] = field(default_factory=list)
    root: Path | None = None
    """The repository's root (its working tree) or, for a folder, the folder above plans/."""


def parse_source(argument: str) -> tuple[str | None, str]:
    """(revision, path) of `REV:PATH`; (None, path) for a folder that exists or no colon."""
    if Path(argument).exists() or ":" not in argument:
        return None, argument
    revision, _, path = argument.partition(":")
    if not revision or revision.startswith("-"):
        raise UsageError(f"{argument}: expected a plan folder or REV:PATH")
    return revision, path or "."


def load_side(argument: str) -> Side:
    """Load, validate and merge one side of the diff."""
    revision, path = parse_source(argument)
    if revision is None:
        return _folder_side(argument, Path(path))
    return _git_side(argument, revision, path)


def _errors(problems: list[Problem]) -> list[Problem]:
    return sorted((p for p in problems if p.severity is Severity.ERROR), key=Problem.sort_key)


def _finish(
    loaded: LoadedPlan, problems: list[Problem], argument: str
) -> tuple[Plan, list[Problem]]:
    errors = _errors(problems)
    if not loaded.complete or loaded.member is None or loaded.vision is None:
        raise PlanUnreadable(
            f"{argument}: the plan does not validate, so it cannot be compared", errors
        )
    return merge(loaded, today=build_date()), errors


def _folder_side(argument: str, path: Path) -> Side:
    if not path.is_dir():
        raise UsageError(f"{argument}: no such folder")
    if not ((path / "vision.yaml").is_file() or (parent_folder(path) / "member.yaml").is_file()):
        raise UsageError(
            f"{argument}: not a plan folder (expected plans/<member>/<cycle>/ with vision.yaml)"
        )
    loaded, problems = validate_plan(PlanFiles(parent_folder(path), path))
    plan, errors = _finish(loaded, problems, argument)
    root = path.resolve().parent.parent.parent
    return Side(argument, display_name(path), plan, problems=errors, root=root)


# --- git ------------------------------------------------------------------------------------


def git(top: Path | None, args: list[str], data: bytes | None = None) -> bytes:
    """Run git (in `top`) and return its output; GitError with git's message on failure."""
    command = ["git", *(["-C", str(top)] if top else []), *args]
    # Paths are paths, not patterns: a folder named `*` or `:(glob)x` must not match others.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_LITERAL_PATHSPECS": "1"}
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False, env=env)
    except FileNotFoundError:
        raise UsageError("git is not installed (needed to read REV:PATH)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


class GitError(UsageError):
    """A git command failed."""


def _toplevel(start: Path) -> Path:
    try:
        out = git(None, ["-C", str(start), "rev-parse", "--show-toplevel"])
    except GitError:
        raise UsageError(f"{start}: not in a git repository, so REV:PATH cannot be read") from None
    return Path(out.decode("utf-8").strip())


def _start_folder(path: str) -> Path:
    """Where to look for the repository: the nearest folder along PATH that exists (PATH may
    be gone from the working tree and still be at the revision)."""
    candidate = Path(os.path.normpath(Path.cwd() / path))
    for folder in (candidate, *candidate.parents):
        if folder.is_dir():
            return folder
    return Path.cwd()


def repo_path(top: Path, path: str) -> str:
    """PATH, read like a folder argument (from the working directory), relative to `top`."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    try:
        relative = absolute.relative_to(top.resolve())
    except ValueError:
        try:
            relative = absolute.relative_to(top)
        except ValueError:
            raise UsageError(f"{path}: outside the repository {top}") from None
    return relative.as_posix() if relative.parts else "."


def _git_side(argument: str, revision: str, path: str) -> Side:
    top = _toplevel(_start_folder(path))
    try:
        commit = git(top, ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"])
    except GitError:
        raise UsageError(f"{argument}: unknown revision `{revision}`") from None
    sha = commit.decode("ascii").strip()
    cycle = repo_path(top, path)
    if cycle == ".":
        raise UsageError(f"{argument}: not a plan folder (expected plans/<member>/<cycle>)")
    cycle_dir = PurePosixPath(cycle)
    member_file = str(cycle_dir.parent / "member.yaml")
    forum_file = str(cycle_dir.parent / "forum.yaml")
    entries = list_tree(top, sha, [f"{cycle}/", member_file, forum_file], recursive=True)
    if not any(n.startswith(f"{cycle}/") for n in entries):
        raise NotAtRevision(f"{argument}: no folder `{cycle}` at revision `{revision}`")
    if f"{cycle}/vision.yaml" not in entries and member_file not in entries:
        raise UsageError(
            f"{argument}: not a plan folder (expected plans/<member>/<cycle>/ with vision.yaml)"
        )
    source = RevisionSource(top, sha, revision, entries, cycle_dir.parent.parent.as_posix())
    files = PlanFiles(Path(cycle_dir.parent), Path(cycle_dir))
    loaded, problems = validate_plan(files, source=source)
    plan, errors = _finish(loaded, problems, argument)
    return Side(argument, cycle, plan, revision, sha, errors, top)


@dataclass(frozen=True)
class Entry:
    """One entry of a tree at a revision, as `git ls-tree -l` gives it."""

    mode: bytes
    type: bytes
    oid: str
    size: int  # -1 for what is not a blob (a submodule, a folder)

    @property
    def is_link(self) -> bool:
        return self.mode == b"120000"

    @property
    def is_file(self) -> bool:
        return self.type == b"blob" and not self.is_link


def list_tree(top: Path, sha: str, paths: list[str], *, recursive: bool) -> dict[str, Entry]:
    """The entries at `paths` (folders listed through when `recursive`), by path.

    Read NUL-separated and split at the tab before the path: a file name may hold any byte but
    NUL and `/`, line breaks and tabs included, and must not shift the entries after it."""
    args = ["ls-tree", "-l", "-z", "--full-tree", *(["-r"] if recursive else []), sha, "--"]
    entries: dict[str, Entry] = {}
    for record in git(top, [*args, *paths]).split(b"\0"):
        meta, tab, name = record.partition(b"\t")
        fields = meta.split()
        if not tab or len(fields) != 4:
            continue
        size = int(fields[3]) if fields[3].isdigit() else -1
        key = name.decode("utf-8", "surrogateescape")
        entries[key] = Entry(fields[0], fields[1], fields[2].decode("ascii"), size)
    return entries


def read_blobs(top: Path, oids: set[str]) -> dict[str, bytes]:
    """The contents of blobs, in one `git cat-file --batch`, asked for by object id (never by
    path) and read by the sizes git gives, so no content or name can forge an entry."""
    if not oids:
        return {}
    out = git(top, ["cat-file", "--batch"], "".join(f"{oid}\n" for oid in oids).encode("ascii"))
    blobs: dict[str, bytes] = {}
    position = 0
    while position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # `<oid> missing`
            continue
        size = int(header[2])
        blobs[header[0].decode("ascii")] = out[position : position + size]
        position += size + 1
    return blobs


MAX_LINKS = 40  # as the kernel: a chain of links longer than this is a loop


class RevisionSource:
    """The files of a plan at a git revision, for `load_plan`: read from the object store in
    a few git commands (the listing, then every blob at once), never checked out.

    A symbolic link is followed inside the plans folder, as in a working tree; one that points
    out of it is reported and not read, as `actionplan validate` does."""

    def __init__(
        self, top: Path, sha: str, revision: str, entries: dict[str, Entry], plans: str
    ) -> None:
        self.top, self.sha, self.revision = top, sha, revision
        self.plans = "" if plans == "." else plans
        self.entries = entries
        self.elsewhere: dict[str, Entry | None] = {}  # what links lead to outside the listing
        self.blobs = read_blobs(top, {e.oid for e in entries.values() if _wanted(e)})
        self.targets: dict[str, Entry | None] = {}  # each link: what it leads to (None: nothing)
        self.leaving: set[str] = set()  # links out of the plans folder
        self._follow_links()

    def exists(self, path: Path) -> bool:
        name = path.as_posix()
        return name in self.entries and self.targets.get(name, self.entries[name]) is not None

    def yaml_files(self, cycle_dir: Path) -> list[Path]:
        below = f"{cycle_dir.as_posix()}/"
        return sorted(
            Path(name)
            for name in self.entries
            if name.startswith(below) and PurePosixPath(name).suffix in YAML_SUFFIXES
        )

    def outside(self, path: Path) -> Problem | None:
        name = path.as_posix()
        return link_outside(self.display(path)) if name in self.leaving else None

    def display(self, path: Path) -> str:
        return f"{self.revision}:{path.as_posix()}"

    def read(self, path: Path) -> tuple[str, Document, list[Problem]]:
        shown, name = self.display(path), path.as_posix()
        entry = self.targets.get(name, self.entries.get(name))
        if entry is None or not entry.is_file:
            why = errno.ENOENT if entry is None else errno.EISDIR  # a submodule is a folder
            return shown, Document(path, None), [_unreadable(shown, os.strerror(why))]
        if entry.size > MAX_FILE_BYTES:
            return shown, Document(path, None), [too_large(shown, entry.size)]
        return shown, *load_bytes(self.blobs[entry.oid], path, shown, defer_positions=True)

    def _follow_links(self) -> None:
        pending = {name: name for name, e in self.entries.items() if e.is_link}
        for _ in range(MAX_LINKS):
            if not pending:
                return
            wanted = {}
            for link, at in pending.items():
                target = self._resolve(at)
                if target is None:
                    self.leaving.add(link)
                else:
                    wanted[link] = target
            found = self._lookup(set(wanted.values()))
            pending = {}
            for link, target in wanted.items():
                entry = found.get(target)
                if entry is not None and entry.is_link:
                    pending[link] = target
                else:
                    self.targets[link] = entry
        self.targets.update(dict.fromkeys(pending))  # a loop leads nowhere

    def _resolve(self, link: str) -> str | None:
        """Where the link at `link` points, from the repository's root; None when that is out
        of the plans folder (or of the repository)."""
        entry = self._lookup({link})[link]
        target = self.blobs[entry.oid].decode("utf-8", "surrogateescape")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(link), target))
        if target.startswith("/") or resolved == ".." or resolved.startswith("../"):
            return None
        return resolved if not self.plans or resolved.startswith(f"{self.plans}/") else None

    def _lookup(self, names: set[str]) -> dict[str, Entry]:
        """Entries outside the plan's own listing (what a link points to), with their blobs."""
        missing = sorted(n for n in names if n not in self.entries and n not in self.elsewhere)
        if missing:
            found = list_tree(self.top, self.sha, missing, recursive=False)
            self.blobs.update(read_blobs(self.top, {e.oid for e in found.values() if _wanted(e)}))
            self.elsewhere.update({n: found.get(n) for n in missing})
        return {n: e for n in names if (e := self.entries.get(n) or self.elsewhere.get(n))}


def _wanted(entry: Entry) -> bool:
    """Whether to read a blob: a file not too large to load, or a link (its target)."""
    return entry.type == b"blob" and entry.size <= MAX_FILE_BYTES


def _unreadable(shown: str, reason: str) -> Problem:
    return problem("file-unreadable", shown, f"cannot read the file: {reason}")
