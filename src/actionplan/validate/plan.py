"""A plan as loaded from its folder: every file, its data, positions and (when valid) model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from actionplan.layout import FORUM_FILE
from actionplan.loader import Document, display_name, load_file
from actionplan.model import (
    Commitment,
    Contributions,
    EndOfCommitment,
    FinalSummary,
    Forum,
    Inception,
    Meeting,
    Member,
    ProgressLog,
    Roadmap,
    Vision,
)
from actionplan.problems import Problem, problem
from actionplan.validate import schema
from actionplan.validate.files import (
    LAYOUT_DEPTH,
    PLAN_FILES,
    PlanFiles,
    Walk,
    classify,
    entry_exists,
    layout_hint,
    plans_root,
    special_file,
    walk_plan,
)
from actionplan.validate.schema import SourceFile

_M = TypeVar("_M")


@dataclass
class LoadedPlan:
    files: PlanFiles
    member: SourceFile | None = None
    vision: SourceFile | None = None
    commitments: list[SourceFile] = field(default_factory=list)
    progress: list[SourceFile] = field(default_factory=list)
    inception: SourceFile | None = None
    end_of_commitment: list[SourceFile] = field(default_factory=list)
    final_summary: SourceFile | None = None
    forum: SourceFile | None = None
    roadmap: SourceFile | None = None
    meetings: list[SourceFile] = field(default_factory=list)
    contributions: list[SourceFile] = field(default_factory=list)

    def sources(self) -> list[SourceFile]:
        singles = [self.member, self.forum, self.vision, self.roadmap]
        singles += [self.inception, self.final_summary]
        lists = self.commitments + self.progress + self.end_of_commitment
        return [s for s in singles if s] + lists + self.meetings + self.contributions

    @property
    def member_model(self) -> Member | None:
        return _model(self.member, Member)

    @property
    def vision_model(self) -> Vision | None:
        return _model(self.vision, Vision)

    def commitment_models(self) -> dict[str, tuple[SourceFile, Commitment]]:
        return {m.id: (s, m) for s, m in _models(self.commitments, Commitment)}

    def commitments_in_order(self) -> list[Commitment]:
        """The valid commitments in the order every document lists them: by start date, then id."""
        models = (model for _, model in self.commitment_models().values())
        return sorted(models, key=lambda c: (c.period.start, c.id))

    def progress_models(self) -> list[tuple[SourceFile, ProgressLog]]:
        return _models(self.progress, ProgressLog)

    def inception_model(self) -> Inception | None:
        return _model(self.inception, Inception)

    def end_models(self) -> list[tuple[SourceFile, EndOfCommitment]]:
        return _models(self.end_of_commitment, EndOfCommitment)

    def final_model(self) -> FinalSummary | None:
        return _model(self.final_summary, FinalSummary)

    def forum_model(self) -> Forum | None:
        return _model(self.forum, Forum)

    def roadmap_model(self) -> Roadmap | None:
        return _model(self.roadmap, Roadmap)

    def meeting_models(self) -> list[tuple[SourceFile, Meeting]]:
        return _models(self.meetings, Meeting)

    def contributions_models(self) -> list[tuple[SourceFile, Contributions]]:
        return _models(self.contributions, Contributions)

    @property
    def complete(self) -> bool:
        """True when every file passed the schema, so the plan can be merged and built."""
        return all(s.model is not None for s in self.sources())


def _model(src: SourceFile | None, kind: type[_M]) -> _M | None:
    """The file's model when it passed its schema (None for a missing or invalid file)."""
    model = src.model if src else None
    return model if isinstance(model, kind) else None


def _models(sources: list[SourceFile], kind: type[_M]) -> list[tuple[SourceFile, _M]]:
    """Each file that passed its schema, with its model."""
    return [(s, m) for s in sources if isinstance(m := s.model, kind)]


