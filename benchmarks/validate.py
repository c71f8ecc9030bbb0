"""Benchmark: `actionplan validate` against `check-jsonschema` on the same commitment files.

Run it from the repository root, with the project installed and `check-jsonschema` on the
path (`pip install -e '.[test]'`)::

    python benchmarks/validate.py                  # 200 members x 5 commitments = 1,000 files
    python benchmarks/validate.py --members 20 --repeat 3
    python benchmarks/validate.py --keep           # keep the generated tree and print where
    python benchmarks/validate.py --bytecode-cache # both tools with a warm bytecode cache

It writes a synthetic plans repository into a temporary folder: per member a `member.yaml`
and one cycle (`vision.yaml`, commitments with three milestones and prose of realistic length,
a progress log per commitment; every fourth member in two languages), all valid per FORMAT.md.
It first checks that both tools accept the data (exit 0, nothing reported), that
check-jsonschema checked every commitment file (its `-vv` listing) and that both reject the
tree once one commitment has a misspelt key. Then it times, as subprocesses, over `--repeat`
runs in alternating order:

  (a) `actionplan validate <tmp>`: the whole repository, every file, the rules across files,
      problems placed at their line and column;
  (b) `check-jsonschema --schemafile schemas/commitment.schema.json <every commitment file>`:
      the commitment files alone against the same schema;
  and `actionplan validate` on one plan, which shows its fixed cost (start-up).

It prints the median and minimum wall time of each, their CPU time (user + system, from
os.wait4: steadier when the machine is busy), the ratio actionplan / check-jsonschema, whether
the target "on 1,000 commitment files the validator takes at most half of check-jsonschema's
wall time" holds, and the peak resident memory (ru_maxrss of each child) against the size of
the input. Last, `actionplan validate` with its cache on the same tree: cold (an empty cache),
warm (nothing changed: every plan's problems from the cache) and after one commitment file was
edited, each against the target "warm at most a twentieth of check-jsonschema's time", in wall
and in CPU time. It is a measurement, not a test: it exits 0 whatever the figures, and 1 only when
a tool does not accept (or reject) the generated data as it should.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BUILD_EPOCH = int(dt.datetime(2023, 5, 1, tzinfo=dt.UTC).timestamp())
REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO / "schemas" / "commitment.schema.json"
TARGET_RATIO = 0.5
WARM_TARGET = 1 / 20  # a warm cached run against check-jsonschema on the same tree
SETTLE = 2.1  # seconds: longer than the cache waits before it learns a file's hash

_VOCABULARY = (
    "open government participation transparency accountability citizens council budget "
    "data portal residents public consultation municipal services procurement contracts "
    "neighbourhood district forum civil society organisations local community access "
    "information records publication decisions meetings agenda minutes oversight audit "
    "integrity complaints feedback platform digital inclusive women youth elderly people "
    "disabilities languages translation accessible training staff officials departments "
    "mayor office planning housing mobility environment climate water waste health schools "
    "libraries grants funding allocation monitoring indicators evaluation report quarterly "
    "annual review progress milestones commitment plan strategy policy regulation standard "
    "dataset open format license reuse journalists researchers universities partners "
    "network working group co-creation dialogue workshop survey proposals vote deliberation"
)
_WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(9, 22))]
    return " ".join(words).capitalize() + "."


def _prose(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _block(key: str, text: str, indent: int) -> str:
    """A folded block scalar, as people write long prose in YAML."""
    pad = " " * indent
    body = textwrap.fill(text, width=88, initial_indent=pad + "  ", subsequent_indent=pad + "  ")
    return f"{pad}{key}: >-\n{body}\n"


def _localized(
    rng: random.Random, key: str, languages: Sequence[str], sentences: int, indent: int
) -> str:
    """Localized text: a plain block for one language, a mapping of blocks for several."""
    if len(languages) == 1:
        return _block(key, _prose(rng, sentences), indent)
    out = f"{' ' * indent}{key}:\n"
    for code in languages:
        out += _block(code, _prose(rng, sentences), indent + 2)
    return out


def _short(rng: random.Random, key: str, languages: Sequence[str], indent: int) -> str:
    pad = " " * indent
    if len(languages) == 1:
        return f"{pad}{key}: {_sentence(rng)[:-1]}\n"
    return f"{pad}{key}:\n" + "".join(
        f"{pad}  {code}: {_sentence(rng)[:-1]}\n" for code in languages
    )


def _member(rng: random.Random, slug: str, index: int, languages: Sequence[str]) -> str:
    return (
        "# yaml-language-server: $schema=../../schemas/member.schema.json\n"
        f"id: {slug}\n" + _short(rng, "name", languages, 0) + "country: FR\n"
        f"languages: [{', '.join(languages)}]\n"
        f"website: https://www.example.org/{slug}/open-government\n"
        "point_of_contact:\n"
        f"  name: Camille Martin {index}\n"
        "  role: Open government officer\n"
        "  organization: Mayor's office\n"
        f"  email: open.gov{index}@example.org\n"
        "  phone: +33 1 23 45 67 89\n"
        "monitoring_body:\n"
        f"  name: Independent Research Institute {index}\n"
        "  kind: organization\n"
        f"  email: monitoring{index}@example.org\n"
    )


def _vision(rng: random.Random, languages: Sequence[str]) -> str:
    out = "# yaml-language-server: $schema=../../../schemas/vision.schema.json\n"
    out += _short(rng, "title", languages, 0)
    out += "period:\n  start: 2022-01-01\n  end: 2023-12-31\nterm_end: 2026-03-31\n"
    for key, n in (
        ("foreword", 4),
        ("long_term_vision", 6),
        ("challenges", 6),
        ("objectives", 5),
        ("alignment", 3),
        ("coordination", 3),
    ):
        out += _localized(rng, key, languages, n, 0)
    out += "co_creation:\n" + _localized(rng, "process", languages, 6, 2) + "  participants:\n"
    roles = (
        "government-point-of-contact",
        "civil-society-counterpart",
        "monitoring-body",
        "affected-community",
        "other-government-staff",
        "strategic-stakeholder",
    )
    for i, role in enumerate(roles):
        out += f"    - name: Participant {i}\n      organization: Organisation {i}\n"
        out += f"      role: {role}\n"
    out += _localized(rng, "monitoring", languages, 4, 0)
    out += (
        "approval:\n  date: 2021-12-15\n  approved_by:\n"
        "    - name: City council\n      organization: City\n      kind: council\n"
        "    - name: Open government forum\n      organization: Forum\n      kind: forum\n"
    )
    return out


def _commitment(
    rng: random.Random, cid: str, number: int, languages: Sequence[str], milestones: int
) -> str:
    start_month = 1 + number % 6
    out = "# yaml-language-server: $schema=../../../../schemas/commitment.schema.json\n"
    out += f"id: {cid}\n"
    out += _short(rng, "title", languages, 0)
    out += _localized(rng, "summary", languages, 3, 0)
    out += f"period:\n  start: 2022-{start_month:02d}-01\n  end: 2023-11-30\n"
    out += "lead:\n" + _short(rng, "agency", languages, 2)
    out += (
        "  contact:\n"
        f"    name: Lead Person {number}\n"
        "    role: Head of department\n"
        "    organization: City\n"
        f"    email: lead{number}@example.org\n"
    )
    out += "other_actors:\n  government:\n    - name: Digital services department\n"
    out += _localized(rng, "contribution", languages, 1, 6)
    out += "  civil_society:\n    - name: Open Knowledge local group\n"
    out += _localized(rng, "contribution", languages, 1, 6)
    out += "    - name: Residents' association\n"
    out += "  private_sector: []\n  other: []\n"
    for key, n in (
        ("problem", 5),
        ("causes", 4),
        ("status_quo", 4),
        ("solution", 6),
        ("results", 4),
    ):
        out += _localized(rng, key, languages, n, 0)
    out += "ogp_values:\n"
    for key in ("transparency", "participation", "inclusion"):
        out += _localized(rng, key, languages, 2, 2)
    out += _localized(rng, "resources", languages, 2, 0)
    out += _localized(rng, "risks", languages, 2, 0)
    out += "open_gov_challenge:\n  submitted: false\n  area: access-to-information\n"
    out += "milestones:\n"
    for m in range(milestones):
        begin = f"2022-{start_month + 2 * m:02d}-01"
        end = f"2023-{1 + 3 * m:02d}-28"
        out += f"  - id: m{m + 1}\n"
        out += _short(rng, "title", languages, 4)
        out += _localized(rng, "expected_output", languages, 2, 4)
        out += f"    start: {begin}\n    end: {end}\n    lead: Department {m}\n"
        out += "    stakeholders:\n      - Civil society forum\n      - Residents\n"
    return out


def _progress(rng: random.Random, cid: str, languages: Sequence[str], milestones: int) -> str:
    out = "# yaml-language-server: $schema=../../../../schemas/progress.schema.json\n"
    out += f"commitment: {cid}\nentries:\n"
    day = dt.date(2023, 3, 1)
    for m in range(milestones):
        for status in ("in-progress", "complete"):
            out += f"  - date: {day.isoformat()}\n"
            out += f"    milestone: m{m + 1}\n    status: {status}\n"
            out += _localized(rng, "note", languages, 2, 4)
            out += (
                "    evidence:\n"
                f"      - title: Report {m}\n"
                f"        url: https://www.example.org/reports/{cid}-{m}.pdf\n"
                "    reported_by: Open government officer\n"
            )
            day += dt.timedelta(days=9)
    return out


@dataclass
class Tree:
    root: Path
    commitment_files: list[Path]
    files: int
    bytes: int


def generate(root: Path, members: int, commitments: int, milestones: int, seed: int) -> Tree:
    """Write `members` valid plans under root/plans; every fourth member is bilingual."""
    rng = random.Random(seed)
    files: list[Path] = []
    commitment_files: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)

    for i in range(members):
        slug = f"member-{i:04d}"
        languages = ("en", "fr") if i % 4 == 3 else ("en",)
        member_dir = root / "plans" / slug
        write(member_dir / "member.yaml", _member(rng, slug, i, languages))
        cycle = member_dir / "2022-2023"
        write(cycle / "vision.yaml", _vision(rng, languages))
        for c in range(commitments):
            cid = f"commitment-{c + 1}"
            path = cycle / "commitments" / f"{cid}.yaml"
            write(path, _commitment(rng, cid, c, languages, milestones))
            commitment_files.append(path)
            write(cycle / "progress" / f"{cid}.yaml", _progress(rng, cid, languages, milestones))
    total = sum(p.stat().st_size for p in files)
    return Tree(root, commitment_files, len(files), total)


def _tool(name: str) -> str:
    """The console script next to this interpreter (no pyenv or other shim in the timing)."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"benchmark: `{name}` not found")
    return found


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: less disturbed than wall time by a busy machine
    maxrss_kib: int
    returncode: int
    stdout: str
    stderr: str


