"""Benchmark: a network's whole build (every document and the site) on one machine, `doit -n 2`.

Run it from the repository root with the project's interpreter::

    .venv/bin/python benchmarks/network.py --members 150     # issue 12's measurement
    .venv/bin/python benchmarks/network.py --members 8       # a smaller run
    .venv/bin/python benchmarks/network.py --members 8 --profile   # and where the time goes
    .venv/bin/python benchmarks/network.py --keep            # keep the generated repository

It writes a repository into a temporary folder (`dodo.py`, `schemas/`, `templates/` copied from
this one, as tests/builds.py does) with N synthetic members from `benchmarks/build.py`'s
generator, which uses `benchmarks/validate.py`'s: each member in English and French, one plan
with five commitments of three milestones, a progress log per commitment and a co-creation
record (the forum, a roadmap, five meetings, a consultation of 20 contributions with their
reasoned responses), every file valid without a warning on the build date, 2023-05-01 (fixed
by SOURCE_DATE_EPOCH). The repository is a git repository (the site reads its history), its
files committed at a fixed date. Then it runs, as subprocesses, in this order:

  full        `doit -n 2` from nothing: every document of every plan, the feeds, the open
              data and the site;
  no-op       `doit -n 2` again: must run nothing;
  edit        one commitment's title changed (and committed), `doit -n 2`: must run that
              member's tasks and the network's pages only (it lists them);
  site        build/site/ removed, `doit -n 2 site`: the site alone from built documents.

For each: wall time; CPU time (user + system of doit and every process it waited for: its two
workers, pandoc; from os.wait4, so less disturbed than the wall time by other work on the
machine); memory, two ways: `peak proc`, the largest peak resident set of any one process of
the tree (wait4's ru_maxrss, which Linux takes over the child and its waited-for descendants),
and `peak tree`, the most the tree held at once: the sum of the proportional set sizes (PSS:
pages shared between doit and its forked workers counted once in all) of every process of the
tree, sampled from /proc every 0.2 s; and the number of tasks run. It checks the outputs:
every document each plan must have, the site's pages, feeds and data, the no-op running
nothing and the edit running nothing of another member.

`--profile` then says where the time goes, on the same repository: each family built alone in
turn from nothing with `doit -n 1 FAMILY` (seconds and share of the whole, CPU time: a family's
run includes one doit start-up and task creation, the no-op's figure, given apart), then one
plan's PDF, DOCX, progress report and co-creation report tasks, each run twice in a fresh
process with every stage timed (CPU, pandoc's included): the imports, the plan validated and
merged, its HTML rendered, WeasyPrint's parsing, style cascade, box building, layout, drawing
and serialisation, our PDF/UA finishing (pikepdf), pandoc.

It is a measurement, not a test: it exits 0 whatever the figures, 1 when a build fails or an
output check does not hold.

Where the time went (2 CPUs shared with other work, so CPU times; 2026-11-30):

- `--members 6`: full 118.6 s CPU (19.8 s a member), no-op 0.5 s, edit 24.9 s, site alone
  2.7 s; peak proc 179 MiB, peak tree 516 MiB. At 150 members, some 2,900 s of CPU: about
  25 minutes of wall time on two idle cores.
- by family (`--members 3 --profile`, CPU, 79.6 s in all): cocreation 30 %, progress 29 %,
  pdf 24 % (the three families that make PDFs, 6.3 to 8 s a plan each), docx 3.9 %, site
  2.7 % (search, run by `doit site`, in it), feeds 2.3 %, opendata 1.7 %, html 1.7 %, efiling
  1.3 %, json 1.2 %, validate 1.1 % (at this size mostly doit's start-up, 0.3 s a run, and
  the imports). A one-member edit (25.9 s CPU at 3 members) is that member's tasks, the
  imports of doit's two workers (2 to 2.9 s each) and the network's pages.
- within the PDF task (both languages, 6.6 s): WeasyPrint 95 % (layout 52 %, drawing and font
  subsetting 20 %, pydyf's serialisation 11 %, style cascade 9 %, boxes 2 %, parsing 1 %);
  ours 3.3 %: the PDF/UA finishing 2.3 %, the HTML 0.4 %, the plan validated and merged 0.2 %
  (13 ms), plan.json 0.1 %. The imports, 2 s, are paid once by each of doit's workers. In the
  progress and co-creation reports, ours is 7 to 10 % (their HTML in three media, with the
  timeline; the PDF/UA finishing), pandoc 9 to 14 %, WeasyPrint the rest.
- within the DOCX task: pandoc 90 % (its start-up is 0.04 s; the rest converts); within the
  progress report, ours is the timeline's PNG for Word (0.3 s a language: Pillow's level-9
  compression, in render/raster.py) besides the HTML.
- tried and not kept: the PDF/UA finishing's walk of the structure tree without isinstance
  through pikepdf's metaclass: the same bytes on the example plans' 18 PDFs, 0.761 s against
  0.756 s of CPU (median of 5, 1.01x): pikepdf's own calls, and its save (24 ms a PDF), are
  what it costs. A cache of the validated plans across a worker's tasks would save 13 ms a
  task (0.7 % of a member) for some 430 KiB a plan held in each worker.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1682899200"  # 2023-05-01T00:00:00Z: after every progress entry, before any assessment
COMMITTED = "2023-04-20T12:00:00+00:00"
EDITED = "2023-04-28T12:00:00+00:00"
CYCLE = "2022-2023"
COMMITMENTS = 5
FAMILIES = (
    "validate",
    "json",
    "html",
    "pdf",
    "docx",
    "efiling",
    "progress",
    "assessments",
    "cocreation",
    "feeds",
    "opendata",
    "site",
    "search",
)
SAMPLE_EVERY = 0.2


@functools.cache
def _build_module() -> ModuleType:
    """benchmarks/build.py, whose generator (on validate.py's) this extends to a network."""
    spec = importlib.util.spec_from_file_location("_bench_build", REPO / "benchmarks" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def git(root: Path, *args: str, when: str = COMMITTED) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def make_repository(root: Path, members: int, seed: int) -> list[Path]:
    """The network's repository, committed; returns its commitment files."""
    bench = _build_module()
    found: list[Path] = bench.generate(root, members, COMMITMENTS, seed, progress=True, record=True)
    (root / ".gitignore").write_text("build/\n.doit.db*\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plans")
    return found


# ---- Running a command: time, CPU, memory of its process tree ---------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def tree_pss_kib(root: int) -> int:
    """The proportional set size of `root` and every descendant, summed."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid)
        todo.extend(tree.get(pid, []))
    return total


@dataclass
class Measured:
    name: str
    seconds: float
    cpu_seconds: float
    peak_process_kib: int
    peak_tree_kib: int
    stdout: str
    ran: list[str] = field(default_factory=list)


def run(name: str, argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Measured:
    """Run one command to its end (build.py's `run`), its process tree's memory sampled
    meanwhile."""
    peak = [0]

    def watch(pid: int) -> Callable[[], None]:
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_EVERY):
                peak[0] = max(peak[0], tree_pss_kib(pid))

        def stop() -> None:
            done.set()
            sampler.join()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        return stop

    timed = _build_module().run(argv, cwd, env, watch)
    ran = [line[3:] for line in timed.stdout.splitlines() if line.startswith(".  ")]
    return Measured(
        name, timed.seconds, timed.cpu_seconds, timed.peak_process_kib, peak[0], timed.stdout, ran
    )


# ---- What a build must have written ---------------------------------------------------------

FORMATS = ("html", "pdf", "docx")


def site_pages(members: int, languages: Sequence[str]) -> list[str]:
    """The site's pages every build must hold, relative to build/."""
    files = ["site/index.html"]
    for i in range(members):
        member = f"member-{i:02d}"
        files += [f"site/{member}/index.html"]
        files += [f"site/{member}/{CYCLE}/index.{lang}.html" for lang in languages]
    return files


def documents(members: int, languages: Sequence[str]) -> list[str]:
    """The documents, feeds and data every full build must hold, relative to build/."""
    files = ["site/feeds/network.atom"]
    files += [f"site/data/{t}.{x}" for t in ("commitments", "milestones") for x in ("csv", "json")]
    for i in range(members):
        plan = f"member-{i:02d}/{CYCLE}"
        files += [f"{plan}/plan.json", f"{plan}/efiling/manifest.json"]
        files += [f"{plan}/efiling/vision.{ext}" for ext in ("json", "html")]
        for stem in ("action-plan", "progress-report", "co-creation-report"):
            files += [f"{plan}/{stem}.{lang}.{ext}" for lang in languages for ext in FORMATS]
        files += [f"site/feeds/member-{i:02d}-{CYCLE}.atom"]
    return files


def missing(root: Path, expected: Sequence[str]) -> list[str]:
    return [name for name in expected if not (root / "build" / name).is_file()]


def foreign_tasks(ran: Sequence[str], member: str, members: int) -> list[str]:
    """The tasks of `ran` that name a member other than `member`."""
    others = {f"member-{i:02d}" for i in range(members)} - {member}
    return [task for task in ran if set(re.findall(r"member-\d+", task)) & others]


def check_outputs(run: str, absent: Sequence[str], expected: int) -> int:
    print(f"  {run}: {expected - len(absent)} of the {expected} expected files are there")
    for name in absent[:10]:
        print(f"    MISSING {name}")
    return int(bool(absent))


def check_runs(measured: dict[str, Measured], members: int) -> int:
    """Print what the no-op and the edit ran; the number of failures."""
    failures = 0
    if noop := measured["no-op"].ran:
        print(f"  no-op: FAILED, it ran {', '.join(noop)}")
        failures += 1
    else:
        print("  no-op: ran nothing")
    edit = measured["edit"].ran
    foreign = foreign_tasks(edit, "member-00", members)
    own = [task for task in edit if "member-00" in task]
    network = [task for task in edit if not re.search(r"member-\d+", task)]
    print(f"  edit of member-00 ran {len(own)} of its tasks: {', '.join(sorted(own))}")
    print(f"    and {len(network)} of the network's: {', '.join(sorted(network)) or 'none'}")
    if foreign or f"pdf:member-00/{CYCLE}" not in own:
        print(f"  edit: FAILED, ran {', '.join(foreign) or 'no PDF of the member'}")
        failures += 1
    return failures


# ---- The report --------------------------------------------------------------------------------


def report(measured: dict[str, Measured], members: int, load: tuple[float, float]) -> None:
    print(
        f"\n{members} members, doit -n 2 ({os.cpu_count()} CPUs; load average {load[0]:.1f} "
        f"before, {load[1]:.1f} after: other work on the machine slows the wall times)"
    )
    print(
        f"  {'run':<8} {'wall s':>8} {'cpu s':>8} {'peak proc':>10} {'peak tree':>10} {'tasks':>6}"
    )
    for m in measured.values():
        print(
            f"  {m.name:<8} {m.seconds:8.2f} {m.cpu_seconds:8.2f} {_mib(m.peak_process_kib):>10} "
            f"{_mib(m.peak_tree_kib):>10} {len(m.ran):>6}"
        )
    full = measured["full"]
    print(
        f"  per member: full {full.seconds / members:.2f} s wall, "
        f"{full.cpu_seconds / members:.2f} s CPU"
    )


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def scenario(
    root: Path, env: dict[str, str], victim: Path, members: int
) -> tuple[dict[str, Measured], int]:
    """The four runs of the issue, in an order where each one's check is meaningful; the
    measurements and the number of checks that failed."""
    doit = [sys.executable, "-m", "doit", "-n", "2"]
    languages = _build_module().LANGUAGES
    measured = {"full": run("full", doit, root, env)}
    expected = documents(members, languages) + site_pages(members, languages)
    failures = check_outputs("full", missing(root, expected), len(expected))
    measured["no-op"] = run("no-op", doit, root, env)
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text.replace("title:\n  en: ", "title:\n  en: Edited ", 1), "utf-8")
    git(root, "commit", "-q", "-am", "edit one commitment's title", when=EDITED)
    measured["edit"] = run("edit", doit, root, env)
    shutil.rmtree(root / "build" / "site")
    measured["site"] = run("site", [*doit, "site"], root, env)
    pages = site_pages(members, languages)
    failures += check_outputs("site", missing(root, pages), len(pages))
    return measured, failures + check_runs(measured, members)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=150, help="members (default 150)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--profile", action="store_true", help="and where the time goes")
    parser.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = parser.parse_args(argv)
    if not 1 <= args.members <= 999:
        parser.error("--members must be 1-999")

    root = Path(tempfile.mkdtemp(prefix="actionplan-network-bench-"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"}
    # The package of this checkout, whichever one the interpreter's editable install names.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    try:
        files = make_repository(root, args.members, args.seed)
        victim = files[2]  # member-00's third commitment
        print(f"{args.members} members in {root}\nchecks:")
        load_before = os.getloadavg()[0]
        measured, failures = scenario(root, env, victim, args.members)
        report(measured, args.members, (load_before, os.getloadavg()[0]))
        if args.profile:
            profile(root, env)
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


# ---- Where the time goes --------------------------------------------------------------------

STAGES = """\
import inspect, json, resource, sys, time
from pathlib import Path

def clock():  # CPU time of this process and the ones it waited for (pandoc)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime

started = clock()
from actionplan.pipeline import actions, project
settings = project.Settings(Path(sys.argv[1]))
target = next(p for p in project.plans(settings) if p.name == sys.argv[3])
light = clock() - started
import pikepdf, pydyf, pypandoc, weasyprint, weasyprint.document
import actionplan.merge, actionplan.render.html, actionplan.render.pdf, actionplan.validate
import actionplan.render.cocreation, actionplan.render.docx, actionplan.render.monitoring
spent, stack = {"imports (once a process)": clock() - started - light}, []

def timed(owner, name, key):
    original = getattr(owner, name)
    def wrapper(*args, **kwargs):
        stack.append(0.0)
        start = clock()
        try:
            result = original(*args, **kwargs)
            # a generator (WeasyPrint's layout yields pages) is timed as it is consumed
            return list(result) if inspect.isgenerator(result) else result
        finally:
            took = clock() - start
            spent[key] = spent.get(key, 0.0) + took - stack.pop()
            if stack:
                stack[-1] += took
    setattr(owner, name, wrapper)

ours, weasy = actionplan, weasyprint.document
timed(ours.validate, "validate_plan", "ours: plan loaded and validated")
timed(ours.merge, "merge", "ours: plan merged")
timed(ours.merge, "plan_json", "ours: plan.json")
for module, name in ((ours.render.html, "render_action_plan"),
        (ours.render.monitoring, "render_progress_report"),
        (ours.render.cocreation, "render_cocreation_report")):
    timed(module, name, "ours: HTML rendered (Jinja2, timeline)")
timed(ours.render.pdf, "breakable", "ours: long words made breakable")
timed(weasyprint.HTML, "__init__", "WeasyPrint: HTML parsed")
timed(weasy, "get_all_computed_styles", "WeasyPrint: style cascade")
timed(weasy, "build_formatting_structure", "WeasyPrint: boxes built")
timed(weasy, "layout_document", "WeasyPrint: layout")
timed(weasy, "FontConfiguration", "WeasyPrint: fonts set up")
timed(weasy, "generate_pdf", "WeasyPrint: pages drawn, fonts subset")
timed(pydyf.PDF, "write", "WeasyPrint: PDF serialised (pydyf)")
timed(ours.render.pdf, "write_atomic", "ours: files written")
timed(ours.render.pdfua, "finish", "ours: PDF/UA finished (pikepdf)")
timed(pypandoc, "convert_text", "pandoc (a process)")
timed(ours.render.docx, "normalise_docx", "ours: DOCX normalised")
runs = []
for _ in range(2):
    spent_before, start = dict(spent), clock()
    failed = getattr(actions, sys.argv[2])(target, settings)
    assert failed is None, failed
    took = clock() - start
    stages = {k: v - spent_before.get(k, 0.0) for k, v in spent.items()}
    runs.append({"total": took, "stages": {k: v for k, v in stages.items() if v > 0.00005}})
print(json.dumps({"imports": spent["imports (once a process)"], "light": light, "runs": runs}))
"""
ACTIONS = ("pdf_action", "docx_action", "progress_action", "cocreation_action")


def profile(root: Path, env: dict[str, str]) -> None:
    """Where the time goes: each family alone, then the stages of one plan's tasks."""
    print("\nwhere the time goes (each family built alone, in turn, `doit -n 1 FAMILY`):")
    shutil.rmtree(root / "build", ignore_errors=True)
    for state in root.glob(".doit.db*"):
        state.unlink()
    doit = [sys.executable, "-m", "doit", "-n", "1"]
    startup = run("start-up", [sys.executable, "-m", "doit", "list"], root, env)
    families = [run(name, [*doit, name], root, env) for name in FAMILIES]
    total = sum(m.cpu_seconds for m in families)
    print(f"  {'family':<12} {'cpu s':>8} {'share':>6} {'wall s':>8} {'tasks':>6} {'cpu/task':>9}")
    for m in families:
        each = m.cpu_seconds / len(m.ran) if m.ran else 0.0
        print(
            f"  {m.name:<12} {m.cpu_seconds:8.2f} {m.cpu_seconds / total:6.1%} "
            f"{m.seconds:8.2f} {len(m.ran):>6} {each:9.2f}"
        )
    print(f"  {'all':<12} {total:8.2f}  (each run includes doit's start-up:", end=" ")
    print(f"{startup.cpu_seconds:.2f} s)")
    plan = f"member-00/{CYCLE}"
    for action in ACTIONS:
        _stages(root, env, action, plan)


def _stages(root: Path, env: dict[str, str], action: str, plan: str) -> None:
    """One task's action run twice in a fresh process, every stage timed (exclusive)."""
    argv = [sys.executable, "-c", STAGES, str(root), action, plan]
    result = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"  {action}: failed\n{result.stderr[-2000:]}")
        return
    found = json.loads(result.stdout.splitlines()[-1])
    first, second = found["runs"]
    print(
        f"\n  {action} of {plan}: imports {found['imports']:.2f} s once a process "
        f"(task creation's {found['light']:.2f} s apart); first run {first['total']:.2f} s, "
        f"second {second['total']:.2f} s (CPU time, pandoc's included):"
    )
    other = second["total"] - sum(second["stages"].values())
    stages = sorted(second["stages"].items(), key=lambda item: -item[1])
    for name, seconds in [*stages, ("other (titles, metadata, attachments...)", other)]:
        print(f"    {name:<52} {seconds:7.3f} s {seconds / second['total']:6.1%}")


if __name__ == "__main__":
    sys.exit(main())
