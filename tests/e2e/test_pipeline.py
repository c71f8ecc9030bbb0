"""The doit pipeline for real: `doit` run as a subprocess in temporary copies of the repository.

One build per fixture, shared by the module (a build of the example plans takes seconds): the
tests read it, and those that change a file put it back and bring the build up to date again.
doit prints `.  TASK` for a task it ran and `-- TASK` for one it found up to date.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from actionplan.clock import build_date as validator_build_date
from actionplan.pipeline import project
from actionplan.pipeline.deps import PACKAGE_DIR, template_dependencies
from actionplan.render import html as html_renderer
from builds import (
    BUILD_EPOCH,
    DRAFT_PLAN,
    PLANS,
    ExamplePlan,
    copy_repository,
    doit,
)
from helpers import ROOT

FAMILIES = ("validate", "json", "html", "pdf", "docx", "efiling")
BUILDS = FAMILIES[1:]
EDITED_PLAN = "paris/2024-2026"


PLAN_IDS = [plan.name for plan in PLANS]


# ---- Running doit -----------------------------------------------------------------------------


def ran(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The tasks doit ran."""
    return {line[3:].strip() for line in result.stdout.splitlines() if line.startswith(".  ")}


def up_to_date(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The tasks doit found up to date."""
    return {line[3:].strip() for line in result.stdout.splitlines() if line.startswith("-- ")}


def ours(tasks: set[str]) -> set[str]:
    """The tasks of the action plan's families (other families may exist beside them)."""
    return {task for task in tasks if task.split(":", 1)[0] in FAMILIES}


def plan_tasks(plan: str, families: tuple[str, ...] = FAMILIES) -> set[str]:
    return {f"{family}:{plan}" for family in families}


def all_tasks(families: tuple[str, ...] = FAMILIES) -> set[str]:
    return {task for plan in PLANS for task in plan_tasks(plan.name, families)}


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under `folder`: its modification time and digest."""
    return {
        p.relative_to(folder).as_posix(): (
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextmanager
def changed(path: Path, text: str) -> Iterator[None]:
    """`path` with `text` appended, put back as it was afterwards."""
    original = path.read_bytes()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    try:
        yield
    finally:
        path.write_bytes(original)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository built once with `doit` (-n 1)."""
    root = copy_repository(tmp_path_factory.mktemp("pipeline") / "repo")
    first = doit(root)
    assert all_tasks() <= ran(first)
    return root


@pytest.fixture(scope="module")
def parallel_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another repository, in another folder, built with `doit -n 2`."""
    root = copy_repository(tmp_path_factory.mktemp("parallel") / "elsewhere" / "repo")
    doit(root, "-n", "2")
    return root


# ---- What a build writes ----------------------------------------------------------------------


def test_the_examples_cover_what_the_pipeline_must_handle() -> None:
    assert len(PLANS) >= 4
    assert any(len(plan.languages) > 1 for plan in PLANS)
    assert any(not plan.approved for plan in PLANS)
    assert len({plan.name.split("/")[0] for plan in PLANS}) < len(PLANS)  # a member, two cycles


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_every_plan_builds_every_file_in_every_language(repo: Path, plan: ExamplePlan) -> None:
    out = repo / "build" / plan.name
    written = set(files_of(out))
    assert plan.expected_files() <= written, sorted(plan.expected_files() - written)
    for name in plan.expected_files():
        assert (out / name).stat().st_size > 0, name
    efiling = {name for name in written if name.startswith("efiling/")}
    assert {f"efiling/{n}" for n in ("vision.json", "vision.html", "manifest.json")} <= efiling
    assert not [name for name in written if Path(name).name.startswith(".")]  # no temporary


def test_outputs_land_in_one_folder_per_plan(repo: Path) -> None:
    folders = {p.relative_to(repo / "build").parts[:2] for p in (repo / "build").rglob("*.*")}
    assert {tuple(plan.name.split("/")) for plan in PLANS} <= folders


def test_pdf_and_docx_files_are_what_they_claim(repo: Path) -> None:
    for plan in PLANS:
        for lang in plan.languages:
            out = repo / "build" / plan.name
            assert (out / f"action-plan.{lang}.pdf").read_bytes().startswith(b"%PDF-")
            with zipfile.ZipFile(out / f"action-plan.{lang}.docx") as archive:
                assert "word/document.xml" in archive.namelist()
            html = (out / f"action-plan.{lang}.html").read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{lang}" dir="(ltr|rtl)">', html)


# ---- The task list ----------------------------------------------------------------------------


def test_doit_list_shows_one_family_per_stage(repo: Path) -> None:
    listed = {line.split()[0] for line in doit(repo, "list").stdout.splitlines() if line.strip()}
    assert set(FAMILIES) <= listed
    assert not [name for name in listed if ":" in name]


def test_doit_list_all_shows_one_sub_task_per_plan(repo: Path) -> None:
    listed = {line.split()[0] for line in doit(repo, "list", "--all").stdout.splitlines() if line}
    assert all_tasks() <= listed
    for family in FAMILIES:
        subtasks = {name for name in listed if name.startswith(f"{family}:")}
        assert subtasks == {f"{family}:{plan.name}" for plan in PLANS}


def test_each_family_has_a_one_line_description(repo: Path) -> None:
    for line in doit(repo, "list").stdout.splitlines():
        name, _, doc = line.partition(" ")
        if name in FAMILIES:
            assert doc.strip().endswith("."), line


# ---- Up to date, and rebuilding what changed ---------------------------------------------------


def test_a_second_run_runs_nothing(repo: Path) -> None:
    again = doit(repo)
    assert ran(again) == set(), again.stdout
    assert all_tasks() <= up_to_date(again)


def test_editing_one_commitment_rebuilds_that_plan_only(repo: Path) -> None:
    commitment = sorted((repo / "plans" / EDITED_PLAN / "commitments").glob("*.yaml"))[0]
    other = stamps(repo / "build" / "scotland")
    with changed(commitment, "# an edit that changes no value\n"):
        edited = doit(repo)
        assert ours(ran(edited)) == plan_tasks(EDITED_PLAN), edited.stdout
        # besides the plan's own: its member's site pages, and what shows every plan
        every_plan = {
            "feeds:network",
            "opendata:network",
            "site:index",
            "site:paris",
            "search:network",
        }
        others = {t for t in ran(edited) if not t.split(":", 1)[1].startswith(EDITED_PLAN)}
        assert others <= every_plan, others
    restored = doit(repo)
    assert ours(ran(restored)) <= plan_tasks(EDITED_PLAN)
    assert stamps(repo / "build" / "scotland") == other
    assert ours(ran(doit(repo))) == set()


@pytest.mark.parametrize(
    ("name", "text", "families"),
    [
        ("templates/print.css", "\n/* changed */\n", ("pdf",)),
        ("templates/style.css", "\n/* changed */\n", ("html", "pdf")),
        ("templates/_summary.html.j2", "{# changed #}\n", ("html", "pdf", "docx")),
        (
            "templates/locales/es/LC_MESSAGES/actionplan.po",
            "\n# changed\n",
            ("html", "pdf", "docx", "efiling"),
        ),
        ("schemas/vision.schema.json", "\n", FAMILIES),
    ],
    ids=["print.css", "style.css", "template", "labels", "schema"],
)
def test_a_shared_file_rebuilds_the_families_it_shapes(
    repo: Path, name: str, text: str, families: tuple[str, ...]
) -> None:
    # Only the draft plan's tasks are asked for, to keep the test quick; every family of it is.
    asked = sorted(plan_tasks(DRAFT_PLAN))
    with changed(repo / name, text):
        result = doit(repo, *asked)
        assert ours(ran(result)) == plan_tasks(DRAFT_PLAN, families), result.stdout
    doit(repo)  # back to up to date


def test_the_reference_document_rebuilds_the_docx_files_alone(repo: Path) -> None:
    reference = repo / "templates" / "reference.docx"
    original = reference.read_bytes()
    with zipfile.ZipFile(reference, "a") as archive:
        archive.comment = b"changed"
    try:
        result = doit(repo, *sorted(plan_tasks(DRAFT_PLAN)))
        assert ours(ran(result)) == {f"docx:{DRAFT_PLAN}"}, result.stdout
    finally:
        reference.write_bytes(original)
    doit(repo)


def file_deps(repo: Path, task: str) -> set[str]:
    """The file_dep of a task, from `doit info`."""
    info = doit(repo, "info", task).stdout
    section = info.split("file_dep", 1)[1].split("\n\n", 1)[0]
    return {line.strip()[2:] for line in section.splitlines() if line.strip().startswith("- ")}


def test_renderer_code_and_data_files_are_dependencies_of_their_family_only(repo: Path) -> None:
    package = PACKAGE_DIR
    own = {
        "json": {package / "merge.py"},
        "html": {repo / "templates" / "style.css", package / "render" / "html.py"},
        "pdf": {package / "render" / "pdf.py", repo / "templates" / "print.css"},
        "docx": {package / "render" / "docx.py", repo / "templates" / "reference.docx"},
        "efiling": {package / "render" / "efiling.py", package / "data" / "forms.yaml"},
    }
    deps = {family: file_deps(repo, f"{family}:{DRAFT_PLAN}") for family in BUILDS}
    for family, files in own.items():
        assert {str(p) for p in files} <= deps[family], family
    for path, families in (
        (package / "render" / "docx.py", {"docx"}),
        (package / "render" / "pdf.py", {"pdf"}),
        (package / "render" / "efiling.py", {"efiling"}),
        (package / "data" / "forms.yaml", {"efiling"}),
        (repo / "templates" / "reference.docx", {"docx"}),
        (repo / "templates" / "print.css", {"pdf"}),
    ):
        assert {family for family in BUILDS if str(path) in deps[family]} == families, path
    for family in BUILDS:  # a plan's outputs depend on its own files, never on another plan's
        plan_files = {d for d in deps[family] if "/plans/" in d}
        assert plan_files and all(f"/plans/{DRAFT_PLAN.split('/')[0]}/" in d for d in plan_files)


def test_the_build_date_of_task_creation_follows_the_validators_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for value in (BUILD_EPOCH, "0", "not a number", ""):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        assert project.build_date() == validator_build_date()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert project.build_date() == dt.datetime.now(tz=dt.UTC).date()


TASK_CREATION = """
import sys, runpy
dodo = runpy.run_path("dodo.py")
for family in sys.argv[1:]:
    tasks = list(dodo["task_" + family]())
    assert tasks and all(task["file_dep"] and "actions" in task for task in tasks), family
heavy = ["weasyprint", "pypandoc", "pydantic", "jinja2", "actionplan.merge", "actionplan.validate"]
print([name for name in heavy if name in sys.modules])
"""


def test_task_creation_imports_no_renderer_model_or_validator(repo: Path) -> None:
    """What keeps a no-op `doit` fast: listing the tasks loads none of the heavy modules."""
    result = subprocess.run(
        [sys.executable, "-c", TASK_CREATION, *FAMILIES],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_task_creation_finds_the_templates_jinja2_finds() -> None:
    templates = ROOT / "templates"
    for template in sorted(templates.glob("*.html.j2")):
        if not template.name.startswith("_"):
            expected = html_renderer.template_dependencies(templates, template.name)
            assert template_dependencies(templates, template.name) == expected


def test_a_template_named_at_run_time_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.html.j2").write_text("{# {% include 'gone.j2' %} #}{% include name %}")
    with pytest.raises(ValueError, match="named at run time"):
        template_dependencies(tmp_path, "a.html.j2")
    (tmp_path / "b.html.j2").write_text("{%- from 'c.j2' import x with context -%}")
    (tmp_path / "c.j2").write_text("{% raw %}{% include 'not-a-tag.j2' %}{% endraw %}")
    assert template_dependencies(tmp_path, "b.html.j2") == [
        tmp_path / "b.html.j2",
        tmp_path / "c.j2",
    ]


# ---- An invalid plan ----------------------------------------------------------------------------


def test_an_invalid_plan_fails_the_build_and_writes_nothing(repo: Path) -> None:
    commitment = sorted((repo / "plans" / EDITED_PLAN / "commitments").glob("*.yaml"))[-1]
    text = commitment.read_text(encoding="utf-8")
    line = text.splitlines().index("ogp_values:") + 1
    before = stamps(repo / "build" / EDITED_PLAN)
    commitment.write_text(text.replace("\nogp_values:", "\nogp_valeus:"), encoding="utf-8")
    try:
        failed = doit(repo, check=False)
        output = failed.stdout + failed.stderr
        assert failed.returncode != 0
        relative = commitment.relative_to(repo).as_posix()
        assert re.search(
            rf"^{re.escape(relative)}:{line}:1: error \[[a-z0-9-]+\] unknown key `ogp_valeus`",
            output,
            re.MULTILINE,
        ), output
        assert f"validate:{EDITED_PLAN}" in output
        assert {task.split(":", 1)[0] for task in ours(ran(failed))} == {"validate"}
        assert stamps(repo / "build" / EDITED_PLAN) == before
    finally:
        commitment.write_text(text, encoding="utf-8")
    restored = doit(repo)
    assert ours(ran(restored)) == {f"validate:{EDITED_PLAN}"}  # the others were never stale
    assert stamps(repo / "build" / EDITED_PLAN) == before


def test_a_new_invalid_plan_builds_nothing_while_the_others_stay_built(repo: Path) -> None:
    source = repo / "plans" / "scotland"
    broken = repo / "plans" / "broken-city"
    shutil.copytree(source, broken)  # member.yaml still says `id: scotland`
    try:
        result = doit(repo, "--continue", check=False)
        assert result.returncode != 0
        assert re.search(
            r"^plans/broken-city/member\.yaml:\d+:\d+: error \[[a-z0-9-]+\]",
            result.stdout + result.stderr,
            re.MULTILINE,
        ), result.stdout + result.stderr
        assert ours(ran(result)) == {"validate:broken-city/2023-2025"}, result.stdout
        assert not (repo / "build" / "broken-city").exists()
    finally:
        shutil.rmtree(broken)
    assert ours(ran(doit(repo))) == set()


# ---- Same inputs, same bytes --------------------------------------------------------------------


def test_parallel_build_elsewhere_gives_the_same_bytes(repo: Path, parallel_repo: Path) -> None:
    """`doit -n 2` in another folder writes byte for byte what `doit -n 1` wrote here:
    neither the folder nor parallelism leaks into an output (PDFs included: SOURCE_DATE_EPOCH
    is fixed and the fonts are those of this machine)."""
    ours_ = files_of(repo / "build")
    theirs = files_of(parallel_repo / "build")
    assert set(ours_) == set(theirs)
    differing = [name for name in ours_ if ours_[name] != theirs[name]]
    assert differing == []
    folders = [str(folder).encode() for folder in (repo, parallel_repo)]
    for name, data in ours_.items():
        if name.endswith((".pf_meta", ".pf_index", ".pf_fragment")):  # the search index, gzipped
            assert not [f for f in folders if f in gzip.decompress(data)], name
        elif not name.endswith((".pdf", ".docx", ".pagefind")):  # .pagefind: Pagefind's wasm
            text = data.decode("utf-8")
            assert str(repo) not in text and str(parallel_repo) not in text, name


def test_doit_clean_removes_the_targets(parallel_repo: Path) -> None:
    """Every output goes; what task creation keeps of member.yaml files (build/cache/) stays,
    as doit's own record does: it is no output, and it is read again when they change."""
    build = parallel_repo / "build"
    assert any(p.is_file() for p in build.rglob("*"))
    doit(parallel_repo, "clean")
    left = [p for p in build.rglob("*") if p.is_file()]
    assert [p.relative_to(build).as_posix() for p in left] == ["cache/member-codes.json"]
