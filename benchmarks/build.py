"""Benchmark: the `doit` pipeline against bare WeasyPrint plus pandoc on the same HTML.

Run it from anywhere (the project installed editable, `doit` importable)::

    python benchmarks/build.py                    # 4 members x 5 commitments, 2 languages
    python benchmarks/build.py --members 8 --repeat 5
    python benchmarks/build.py --keep             # keep the generated repository

It writes a repository into a temporary folder: `dodo.py`, `templates/` and `schemas/` copied
from this one, and `plans/` with N synthetic members, each one valid plan in English and French
with 5 commitments (the generator of `benchmarks/validate.py`). SOURCE_DATE_EPOCH is fixed.
Then, `--repeat` times, it times as subprocesses (wall time, and CPU time from wait4):

  full -n 1   `doit` from nothing (no build/, no doit database);
  no-op       `doit` again, nothing changed;
  edit        `doit` after one commitment file of one plan changed;
  full -n 2   `doit -n 2` from nothing;
  baseline    a script that only calls `weasyprint.HTML(string=...).write_pdf()` and
              `pypandoc.convert_text(html, 'docx', format='html', outputfile=...)` for each
              `action-plan.<lang>.html` the pipeline wrote: the work no pipeline can avoid.
              Those files carry print.css (under `@media print`): they are the very HTML the
              pipeline's PDFs are made of, so both lay out the same pages.

It prints the median of each and the three targets: the pipeline's overhead over the baseline
(at most 25 %), the no-op rebuild as a share of the full build (under 2 %) and the speed-up of
`-n 2` over `-n 1` (at least 1.6). It is a measurement, not a test: it exits 0 whatever the
figures, and 1 only when a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1780000000"  # 2026-05-28T20:26:40Z
LANGUAGES = ("en", "fr")
TARGET_OVERHEAD = 25.0
TARGET_NOOP = 2.0
TARGET_SPEEDUP = 1.6

BASELINE = """\
import sys
from pathlib import Path

import pypandoc
import weasyprint

out = Path(sys.argv[1])
for number, name in enumerate(sys.argv[2:]):
    html = Path(name).read_text(encoding="utf-8")
    weasyprint.HTML(string=html).write_pdf(str(out / f"{number}.pdf"))
    pypandoc.convert_text(html, "docx", format="html", outputfile=str(out / f"{number}.docx"))
"""


def _generator() -> ModuleType:
    """benchmarks/validate.py, whose generator writes valid plans of realistic length."""
    spec = importlib.util.spec_from_file_location(
        "_bench_plans", REPO / "benchmarks" / "validate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def generate(
    root: Path,
    members: int,
    commitments: int,
    seed: int,
    *,
    progress: bool = False,
    record: bool = False,
) -> list[Path]:
    """A repository at `root` with `members` bilingual plans; returns the commitment files.

    `progress` adds a progress log per commitment (so each plan has a progress report),
    `record` a co-creation record (forum, roadmap, meetings, a consultation: so each plan has
    a co-creation report)."""
    for name in ("templates", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "dodo.py", root / "dodo.py")
    gen = _generator()
    rng = random.Random(seed)
    found: list[Path] = []
    for i in range(members):
        member_dir = root / "plans" / f"member-{i:02d}"
        cycle = member_dir / "2022-2023"
        (cycle / "commitments").mkdir(parents=True)
        slug = member_dir.name
        (member_dir / "member.yaml").write_text(gen._member(rng, slug, i, LANGUAGES), "utf-8")
        (cycle / "vision.yaml").write_text(gen._vision(rng, LANGUAGES), "utf-8")
        ids = [f"commitment-{c + 1}" for c in range(commitments)]
        for c, cid in enumerate(ids):
            path = cycle / "commitments" / f"{cid}.yaml"
            path.write_text(gen._commitment(rng, cid, c, LANGUAGES, 3), "utf-8")
            found.append(path)
            if progress:
                _write(cycle / "progress" / f"{cid}.yaml", gen._progress(rng, cid, LANGUAGES, 3))
        if record:
            write_record(rng, gen, member_dir, cycle, ids)
    return found


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SECTORS = ("government", "civil-society", "community", "academia", "private-sector")
MEETINGS = (  # (date, slug, phase, kind): the co-creation of a plan starting 2022-01-01
    ("2021-03-10", "forum-lancement", "prepare", "forum"),
    ("2021-05-04", "consultation-ouverture", "discover", "launch"),
    ("2021-06-15", "atelier-priorites", "discover", "workshop"),
    ("2021-10-12", "forum-priorisation", "draft", "forum"),
    ("2021-12-07", "forum-approbation", "submit", "forum"),
)
ACTIVITIES = (  # (id, phase, start, end)
    ("bilan", "prepare", "2021-02-01", "2021-03-10"),
    ("consultation", "discover", "2021-05-04", "2021-07-02"),
    ("ateliers", "discover", "2021-06-01", "2021-06-30"),
    ("redaction", "draft", "2021-09-01", "2021-10-29"),
    ("approbation", "submit", "2021-11-15", "2021-12-15"),
    ("suivi", "implement", "2022-01-01", "2023-12-31"),
)
CONTRIBUTIONS = 20
"""Items of a plan's consultation: Paris's example holds 32, Scotland's 8."""


