"""Where a build reads and writes, and the plans it builds, as task creation sees them.

Standard library only, and ruamel.yaml (through `actionplan.loader`) when a member.yaml has
changed since the last run: dodo.py imports this to list its tasks at every `doit`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan import __version__
from actionplan.clock import build_date
from actionplan.errors import UsageError
from actionplan.fsutil import inside, shown, write_atomic
from actionplan.layout import LANGUAGE, PlanFolder, plan_folders

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
        """The member's languages, read at task-creation time to name the targets."""
        return member_codes(self.member_dir / "member.yaml", self.out_dir.parent.parent)[1]


MEMBER_CODES_CACHE = Path("cache") / "member-codes.json"
"""Under build/: what each member.yaml names, by the sha256 of its bytes."""
_member_codes: dict[str, tuple[str, list[str]]] = {}


def member_codes(member_yaml: Path, build_dir: Path) -> tuple[str, list[str]]:
    """A member's country ("" if none) and languages, as task creation needs them to name
    targets: only codes the validator accepts, since a code names files (`../..` would climb
    out of build/); a member.yaml with problems names none (its plans fail validation and
    write nothing anyway). Kept by the hash of the file's bytes, in memory and in build/, so
    that listing the tasks of 150 members parses no member.yaml that has not changed and
    does not even import the YAML parser."""
    try:
        digest = hashlib.sha256(member_yaml.read_bytes()).hexdigest()
    except OSError:
        return "", []
    if not _member_codes:
        _member_codes.update(_read_codes(build_dir / MEMBER_CODES_CACHE))
    if digest not in _member_codes:
        _member_codes[digest] = _parse_codes(member_yaml)
        if inside(build_dir, build_dir / MEMBER_CODES_CACHE):
            write_atomic(build_dir / MEMBER_CODES_CACHE, json.dumps(_member_codes, sort_keys=True))
    return _member_codes[digest]


def _read_codes(path: Path) -> dict[str, tuple[str, list[str]]]:
    """The codes kept in build/, or none when the file is absent or not as we write it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        key: (value[0], value[1])
        for key, value in (data.items() if isinstance(data, dict) else ())
        if isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], list)
        and all(isinstance(c, str) for c in value[1])
    }


def _parse_codes(member_yaml: Path) -> tuple[str, list[str]]:
    from actionplan.loader import load_file  # only for a changed file: 0.1 s to import

    doc, problems = load_file(member_yaml)
    data = doc.data if isinstance(doc.data, dict) and not problems else {}
    code, langs = data.get("country"), data.get("languages")
    country = code if isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) else ""
    langs = langs if isinstance(langs, list) else []
    codes = [c for c in langs if isinstance(c, str) and LANGUAGE.fullmatch(c)]
    return country, list(dict.fromkeys(codes))


def git_trees(plans_dir: Path) -> dict[str, str]:
    """The git tree of each member's folder at HEAD (`git ls-tree`, one call), by member id;
    empty outside git. What the site shows of the history (last update, each commitment's
    edits) changes with a commit, not with the files, so its tasks rerun when these do."""
    try:
        result = subprocess.run(
            ["git", "ls-tree", "HEAD", "."],
            cwd=plans_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    trees = {}
    for line in result.stdout.splitlines() if result.returncode == 0 else ():
        meta, _, name = line.partition("\t")
        if meta.split(" ")[1:2] == ["tree"]:
            trees[name] = meta.split(" ")[2]
    return trees


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
