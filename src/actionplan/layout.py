"""The plan layout: the kinds of plan file, where each stands, and the files and ids of a plan.

```
plans/<member>/member.yaml
plans/<member>/<YYYY-YYYY>/vision.yaml
plans/<member>/<YYYY-YYYY>/commitments/<id>.yaml
plans/<member>/<YYYY-YYYY>/progress/<id>.yaml
plans/<member>/<YYYY-YYYY>/assessments/inception.yaml
plans/<member>/<YYYY-YYYY>/assessments/end-of-commitment/<id>.yaml
plans/<member>/<YYYY-YYYY>/assessments/final-summary.yaml
plans/<member>/forum.yaml
plans/<member>/<YYYY-YYYY>/roadmap.yaml
plans/<member>/<YYYY-YYYY>/meetings/<YYYY-MM-DD-slug>.yaml
plans/<member>/<YYYY-YYYY>/contributions/<id>.yaml
```

The one place that knows it: the validator (`actionplan.validate.files`, which adds the walk
that never leaves the plans folder and the problems found on the way), the build layer (which
names every task's inputs and targets from it at each `doit`) and the diff's git reader.
Standard library only, so that listing doit's tasks never loads pydantic or the validator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

PLANS = "plans"
MEMBER_FILE = "member.yaml"
VISION_FILE = "vision.yaml"
COMMITMENTS = "commitments"
PROGRESS = "progress"
ASSESSMENTS = "assessments"
END_OF_COMMITMENT = "end-of-commitment"
INCEPTION_FILE = "inception.yaml"
FINAL_SUMMARY_FILE = "final-summary.yaml"
FORUM_FILE = "forum.yaml"
ROADMAP_FILE = "roadmap.yaml"
MEETINGS = "meetings"
CONTRIBUTIONS = "contributions"
MEMBER_FILES = (MEMBER_FILE, FORUM_FILE)
"""The files of a member folder, beside its plan folders."""
YAML_SUFFIXES = (".yaml", ".yml")
"""Names the validator reads as YAML (and reports when not lower-case `.yaml`)."""
CYCLE = re.compile(r"^(\d{4})-(\d{4})$")
"""A plan folder's name: the years of the plan's start and end."""
LANGUAGE = re.compile(r"^[a-z]{2}$")
"""A language code as the models accept it (their LANG_PATTERN): the only codes that name
output files, since a code names files (`../..` would climb out of build/)."""
LAYOUT_DEPTH = {
    "vision": 1,
    "commitment": 2,
    "progress": 2,
    "inception": 2,
    "final-summary": 2,
    "end-of-commitment": 3,
    "roadmap": 1,
    "meeting": 2,
    "contributions": 2,
}
"""How deep below the plan (cycle) folder each kind of file stands."""


def classify(path: Path) -> str | None:
    """The document kind a file holds, from where it stands in the layout."""
    parent = path.parent.name
    stem = path.stem
    if path.name == MEMBER_FILE:
        return "member"
    if path.name == FORUM_FILE:
        return "forum"
    if path.name == VISION_FILE:
        return "vision"
    if path.name == ROADMAP_FILE:
        return "roadmap"
    if parent == COMMITMENTS:
        return "commitment"
    if parent == MEETINGS:
        return "meeting"
    if parent == CONTRIBUTIONS:
        return "contributions"
    if parent == PROGRESS:
        return "progress"
    if parent == END_OF_COMMITMENT and path.parent.parent.name == ASSESSMENTS:
        return "end-of-commitment"
    if parent == ASSESSMENTS and stem in ("inception", "final-summary"):
        return stem
    return None


def is_yaml_name(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


def _files(folder: Path) -> list[Path]:
    """The `.yaml` files in `folder`, sorted."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