def write_record(
    rng: random.Random, gen: ModuleType, member_dir: Path, cycle: Path, ids: Sequence[str]
) -> None:
    """The co-creation record of a plan (as plans/paris/2024-2026 holds one): the member's
    forum, the plan's roadmap, five meetings and a consultation with reasoned responses."""
    _write(member_dir / "forum.yaml", _forum(rng, gen))
    _write(cycle / "roadmap.yaml", _roadmap(rng, gen))
    for date, slug, phase, kind in MEETINGS:
        mid = f"{date}-{slug}"
        _write(cycle / "meetings" / f"{mid}.yaml", _meeting(rng, gen, mid, date, phase, kind, ids))
    _write(cycle / "contributions" / "consultation.yaml", _consultation(rng, gen, ids))


def _forum(rng: random.Random, gen: ModuleType) -> str:
    out = "# yaml-language-server: $schema=../../schemas/forum.schema.json\n"
    out += gen._short(rng, "name", LANGUAGES, 0)
    out += gen._localized(rng, "mandate", LANGUAGES, 5, 0)
    out += "established: 2020-06-01\nmembers:\n"
    for n in range(10):
        out += f"  - name: Forum Member {n}\n    organization: Organisation {n}\n"
        out += f"    sector: {SECTORS[n % len(SECTORS)]}\n    from: 2020-06-01\n"
    return out + "co_chairs:\n  - Forum Member 0\n  - Forum Member 1\n"


def _roadmap(rng: random.Random, gen: ModuleType) -> str:
    out = "# yaml-language-server: $schema=../../../schemas/roadmap.schema.json\n"
    out += "target_submission: 2021-12-15\nactivities:\n"
    for aid, phase, start, end in ACTIVITIES:
        out += f"  - id: {aid}\n" + gen._short(rng, "title", LANGUAGES, 4)
        out += f"    phase: {phase}\n    start: {start}\n    end: {end}\n"
        out += "    owner: Open government officer\n    channels: [forum, website]\n"
    return out


def _meeting(
    rng: random.Random,
    gen: ModuleType,
    mid: str,
    date: str,
    phase: str,
    kind: str,
    ids: Sequence[str],
) -> str:
    day = dt.date.fromisoformat(date)
    before, after = day - dt.timedelta(days=7), day + dt.timedelta(days=12)
    out = "# yaml-language-server: $schema=../../../../schemas/meeting.schema.json\n"
    out += f"id: {mid}\ndate: {date}\n" + gen._short(rng, "title", LANGUAGES, 0)
    out += f"phase: {phase}\nkind: {kind}\nformat: hybrid\n"
    out += "attendance:\n  total: 30\n  government: 10\n  civil_society: 12\n  community: 8\n"
    out += "documents:\n  - title: Working paper\n"
    out += f"    url: https://www.example.org/papers/{mid}.pdf\n    published: {before}\n"
    out += f"minutes:\n  url: https://www.example.org/minutes/{mid}.pdf\n  published: {after}\n"
    out += gen._localized(rng, "summary", LANGUAGES, 4, 0)
    return out + f"commitments: [{', '.join(ids[:2])}]\n"


def _consultation(rng: random.Random, gen: ModuleType, ids: Sequence[str]) -> str:
    out = "# yaml-language-server: $schema=../../../../schemas/contributions.schema.json\n"
    out += "id: consultation\n" + gen._short(rng, "title", LANGUAGES, 0)
    out += f"channel: online-platform\nmeeting: {'-'.join(MEETINGS[1][:2])}\n"
    out += "open:\n  start: 2021-05-04\n  end: 2021-07-02\n"
    out += "url: https://www.example.org/consultation\nitems:\n"
    statuses = ("accepted", "partially-accepted", "not-accepted", "already-covered")
    for n in range(CONTRIBUTIONS):
        cid = ids[n % len(ids)]
        day = dt.date(2021, 5, 4) + dt.timedelta(days=n * 2)
        out += f"  - id: C-{n + 1:03d}\n    date: {day}\n    sector: {SECTORS[n % 3 + 1]}\n"
        out += f"    language: {LANGUAGES[n % 2]}\n"
        out += gen._block("text", gen._prose(rng, 3), 4)
        out += f"    commitments: [{cid}]\n    response:\n"
        out += f"      status: {statuses[n % len(statuses)]}\n"
        out += gen._localized(rng, "reason", LANGUAGES, 2, 6)
        out += f"      date: 2021-10-12\n      commitments: [{cid}]\n"
    return out


@dataclass
class Timed:
    seconds: float
    cpu_seconds: float  # user + system of the command and the processes it waited for
    stdout: str
    peak_process_kib: int = 0  # ru_maxrss: the largest single process of the tree