class _DisplayNames:
    """`display_name` for the files of one plan, resolving each folder once, not every file.

    A file's resolved path is its resolved folder joined with its name, unless the name itself
    is a symbolic link (or `..`): those take the long way, so the names are the same."""

    def __init__(self) -> None:
        self.cwd = str(Path.cwd().resolve())
        self.below_cwd = self.cwd.rstrip("/") + "/"  # how the resolved paths below it start
        self.folders: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        parent, name = path.parent, path.name
        folder = self.folders.get(parent)
        if folder is None:
            folder = self.folders[parent] = str(parent.resolve())
        resolved = os.path.join(folder, name)
        if name in ("", ".", "..") or os.path.islink(resolved):
            return display_name(path)
        if resolved.startswith(self.below_cwd):
            return resolved[len(self.below_cwd) :]
        return "." if resolved == self.cwd else str(path)


class _Confined:
    """Whether a file of a member's plans, its symbolic links followed, stays in the plans
    folder (the member folder's parent): a link out of it would have the validator read, and
    quote in its messages, any file of the machine (a link to /etc/passwd, to a key...)."""

    def __init__(self, member_dir: Path) -> None:
        root = os.path.realpath(os.path.dirname(os.path.abspath(member_dir)))
        self.below = root.rstrip(os.sep) + os.sep
        self.folders: dict[Path, str] = {}

    def __call__(self, path: Path) -> bool:
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = os.path.realpath(path.parent)
        real = os.path.join(folder, path.name)
        if os.path.islink(real):
            real = os.path.realpath(real)
        return real.startswith(self.below)


def _outside(path: Path) -> Problem:
    return link_outside(os.path.join(display_name(path.parent), path.name))  # the link itself


def link_outside(shown: str) -> Problem:
    """The problem of the file `shown`, a link out of the plans folder that is not read."""
    return problem(
        "symlink-outside",
        shown,
        "this is a symbolic link to a file outside the plans folder, which is not read; "
        "put the file itself here",
    )


class PlanSource(Protocol):
    """Where the files of a plan are read from: its folder (FolderSource), or the folder at a
    git revision (actionplan.diff.sources). Both are loaded by `load_plan`, so every layout
    rule and every check applies to a revision exactly as to a folder."""

    def exists(self, path: Path) -> bool:
        """Whether the plan has something at `path`."""
        ...

    def yaml_files(self, cycle_dir: Path) -> list[Path]:
        """Every entry named *.yaml or *.yml below the plan folder, sorted."""
        ...

    def outside(self, path: Path) -> Problem | None:
        """The problem of a file that is a link out of the plans folder (it is not read)."""
        ...

    def display(self, path: Path) -> str:
        """The name problems give the file at `path`."""
        ...

    def read(self, path: Path) -> tuple[str, Document, list[Problem]]:
        """Load one file: the name problems give it, its document, the problems found."""
        ...


class FolderSource:
    """The files of a plan as they are in its folders."""

    def __init__(self, files: PlanFiles) -> None:
        self.names = _DisplayNames()
        self.confined = _Confined(files.member_dir)
        self.root = plans_root(files.member_dir)
        self.walk = Walk()
        self.walked: set[Path] = set()  # files the walk found readable, links checked

    def exists(self, path: Path) -> bool:
        return entry_exists(path)

    def yaml_files(self, cycle_dir: Path) -> list[Path]:
        """The walk's files and, to be reported through `outside`, what it did not read."""
        self.walk = walk_plan(cycle_dir, self.root)
        self.walked = set(self.walk.files)
        return sorted([*self.walk.files, *self.walk.blocked])

    def outside(self, path: Path) -> Problem | None:
        """Why the entry at `path` is not read: a link out of the plans folder or in a loop, a
        folder that cannot be read, a named pipe or a device (which would block the run)."""
        if path in self.walked:
            return None
        if path in self.walk.blocked:
            return self.walk.blocked[path]
        return _outside(path) if not self.confined(path) else special_file(path)

    def display(self, path: Path) -> str:
        return display_name(path)

    def read(self, path: Path) -> tuple[str, Document, list[Problem]]:
        shown = self.names(path)
        doc, problems = load_file(path, shown, defer_positions=True)
        return shown, doc, problems


def _load(source: PlanSource, path: Path, kind: str) -> tuple[SourceFile, list[Problem]]:
    shown, doc, problems = source.read(path)
    src = SourceFile(path=path, display=shown, kind=kind, doc=doc)
    if not problems:
        problems = schema.check(src)
    return src, problems


