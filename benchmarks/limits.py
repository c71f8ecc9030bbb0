"""Benchmark: the PDFs of the worst valid plans, against the biggest example plan.

Run it from anywhere (the project installed editable, `doit` importable)::

    python benchmarks/limits.py                   # every family and shape; see below
    python benchmarks/limits.py --family pdf --shape dense --languages 1,2,5
    python benchmarks/limits.py --keep            # keep the generated repository

It writes a repository into a temporary folder (`dodo.py`, `templates/` and `schemas/` copied
from this one) with the biggest example of `plans/` (the baseline) and, one after another, the
worst valid plans, built at the limits of `actionplan.model.common`: the most commitments, one
wave of five after another so that at most five run on any day; every optional field and file
present (progress logs, assessments); and as many characters as a plan may hold
(MAX_PLAN_CHARS in each language, MAX_BUILD_CHARS in all). A plan cannot hold every list at its
longest and every text at its limit at once (those totals bound them together), so each shape
spends them its own way:

  prose   ordinary paragraphs, every text at its limit until the total is spent;
  dense   the same characters as Markdown lists of one-letter items (`- a`): the most boxes
          per character a text can make, so the most pages and memory;
  items   the most milestones and progress entries, every list of names as long as the total
          allows with one-letter names (stakeholders, actors, participants, approvers), then
          dense texts with what is left.

Each family of PDFs gets its own worst plans, whose characters go first to the texts those
documents show: `pdf` (the action plan: vision and commitments), `progress` (the progress
report: the notes of the progress logs, in table cells) and `assessments` (the monitoring
body's assessments). Every shape is built in the first number of languages of `--languages`
(one: the most in one PDF, so the most memory), the dense shape also in the others (two: the
most in all, so the longest build, the PDFs of the languages being built one after another).

Each plan is checked with `actionplan validate --strict` (it must pass: the point is the worst
*valid* plan), then its family's doit tasks run in a child process: wall and CPU time, peak
memory (ru_maxrss, from wait4), the pages of each PDF (pdfinfo). The target is five minutes of
CPU time and 2 GiB for each. It is a measurement, not a test: it exits 0 whatever the figures,
and 1 only when a plan is not valid or a build fails. All of it takes some 15 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from actionplan.loader import load_file
from actionplan.model.common import (
    MAX_BUILD_CHARS,
    MAX_COMMITMENTS,
    MAX_ENTRIES,
    MAX_ITEMS,
    MAX_LANGUAGES,
    MAX_MILESTONES,
    MAX_NAME_CHARS,
    MAX_PLAN_CHARS,
    MAX_TEXT_CHARS,
)
from actionplan.validate.files import classify
from actionplan.validate.limits import sizes_by_language

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE = dt.date(2026, 6, 1)
EPOCH = str(int(dt.datetime(2026, 6, 1, tzinfo=dt.UTC).timestamp()))
SHAPES = ("prose", "dense", "items")
LANGUAGES = ("en", "fr", "es", "pt", "de")
CONCURRENT = 5
PLAN_START = dt.date(2024, 1, 1)
WAVE_DAYS = 140  # 4 waves of five commitments, one after another, within two years
TARGET_SECONDS = 300.0
TARGET_BYTES = 2 * 1024**3

_SENTENCE = (
    "The city publishes its budget, contracts and council decisions as open data, and "
    "residents review each of them with the forum before the council votes. "
)


# -- the worst valid plan ----------------------------------------------------------------------


@dataclass
class _Slot:
    """A text the filler may lengthen: the mapping that holds it, its key, its limit."""

    holder: dict[str, Any]
    key: str
    limit: int
    family: str  # the documents that show it


@dataclass
class _Plan:
    languages: tuple[str, ...]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # path in the cycle -> data
    slots: list[_Slot] = field(default_factory=list)
    family: str = "pdf"  # of the texts being added

    def text(self, value: str) -> Any:
        """A localized text: the same words in every language of the plan."""
        if len(self.languages) == 1:
            return value
        return {code: value for code in self.languages}

    def long(self, holder: dict[str, Any], key: str) -> None:
        holder[key] = self.text("x")
        self.slots.append(_Slot(holder, key, MAX_TEXT_CHARS, self.family))


def _day(start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=days)).isoformat()


def _member(languages: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": "worst",
        "name": {code: "Worst City" for code in languages} if len(languages) > 1 else "Worst",
        "country": "FR",
        "languages": list(languages),
        "website": "https://example.org/open",
        "point_of_contact": {"name": "Ada Martin", "email": "ada@example.org"},
        "monitoring_body": {"name": "Monitor", "kind": "organization"},
    }


def _vision(plan: _Plan, names: int) -> dict[str, Any]:
    end = _day(PLAN_START, 4 * WAVE_DAYS - 1)
    vision: dict[str, Any] = {
        "title": plan.text("The worst valid plan"),
        "period": {"start": PLAN_START.isoformat(), "end": end},
        "term_end": _day(PLAN_START, 4 * WAVE_DAYS + 30),
        "co_creation": {
            "participants": [{"name": "Ada Martin", "role": "government-point-of-contact"}]
            + [{"name": "a", "role": "affected-community"} for _ in range(names - 1)]
        },
        "approval": {
            "date": PLAN_START.isoformat(),
            # formal (the executive) and endorsed (the forum), as the approval rules ask
            "approved_by": [{"name": "Mayor", "organization": "City", "kind": "executive"}]
            + [
                {"name": "a", "organization": "a", "kind": "forum"}
                for _ in range(max(names - 1, 1))
            ],
        },
    }
    for key in ("foreword", "long_term_vision", "challenges", "objectives", "alignment"):
        plan.long(vision, key)
    for key in ("coordination", "monitoring"):
        plan.long(vision, key)
    plan.long(vision["co_creation"], "process")
    plan.long(vision["approval"], "notes")
    return vision


_PROSE_KEYS = ("summary", "problem", "causes", "status_quo", "solution", "results")
_OPTIONAL_KEYS = ("resources", "risks")
_VALUES = ("transparency", "accountability", "participation", "inclusion")


@dataclass(frozen=True)
class Counts:
    """How many of each thing the skeleton holds: milestones per commitment, progress
    entries per log, one-letter names per list."""

    milestones: int
    entries: int
    names: int


def _commitment(plan: _Plan, number: int, counts: Counts) -> dict[str, Any]:
    start = PLAN_START + dt.timedelta(days=(number // CONCURRENT) * WAVE_DAYS)
    actors = [{"name": "a"} for _ in range(counts.names)]
    c: dict[str, Any] = {
        "id": f"c{number:02d}",
        "title": plan.text(f"Commitment {number}"),
        "period": {"start": start.isoformat(), "end": _day(start, WAVE_DAYS - 1)},
        "lead": {"agency": plan.text("City hall"), "contact": {"name": "Ada Martin"}},
        "other_actors": {
            "government": [{"name": "Finance", "contribution": plan.text("x")}, *actors[1:]],
            "civil_society": list(actors),
            "private_sector": list(actors),
            "other": list(actors),
        },
        "ogp_values": {},
        "open_gov_challenge": {"submitted": True, "area": "fiscal-openness"},
        "milestones": [_milestone(plan, start, m, counts.names) for m in range(counts.milestones)],
    }
    for key in _PROSE_KEYS + _OPTIONAL_KEYS:
        plan.long(c, key)
    for key in _VALUES:
        plan.long(c["ogp_values"], key)
    first = c["other_actors"]["government"][0]
    plan.slots.append(_Slot(first, "contribution", MAX_TEXT_CHARS, plan.family))
    return c


def _milestone(plan: _Plan, start: dt.date, number: int, names: int) -> dict[str, Any]:
    milestone: dict[str, Any] = {
        "id": f"m{number:02d}",
        "title": plan.text(f"Milestone {number}"),
        "start": start.isoformat(),
        "end": _day(start, WAVE_DAYS - 1),
        "lead": "a",
        "stakeholders": ["a"] * names,
    }
    plan.long(milestone, "expected_output")
    return milestone


def _progress(plan: _Plan, c: dict[str, Any], entries: int) -> dict[str, Any]:
    start = dt.date.fromisoformat(c["period"]["start"])
    log: list[dict[str, Any]] = []
    for n in range(entries):
        entry: dict[str, Any] = {
            "date": _day(start, n * WAVE_DAYS // max(entries, 1)),
            "milestone": c["milestones"][n % len(c["milestones"])]["id"],
            "status": "in-progress",
        }
        plan.long(entry, "note")
        log.append(entry)
    return {"commitment": c["id"], "entries": log}


def _assessments(plan: _Plan, commitments: list[dict[str, Any]]) -> None:
    requirements = (
        "forum-exists",
        "forum-multi-stakeholder",
        "non-government-approval",
        "repository-published",
        "information-before-meetings",
        "reasoned-response",
    )
    inception: dict[str, Any] = {
        "evaluator": "Monitor",
        "date": _day(PLAN_START, 30),
        "requirements": [{"requirement": r, "met": "yes"} for r in requirements],
        "public_influence": "collaborate",
        "commitments": [
            {
                "commitment": c["id"],
                "verifiable": True,
                "open_gov_lens": True,
                "potential_for_results": "modest",
            }
            for c in commitments
        ],
        "recommendations": [],
    }
    for item in inception["requirements"] + inception["commitments"]:
        plan.long(item, "explanation")
    plan.files["assessments/inception.yaml"] = inception
    for c in commitments:
        end: dict[str, Any] = {
            "commitment": c["id"],
            "evaluator": "Monitor",
            "date": c["period"]["end"],
            "completion": "substantial",
            "did_it_open_government": {},
        }
        plan.long(end, "completion_explanation")
        plan.long(end, "lessons")
        for value in ("transparency", "participation", "accountability"):
            end["did_it_open_government"][value] = {"rating": "major"}
            plan.long(end["did_it_open_government"][value], "explanation")
        plan.files[f"assessments/end-of-commitment/{c['id']}.yaml"] = end
    final: dict[str, Any] = {
        "date": _day(PLAN_START, 4 * WAVE_DAYS),
        "meeting": {"date": _day(PLAN_START, 4 * WAVE_DAYS), "participants": ["Ada Martin"]},
        "lessons": [],
        "recommendations": [],
    }
    plan.files["assessments/final-summary.yaml"] = final


def _skeleton(languages: tuple[str, ...], counts: Counts) -> tuple[_Plan, dict[str, Any]]:
    plan = _Plan(languages)
    member = _member(languages)
    plan.files["vision.yaml"] = _vision(plan, counts.names)
    commitments = [_commitment(plan, n, counts) for n in range(MAX_COMMITMENTS)]
    plan.family = "progress"
    for c in commitments:
        plan.files[f"commitments/{c['id']}.yaml"] = c
        plan.files[f"progress/{c['id']}.yaml"] = _progress(plan, c, counts.entries)
    plan.family = "assessments"
    _assessments(plan, commitments)
    return plan, member


def _paragraphs(size: int) -> str:
    """`size` characters of paragraphs of ordinary sentences."""
    text = ""
    while len(text) < size:
        text += _SENTENCE * 4 + "\n\n"
    return text[: size - 1].rstrip() + "."


def _dense(size: int) -> str:
    """`size` characters of a Markdown list of one-letter items: a box every four characters."""
    return ("- a\n" * (size // 4 + 1))[:size].rstrip() or "a"


def _fill(plan: _Plan, budget: int, make: Callable[[int], str], family: str) -> None:
    """Spend `budget` characters on the texts, each up to its limit, those `family` shows
    first."""
    for slot in sorted(plan.slots, key=lambda slot: slot.family != family):
        current = slot.holder[slot.key]
        have = len(current if isinstance(current, str) else next(iter(current.values())))
        size = min(slot.limit, budget + have)
        if size <= have:
            continue
        text = make(size)
        budget -= len(text) - have
        slot.holder[slot.key] = plan.text(text)


def budget(languages: tuple[str, ...]) -> int:
    """What the plan may hold in each language: all at the limit of one language, unless the
    limit of all languages together is lower."""
    return min(MAX_PLAN_CHARS, MAX_BUILD_CHARS // len(languages))


def _total(plan: _Plan, member: dict[str, Any]) -> int:
    """What the plan holds in one language (the same in each: every translation is a copy)."""
    kinds = {path: _kind_of(path) for path in plan.files}
    languages = plan.languages
    return sizes_by_language("member", member, languages)[0] + sum(
        sizes_by_language(kinds[path], data, languages)[0] for path, data in plan.files.items()
    )


def _kind_of(path: str) -> str:
    kind = classify(Path("plans/worst/2024-2025") / path)
    assert kind is not None, path
    return kind


def _counts(shape: str, languages: tuple[str, ...]) -> Counts:
    """The text shapes hold one milestone and one entry per commitment, to leave the most
    characters to their texts; `items` holds as many milestones (up to their limit) and
    entries as the plan's total leaves room for, then as many names in each list."""
    if shape != "items":
        return Counts(milestones=1, entries=1, names=1)

    def fits(counts: Counts) -> bool:
        return _total(*_skeleton(languages, counts)) <= budget(languages) * 0.95

    milestones = MAX_MILESTONES
    while milestones > 1 and not fits(Counts(milestones, milestones, 1)):
        milestones -= 1
    names = 1
    while names < MAX_ITEMS and fits(Counts(milestones, milestones, names + 1)):
        names += 1
    return Counts(milestones, milestones, names)


