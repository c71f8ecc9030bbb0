"""The schemas as the clients outside this tool read them: check-jsonschema agrees with
`actionplan validate` on what the schemas can say (language keys, ISO codes, a core value),
every localized text has a type an editor completes by, the validator's messages are plain
words, and `actionplan schemas --out DIR` publishes the schemas where a plans repository can
point its files at them. The language server itself is driven in tests/editor/."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actionplan.model.common import LANG_PATTERN
from helpers import ROOT, run_cli

SCHEMAS = ROOT / "schemas"
PLAN = Path("plans/sample-city/2024-2025")
COMMITMENT = PLAN / "commitments/open-budget.yaml"
MEMBER = Path("plans/sample-city/member.yaml")


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema as a pre-commit hook or a CI step runs it, on the committed schema."""
    return subprocess.run(
        ["check-jsonschema", "--schemafile", str(SCHEMAS / schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rules_at(repo: Path, file: Path) -> set[str]:
    out = run_cli(["validate", str(file)], repo).out
    return set(re.findall(rf"^{re.escape(file.as_posix())}:\d+:\d+: \w+ \[([a-z-]+)\]", out, re.M))


def localized_nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("x-localized"):
            yield node
        for value in node.values():
            yield from localized_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from localized_nodes(value)


# --- what check-jsonschema and the validator both reject ---------------------------------------


@pytest.mark.parametrize("key", ["french", "EN", "en-GB"])
def test_a_key_that_is_no_language_code_fails_check_jsonschema(repo: Path, key: str) -> None:
    file = repo / COMMITMENT
    edit(file, "  en: Open budget\n", f"  {key}: Open budget\n")
    run = check_jsonschema("commitment.schema.json", file)
    assert run.returncode == 1, run.stdout
    assert key in run.stdout
    assert "schema-format" in rules_at(repo, COMMITMENT)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("country: FR", "country: ZZ", "ZZ"),
        ("languages: [en, fr]", "languages: [en, xx]", "xx"),
    ],
)
def test_codes_outside_iso_fail_check_jsonschema(repo: Path, old: str, new: str, said: str) -> None:
    file = repo / MEMBER
    edit(file, old, new)
    run = check_jsonschema("member.schema.json", file)
    assert run.returncode == 1 and said in run.stdout, run.stdout
    assert rules_at(repo, MEMBER) >= {"unknown-code"}


def test_ogp_values_without_a_core_value_fail_check_jsonschema(repo: Path) -> None:
    file = repo / COMMITMENT
    text = file.read_text(encoding="utf-8")
    values = re.search(r"^ogp_values:\n((?:  .*\n)+)", text, re.M)
    assert values is not None
    file.write_text(text.replace(values[0], "ogp_values:\n  inclusion: Plain words.\n"), "utf-8")
    run = check_jsonschema("commitment.schema.json", file)
    assert run.returncode == 1, run.stdout
    assert "core-value" in rules_at(repo, COMMITMENT)


def test_the_base_member_and_commitment_pass_check_jsonschema(repo: Path) -> None:
    # the commitment serves transparency alone (and inclusion); the member is in FR, in en, fr
    assert check_jsonschema("commitment.schema.json", repo / COMMITMENT).returncode == 0
    assert check_jsonschema("member.schema.json", repo / MEMBER).returncode == 0


# --- what an editor needs of the schemas --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_every_localized_text_has_a_type_and_language_keys(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    for node in localized_nodes(schema):
        # string first: yaml-language-server completes `key: ` by the first type
        assert node["type"] == ["string", "object"], node.get("title")
        assert node["propertyNames"]["pattern"] == LANG_PATTERN
        assert "oneOf" not in node  # an editor would report the best of two failed branches


def test_member_codes_are_listed_with_their_names() -> None:
    member = json.loads((SCHEMAS / "member.schema.json").read_text(encoding="utf-8"))
    country = member["properties"]["country"]
    language = member["properties"]["languages"]["items"]
    assert country["enumDescriptions"][country["enum"].index("FR")] == "France"
    assert language["enumDescriptions"][language["enum"].index("el")].startswith("Modern Greek")
    assert {"ar", "el", "fr", "pt"} <= set(language["enum"])
    assert len(country["enum"]) == len(set(country["enum"])) >= 249


# --- the validator's messages in plain words ----------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            COMMITMENT,
            "title:\n  en: Open budget\n  fr: Budget ouvert\n",
            "title: {}\n",
            "[schema-value] `title` is an empty mapping; write the text, or map at least one "
            "language code to its text (en: ...)",
        ),
        (
            COMMITMENT,
            "  en: Open budget\n",
            '  en: ""\n',
            "[schema-value] `title` in `en` is an empty text; write the text",
        ),
        (
            MEMBER,
            None,
            "languages: []\n",
            "[schema-value] `languages` is empty; it needs at least one item",
        ),
    ],
)
def test_messages_in_plain_words(
    repo: Path, file: Path, old: str | None, new: str, message: str
) -> None:
    path = repo / file
    if old is None:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^languages:.*\n(?:  .*\n)*", new, text, flags=re.M), "utf-8")
    else:
        edit(path, old, new)
    out = run_cli(["validate", str(file)], repo).out
    assert message in out, out
    assert "should have" not in out


def test_empty_milestones_in_plain_words(repo: Path) -> None:
    path = repo / COMMITMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^milestones:\n(?:  .*\n)+", "milestones: []\n", text, flags=re.M))
    out = run_cli(["validate", str(COMMITMENT)], repo).out
    assert "`milestones` is empty; it needs at least one item" in out, out


# --- publishing the schemas: `actionplan schemas --out DIR` -------------------------------------


def test_schemas_out_writes_every_schema_into_a_chosen_folder(tmp_path: Path) -> None:
    run = run_cli(["schemas", "--out", "published/schemas"], tmp_path)
    assert run.code == 0, run.err
    out = tmp_path / "published/schemas"
    committed = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert sorted(p.name for p in out.iterdir()) == committed
    for name in committed:
        assert (out / name).read_bytes() == (SCHEMAS / name).read_bytes()
    assert run_cli(["schemas", "--out", str(out)], tmp_path).out == ""  # nothing to rewrite
    assert run_cli(["schemas", "--out", str(out), "--check"], tmp_path).code == 0


def test_schemas_out_replaces_stale_files_by_name_and_leaves_others(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "member.schema.json").write_text("{}\n", encoding="utf-8")
    (out / "mine.json").write_text("{}\n", encoding="utf-8")
    run = run_cli(["schemas", "--out", "schemas"], tmp_path)
    assert run.code == 0
    assert f"wrote {Path('schemas/member.schema.json')}" in run.out.splitlines()
    assert (out / "member.schema.json").read_bytes() == (
        SCHEMAS / "member.schema.json"
    ).read_bytes()
    assert (out / "mine.json").read_text(encoding="utf-8") == "{}\n"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_schemas_out_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("mine\n", encoding="utf-8")
    run = run_cli(["schemas", "--out", "taken"], tmp_path)
    assert run.code == 2
    assert "taken: not a folder" in run.err
    assert "Traceback" not in run.err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "mine\n"


def test_schemas_out_where_no_folder_can_be_made(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("mine\n", encoding="utf-8")
    run = run_cli(["schemas", "--out", "notes/schemas"], tmp_path)
    assert run.code == 2
    assert "notes/schemas: cannot write the schemas there" in run.err, run.err
    assert "Traceback" not in run.err
