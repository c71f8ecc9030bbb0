"""The doit build under hostile conditions: what an adversarial review found, kept fixed.

A member.yaml whose language code climbs out of build/ (and `doit clean` deleting outside the
repository), a build folder linked elsewhere, an input edited while its task ran, two runs at
once, a damaged state file, temporary files left by a killed build, a label missing from its
catalogue. Each runs `doit` on a small repository (the test base plan) and only the cheap
tasks (validate, json, html), so the whole file takes seconds.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from doit.cmd_base import ModuleTaskLoader
from doit.dependency import Dependency
from doit.doit_cmd import DoitMain

from actionplan import layout
from actionplan.model.common import LANG_PATTERN
from actionplan.pipeline import documents, project
from actionplan.render.labels import LabelError, Labels, load_labels
from builds import copy_repository
from helpers import BASE, DEFAULT_BUILD_DATE, epoch_of

PLAN = "sample-city/2024-2025"
EPOCH = epoch_of(DEFAULT_BUILD_DATE)
MEMBER = f"plans/{PLAN.split('/')[0]}/member.yaml"
VISION = f"plans/{PLAN}/vision.yaml"
OUT = f"build/{PLAN}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the one plan of the test base: plans, schemas, templates, dodo.py."""
    return copy_repository(tmp_path / "repo", plans=BASE / "plans")