def _shape_plan(
    shape: str, languages: tuple[str, ...], family: str
) -> tuple[_Plan, dict[str, Any]]:
    """The skeleton that shape needs, its texts filled up to the plan's total, those the
    documents of `family` show first."""
    plan, member = _skeleton(languages, _counts(shape, languages))
    spare = budget(languages) - _total(plan, member)
    if spare < 0:
        raise SystemExit(f"benchmark: the {shape} skeleton alone holds too much text ({spare})")
    _fill(plan, spare, _paragraphs if shape == "prose" else _dense, family)
    return plan, member


def _dump(data: dict[str, Any]) -> str:
    """Plain block YAML the loader accepts: no anchors or aliases for repeated values, and no
    YAML library beyond the project's own (ruamel.yaml)."""
    yaml = YAML(typ="rt")
    yaml.representer.ignore_aliases = lambda _data: True
    yaml.width = 100
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def write_worst_plan(
    plans: Path, shape: str = "dense", languages: tuple[str, ...] = ("en",), family: str = "pdf"
) -> Path:
    """Write the worst valid plan of `shape` for the documents of `family` (pdf: the action
    plan, progress: the progress report, assessments) under `plans/`; returns its folder."""
    plan, member = _shape_plan(shape, languages, family)
    (plans / "worst").mkdir(parents=True, exist_ok=True)
    (plans / "worst" / "member.yaml").write_text(_dump(member), encoding="utf-8")
    end_year = dt.date.fromisoformat(plan.files["vision.yaml"]["period"]["end"]).year
    folder = plans / "worst" / f"{PLAN_START.year}-{end_year}"
    for path, data in plan.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_dump(data), encoding="utf-8")
    return folder


