"""Where a build reads and writes, and the plans it builds, as task creation sees them.

Standard library and ruamel.yaml only (through `actionplan.loader`): dodo.py imports this to
list its tasks at every `doit`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan import __version__
from actionplan.clock import build_date
from actionplan.errors import UsageError
from actionplan.fsutil import inside, shown
from actionplan.layout import LANGUAGE, PlanFolder, plan_folders
from actionplan.loader import load_file

if TYPE_CHECKING:
    from actionplan.validate.files import PlanFiles


@dataclass(frozen=True)
class Settings:
    """Where things are: everything a build reads besides the plans, and where it writes."""

    root: Path

    @property
    def plans_dir(self) -> Path:
        return self.root / "plans"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    def schema_files(self) -> list[Path]:
        return sorted(self.schemas.glob("*.schema.json"))

    @property
    def reference_docx(self) -> Path:
        return self.templates / "reference.docx"

    def label_files(self) -> list[Path]:
        """The label catalogues: the repository's own (`locales/`) and the templates'; the
        same files as `actionplan.render.labels.catalogue_files`, which this module cannot
        import (dodo.py loads it at every run)."""
        pattern = "*/LC_MESSAGES/actionplan.po"
        own = (self.root / "locales").glob(pattern)
        return sorted([*own, *(self.templates / "locales").glob(pattern)])


@dataclass(frozen=True)
class PlanTarget:
    """One plan (member/cycle) as doit sees it."""

    member_dir: Path
    cycle_dir: Path
    out_dir: Path

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def member(self) -> str:
        """The member's id, its folder's name: what a shard is chosen by."""
        return self.member_dir.name

    @property
    def files(self) -> PlanFiles:
        from actionplan.validate.files import PlanFiles

        return PlanFiles(self.member_dir, self.cycle_dir)

    @property
    def folder(self) -> PlanFolder:
        return PlanFolder(self.member_dir, self.cycle_dir)

    def inputs(self) -> list[Path]:
        """Every file of the plan: what validation and plan.json depend on."""
        return self.folder.all_files()

    def action_plan_inputs(self) -> list[Path]:
        """The files the action plan document is made of: what was filed (member, vision,
        commitments) and the co-creation record it sums up; not progress, not assessments.
        The co-creation report reads the same files."""
        return [*self.folder.action_plan_files(), *self.folder.co_creation_files()]

    def filed_inputs(self) -> list[Path]:
        """What was filed (member, vision, commitments): what the progress report and the
        assessments read besides their own files, so a new meeting never rebuilds them."""
        return self.folder.action_plan_files()

    def languages(self) -> list[str]:
        """The member's languages, read at task-creation time to name the targets: only the
        codes the validator accepts, since a code names files (`../..` would climb out of
        build/); a plan with another fails validation and writes nothing anyway."""
        doc, problems = load_file(self.member_dir / "member.yaml")
        langs = doc.data.get("languages") if isinstance(doc.data, dict) else None
        if problems or not isinstance(langs, list):
            return []
        codes = [code for code in langs if isinstance(code, str) and LANGUAGE.fullmatch(code)]
        return list(dict.fromkeys(codes))


def plans(settings: Settings) -> Iterator[PlanTarget]:
    """Every plan under plans/: the cycles `actionplan.validate.files.discover` finds there."""
    for folder in plan_folders(settings.plans_dir):
        out = settings.build_dir / folder.member_dir.name / folder.cycle_dir.name
        yield PlanTarget(folder.member_dir, folder.cycle_dir, out)


SHARD_VARIABLE = "ACTIONPLAN_SHARD"
_SHARD = re.compile(r"([1-9][0-9]{0,5})/([1-9][0-9]{0,5})")


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (1-based): the members whose id hashes to it. The hash is the
    id's sha256, not Python's `hash`, so every machine and run agrees on which shard builds
    which member, and a member's plans always build together."""

    index: int
    count: int

    def holds(self, member: str) -> bool:
        digest = hashlib.sha256(member.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard(environ: Mapping[str, str] = os.environ) -> Shard | None:
    """The shard `ACTIONPLAN_SHARD=K/N` selects, or None (every member) when it is unset."""
    text = environ.get(SHARD_VARIABLE, "").strip()
    if not text:
        return None
    found = _SHARD.fullmatch(text)
    if found is None or int(found[1]) > int(found[2]):
        raise UsageError(
            f"{SHARD_VARIABLE}={text!r}: expected K/N, shard K of N with 1 <= K <= N "
            "(for example 1/4); unset it to build every member"
        )
    return Shard(int(found[1]), int(found[2]))


def outside_build(settings: Settings, targets: Iterable[Path]) -> list[str]:
    """A message for each target that lies outside build/ once links are followed (a folder
    under build/ linked elsewhere): a task with one writes nothing and `doit clean` deletes
    nothing of it."""
    return [
        f"{shown(target)}: outside build/ (it leads to {Path(target).resolve()}); not written"
        for target in targets
        if not inside(settings.build_dir, target)
    ]


def config(settings: Settings) -> dict[str, str]:
    """Settings that change outputs without changing a file: doit's config_changed."""
    return {"version": __version__, "build_date": build_date().isoformat()}