class PlanFolder:
    """One plan's folders and the files found in them now: the quick reading the build layer
    makes at every `doit` to name inputs and targets (the validator's walk, which reports what
    stands outside the layout, is `actionplan.validate.files`). Immutable, equal to another of
    the same folders; a plain class, not a dataclass, as problems.py's."""

    __slots__ = ("cycle_dir", "member_dir")
    member_dir: Path
    cycle_dir: Path

    def __init__(self, member_dir: Path, cycle_dir: Path) -> None:
        object.__setattr__(self, "member_dir", member_dir)
        object.__setattr__(self, "cycle_dir", cycle_dir)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a PlanFolder is not changed ({name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlanFolder) or other.__class__ is not self.__class__:
            return NotImplemented
        return (self.member_dir, self.cycle_dir) == (other.member_dir, other.cycle_dir)

    def __hash__(self) -> int:
        return hash((self.member_dir, self.cycle_dir))

    def __reduce__(self) -> tuple[type[PlanFolder], tuple[Path, Path]]:
        return PlanFolder, (self.member_dir, self.cycle_dir)

    def __repr__(self) -> str:
        return f"PlanFolder(member_dir={self.member_dir!r}, cycle_dir={self.cycle_dir!r})"

    @property
    def name(self) -> str:
        """`<member>/<cycle>`."""
        return f"{self.member_dir.name}/{self.cycle_dir.name}"

    @property
    def member_file(self) -> Path:
        return self.member_dir / MEMBER_FILE

    def forum_file(self) -> Path | None:
        path = self.member_dir / FORUM_FILE
        return path if path.is_file() else None

    def member_files(self) -> list[Path]:
        """member.yaml and, once written, forum.yaml: what every plan of the member reads."""
        forum = self.forum_file()
        return [self.member_file, *([forum] if forum else [])]

    def all_files(self) -> list[Path]:
        """Every YAML file of the plan, the member's first: what validation reads."""
        found = (p for p in self.cycle_dir.rglob("*") if p.suffix in YAML_SUFFIXES)
        return [*self.member_files(), *sorted(p for p in found if p.is_file())]

    def commitment_files(self) -> list[Path]:
        return _files(self.cycle_dir / COMMITMENTS)

    def action_plan_files(self) -> list[Path]:
        """The files the action plan is made of: member, vision, commitments."""
        vision = self.cycle_dir / VISION_FILE
        vision_files = [vision] if vision.is_file() else []
        return [self.member_file, *vision_files, *self.commitment_files()]

    def progress_files(self) -> list[Path]:
        return _files(self.cycle_dir / PROGRESS)

    def inception_file(self) -> Path | None:
        path = self.cycle_dir / ASSESSMENTS / INCEPTION_FILE
        return path if path.is_file() else None

    def end_of_commitment_files(self) -> list[Path]:
        return _files(self.cycle_dir / ASSESSMENTS / END_OF_COMMITMENT)

    def final_summary_file(self) -> Path | None:
        path = self.cycle_dir / ASSESSMENTS / FINAL_SUMMARY_FILE
        return path if path.is_file() else None

    def roadmap_file(self) -> Path | None:
        path = self.cycle_dir / ROADMAP_FILE
        return path if path.is_file() else None

    def meeting_files(self) -> list[Path]:
        return _files(self.cycle_dir / MEETINGS)

    def contributions_files(self) -> list[Path]:
        return _files(self.cycle_dir / CONTRIBUTIONS)

    def co_creation_files(self) -> list[Path]:
        """The co-creation record: forum, roadmap, meetings, contributions (as they stand)."""
        forum, roadmap = self.forum_file(), self.roadmap_file()
        singles = [p for p in (forum, roadmap) if p]
        return [*singles, *self.meeting_files(), *self.contributions_files()]


def plan_folders(plans_dir: Path) -> Iterator[PlanFolder]:
    """Every plan under a plans folder, as `actionplan.validate.files.discover` finds them:
    each folder of each member folder, hidden ones (and members starting with `_`) left out,
    and never a folder reached through a link out of the plans folder (`links_out`)."""
    if not plans_dir.is_dir():
        return
    for member_dir in _folders(plans_dir, (".", "_")):
        if not _leads_out(plans_dir, member_dir):
            for cycle_dir in _folders(member_dir, (".",)):
                if not _leads_out(plans_dir, cycle_dir):
                    yield PlanFolder(member_dir, cycle_dir)


def links_out(plans_dir: Path) -> list[Path]:
    """The member and plan folders that are links to a folder outside the plans folder: the
    build neither lists nor walks them (a link to `/` would have it read the whole machine);
    the validator reports them at the link (`symlink-outside`)."""
    if not plans_dir.is_dir():
        return []
    found = []
    for member_dir in _folders(plans_dir, (".", "_")):
        if _leads_out(plans_dir, member_dir):
            found.append(member_dir)
            continue
        found += [c for c in _folders(member_dir, (".",)) if _leads_out(plans_dir, c)]
    return found


def _leads_out(plans_dir: Path, folder: Path) -> bool:
    if not folder.is_symlink():
        return False
    return not folder.resolve().is_relative_to(plans_dir.resolve())


def _folders(parent: Path, hidden: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(hidden))
