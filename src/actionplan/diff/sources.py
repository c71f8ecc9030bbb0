"""The two sides of a diff: a plan folder, or `REV:PATH`, a plan folder at a git revision.

A revision is read straight from the repository's object store (`git ls-tree`, then every
blob in one `git cat-file --batch`), never checked out. Each side is loaded, validated and
merged like `actionplan validate` would: a side whose files cannot be merged (YAML or schema
errors, a missing file) stops the diff with exit 2 and its problems; other problems (rules
across files) are shown and the diff goes on.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from actionplan.errors import UsageError
from actionplan.loader import MAX_FILE_BYTES, _decode, display_name, load_text
from actionplan.merge import Plan, merge
from actionplan.problems import Problem, Severity
from actionplan.validate import build_date, validate_plan
from actionplan.validate.files import (
    LAYOUT_DEPTH,
    YAML_SUFFIXES,
    PlanFiles,
    classify,
    parent_folder,
)
from actionplan.validate.plan import LoadedPlan, attach
from actionplan.validate.rules import check_plan
from actionplan.validate.schema import SourceFile, check
from actionplan.validate.translations import check_languages


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
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
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
    listed = git(top, ["ls-tree", "-r", "-z", "--name-only", sha, "--", f"{cycle}/", member_file])
    names = [n for n in listed.decode("utf-8", "surrogateescape").split("\0") if n]
    if not any(n.startswith(f"{cycle}/") for n in names):
        raise NotAtRevision(f"{argument}: no folder `{cycle}` at revision `{revision}`")
    if f"{cycle}/vision.yaml" not in names and member_file not in names:
        raise UsageError(
            f"{argument}: not a plan folder (expected plans/<member>/<cycle>/ with vision.yaml)"
        )
    blobs = _read_blobs(top, sha, names)
    loaded, problems = _load_blobs(revision, cycle_dir, blobs)
    plan, errors = _finish(loaded, problems, argument)
    return Side(argument, cycle, plan, revision, sha, errors, top)


def _read_blobs(top: Path, sha: str, names: list[str]) -> dict[str, bytes | None]:
    """The contents of files at a commit, in one `git cat-file --batch`; None when too large."""
    request = "".join(f"{sha}:{name}\n" for name in names).encode("utf-8", "surrogateescape")
    out = git(top, ["cat-file", "--batch"], request)
    blobs: dict[str, bytes | None] = {}
    position = 0
    for name in names:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            blobs[name] = b""  # a submodule or a symbolic link: not a plan file
            continue
        size = int(header[2])
        blobs[name] = out[position : position + size] if size <= MAX_FILE_BYTES else None
        position += size + 1
    return blobs


def _problem(display: str, rule: str, message: str) -> Problem:
    return Problem(display, 1, 1, Severity.ERROR, rule, "$", message)


def _load_blobs(
    revision: str, cycle_dir: PurePosixPath, blobs: dict[str, bytes | None]
) -> tuple[LoadedPlan, list[Problem]]:
    """`load_plan` for files read from git: every file loaded, schema-checked and attached."""
    files = PlanFiles(Path(cycle_dir.parent), Path(cycle_dir))
    plan = LoadedPlan(files=files)
    problems: list[Problem] = []
    member_name = str(cycle_dir.parent / "member.yaml")
    vision_name = str(cycle_dir / "vision.yaml")
    for required, what in ((member_name, "member.yaml"), (vision_name, "vision.yaml")):
        if required not in blobs:
            problems.append(
                _problem(
                    f"{revision}:{required}",
                    "layout-missing-file",
                    f"{what} is missing; every plan needs it",
                )
            )
    for name, raw in blobs.items():
        display = f"{revision}:{name}"
        path = Path(name)
        kind = "member" if name == member_name else classify(path)
        if name != member_name:
            depth = len(PurePosixPath(name).relative_to(cycle_dir).parts)
            if path.suffix not in YAML_SUFFIXES:
                continue
            if path.suffix != ".yaml" or kind is None or LAYOUT_DEPTH.get(kind) != depth:
                problems.append(
                    _problem(
                        display,
                        "layout-unknown-file",
                        "this file is not part of the plan layout and would be ignored",
                    )
                )
                continue
        assert kind is not None
        src, found = _load_blob(path, display, kind, raw)
        problems += found
        attach(plan, src)
    problems += check_plan(plan, build_date())
    problems += check_languages(plan)
    return plan, problems


def _load_blob(
    path: Path, display: str, kind: str, raw: bytes | None
) -> tuple[SourceFile, list[Problem]]:
    from actionplan.loader import Document

    if raw is None:
        problem = _problem(
            display, "file-too-large", f"a plan file may be at most {MAX_FILE_BYTES:,} bytes"
        )
        return SourceFile(path, display, kind, Document(path, None)), [problem]
    text, bad = _decode(raw, display)
    if text is None:
        return SourceFile(path, display, kind, Document(path, None)), [bad] if bad else []
    doc, problems = load_text(text, path, display)
    src = SourceFile(path=path, display=display, kind=kind, doc=doc)
    if not problems:
        problems = check(src)
    return src, problems
