"""Where plans are: turn the paths given on the command line into plans and their files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from actionplan.errors import UsageError

CYCLE = re.compile(r"^(\d{4})-(\d{4})$")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class PlanFiles:
    """The files of one plan (or of a member alone, when `cycle_dir` is None)."""

    member_dir: Path
    cycle_dir: Path | None
    only: set[Path] = field(default_factory=set)  # when set, report only these files

    @property
    def key(self) -> str:
        return self.member_dir.name + (f"/{self.cycle_dir.name}" if self.cycle_dir else "")


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
    return sorted(p for p in cycle_dir.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def _cycles(member_dir: Path) -> list[Path]:
    return sorted(p for p in member_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def _members(plans_dir: Path) -> list[Path]:
    return sorted(
        p for p in plans_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )


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
    if (path.parent / "member.yaml").exists() or (path / "vision.yaml").exists():
        return [PlanFiles(path.parent, path)]
    members = _members(path)
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
        result = result.parent
    return result
