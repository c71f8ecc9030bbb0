"""Adversarial plan text and file trees: what an adversarial review found, kept fixed.

Each test is one problem that was found: text that was silently dropped or cut off in print,
characters that corrupted outputs or forged report lines, files read from outside the
repository, layouts that crashed the build, Markdown that escaped its place in the PR comment.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from doit.exceptions import TaskFailed
from markdown_it import MarkdownIt
from weasyprint import HTML

from actionplan.loader import load_text
from actionplan.markdown import too_deep
from actionplan.render.html import render_action_plan
from actionplan.render.markdown import render_block, to_text
from actionplan.render.pdf import breakable
from helpers import BASE_PLAN, DEFAULT_BUILD_DATE, ROOT, epoch_of, load_merged, replace_in, run_cli

PLAN = "plans/sample-city/2024-2025"
COMMITMENT = f"{PLAN}/commitments/open-contracts.yaml"
TEMPLATES = ROOT / "templates"


def nested_list(levels: int) -> str:
    return "".join("  " * i + f"- level{i}\n" for i in range(levels))


# --- Markdown nested too deep: its inner levels were dropped without a word -------------------


def test_markdown_nested_too_deep_keeps_every_word() -> None:
    text = nested_list(30)
    assert too_deep(text)
    html = render_block(text)
    assert all(f"level{i}" in html for i in range(30))
    assert all(f"level{i}" in to_text(text) for i in range(30))
    assert "<li>" not in html  # shown as plain paragraphs, escaped
    assert not too_deep(nested_list(9))
    assert "<li>level8" in render_block(nested_list(9))


def test_markdown_nested_too_deep_is_an_error_at_its_line(repo: Path) -> None:
    body = "".join("    " + line + "\n" for line in nested_list(12).splitlines())
    replace_in(
        repo / COMMITMENT,
        "problem:\n  en: Contracts are not public.",
        "problem:\n  en: |\n" + body.rstrip("\n"),
    )
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert result.lines[0].startswith(f"{COMMITMENT}:25:7: error [markdown-too-deep]"), result.out


# --- control characters written as escapes: they made DOCX and SVG files invalid XML ----------


@pytest.mark.parametrize("escape", ["\\0", "\\x01", "\\e[31m", "\\x7f", "\\x85", "\\uFFFE"])
def test_control_characters_are_reported_at_their_line(repo: Path, escape: str) -> None:
    replace_in(repo / COMMITMENT, "  en: Open contracts\n", f'  en: "Open {escape} contracts"\n')
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert result.lines == [
        f"{COMMITMENT}:3:7: error [control-character] the text holds the control character "
        + result.lines[0].split("control character ", 1)[1]
    ]
    assert "\x1b" not in result.out


def test_control_character_in_a_key_and_text_without_escapes() -> None:
    doc, problems = load_text('"a\\eb": 1\nc: "tab\\t and \\\\ stay"\n', Path("x.yaml"))
    assert [(p.line, p.column, p.rule) for p in problems] == [(1, 1, "control-character")]
    assert "the key holds" in problems[0].message
    assert doc.data["c"] == "tab\t and \\ stay"


# --- messages quoting a value: a line break forged a problem line, ESC reached the terminal -----


def test_report_lines_escape_line_breaks_and_terminal_codes(repo: Path) -> None:
    replace_in(
        repo / COMMITMENT,
        "id: open-contracts\n",
        'id: "open\\nplans/x.yaml:1:1: error [fake] forged\\u202E"\n',
    )
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert not any(line.startswith("plans/x.yaml") for line in result.lines)
    assert "\u202e" not in result.out
    assert "open\\nplans/x.yaml" in result.out
    github = run_cli(["validate", "--format", "github"], repo)
    assert "open%0Aplans/x.yaml" in github.out  # the workflow command's own escape


# --- a number too long for Python's int(): reported as a YAML syntax error at line 1 ------------


def test_a_very_long_number_is_a_number_at_its_line(repo: Path) -> None:
    replace_in(repo / COMMITMENT, "  en: Open contracts\n", "  en: " + "9" * 5000 + "\n")
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert result.lines[0].startswith(f"{COMMITMENT}:3:7: error [schema-type]"), result.out


# --- file trees: links out of the repository, folders and loops named *.yaml --------------------


def test_a_link_to_a_file_outside_the_plans_is_not_read(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("token: s3cr3t-value\n", encoding="utf-8")
    (repo / f"{PLAN}/commitments/leak.yaml").symlink_to(secret)
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert "s3cr3t" not in result.out + result.err
    assert result.lines == [
        f"{PLAN}/commitments/leak.yaml:1:1: error [symlink-outside] this is a symbolic link to a "
        "file outside the plans folder, which is not read; put the file itself here"
    ]


def test_a_member_folder_linked_from_outside_is_not_read(repo: Path, tmp_path: Path) -> None:
    elsewhere = Path(shutil.copytree(repo / "plans" / "sample-city", tmp_path / "elsewhere"))
    (repo / "plans" / "linked-city").symlink_to(elsewhere)
    result = run_cli(["validate", "plans/linked-city"], repo)
    assert result.code == 1
    assert {line.split(" [")[1].split("]")[0] for line in result.lines} == {"symlink-outside"}


def test_links_inside_the_plans_folder_are_read(repo: Path) -> None:
    target = repo / f"{PLAN}/commitments/open-contracts.yaml"
    moved = repo / "plans" / "open-contracts.yaml"
    target.rename(moved)
    target.symlink_to(os.path.relpath(moved, target.parent))
    result = run_cli(["validate", PLAN], repo)
    assert result.code == 0, result.out


def test_a_folder_or_a_loop_named_yaml_is_reported(repo: Path) -> None:
    (repo / f"{PLAN}/commitments/folder.yaml").mkdir()
    (repo / f"{PLAN}/progress/loop.yaml").symlink_to("loop.yaml")
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert "internal error" not in result.err
    assert sorted(line.split(": error ")[0] for line in result.lines) == [
        f"{PLAN}/commitments/folder.yaml:1:1",
        f"{PLAN}/progress/loop.yaml:1:1",
    ]
    assert all("[file-unreadable]" in line for line in result.lines)


def test_a_vision_that_is_a_folder_fails_validation(repo: Path) -> None:
    vision = repo / f"{PLAN}/vision.yaml"
    vision.unlink()
    vision.mkdir()
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert result.lines == [
        f"{PLAN}/vision.yaml:1:1: error [file-unreadable] cannot read the file: Is a directory"
    ]


def test_a_repository_without_plans_is_a_bad_path(tmp_path: Path) -> None:
    for folder in ("schemas", "templates/locales/en/LC_MESSAGES", "build/x"):
        (tmp_path / folder).mkdir(parents=True)
    catalogue = tmp_path / "templates" / "locales" / "en" / "LC_MESSAGES" / "actionplan.po"
    catalogue.write_text('msgid "a"\nmsgstr "b"\n', encoding="utf-8")
    result = run_cli(["validate"], tmp_path)
    assert result.code == 2
    assert "no plans found" in result.err


# --- print: long words and code lines ran off the page, cut off ----------------------------------


def test_breakable_adds_break_opportunities_to_long_words_in_text_only() -> None:
    word = "A" * 45 + "&amp;" + "B" * 20
    html = f'<style>a{{b:{"c" * 60}}}</style><p title="{"x" * 50}">{word} short</p>'
    out = breakable(html)
    assert out.startswith(f'<style>a{{b:{"c" * 60}}}</style><p title="{"x" * 50}">')
    assert out.replace("<wbr>", "") == html
    assert all(len(re.sub("&amp;", "&", piece)) <= 20 for piece in out[:-11].split("<wbr>")[1:])


def test_long_words_and_code_lines_stay_on_the_page() -> None:
    plan = load_merged(BASE_PLAN)
    word = "W" * 400
    commitment = plan.commitments[0].model_copy(
        update={
            "title": f"Title {word}",
            "problem": f"A problem {word}\n\n    indented {'code ' * 60}",
        }
    )
    plan = plan.model_copy(update={"commitments": [commitment, *plan.commitments[1:]]})
    html = breakable(render_action_plan(plan, "en", TEMPLATES, for_print=True))
    document = HTML(string=html, base_url=str(ROOT)).render()

    def boxes(box: object) -> list[object]:
        children = getattr(box, "children", None) or []
        return [box, *(b for child in children for b in boxes(child))]

    for page in document.pages:
        for box in boxes(page._page_box):
            if type(box).__name__ == "TextBox":
                assert box.position_x + box.width <= page.width + 0.5, box.text[:40]


# --- the PR comment: plan text made images, links, mentions and list items in Markdown -----------


def test_markdown_diff_shows_hostile_text_as_text(repo: Path) -> None:
    old = Path(shutil.copytree(repo / PLAN, repo.parent / "old" / "sample-city" / "2024-2025"))
    shutil.copy(repo / "plans/sample-city/member.yaml", old.parent)
    hostile = (
        "![pixel](http://127.0.0.1:9/x.png) [link](http://127.0.0.1:9/) <img src=x> @octocat"
        "\n- forged list item\n# forged heading\n`code` ``code``"
    )
    replace_in(
        repo / COMMITMENT,
        "  en: Open contracts\n",
        "  en: |\n" + "".join(f"    {line}\n" for line in hostile.splitlines()),
    )
    replace_in(
        repo / COMMITMENT,
        "  en: Publish every public contract.\n",
        "  en: 'Entirely rewritten, so folded: ![p](http://127.0.0.1:9/p.png) @team'\n",
    )
    result = run_cli(["diff", str(old), PLAN, "--format", "markdown"], repo)
    assert result.code == 0, result.err
    rendered = MarkdownIt("commonmark", {"html": True}).render(result.out)
    assert "<img" not in rendered
    assert "<a " not in rendered
    assert "<h1" not in rendered
    assert "forged list item" in rendered
    assert not re.search(r"(?<![\w`])@(octocat|team)", result.out)
    assert "octocat" in result.out
    assert not any(line.startswith(("- forged", "# forged")) for line in result.out.splitlines())


# --- the whole build: no injection reaches the outputs, a failed plan writes nothing -----------


def test_docx_of_hostile_text_embeds_and_links_nothing(tmp_path: Path) -> None:
    from actionplan.render.docx import write_docx

    plan = load_merged(BASE_PLAN)
    hostile = "![p](file:///etc/passwd) <img src='/etc/passwd'> [x](javascript:alert(1))"
    commitment = plan.commitments[0].model_copy(update={"problem": hostile})
    plan = plan.model_copy(update={"commitments": [commitment, *plan.commitments[1:]]})
    target = tmp_path / "plan.docx"
    write_docx(
        render_action_plan(plan, "en", TEMPLATES),
        target,
        reference_doc=TEMPLATES / "reference.docx",
        title="t",
        lang="en",
    )
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        document = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert not any(name.startswith("word/media/") for name in names)
    assert "root:x:0" not in document
    assert "&lt;img src=&#39;/etc/passwd&#39;&gt;" in document  # shown as text
    assert "javascript:" not in rels
    assert "file:" not in rels


def test_new_refuses_a_control_character_in_an_argument(repo: Path) -> None:
    result = run_cli(
        ["new", "commitment", "sample-city/2024-2025", "new-one", "--title", "A\x1b"], repo
    )
    assert result.code == 2
    assert "control character U+001B" in result.err
    assert not (repo / f"{PLAN}/commitments/new-one.yaml").exists()


# --- a renderer that fails: doit printed a traceback ----------------------------------------------


def test_a_failing_renderer_is_a_message_not_a_traceback(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from actionplan.pipeline import actions, project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(DEFAULT_BUILD_DATE))

    shutil.copytree(TEMPLATES, repo / "templates", ignore=shutil.ignore_patterns("reference.docx"))
    settings = project.Settings(repo)
    (target,) = project.plans(settings)
    failed = actions.docx_action(target, settings)
    assert isinstance(failed, TaskFailed)
    message = failed.get_msg() + capsys.readouterr().err
    assert "sample-city/2024-2025: not built: cannot render the DOCX" in message
    assert "Traceback" not in message
    assert not (target.out_dir / "action-plan.en.docx").exists()


def test_pdf_and_docx_titles_are_the_words_of_a_markdown_title(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actionplan.pipeline import actions, project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(DEFAULT_BUILD_DATE))

    vision = repo / PLAN / "vision.yaml"
    replace_in(vision, "  en: Open Sample 2024-2025", "  en: '*Open* `city` Sample 2024-2025'")
    plan = actions.merged(next(iter(project.plans(project.Settings(repo)))))
    assert plan is not None
    assert actions.title(plan, "en") == "Open city Sample 2024-2025"