def doit_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "doit", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def doit(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`doit ARGS` in `repo`, as a process; stdout and stderr as text."""
    result = subprocess.run(
        doit_command(*args),
        cwd=repo,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def ran(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line[3:].strip() for line in result.stdout.splitlines() if line.startswith(".  ")}


def set_languages(repo: Path, languages: str) -> None:
    member = repo / MEMBER
    text = member.read_text(encoding="utf-8")
    assert "languages: [en, fr]" in text
    member.write_text(text.replace("languages: [en, fr]", f"languages: {languages}"), "utf-8")


# ---- 4. Nothing is written or deleted outside build/ -------------------------------------------

CLIMBING = "../../../../../../victim"  # from build/<member>/<cycle>/ to the folder of the repo


def test_the_language_pattern_of_task_creation_is_the_models() -> None:
    assert layout.LANGUAGE.pattern == LANG_PATTERN


def test_only_well_formed_language_codes_name_targets(repo: Path) -> None:
    set_languages(repo, f'[en, "{CLIMBING}", EN, 12, en, fr]')
    (target,) = project.plans(project.Settings(repo))
    assert target.languages() == ["en", "fr"]
    assert [p.name for p in documents.html_targets(target)] == [
        "action-plan.en.html",
        "action-plan.fr.html",
    ]


def test_doit_clean_never_deletes_outside_build(repo: Path) -> None:
    """The review's reproduction: a language code that climbs out of build/ through a folder
    force-added under build/, and `doit clean` removed a file beside the repository."""
    set_languages(repo, f'[en, "{CLIMBING}"]')
    (repo / OUT / "action-plan...").mkdir(parents=True)
    victims = [repo.parent / f"victim.{ext}" for ext in ("html", "pdf", "docx")]
    for victim in victims:
        victim.write_text("not yours to delete")
    doit(repo, "clean", check=False)
    assert all(victim.exists() for victim in victims)
    failed = doit(repo, check=False)  # a plain build: the plan is invalid, nothing is written
    assert failed.returncode != 0
    assert "Traceback" not in output(failed)
    assert re.search(rf"^{re.escape(MEMBER)}:\d+:\d+: error \[", failed.stdout, re.MULTILINE)
    assert all(victim.read_text() == "not yours to delete" for victim in victims)


def test_a_build_folder_linked_outside_is_neither_written_nor_cleaned(
    repo: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / PLAN.split("/")[1]).mkdir(parents=True)
    kept = elsewhere / PLAN.split("/")[1] / "plan.json"
    kept.write_text("not yours to delete")
    (repo / "build").mkdir()
    (repo / "build" / PLAN.split("/")[0]).symlink_to(elsewhere, target_is_directory=True)
    refused = doit(repo, f"json:{PLAN}", check=False)
    assert refused.returncode != 0
    assert "Traceback" not in output(refused)
    assert f"{OUT}/plan.json: outside build/" in output(refused)
    doit(repo, "clean", check=False)
    assert kept.read_text() == "not yours to delete"
    assert [p.name for p in elsewhere.rglob("*")] == [kept.parent.name, kept.name]


def test_doit_diff_writes_nothing_through_a_link_out_of_build(repo: Path, tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "plans"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plans"], cwd=repo, check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "build").mkdir()
    (repo / "build" / "diff").symlink_to(elsewhere, target_is_directory=True)
    result = doit(repo, "diff", check=False)
    assert result.returncode != 0
    assert "Traceback" not in output(result)
    assert f"build/diff/{PLAN}.md: outside build/" in output(result)
    assert list(elsewhere.iterdir()) == []


# ---- 5. An input edited while its task runs ----------------------------------------------------


def load_dodo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(repo)
    spec = importlib.util.spec_from_file_location("dodo_hostile", repo / "dodo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def doit_here(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    """`doit run ARGS` in this process (so a test can patch what its actions call): exit code,
    output (doit's report goes to a file: its default stream is the stdout of its import)."""
    report = repo.parent / "doit-report.txt"
    loader = ModuleTaskLoader(load_dodo(repo, monkeypatch))
    code = DoitMain(loader).run(["run", "-o", str(report), *args])
    captured = capsys.readouterr()
    return code, report.read_text(encoding="utf-8") + captured.out + captured.err


def edit(path: Path) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"# edited while the build ran ({time.monotonic_ns()})\n")


@pytest.fixture
def vision_edited_during_json(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The json task's renderer, patched to edit vision.yaml once, while the task runs."""
    from actionplan import merge

    original: Callable[..., str] = merge.plan_json
    edits = []

    def editing(*args: Any, **kwargs: Any) -> str:
        if not edits:
            edits.append(1)
            edit(repo / VISION)
        return original(*args, **kwargs)

    monkeypatch.setattr(merge, "plan_json", editing)
    yield
    monkeypatch.setattr(merge, "plan_json", original)


def test_an_input_edited_while_its_task_runs_fails_the_task(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vision_edited_during_json: None,
) -> None:
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code != 0
    assert f"{VISION}: changed during the build; run doit again" in text
    assert "Traceback" not in text
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code == 0 and f".  json:{PLAN}" in text, text
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code == 0 and f"-- json:{PLAN}" in text, text


def test_an_edit_after_the_action_before_doit_records_it_is_rebuilt(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """doit computes the file_dep signatures after the action: an edit saved in between must
    not be recorded as built."""
    original = Dependency.save_success
    edited: list[str] = []

    def save_after_an_edit(self: Dependency, task: Any, result_hash: Any = None) -> None:
        if task.name == f"json:{PLAN}" and not edited:
            edited.append(task.name)
            edit(repo / VISION)
        original(self, task, result_hash)

    monkeypatch.setattr(Dependency, "save_success", save_after_an_edit)
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code == 0 and edited, text
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code == 0 and f".  json:{PLAN}" in text, text
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code == 0 and f"-- json:{PLAN}" in text, text


def test_touching_an_input_without_changing_it_rebuilds_nothing(repo: Path) -> None:
    doit(repo, f"json:{PLAN}")
    os.utime(repo / VISION)
    assert ran(doit(repo, f"json:{PLAN}")) == set()


# ---- 6. Two runs at once, and a damaged state file ---------------------------------------------


def read_until(stream: Any, pattern: str, timeout: float) -> str:
    """Lines of `stream` up to one that matches `pattern`, failing after `timeout` seconds
    rather than hanging on a process that waits without saying so."""
    seen = ""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([stream], [], [], left)[0]:
            break
        line = stream.readline()
        if not line:
            break
        seen += line
        if re.search(pattern, line):
            return seen
    raise AssertionError(f"no line matching {pattern!r} in {seen!r}")


def test_a_second_run_waits_for_the_first(repo: Path) -> None:
    lock = repo / ".doit.db.lock"
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a run in progress holds it
        waiting = subprocess.Popen(
            doit_command(f"json:{PLAN}"),
            cwd=repo,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            read_until(waiting.stderr, r"another doit run .* waiting", timeout=60)
            assert waiting.poll() is None
            assert not (repo / OUT / "plan.json").exists()
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out + err
    assert (repo / OUT / "plan.json").is_file()


def test_two_runs_at_once_both_succeed_and_leave_a_usable_state(repo: Path) -> None:
    tasks = [f"json:{PLAN}", f"html:{PLAN}"]
    runs = [
        subprocess.Popen(
            doit_command(*tasks),
            cwd=repo,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, out + err
        assert "Traceback" not in out + err
    assert ran(doit(repo, *tasks)) == set()


def test_a_damaged_state_file_is_set_aside_with_a_message(repo: Path) -> None:
    doit(repo, f"json:{PLAN}")
    states = sorted(repo.glob(".doit.db*"))
    assert states
    for state in states:
        if not state.name.endswith(".lock"):
            state.write_bytes(b"\x00garbage\xff" * 100)
    result = doit(repo, f"json:{PLAN}")
    assert "Traceback" not in output(result)
    assert re.search(r"\.doit\.db .*moved it to \.doit\.db\.damaged", result.stderr), output(result)
    assert f"json:{PLAN}" in ran(result)
    assert ran(doit(repo, f"json:{PLAN}")) == set()


# ---- 8. Temporary files of a killed build ------------------------------------------------------


def test_a_killed_builds_temporary_files_go_with_the_next_build_or_clean(repo: Path) -> None:
    out = repo / OUT
    out.mkdir(parents=True)
    strays = [out / ".plan.json.k2j_4h9x.tmp", out / ".action-plan.en.html.abcdefgh.tmp"]
    users = [out / "notes.tmp", out / ".plan.json.mine", out / ".other.json.abcdefgh.tmp"]
    for path in strays + users:
        path.write_text("left over")
    doit(repo, f"json:{PLAN}")
    assert not strays[0].exists() and strays[1].exists()  # html's own: not this task's
    assert all(path.exists() for path in users)
    strays[0].write_text("left over")
    doit(repo, "clean", f"json:{PLAN}", f"html:{PLAN}")
    assert not any(path.exists() for path in strays)
    assert all(path.exists() for path in users)
    assert not (out / "plan.json").exists()


# ---- 9. Failures are messages, never tracebacks ------------------------------------------------


def test_a_label_missing_from_a_catalogue_is_a_message(repo: Path) -> None:
    """Missing from French, a label reads in English; missing from English too, it is an
    error naming the catalogue and the key."""
    for lang in ("en", "fr"):
        catalogue = repo / "templates" / "locales" / lang / "LC_MESSAGES" / "actionplan.po"
        text = catalogue.read_text(encoding="utf-8")
        entry = re.search(r'msgid "section\.commitments"\nmsgstr "[^"]*"\n\n', text)
        assert entry is not None
        catalogue.write_text(text.replace(entry.group(0), "", 1), encoding="utf-8")
    result = doit(repo, f"html:{PLAN}", check=False)
    assert result.returncode != 0
    assert "Traceback" not in output(result)
    # English is rendered first, and French would read English's: English's lack is the error.
    where = "templates/locales/en/LC_MESSAGES/actionplan.po"
    assert f"{where}: no label `section.commitments`" in output(result)
    assert not (repo / OUT / "action-plan.fr.html").exists()


def test_a_label_error_names_its_catalogue_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files from the current folder
    path = "locales/en/LC_MESSAGES/actionplan.po"
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(
        'msgid "page"\nmsgstr "Page {number}"\n\nmsgid "odd"\nmsgstr "a { b"\n'
    )
    labels = load_labels(tmp_path, "en")
    with pytest.raises(LabelError, match=f"^{re.escape(path)}: no label `gone`"):
        labels.text("gone")
    with pytest.raises(LabelError, match=f"^{re.escape(path)}: label `page`: .*number"):
        labels.text("page", count=1)
    with pytest.raises(LabelError, match=f"^{re.escape(path)}: label `odd`"):
        labels.text("odd", count=1)
    assert Labels(lang="en", catalogue="en", entries={}).fallback is False


def test_a_broken_template_is_a_message_with_its_line(repo: Path) -> None:
    template = repo / "templates" / "action-plan.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    line = len(template.read_text(encoding="utf-8").splitlines())
    result = doit(repo, f"html:{PLAN}", check=False)
    assert result.returncode != 0
    assert "Traceback" not in output(result)
    assert f"action-plan.html.j2:{line}:" in output(result)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("unlink", "_summary.html.j2"),
        ("include name", "_summary.html.j2: a template named at run time cannot be tracked"),
    ],
    ids=["missing", "named-at-run-time"],
)
def test_a_template_task_creation_cannot_follow_is_a_message(
    repo: Path, change: str, message: str
) -> None:
    template = repo / "templates" / "_summary.html.j2"
    if change == "unlink":
        template.unlink()
    else:
        template.write_text(f"{{% {change} %}}\n", encoding="utf-8")
    result = doit(repo, "html", check=False)
    assert result.returncode != 0
    assert "Traceback" not in output(result)
    assert message in output(result)
    assert ran(doit(repo, f"json:{PLAN}")) == {f"validate:{PLAN}", f"json:{PLAN}"}


def test_a_plans_folder_that_cannot_be_read_is_a_message(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unreadable(settings: project.Settings) -> Iterator[project.PlanTarget]:
        raise PermissionError(13, "Permission denied", str(settings.plans_dir / "sample-city"))

    monkeypatch.setattr(project, "plans", unreadable)  # as root, chmod cannot make it so
    code, text = doit_here(repo, monkeypatch, capsys)
    assert code != 0
    assert "Traceback" not in text
    assert "Permission denied: " in text and "plans/sample-city" in text


def test_an_unexpected_error_in_an_action_is_a_message(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from actionplan import merge

    def failing(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(merge, "plan_json", failing)
    code, text = doit_here(repo, monkeypatch, capsys, f"json:{PLAN}")
    assert code != 0
    assert "Traceback" not in text
    assert f"{PLAN}: not built: RuntimeError: the renderer broke" in text