def run(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run one command; wall time, and the child's own CPU time and peak memory from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss,  # KiB on Linux
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def _fail(what: str, result: Run) -> None:
    print(f"benchmark: {what} failed (exit {result.returncode})", file=sys.stderr)
    print(result.stdout[-3000:], result.stderr[-3000:], sep="\n", file=sys.stderr)
    sys.exit(1)


def _check_tools(
    actionplan: list[str],
    checker: list[str],
    tree: Tree,
    checker_verbose: list[str],
    env: dict[str, str],
) -> None:
    """Both tools accept the data, and check-jsonschema saw every commitment file.

    These runs also warm the bytecode cache when the benchmark keeps one."""
    result = run(actionplan, tree.root, env)
    if result.returncode != 0 or result.stdout.strip():
        _fail("actionplan validate", result)
    print(f"actionplan:        {result.stderr.strip()}")
    result = run(checker, tree.root, env)
    if result.returncode != 0:
        _fail("check-jsonschema", result)
    result = run(checker_verbose, tree.root, env)
    if result.returncode != 0:
        _fail("check-jsonschema -vv", result)
    wanted = {str(p) for p in tree.commitment_files}
    listed = {line.strip() for line in result.stdout.splitlines()} & wanted
    if listed != wanted:
        print(
            f"benchmark: check-jsonschema listed {len(listed)} of {len(wanted)} files",
            file=sys.stderr,
        )
        sys.exit(1)
    print(f"check-jsonschema:  ok, checked {len(listed)} of {len(wanted)} commitment files")
    # One broken file must fail it: the files are really parsed and validated, not skipped.
    victim = tree.commitment_files[len(tree.commitment_files) // 2]
    original = victim.read_text(encoding="utf-8")
    victim.write_text(original.replace("ogp_values:", "ogp_valeus:", 1), encoding="utf-8")
    try:
        broken = run(checker, tree.root, env)
        broken_ap = run(actionplan, tree.root, env)
    finally:
        victim.write_text(original, encoding="utf-8")
    if broken.returncode != 1 or broken_ap.returncode != 1:
        print("benchmark: a broken commitment file went unnoticed", file=sys.stderr)
        sys.exit(1)


def _time_cache(tree: Tree, repeat: int, env: dict[str, str]) -> dict[str, list[Run]]:
    """`actionplan validate` with its cache: cold (an empty cache), warm (nothing changed), and
    warm after one commitment file was edited; each repeat in a cache folder of its own.

    Each repeat starts SETTLE seconds after the edited file was put back: the cache learns the
    hash of a file left alone 2 s only, so a file written just before the cold run would be
    learnt by the warm one, which would then rewrite the cache's files.json: a run that learns,
    not one where nothing changed (one such run follows every edit, once)."""
    times: dict[str, list[Run]] = {"cold": [], "warm": [], "one file edited": []}
    victim = tree.commitment_files[len(tree.commitment_files) // 2]
    original = victim.read_bytes()
    try:
        for i in range(repeat):
            time.sleep(SETTLE)
            command = [_tool("actionplan"), "validate", "--cache-dir", str(tree.root / f"c{i}")]
            command.append(str(tree.root))
            for name in times:
                if name == "one file edited":
                    victim.write_bytes(original + f"# edit {i}\n".encode())
                result = run(command, tree.root, env)
                if result.returncode != 0:
                    _fail(f"actionplan validate ({name})", result)
                times[name].append(result)
            victim.write_bytes(original)
    finally:
        victim.write_bytes(original)
    return times


def _report_cache(times: dict[str, list[Run]], checker: list[Run]) -> None:
    """Each run's medians against check-jsonschema's, in wall time and in CPU time (steadier on
    a busy machine), and whether the warm run holds the target in each."""
    wall = statistics.median(r.seconds for r in checker)
    cpu = statistics.median(r.cpu_seconds for r in checker)
    print()
    print(
        f"validate cache (target: warm at most 1/{1 / WARM_TARGET:.0f} of check-jsonschema's "
        f"{wall:.3f} s wall = {wall * WARM_TARGET:.3f} s, {cpu:.3f} s CPU = "
        f"{cpu * WARM_TARGET:.3f} s)"
    )
    for name, runs in times.items():
        median = statistics.median(r.seconds for r in runs)
        median_cpu = statistics.median(r.cpu_seconds for r in runs)
        print(
            f"  {name:<16} median {median:>7.3f} s  min {min(r.seconds for r in runs):>7.3f} s  "
            f"cpu {median_cpu:>7.3f} s  {median / wall:>5.3f}x check-jsonschema "
            f"({median_cpu / cpu:>5.3f}x in CPU time)"
        )
    warm = times["warm"]
    for what, mine, theirs in (
        ("wall", statistics.median(r.seconds for r in warm), wall),
        ("CPU", statistics.median(r.cpu_seconds for r in warm), cpu),
    ):
        holds = mine <= theirs * WARM_TARGET
        print(
            f"  warm target in {what} time: {'HOLDS' if holds else 'MISSED'} "
            f"(1/{theirs / mine:.1f} of check-jsonschema's)"
        )
    # The machine's load: on a shared machine CPU time is steadier than wall time, not immune.
    print("  load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _fmt_mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=200, help="members (default 200)")
    parser.add_argument("--commitments", type=int, default=5, help="per plan (default 5)")
    parser.add_argument("--milestones", type=int, default=3, help="per commitment (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the generated tree")
    parser.add_argument(
        "--bytecode-cache",
        action="store_true",
        help="give both tools a warm bytecode cache of their own, as installed tools have, "
        "even when PYTHONDONTWRITEBYTECODE is set (by default: the environment as it is)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.commitments <= 5 or not 1 <= args.milestones <= 4:
        parser.error("--commitments must be 1-5 and --milestones 1-4 to keep the plans valid")

    root = Path(tempfile.mkdtemp(prefix="actionplan-bench-"))
    try:
        tree = generate(root, args.members, args.commitments, args.milestones, args.seed)
        commitment_bytes = sum(p.stat().st_size for p in tree.commitment_files)
        print(
            f"generated {tree.files} files ({tree.bytes / 1e6:.2f} MB) in {root}: "
            f"{len(tree.commitment_files)} commitment files "
            f"({commitment_bytes / 1e6:.2f} MB, {commitment_bytes // len(tree.commitment_files)} "
            "bytes each on average)"
        )
        # The plans run through 2022-2023, their progress logged from 2023-03-01 to 2023-04-15
        # when every milestone is complete: validated on 2023-05-01, after every entry and
        # before any assessment falls due, so that the due-date warnings speak of nothing.
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(BUILD_EPOCH))
        if args.bytecode_cache:
            # PYTHONDONTWRITEBYTECODE=1 would make the editable actionplan compile its sources
            # on every run, while check-jsonschema's site-packages are compiled: not a fair
            # race, nor how an installed tool runs. A private cache, warmed by the checks below.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
            print("bytecode: a warm cache of their own for both tools")
        else:
            print(
                "bytecode: environment as is"
                + (" (PYTHONDONTWRITEBYTECODE set)" if env.get("PYTHONDONTWRITEBYTECODE") else "")
            )
        actionplan = [_tool("actionplan"), "validate", "--no-cache", str(root)]
        files = [str(p) for p in tree.commitment_files]
        schema = str(args.schema.resolve())
        checker = [_tool("check-jsonschema"), "--schemafile", schema, *files]
        checker_verbose = [_tool("check-jsonschema"), "-vv", "--schemafile", schema, *files]
        _check_tools(actionplan, checker, tree, checker_verbose, env)
        one_plan = [
            _tool("actionplan"),
            "validate",
            "--no-cache",
            str(root / "plans" / "member-0000"),
        ]

        commands = {"actionplan": actionplan, "check-jsonschema": checker, "one plan": one_plan}
        timings: dict[str, list[Run]] = {name: [] for name in commands}
        for i in range(args.repeat):
            order = list(commands) if i % 2 == 0 else list(reversed(commands))
            for name in order:
                result = run(commands[name], root, env)
                if result.returncode != 0:
                    _fail(name, result)
                timings[name].append(result)

        med = {n: statistics.median(r.seconds for r in runs) for n, runs in timings.items()}
        low = {n: min(r.seconds for r in runs) for n, runs in timings.items()}
        cpu = {n: statistics.median(r.cpu_seconds for r in runs) for n, runs in timings.items()}
        rss = {n: max(r.maxrss_kib for r in runs) for n, runs in timings.items()}
        ratio = med["actionplan"] / med["check-jsonschema"]
        print()
        print(f"{len(files)} commitment files, {tree.files} files in all, {args.repeat} runs each")
        print(
            f"{'tool':<36} {'files':>6} {'median s':>9} {'min s':>8} {'cpu s':>7} {'peak RSS':>10}"
        )
        rows = (
            ("(a) actionplan validate <tree>", "actionplan", tree.files),
            ("(b) check-jsonschema <commitments>", "check-jsonschema", len(files)),
            ("    actionplan validate <one plan>", "one plan", tree.files // args.members),
        )
        for label, name, count in rows:
            print(
                f"{label:<36} {count:>6} {med[name]:>9.3f} {low[name]:>8.3f} "
                f"{cpu[name]:>7.3f} {_fmt_mib(rss[name]):>10}"
            )
        print(
            f"ratio actionplan / check-jsonschema: {ratio:.2f} (medians of wall time), "
            f"{low['actionplan'] / low['check-jsonschema']:.2f} (minimums), "
            f"{cpu['actionplan'] / cpu['check-jsonschema']:.2f} (medians of CPU time)"
        )
        print(
            f"actionplan per file: {med['actionplan'] / tree.files * 1000:.2f} ms; "
            f"check-jsonschema per file: {med['check-jsonschema'] / len(files) * 1000:.2f} ms; "
            f"actionplan's fixed cost (start-up, one plan): {med['one plan']:.2f} s"
        )
        holds = ratio <= TARGET_RATIO
        print(
            f"target (at most {TARGET_RATIO:.0%} of check-jsonschema's wall time on "
            f"{len(files):,} commitment files): {'HOLDS' if holds else 'MISSED'}"
        )
        if len(files) < 1000:
            print("  (fewer than 1,000 commitment files: not the issue's measurement)")
        print(
            f"(c) actionplan on the commitment files' plans is (a): it validates every "
            f"file of the {args.members} plans, commitments included"
        )
        grown = rss["actionplan"] - rss["one plan"]
        print(
            f"(d) actionplan peak RSS {_fmt_mib(rss['actionplan'])} for "
            f"{tree.bytes / 1e6:.2f} MB of input "
            f"({rss['actionplan'] * 1024 / tree.bytes:.1f}x the input size); "
            f"{_fmt_mib(grown)} above a one-plan run "
            f"({grown * 1024 / tree.bytes:.1f}x the input size)"
        )
        _report_cache(_time_cache(tree, args.repeat, env), timings["check-jsonschema"])
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
