"""Benchmark: `actionplan diff`'s semantic diff against `deepdiff.DeepDiff` on the same plans.

Run it from the repository root (the project installed with its `test` extra)::

    python benchmarks/diff.py                 # 150 members, two revisions each
    python benchmarks/diff.py --members 20 --repeat 3

It writes, in a temporary folder, two revisions of the plans of `--members` synthetic members,
each a variant of plans/paris/2024-2026 (written as JSON, which is YAML): the second revision
edits prose, moves milestones, adds progress entries (some of them regressions), withdraws a
commitment and adds another, and changes the approval and a participant's role, at random but
the same for the same seed. Both revisions of every member are loaded, validated and merged
once (not timed); then, over `--repeat` runs, it times:

  (a) ours: `compare()` of the two merged plans of every member: commitments and milestones
      matched by id, word diffs of the prose, slips, statuses and regressions;
  (b) deepdiff: `DeepDiff(old, new)` of the same plans as `model_dump(mode="json")` (dumped
      before timing), every member.

It prints the median and minimum of each, the ratio ours / deepdiff of the medians, and how
many changes each reported. A measurement, not a test: it exits 0 whatever the figures, and 1
only when a generated plan does not validate.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

from actionplan.diff.compare import compare, side
from actionplan.diff.model import PlanDiff
from actionplan.loader import load_file
from actionplan.merge import Plan, merge
from actionplan.problems import Severity
from actionplan.validate import validate_plan
from actionplan.validate.files import PlanFiles

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "plans" / "paris"
CYCLE = "2024-2026"
BUILD_DATE = dt.date(2026, 1, 1)
STATUSES = ("not-started", "in-progress", "complete", "stalled", "abandoned")
WORDS = ("open", "public", "data", "budget", "council", "residents", "every", "all", "new")


def _read(path: Path) -> Any:
    doc, problems = load_file(path)
    assert not problems, problems
    return doc.data


def _source() -> dict[str, Any]:
    """The example plan as data: member, vision, commitments and progress logs by file."""
    cycle = SOURCE / CYCLE
    return {
        "member.yaml": _read(SOURCE / "member.yaml"),
        **{
            str(path.relative_to(cycle)): _read(path)
            for path in sorted(cycle.rglob("*.yaml"))
            if "assessments" not in path.parts
        },
    }


def _edit_words(text: Any, rng: random.Random) -> Any:
    if isinstance(text, dict):
        return {lang: _edit_words(value, rng) for lang, value in text.items()}
    words = text.split()
    index = rng.randrange(len(words))
    words[index] = rng.choice(WORDS)
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(WORDS))
    return " ".join(words)


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def _revise(files: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The second revision: a few edits of every kind, chosen at random."""
    out = copy.deepcopy(files)
    commitments = sorted(k for k in out if k.startswith("commitments/"))
    for key in rng.sample(commitments, 2):
        doc = out[key]
        for field in rng.sample(["summary", "problem", "solution", "results", "risks"], 2):
            if field in doc:
                doc[field] = _edit_words(doc[field], rng)
        # move a milestone within its commitment
        end = doc["period"]["end"]
        for milestone in doc["milestones"]:
            room = (dt.date.fromisoformat(end) - dt.date.fromisoformat(milestone["end"])).days
            if room > 0:
                milestone["end"] = _shift(milestone["end"], rng.randint(1, room))
                break
    for key in sorted(k for k in out if k.startswith("progress/")):
        log = out[key]
        if rng.random() < 0.7:
            last = log["entries"][-1]
            log["entries"].append(
                {
                    "date": max(last["date"], "2025-12-20"),
                    "milestone": rng.choice(log["entries"])["milestone"],
                    "status": rng.choice(STATUSES),
                    "note": {"fr": "Mise à jour.", "en": "Update."},
                }
            )
    # withdraw a commitment without progress log, add another in its place
    logs = {k.split("/", 1)[1] for k in out if k.startswith("progress/")}
    spare = [k for k in commitments if k.split("/", 1)[1] not in logs]
    if spare and rng.random() < 0.6:
        gone = rng.choice(spare)
        doc = out.pop(gone)
        doc["id"] = doc["id"] + "-bis"
        doc["title"] = _edit_words(doc["title"], rng)
        out[f"commitments/{doc['id']}.yaml"] = doc
    vision = out["vision.yaml"]
    vision["approval"]["date"] = _shift(vision["approval"]["date"], rng.randint(1, 20))
    person = rng.choice(vision["co_creation"]["participants"])
    person["role"] = (
        "strategic-stakeholder"
        if person["role"] != "strategic-stakeholder"
        else ("affected-community")
    )
    return out


def _write(root: Path, member: str, files: dict[str, Any]) -> Path:
    member_dir = root / "plans" / member
    for name, data in files.items():
        if name == "member.yaml":
            data = {**data, "id": member}
            path = member_dir / name
        else:
            path = member_dir / CYCLE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return member_dir


def _load(member_dir: Path) -> Plan:
    loaded, problems = validate_plan(PlanFiles(member_dir, member_dir / CYCLE), BUILD_DATE)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise SystemExit(f"{member_dir}: the generated plan does not validate: {errors[:3]}")
    return merge(loaded, today=BUILD_DATE)


def _time(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    os.environ.setdefault(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()))
    )

    source = _source()
    pairs: list[tuple[Plan, Plan]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(args.members):
            rng = random.Random(args.seed * 1000 + index)
            member = f"member-{index:03d}"
            old = _load(_write(Path(tmp) / "a", member, source))
            new = _load(_write(Path(tmp) / "b", member, _revise(source, rng)))
            pairs.append((old, new))
    sides = [
        (side(a, f"a:{a.key}", a.key, None, None), side(b, f"b:{b.key}", b.key, None, None))
        for a, b in pairs
    ]
    dumps = [(a.model_dump(mode="json"), b.model_dump(mode="json")) for a, b in pairs]

    ours: list[PlanDiff] = []
    theirs: list[DeepDiff] = []

    def run_ours() -> None:
        ours[:] = [compare(a, b, sa, sb) for (a, b), (sa, sb) in zip(pairs, sides, strict=True)]

    def run_deepdiff() -> None:
        theirs[:] = [DeepDiff(a, b) for a, b in dumps]

    run_ours()  # warm up (imports, caches)
    run_deepdiff()
    a_times, b_times = [], []
    for _ in range(args.repeat):  # alternate, so drift in the machine hits both alike
        a_times += _time(run_ours, 1)
        b_times += _time(run_deepdiff, 1)
    a_med, b_med = statistics.median(a_times), statistics.median(b_times)

    changes = sum(
        len(d.commitments.added) + len(d.commitments.removed) + len(d.commitments.changed)
        for d in ours
    )
    deep_items = sum(sum(len(v) for v in d.values()) for d in theirs)
    print(f"{args.members} members, two revisions each; {args.repeat} runs (median, min)")
    print(
        f"  actionplan diff (semantic): {a_med * 1000:8.1f} ms  {min(a_times) * 1000:8.1f} ms"
        f"  ({changes} commitment-level changes, word diffs, slips, statuses)"
    )
    print(
        f"  deepdiff.DeepDiff:          {b_med * 1000:8.1f} ms  {min(b_times) * 1000:8.1f} ms"
        f"  ({deep_items} changed paths)"
    )
    print(
        f"  ratio ours / deepdiff: {a_med / b_med:.2f} ({'faster' if a_med < b_med else 'slower'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