def plan_chars(folder: Path) -> list[int]:
    """The plan's characters in each of its languages as the validator counts them, read back
    from its files."""
    member, problems = load_file(folder.parent / "member.yaml", "member.yaml")
    assert not problems, problems
    languages = tuple(member.data["languages"])
    total = [0] * len(languages)
    for path in [folder.parent / "member.yaml", *sorted(folder.rglob("*.yaml"))]:
        kind = classify(path)
        assert kind is not None, path
        doc, problems = load_file(path, str(path))
        assert not problems, problems
        found = sizes_by_language(kind, doc.data, languages)
        total = [a + b for a, b in zip(total, found, strict=True)]
    return total


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Build:
    name: str
    seconds: float
    cpu_seconds: float
    peak_bytes: int
    pages: list[int]
    chars: list[int]  # in each language


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, Any, str]:
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        print(f"benchmark: {' '.join(argv)} failed:\n{text[-3000:]}", file=sys.stderr)
        raise SystemExit(1)
    return seconds, usage, text


def _pages(pdf: Path) -> int:
    if shutil.which("pdfinfo") is None:
        return -1
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return int(found.group(1)) if found else -1


def _tasks(root: Path, plan: str, family: str, env: dict[str, str]) -> list[str]:
    """The doit tasks that build the PDFs of `family` for `plan`."""
    if family != "assessments":
        return [f"{family}:{plan}"]
    _, _, listing = _run([sys.executable, "-m", "doit", "list", "--all", "--quiet"], root, env)
    return [name for name in listing.split() if name.startswith(f"assessments:{plan}/")]