def run(
    argv: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    watch: Callable[[int], Callable[[], None]] | None = None,
) -> Timed:
    """Run one command: its wall time and, from wait4, the CPU time of it and its children
    (doit's workers, pandoc), which a machine busy with other work disturbs less. `watch`,
    given the process id, starts watching it and returns how to stop (network.py samples the
    tree's memory so)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        stop = watch(proc.pid) if watch else None
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if stop:
            stop()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if code != 0:
        print(f"benchmark: {' '.join(argv)} failed (exit {code})", file=sys.stderr)
        print(stdout[-3000:], stderr[-3000:], sep="\n", file=sys.stderr)
        sys.exit(1)
    return Timed(seconds, usage.ru_utime + usage.ru_stime, stdout, usage.ru_maxrss)


def ran(output: str) -> list[str]:
    """The tasks doit ran (its `.  ` lines), not those it found up to date (`-- `)."""
    return [line[3:] for line in output.splitlines() if line.startswith(".  ")]


def clean_build(root: Path) -> None:
    shutil.rmtree(root / "build", ignore_errors=True)
    for db in root.glob(".doit.db*"):
        db.unlink()


KINDS = ("full -n 1", "no-op", "edit", "full -n 2", "baseline")


def report(times: dict[str, list[Timed]], repeat: int, load: tuple[float, float]) -> None:
    wall = {name: statistics.median(t.seconds for t in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(t.cpu_seconds for t in runs) for name, runs in times.items()}
    print(
        f"\nmedians of {repeat} runs, seconds ({os.cpu_count()} CPUs; load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after: other work on the machine slows the "
        "wall times, the CPU times less)"
    )
    print(f"  {'':<10} {'wall':>8} {'cpu':>8}   wall of each run")
    for name in KINDS:
        runs = " ".join(f"{t.seconds:.2f}" for t in times[name])
        print(f"  {name:<10} {wall[name]:8.2f} {cpu[name]:8.2f}   {runs}")
    overhead = (wall["full -n 1"] / wall["baseline"] - 1) * 100
    overhead_cpu = (cpu["full -n 1"] / cpu["baseline"] - 1) * 100
    noop = wall["no-op"] / wall["full -n 1"] * 100
    speedup = wall["full -n 1"] / wall["full -n 2"]
    print(f"\n  edit rebuild: {wall['edit'] / wall['full -n 1'] * 100:.1f} % of the full build")
    print(f"  pipeline overhead in CPU time: {overhead_cpu:.1f} %")
    checks = (
        (
            "pipeline overhead",
            f"{overhead:6.1f} %",
            f"<= {TARGET_OVERHEAD:g} %",
            overhead <= TARGET_OVERHEAD,
        ),
        ("no-op / full", f"{noop:6.1f} %", f"<  {TARGET_NOOP:g} %", noop < TARGET_NOOP),
        (
            "-n 1 / -n 2 speed-up",
            f"{speedup:6.2f}",
            f">= {TARGET_SPEEDUP:g}",
            speedup >= TARGET_SPEEDUP,
        ),
    )
    for name, value, target, ok in checks:
        print(f"  {name + ':':<22} {value}   target {target:<8} {'ok' if ok else 'MISSED'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=4, help="members (default 4)")
    parser.add_argument("--commitments", type=int, default=5, help="per plan (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = parser.parse_args(argv)
    if not 1 <= args.commitments <= 5:
        parser.error("--commitments must be 1-5 to keep the plans valid")

    root = Path(tempfile.mkdtemp(prefix="actionplan-build-bench-"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"}
    doit = [sys.executable, "-m", "doit"]
    try:
        commitment_files = generate(root, args.members, args.commitments, args.seed)
        victim = commitment_files[len(commitment_files) // 2]
        docs = args.members * len(LANGUAGES)
        print(
            f"{args.members} members x {args.commitments} commitments, languages "
            f"{'/'.join(LANGUAGES)}: {docs} documents, each as HTML, PDF and DOCX, in {root}"
        )
        times: dict[str, list[Timed]] = {name: [] for name in KINDS}
        scratch = root / "baseline-out"
        script = root / "baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        load_before = os.getloadavg()[0]
        for i in range(args.repeat):
            clean_build(root)
            times["full -n 1"].append(run(doit, root, env))
            noop = run(doit, root, env)
            if ran(noop.stdout):
                print(f"benchmark: the no-op rebuild ran {ran(noop.stdout)}", file=sys.stderr)
                return 1
            times["no-op"].append(noop)
            with victim.open("a", encoding="utf-8") as handle:
                handle.write(f"# edit {i}\n")
            edit = run(doit, root, env)
            times["edit"].append(edit)
            if i == 0:
                print(f"edit of {victim.relative_to(root)} ran: {', '.join(ran(edit.stdout))}")
            html = sorted(str(p) for p in (root / "build").rglob("action-plan.*.html"))
            if len(html) != docs:
                print(f"benchmark: {len(html)} HTML files, expected {docs}", file=sys.stderr)
                return 1
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            times["baseline"].append(
                run([sys.executable, str(script), str(scratch), *html], root, env)
            )
            clean_build(root)
            times["full -n 2"].append(run([*doit, "-n", "2"], root, env))
        report(times, args.repeat, (load_before, os.getloadavg()[0]))
        return 0
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
