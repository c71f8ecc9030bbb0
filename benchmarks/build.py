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
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
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


def generate(root: Path, members: int, commitments: int, seed: int) -> list[Path]:
    """A repository at `root` with `members` bilingual plans; returns the commitment files."""
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
        for c in range(commitments):
            path = cycle / "commitments" / f"commitment-{c + 1}.yaml"
            path.write_text(gen._commitment(rng, path.stem, c, LANGUAGES, 3), "utf-8")
            found.append(path)
    return found


@dataclass
class Timed:
    seconds: float
    cpu_seconds: float  # user + system of the command and the processes it waited for
    stdout: str


def run(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Timed:
    """Run one command: its wall time and, from wait4, the CPU time of it and its children
    (doit's workers, pandoc), which a machine busy with other work disturbs less."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if code != 0:
        print(f"benchmark: {' '.join(argv)} failed (exit {code})", file=sys.stderr)
        print(stdout[-3000:], stderr[-3000:], sep="\n", file=sys.stderr)
        sys.exit(1)
    return Timed(seconds, usage.ru_utime + usage.ru_stime, stdout)


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