def _missing(shown: str, what: str) -> Problem:
    return problem("layout-missing-file", shown, f"{what} is missing; every plan needs it")


def load_plan(
    files: PlanFiles, source: PlanSource | None = None
) -> tuple[LoadedPlan, list[Problem]]:
    """Load and schema-check every file of a plan, reporting files that do not belong.
    The files are read from `source`, by default from the folders `files` names."""
    source = source or FolderSource(files)
    plan = LoadedPlan(files=files)
    problems: list[Problem] = list(files.problems)
    if files.blocked:
        return plan, problems
    member_path = files.member_dir / "member.yaml"
    if not source.exists(member_path):
        problems.append(_missing(source.display(member_path), "member.yaml"))
    elif (outside := source.outside(member_path)) is not None:
        problems.append(outside)
    else:
        plan.member, found = _load(source, member_path, "member")
        problems += found
    problems += _load_forum(plan, files, source)
    if files.cycle_dir is None:
        problems += _load_lone_files(plan, files.only - {member_path}, source)
        return plan, problems
    vision_path = files.cycle_dir / "vision.yaml"
    if not source.exists(vision_path):
        problems.append(_missing(source.display(vision_path), "vision.yaml"))
    for path in source.yaml_files(files.cycle_dir):
        kind = classify(path)
        if (outside := source.outside(path)) is not None:
            problems.append(outside)
            continue
        if path.suffix != ".yaml" or kind is None or _misplaced(files, path, kind):
            problems.append(_stray(path, source.display(path)))
            continue
        src, found = _load(source, path, kind)
        problems += found
        attach(plan, src)
    return plan, problems


def _load_forum(plan: LoadedPlan, files: PlanFiles, source: PlanSource) -> list[Problem]:
    """The member's forum.yaml, beside member.yaml, when it has one."""
    forum_path = files.member_dir / FORUM_FILE
    if not source.exists(forum_path):
        return []
    if (outside := source.outside(forum_path)) is not None:
        return [outside]
    plan.forum, found = _load(source, forum_path, "forum")
    return found


def _load_lone_files(plan: LoadedPlan, paths: set[Path], source: PlanSource) -> list[Problem]:
    """Files given on the command line that stand in no plan folder: checked on their own."""
    problems: list[Problem] = []
    for path in sorted(paths):
        kind = classify(path)
        if kind is not None and kind not in ("member", "forum"):
            src, found = _load(source, path, kind)
            problems += found
            attach(plan, src)
    return problems


def _misplaced(files: PlanFiles, path: Path, kind: str) -> bool:
    assert files.cycle_dir is not None
    depth = len(path.parts) - len(files.cycle_dir.parts)  # path lies below cycle_dir
    return depth != LAYOUT_DEPTH.get(kind)  # member.yaml has no place in a plan folder


def _stray(path: Path, shown: str) -> Problem:
    hint = layout_hint(path, PLAN_FILES)
    return problem(
        "layout-unknown-file",
        shown,
        f"this file is not part of the plan layout and would be ignored; {hint}",
    )


_ONE_OF_A_KIND = {
    "member": "member",
    "forum": "forum",
    "vision": "vision",
    "roadmap": "roadmap",
    "inception": "inception",
    "final-summary": "final_summary",
}
"""The kinds a plan has at most one file of, and the field of LoadedPlan that holds it."""
_MANY_OF_A_KIND = {
    "commitment": "commitments",
    "progress": "progress",
    "end-of-commitment": "end_of_commitment",
    "meeting": "meetings",
    "contributions": "contributions",
}
"""The kinds a plan has a file of per id, and the list of LoadedPlan that holds them."""


def attach(plan: LoadedPlan, src: SourceFile) -> None:
    """Put a loaded file in its place in the plan, by its kind."""
    if src.kind in _ONE_OF_A_KIND:
        setattr(plan, _ONE_OF_A_KIND[src.kind], src)
    else:
        getattr(plan, _MANY_OF_A_KIND[src.kind]).append(src)