_PDFS = {"pdf": "action-plan.*.pdf", "progress": "progress-report.*.pdf"}


def build(root: Path, plan: str, family: str, env: dict[str, str]) -> Build:
    """Validate a plan strictly, then time the doit tasks of `family` for it, from nothing."""
    _run([sys.executable, "-m", "actionplan", "validate", "--strict", f"plans/{plan}"], root, env)
    shutil.rmtree(root / "build", ignore_errors=True)
    for db in root.glob(".doit.db*"):
        db.unlink()
    tasks = _tasks(root, plan, family, env)
    seconds, usage, _ = _run([sys.executable, "-m", "doit", *tasks], root, env)
    pdfs = sorted((root / "build" / plan).rglob(_PDFS.get(family, "assessments/*.pdf")))
    return Build(
        f"{family} {plan}",
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss * 1024,  # kilobytes on Linux
        [_pages(p) for p in pdfs],
        plan_chars(root / "plans" / plan),
    )


def _biggest_example(root: Path) -> str:
    """The example plan that holds the most characters in one language: the baseline."""
    plans = [p for p in (REPO / "plans").glob("*/*") if p.is_dir()]
    best = max(plans, key=lambda plan: max(plan_chars(plan)))
    shutil.copytree(best.parent, root / "plans" / best.parent.name)
    return f"{best.parent.name}/{best.name}"


