"""The merged plan and plan.json: order, every language, stable bytes, its own schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from actionplan import schemagen
from actionplan.merge import (
    ALL_SECTIONS,
    SCHEMA_FILE,
    MergeError,
    Plan,
    merge,
    plan_json,
    text_fields,
)
from actionplan.model.schemas import DIALECT, SCHEMA_BASE
from actionplan.validate import validate_paths
from actionplan.validate.files import discover
from actionplan.validate.plan import load_plan
from helpers import (
    BASE_PLAN,
    DEFAULT_BUILD_DATE,
    EPOCH,
    GOLDEN_PLAN,
    PLAN_DIR_IDS,
    PLAN_DIRS,
    ROOT,
    check_golden,
    load_merged,
)

SCHEMAS = ROOT / "schemas"


def _strings(data: Any) -> set[str]:
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(set(), *(_strings(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(set(), *(_strings(v) for v in data))
    return set()


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_plan_json_is_byte_identical_across_runs(cycle_dir: Path) -> None:
    assert plan_json(load_merged(cycle_dir)) == plan_json(load_merged(cycle_dir))


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_plan_json_validates_against_its_schema(cycle_dir: Path) -> None:
    schema = json.loads((SCHEMAS / SCHEMA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [
        e.message for e in validator.iter_errors(json.loads(plan_json(load_merged(cycle_dir))))
    ]
    assert errors == []


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_plan_json_reads_back_as_the_same_plan(cycle_dir: Path) -> None:
    plan = load_merged(cycle_dir)
    assert Plan.model_validate_json(plan_json(plan)) == plan


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_plan_json_holds_every_text_in_every_language(cycle_dir: Path) -> None:
    plan = load_merged(cycle_dir)
    strings = _strings(json.loads(plan_json(plan)))
    for lang in plan.member.languages:
        missing = [f.path for f in text_fields(plan, lang, ALL_SECTIONS) if f.text not in strings]
        assert missing == [], lang


@pytest.mark.parametrize("cycle_dir", PLAN_DIRS, ids=PLAN_DIR_IDS)
def test_commitments_are_ordered_by_start_then_id(cycle_dir: Path) -> None:
    plan = load_merged(cycle_dir)
    keys = [(c.period.start, c.id) for c in plan.commitments]
    assert keys == sorted(keys)
    order = [c.id for c in plan.commitments]
    for mapping in (plan.progress, plan.end_of_commitment):
        assert list(mapping) == [cid for cid in order if cid in mapping]
    assert plan.cycle == cycle_dir.name


def test_plan_json_layout() -> None:
    plan = load_merged(BASE_PLAN)
    text = plan_json(plan)
    data = json.loads(text)
    absent = {"forum", "roadmap", "meetings", "contributions"}  # the base has no record
    assert list(data) == [key for key in Plan.model_fields if key not in absent]  # model order
    assert data["build_date"] == "2026-01-01"
    assert data["vision"]["period"] == {"start": "2024-01-01", "end": "2025-12-31"}
    assert data["draft"] is False
    assert text.endswith("}\n") and "\n  " in text  # indent 2, trailing newline
    assert "null" not in text  # optional keys are absent, as in the plan files
    assert "é" in text  # not \u00e9


def test_build_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (files,) = discover(BASE_PLAN)
    loaded, _ = load_plan(files)
    assert merge(loaded).build_date == DEFAULT_BUILD_DATE


def _copy_base(tmp_path: Path) -> Path:
    target = tmp_path / "plans" / "sample-city"
    shutil.copytree(BASE_PLAN.parent, target)
    return target / BASE_PLAN.name


def test_a_plan_without_approval_is_a_draft(tmp_path: Path) -> None:
    cycle = _copy_base(tmp_path)
    vision = cycle / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(text[: text.index("\napproval:")] + "\n", encoding="utf-8")
    plan = load_merged(cycle)
    assert plan.draft and plan.vision.approval is None
    assert json.loads(plan_json(plan))["draft"] is True


def test_merge_refuses_a_plan_with_an_invalid_file(tmp_path: Path) -> None:
    cycle = _copy_base(tmp_path)
    commitment = next((cycle / "commitments").glob("*.yaml"))
    commitment.write_text(commitment.read_text(encoding="utf-8") + "typo: 1\n", encoding="utf-8")
    (files,) = discover(cycle)
    loaded, _ = load_plan(files)
    assert not loaded.complete
    with pytest.raises(MergeError):
        merge(loaded, today=DEFAULT_BUILD_DATE)


def test_schema_is_registered_and_current() -> None:
    schema = schemagen.extra_schemas()[SCHEMA_FILE]
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == SCHEMA_BASE + SCHEMA_FILE
    assert SCHEMA_FILE not in schemagen.drift(SCHEMAS), "run `actionplan schemas`"


@pytest.mark.skipif(not GOLDEN_PLAN.is_dir(), reason="the Paris example plan is not there")
def test_golden_plan_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = validate_paths([GOLDEN_PLAN])
    (loaded,) = result.plans
    check_golden("paris-2021-2023/plan.json", plan_json(merge(loaded)))
