"""Where plans are: turn the paths given on the command line into plans and their files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from actionplan.errors import UsageError

CYCLE = re.compile(r"^(\d{4})-(\d{4})$")
YAML_SUFFIXES = (".yaml", ".yml")
# How deep below the cycle folder each kind of file stands (vision.yaml is directly in it).
LAYOUT_DEPTH = {
    "vision": 1,
    "commitment": 2,
    "progress": 2,
    "inception": 2,
    "final-summary": 2,
    "end-of-commitment": 3,
}


@dataclass
class PlanFiles:
    """The files of one plan (or of a member alone, when `cycle_dir` is None)."""

    member_dir: Path
    cycle_dir: Path | None
    only: set[Path] = field(default_factory=set)  # when set, report only these files

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


def classify(path: Path) -> str | None:
    """The document kind a file holds, from where it stands in the layout."""
    parent = path.parent.name
    stem = path.stem
    if path.name == "member.yaml":
        return "member"
    if path.name == "vision.yaml":
        return "vision"
    if parent == "commitments":
        return "commitment"
    if parent == "progress":
        return "progress"
    if parent == "end-of-commitment" and path.parent.parent.name == "assessments":
        return "end-of-commitment"
    if parent == "assessments" and stem in ("inception", "final-summary"):
        return stem
    return None


def plan_yaml_files(cycle_dir: Path) -> list[Path]:
    """Every entry named *.yaml or *.yml below the plan folder: a folder or a broken link named
    so is listed too, for the loader to report rather than to be skipped without a word."""
    return sorted(p for p in cycle_dir.rglob("*") if p.suffix in YAML_SUFFIXES)


def _cycles(member_dir: Path) -> list[Path]:
    return sorted(p for p in member_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def _members(plans_dir: Path) -> list[Path]:
    return sorted(
        p for p in plans_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )


def _looks_like_member(folder: Path) -> bool:
    """A member folder: with its member.yaml, or a plan folder (YYYY-YYYY or with vision.yaml)."""
    if (folder / "member.yaml").exists():
        return True
    return any(CYCLE.match(c.name) or (c / "vision.yaml").exists() for c in _cycles(folder))


def _member_plans(member_dir: Path) -> list[PlanFiles]:
    cycles = _cycles(member_dir)
    if not cycles:
        return [PlanFiles(member_dir, None)]
    return [PlanFiles(member_dir, c) for c in cycles]


def discover(path: Path) -> list[PlanFiles]:
    """Plans under a repository root, a plans/ folder, a member, a plan, or a single file."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    if path.is_file():
        return [_plan_of_file(path)]
    if (path / "plans").is_dir() and not (path / "member.yaml").exists():
        path = path / "plans"
    if (path / "member.yaml").exists():
        return _member_plans(path)
    if (parent_folder(path) / "member.yaml").exists() or (path / "vision.yaml").exists():
        return [PlanFiles(parent_folder(path), path)]
    members = _members(path)
    if path.resolve().name != "plans":  # a folder of other things (a repository without plans/)
        members = [m for m in members if _looks_like_member(m)]
    if not members:
        raise UsageError(f"{path}: no plans found (expected plans/<member>/member.yaml)")
    return [plan for member in members for plan in _member_plans(member)]


def _plan_of_file(path: Path) -> PlanFiles:
    if path.suffix not in YAML_SUFFIXES:
        raise UsageError(f"{path}: not a YAML file")
    resolved = path.resolve()
    for ancestor in resolved.parents:
        if ((ancestor / "member.yaml").exists() and ancestor != resolved.parent) or (
            path.name == "member.yaml" and ancestor == resolved.parent
        ):
            member_dir = ancestor
            relative = resolved.relative_to(member_dir).parts
            cycle = member_dir / relative[0] if len(relative) > 1 else None
            shown_cycle = _keep_form(path, cycle) if cycle else None
            return PlanFiles(_keep_form(path, member_dir), shown_cycle, {path})
    if classify(path) is None:
        raise UsageError(
            f"{path}: cannot tell what kind of plan file this is; it should stand in "
            "plans/<member>/ (member.yaml) or plans/<member>/<YYYY-YYYY>/ (vision.yaml, "
            "commitments/, progress/, assessments/)"
        )
    return PlanFiles(path.parent, None, {path})


def _keep_form(original: Path, target: Path) -> Path:
    """Map a resolved folder back to the form the user gave, so reported paths look familiar."""
    resolved = original.resolve()
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