def _report(builds: Iterator[Build]) -> None:
    print(
        f"\n{'PDFs of plan':<36} {'per lang':>9} {'in all':>9} {'pages':>12} {'wall s':>8} "
        f"{'cpu s':>8} {'peak MiB':>9}"
    )
    for b in builds:
        pages = (
            "+".join(map(str, b.pages)) if len(b.pages) < 4 else f"{len(b.pages)}: {sum(b.pages)}"
        )
        mib = b.peak_bytes / 1024**2
        ok = b.cpu_seconds <= TARGET_SECONDS and b.peak_bytes <= TARGET_BYTES
        print(
            f"{b.name:<36} {max(b.chars):>9,} {sum(b.chars):>9,} {pages:>12} {b.seconds:8.1f} "
            f"{b.cpu_seconds:8.1f} {mib:9.0f}  {'ok' if ok else 'over target'}"
        )
    print(
        f"\ntarget: the PDFs of a plan within {TARGET_SECONDS:.0f} s of CPU time and "
        f"{TARGET_BYTES / 1024**3:.0f} GiB (the wall time also counts other work on the "
        f"machine). Limits: {MAX_COMMITMENTS} commitments x {MAX_MILESTONES} milestones, "
        f"{MAX_PLAN_CHARS:,} characters per language and {MAX_BUILD_CHARS:,} in all, "
        f"{MAX_TEXT_CHARS:,} per text, {MAX_NAME_CHARS} per name, {MAX_ITEMS} items per list, "
        f"{MAX_ENTRIES} entries per log."
    )


FAMILIES = ("pdf", "progress", "assessments")


def _runs(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    """(family, shape, languages) of each worst plan to build."""
    counts = [int(n) for n in args.languages.split(",") if n.strip().isdigit()]
    if not counts or not all(1 <= n <= MAX_LANGUAGES for n in counts):
        raise SystemExit(f"benchmark: --languages must list numbers 1-{MAX_LANGUAGES}")
    families = FAMILIES if args.family == "all" else (args.family,)
    shapes = SHAPES if args.shape == "all" else (args.shape,)
    runs = [(family, shape, counts[0]) for family in families for shape in shapes]
    heaviest = "dense" if "dense" in shapes else shapes[0]
    return runs + [(family, heaviest, n) for family in families for n in counts[1:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--family", choices=(*FAMILIES, "all"), default="all")
    parser.add_argument("--shape", choices=(*SHAPES, "all"), default="all")
    parser.add_argument(
        "--languages",
        default="1,2",
        help="numbers of languages, a list: every shape in the first, the densest in the "
        f"others (default 1,2: the most memory, then the most time); 1-{MAX_LANGUAGES}",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated repository")
    runs = _runs(parser.parse_args(argv))
    keep = "--keep" in (argv if argv is not None else sys.argv)
    root = Path(tempfile.mkdtemp(prefix="actionplan-limits-bench-"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"}
    try:
        for name in ("templates", "schemas"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy2(REPO / "dodo.py", root / "dodo.py")
        baseline = _biggest_example(root)
        builds = [build(root, baseline, family, env) for family in FAMILIES]
        for family, shape, count in runs:
            shutil.rmtree(root / "plans" / "worst", ignore_errors=True)
            folder = write_worst_plan(root / "plans", shape, LANGUAGES[:count], family)
            result = build(root, f"worst/{folder.name}", family, env)
            result.name = f"{family} worst ({shape}, {count} lang)"
            builds.append(result)
            print(f"{result.name}: {result.cpu_seconds:.1f} s of CPU", flush=True)
        _report(iter(builds))
        return 0
    finally:
        if keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
