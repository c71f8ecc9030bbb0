"""The schemas in the editor: what yaml-language-server completes, marks and fails to load in
plan files, as a team member typing in VS Code (or Neovim, Helix, Emacs) sees it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from lsp_client import LanguageServer

from actionplan.model.schemas import LANGUAGE_KEY_MESSAGE
from helpers import ROOT, run_cli

SCHEMA_LINE = "# yaml-language-server: $schema={}\n"
COMMITMENT_REF = "../../../../schemas/commitment.schema.json"


def plans_repo(root: Path) -> Path:
    """A plans repository with this project's schemas, as `actionplan schemas --out` makes."""
    (root / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return root


def write(root: Path, name: str, ref: str, body: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SCHEMA_LINE.format(ref) + body, encoding="utf-8")
    return path


def marked(diagnostics: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(line, message) of each problem, lines counted from 0 as LSP does."""
    return [(d["range"]["start"]["line"], d["message"]) for d in diagnostics]


def test_a_localized_field_completes_as_a_key_and_a_value(
    server: LanguageServer, tmp_path: Path
) -> None:
    root = plans_repo(tmp_path / "repo")
    path = write(root, "plans/x/2024-2025/commitments/x.yaml", COMMITMENT_REF, "id: x\n\n")
    server.open(path)
    offered = server.complete(path, 2, 0)
    for key in ("title", "summary", "problem", "results", "risks"):
        assert offered[key] == f"{key}: ", (key, offered[key])
    # the whole-file snippet: every localized line is a key and its value, none bare
    snippet = offered["Commitment"]
    assert "\nsummary: $" in snippet and "\nproblem: $" in snippet, snippet
    assert "\n  agency: $" in snippet, snippet


def test_a_key_that_is_no_language_code_is_marked(server: LanguageServer, tmp_path: Path) -> None:
    root = plans_repo(tmp_path / "repo")
    body = "id: x\ntitle:\n  french: Budget\n  EN: Budget\n  en-GB: Budget\n  en: Budget\n"
    path = write(root, "plans/x/2024-2025/commitments/x.yaml", COMMITMENT_REF, body)
    problems = marked(server.open(path))
    assert [line for line, message in problems if message == LANGUAGE_KEY_MESSAGE] == [3, 4, 5]


def test_member_codes_are_offered_and_checked(server: LanguageServer, tmp_path: Path) -> None:
    root = plans_repo(tmp_path / "repo")
    body = "id: x\nname: X\ncountry: ZZ\nlanguages: [fr, xx]\n"
    path = write(root, "plans/x/member.yaml", "../../schemas/member.schema.json", body)
    problems = marked(server.open(path))
    assert (3, "Not an ISO 3166-1 alpha-2 country code.") in problems
    assert (4, "Not an ISO 639-1 language code.") in problems
    assert {"FR", "GR", "TN"} <= set(server.complete(path, 3, 10))


def test_ogp_values_without_a_core_value_are_marked(server: LanguageServer, tmp_path: Path) -> None:
    root = plans_repo(tmp_path / "repo")
    body = "id: x\nogp_values:\n  inclusion: Plain words.\n"
    path = write(root, "plans/x/2024-2025/commitments/x.yaml", COMMITMENT_REF, body)
    problems = marked(server.open(path))
    assert (2, 'Missing property "transparency".') in problems, problems


def test_the_example_plans_open_without_a_mark(server: LanguageServer) -> None:
    files = sorted((ROOT / "plans").rglob("*.yaml"))
    assert len(files) > 50
    for path in files:
        assert server.open(path) == [], path


def test_a_schema_folder_that_is_missing_then_published(
    server: LanguageServer, tmp_path: Path
) -> None:
    root = tmp_path / "plans-repo"
    body = "id: x\nname: X\n"
    missing = write(root, "plans/x/member.yaml", "../../schemas/member.schema.json", body)
    assert any("Unable to load schema" in m for _, m in marked(server.open(missing)))
    assert run_cli(["schemas", "--out", "schemas"], root).code == 0
    server.files_appeared(sorted((root / "schemas").iterdir()))  # the editor's file watcher
    published = write(root, "plans/y/member.yaml", "../../schemas/member.schema.json", body)
    problems = marked(server.open(published))
    assert not any("Unable to load schema" in m for _, m in problems)
    assert (1, 'Missing property "country".') in problems


def test_actionplan_new_without_a_schema_folder_points_at_one_that_loads(
    server: LanguageServer, tmp_path: Path
) -> None:
    root = tmp_path / "plans-repo"
    (root / "plans").mkdir(parents=True)
    args = ["new", "member", "lyon", "--name", "Lyon", "--country", "FR", "--languages", "fr,en"]
    assert run_cli(args, root).code == 0
    path = root / "plans/lyon/member.yaml"
    assert path.read_text(encoding="utf-8").startswith(
        SCHEMA_LINE.format("../../schemas/member.schema.json")
    )
    assert server.open(path) == []
    assert "GR" in server.complete(path, 7, 9)  # `country: FR`: the schema is read
