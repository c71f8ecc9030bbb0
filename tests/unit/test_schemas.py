"""The committed JSON Schemas: generated from the models, valid Draft 2020-12, and in agreement
with the validator on every file of the test cases and of the example plans."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from actionplan import schemagen
from actionplan.loader import load_file
from actionplan.model import KINDS
from actionplan.validate.files import classify
from helpers import BASE, Case, build_repo, case_dirs, run_cli

PROJECT = Path(__file__).resolve().parents[2]
SCHEMAS = PROJECT / "schemas"
EXAMPLES = PROJECT / "plans"


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / KINDS[kind].schema_file).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def plan_files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*.yaml")):
        kind = classify(path)
        if kind is not None:
            yield path, kind


def schema_errors(path: Path, kind: str) -> list[str] | None:
    """The JSON Schema's complaints about one file; None when the file does not load."""
    doc, problems = load_file(path, path.name)
    if problems:
        return None
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator(kind).iter_errors(doc.data)
    ]


def test_committed_schemas_match_the_models() -> None:
    assert schemagen.drift(SCHEMAS) == []


def test_one_schema_per_document_kind() -> None:
    names = {p.name for p in SCHEMAS.glob("*.schema.json")}
    assert {k.schema_file for k in KINDS.values()} <= names


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name)


def test_every_mapping_is_closed() -> None:
    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if "properties" in node:
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for kind in KINDS:
        schema = json.loads((SCHEMAS / KINDS[kind].schema_file).read_text("utf-8"))
        assert schema["additionalProperties"] is False
        for node in walk(schema):
            assert node.get("additionalProperties") is False, (kind, sorted(node["properties"]))


def test_base_repository_passes_the_json_schemas() -> None:
    checked = 0
    for path, kind in plan_files(BASE):
        assert schema_errors(path, kind) == [], path
        checked += 1
    assert checked == 9


@pytest.mark.parametrize("case_dir", case_dirs("valid"), ids=lambda p: p.name)
def test_valid_cases_pass_the_json_schemas(case_dir: Path, tmp_path: Path) -> None:
    repo = build_repo(Case.load(case_dir), tmp_path / "repo")
    for path, kind in plan_files(repo):
        assert schema_errors(path, kind) == [], path


def _schema_flagged(repo: Path) -> set[Path]:
    lines = run_cli(["validate"], repo).lines
    return {repo / line.split(":", 1)[0] for line in lines if " [schema-" in line}


@pytest.mark.parametrize(
    "case_dir",
    [d for d in case_dirs("invalid") if d.name.startswith("schema-")],
    ids=lambda p: p.name,
)
def test_json_schemas_reject_what_the_validator_rejects(case_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_repo(Case.load(case_dir), Path(tmp) / "repo")
        flagged = _schema_flagged(repo)
        assert flagged
        for path, kind in plan_files(repo):
            errors = schema_errors(path, kind)
            assert errors is not None
            assert bool(errors) == (path in flagged), (path, errors)


EXAMPLE_FILES = list(plan_files(EXAMPLES)) if EXAMPLES.is_dir() else []


@pytest.mark.skipif(not EXAMPLE_FILES, reason="no example plans under plans/ yet")
@pytest.mark.parametrize(
    ("path", "kind"), EXAMPLE_FILES, ids=[str(p.relative_to(EXAMPLES)) for p, _ in EXAMPLE_FILES]
)
def test_example_plans_pass_the_json_schemas(path: Path, kind: str) -> None:
    assert schema_errors(path, kind) == []
