"""Size limits: every text, list and plan is bounded, so no valid plan is too big to build.

The limits are far above what real plans hold (the examples in plans/ hold at most 24,000
characters of text in all), and low enough that the worst valid plan builds its PDF in minutes
and under 2 GiB (`benchmarks/limits.py` measures it)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from actionplan.model import KINDS
from actionplan.model.common import (
    MAX_BUILD_CHARS,
    MAX_COMMITMENTS,
    MAX_ENTRIES,
    MAX_ITEMS,
    MAX_LANGUAGES,
    MAX_MILESTONES,
    MAX_NAME_CHARS,
    MAX_PLAN_CHARS,
    MAX_TEXT_CHARS,
    MAX_TRANSLATIONS,
    VALUE_CHARS,
)
from actionplan.validate import validate_paths
from helpers import replace_in, run_cli

PROJECT = Path(__file__).resolve().parents[2]
CYCLE = "plans/sample-city/2024-2025"
COMMITMENT = f"{CYCLE}/commitments/open-budget.yaml"


def _errors(root: Path) -> list[str]:
    result = run_cli(["validate"], root)
    assert "internal error" not in result.err, result.err
    return [line for line in result.lines if " error [" in line]


def _words(count: int) -> str:
    """`count` characters of ordinary prose, ending with a letter."""
    return ("open budget data for every resident " * (count // 36 + 1))[: count - 1] + "s"


# -- texts -------------------------------------------------------------------------------------


def test_a_text_over_the_limit_is_an_error_at_its_line(repo: Path) -> None:
    size = 120_000
    replace_in(
        repo / COMMITMENT,
        "summary:\n  en: Publish the budget as open data.\n  fr: Publier le budget en données "
        "ouvertes.\n",
        f"summary: {_words(size)}\n",
    )
    started = time.perf_counter()
    errors = _errors(repo)
    assert time.perf_counter() - started < 10
    assert errors == [
        f"{COMMITMENT}:5:10: error [schema-too-long] `summary` has {size:,} characters; "
        f"at most {MAX_TEXT_CHARS:,} are allowed"
    ]


def test_each_translation_is_held_to_the_limit(repo: Path) -> None:
    replace_in(
        repo / COMMITMENT,
        "  en: Publish the budget as open data.\n",
        f"  en: {_words(MAX_TEXT_CHARS + 1)}\n",
    )
    assert _errors(repo) == [
        f"{COMMITMENT}:6:7: error [schema-too-long] `summary` in `en` has "
        f"{MAX_TEXT_CHARS + 1:,} characters; at most {MAX_TEXT_CHARS:,} are allowed"
    ]


def test_a_text_at_the_limit_is_valid(repo: Path) -> None:
    replace_in(
        repo / COMMITMENT,
        "  en: Publish the budget as open data.\n",
        f"  en: {_words(MAX_TEXT_CHARS - 1)}.\n",
    )
    assert _errors(repo) == []


def test_names_and_titles_are_short(repo: Path) -> None:
    replace_in(
        repo / COMMITMENT, "    name: Bea Lopez\n", f"    name: {'B' * (MAX_NAME_CHARS + 1)}\n"
    )
    replace_in(repo / COMMITMENT, "  en: Open budget\n", f"  en: {_words(MAX_NAME_CHARS + 5)}\n")
    assert _errors(repo) == [
        f"{COMMITMENT}:3:7: error [schema-too-long] `title` in `en` has "
        f"{MAX_NAME_CHARS + 5} characters; at most {MAX_NAME_CHARS} are allowed",
        f"{COMMITMENT}:16:11: error [schema-too-long] `name` has {MAX_NAME_CHARS + 1} "
        f"characters; at most {MAX_NAME_CHARS} are allowed",
    ]


def test_a_list_item_over_the_limit_is_named_by_its_number(repo: Path) -> None:
    replace_in(
        repo / COMMITMENT,
        "    stakeholders: [Civic Lab]\n",
        f"    stakeholders: [Civic Lab, {'x' * (MAX_NAME_CHARS + 1)}]\n",
    )
    assert _errors(repo) == [
        f"{COMMITMENT}:70:31: error [schema-too-long] item 2 of `stakeholders` has "
        f"{MAX_NAME_CHARS + 1} characters; at most {MAX_NAME_CHARS} are allowed"
    ]


# -- lists and mappings ------------------------------------------------------------------------


def test_too_many_translations(repo: Path) -> None:
    codes = [f"{a}{b}" for a in "abcdefgh" for b in "xyz"][: MAX_TRANSLATIONS + 1]
    title = "title:\n" + "".join(f"  {code}: Open budget\n" for code in ("en", "fr", *codes))
    replace_in(repo / COMMITMENT, "title:\n  en: Open budget\n  fr: Budget ouvert\n", title)
    errors = _errors(repo)
    assert errors == [
        f"{COMMITMENT}:{3 + MAX_TRANSLATIONS}:3: error [schema-too-many] `title` has "
        f"{MAX_TRANSLATIONS + 3} translations; at most {MAX_TRANSLATIONS} are allowed"
    ]


def _milestone(number: int) -> str:
    return (
        f"  - id: step-{number}\n"
        f"    title: Step {number}\n"
        "    expected_output: A report.\n"
        "    start: 2024-01-01\n"
        "    end: 2024-12-31\n"
    )


def test_too_many_milestones_is_reported_at_the_first_one_over(repo: Path) -> None:
    path = repo / COMMITMENT
    text = path.read_text(encoding="utf-8")
    extra = "".join(_milestone(n) for n in range(MAX_MILESTONES))  # the file holds two already
    path.write_text(text + extra, encoding="utf-8")
    first_over = text.count("\n") + 5 * (MAX_MILESTONES - 2) + 1
    assert _errors(repo) == [
        f"{COMMITMENT}:{first_over}:5: error [schema-too-many] `milestones` has "
        f"{MAX_MILESTONES + 2} items; at most {MAX_MILESTONES} are allowed"
    ]


def test_too_many_progress_entries(repo: Path) -> None:
    path = repo / f"{CYCLE}/progress/open-budget.yaml"
    entry = "  - {date: 2025-01-10, milestone: monthly-data, status: in-progress}\n"
    path.write_text(path.read_text(encoding="utf-8") + entry * MAX_ENTRIES, encoding="utf-8")
    errors = _errors(repo)
    assert len(errors) == 1
    assert (
        f"`entries` has {MAX_ENTRIES + 3:,} items; at most {MAX_ENTRIES} are allowed" in (errors[0])
    )


def test_too_many_languages(repo: Path) -> None:
    codes = ["en", "fr", "es", "de", "it", "pt", "nl", "pl"][: MAX_LANGUAGES + 1]
    replace_in(repo / "plans/sample-city/member.yaml", "[en, fr]", "[" + ", ".join(codes) + "]")
    errors = [e for e in _errors(repo) if "member.yaml" in e]
    assert errors == [
        f"plans/sample-city/member.yaml:6:{13 + 4 * MAX_LANGUAGES}: error [schema-too-many] "
        f"`languages` has {MAX_LANGUAGES + 1} items; at most {MAX_LANGUAGES} are allowed"
    ]


# -- the schemas -------------------------------------------------------------------------------


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


_FIXED_WIDTH = re.compile(r"^\^[^*+]*\$$")  # anchored, no open-ended repetition


def _bounded(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    if kind == "string":
        fixed = _FIXED_WIDTH.match(node.get("pattern", "")) and ",}" not in node["pattern"]
        return "maxLength" in node or "enum" in node or bool(fixed)
    if kind == "array":
        return "maxItems" in node
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return "maxProperties" in node
    return True


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_text_list_and_mapping_of_the_schemas_is_bounded(kind: str) -> None:
    schema = json.loads((PROJECT / "schemas" / KINDS[kind].schema_file).read_text("utf-8"))
    unbounded = [node for node in _nodes(schema) if not _bounded(node)]
    assert unbounded == []


# -- the plan as a whole -----------------------------------------------------------------------


def _commitment(number: int, milestones: str = "") -> str:
    """A small valid commitment running for ten days, one after another from 2024-01-01."""
    start = dt.date(2024, 1, 1) + dt.timedelta(days=10 * number)
    end = start + dt.timedelta(days=9)
    milestones = milestones or (
        f"  - {{id: only, title: Do it, expected_output: Done., start: {start}, end: {end}}}\n"
    )
    return f"""\
id: extra-{number:02d}
title: Extra {number}
summary: A commitment.
period: {{start: {start}, end: {end}}}
lead: {{agency: City hall, contact: {{name: Ada Martin}}}}
other_actors: {{government: [], civil_society: [], private_sector: [], other: []}}
problem: A problem.
causes: Causes.
status_quo: Nothing yet.
solution: A solution.
results: Results.
ogp_values: {{transparency: Data becomes public.}}
milestones:
{milestones}"""


def test_too_many_commitments_is_reported_at_the_first_one_over(repo: Path) -> None:
    folder = repo / CYCLE / "commitments"
    extra = MAX_COMMITMENTS + 2 - 3  # the base plan has three
    for number in range(extra):
        (folder / f"extra-{number:02d}.yaml").write_text(_commitment(number), encoding="utf-8")
    first_over = sorted(p.name for p in folder.iterdir())[MAX_COMMITMENTS]
    assert _errors(repo) == [
        f"{CYCLE}/commitments/{first_over}:1:1: error [plan-too-large] the plan has "
        f"{MAX_COMMITMENTS + 2} commitments; a plan may have at most {MAX_COMMITMENTS} (this "
        f"is number {MAX_COMMITMENTS + 1}, in file name order): merge some, or move them to "
        "the next plan"
    ]


def test_at_most_the_limit_of_commitments_is_valid(repo: Path) -> None:
    folder = repo / CYCLE / "commitments"
    for number in range(MAX_COMMITMENTS - 3):
        (folder / f"extra-{number:02d}.yaml").write_text(_commitment(number), encoding="utf-8")
    assert _errors(repo) == []


def _long_notes(repo: Path, count: int, size: int) -> None:
    path = repo / f"{CYCLE}/progress/open-budget.yaml"
    entry = "  - date: 2025-01-10\n    milestone: monthly-data\n    status: in-progress\n"
    notes = "".join(f"{entry}    note: {_words(size - 1)}{n % 10}\n" for n in range(count))
    path.write_text(path.read_text(encoding="utf-8") + notes, encoding="utf-8")


def test_the_texts_of_a_plan_are_held_to_a_total(repo: Path) -> None:
    log = repo / f"{CYCLE}/progress/open-budget.yaml"
    first_note = log.read_text(encoding="utf-8").count("\n") + 4  # the 4th line of its entry
    count = MAX_PLAN_CHARS // MAX_TEXT_CHARS + 1  # each text within its own limit
    _long_notes(repo, count, MAX_TEXT_CHARS)
    errors = _errors(repo)
    assert len(errors) == 1, errors
    assert errors[0].startswith(
        f"{CYCLE}/progress/open-budget.yaml:{first_note}:11: error [plan-too-large] the plan's "
        "values count "
    ), errors[0]
    assert f"; a plan may hold at most {MAX_PLAN_CHARS:,} in any one language, " in errors[0]
    assert "characters in `" in errors[0]  # in one language: each shows the same notes
    assert f"the longest text, this one ({MAX_TEXT_CHARS:,} characters)" in errors[0]
    assert "; the files holding most: progress/open-budget.yaml " in errors[0]


def test_all_the_languages_together_are_held_to_a_total(repo: Path) -> None:
    """The documents of each language show every value (a text lacking a translation in the
    primary language's), and they are built one after another."""
    count = MAX_BUILD_CHARS // 3 // MAX_TEXT_CHARS + 1  # within each language's total
    assert count * MAX_TEXT_CHARS < MAX_PLAN_CHARS
    _long_notes(repo, count, MAX_TEXT_CHARS)
    assert _errors(repo) == []  # in two languages
    replace_in(repo / "plans/sample-city/member.yaml", "[en, fr]", "[en, fr, es]")
    errors = [e for e in _errors(repo) if "plan-too-large" in e]
    assert len(errors) == 1, errors
    assert "characters in its 3 languages together" in errors[0]
    assert f"a plan may hold at most {MAX_BUILD_CHARS:,} in all its languages" in errors[0]


def test_a_plan_in_two_languages_may_hold_the_most_in_each(repo: Path) -> None:
    count = MAX_PLAN_CHARS // MAX_TEXT_CHARS - 1
    path = repo / f"{CYCLE}/progress/open-budget.yaml"
    entry = "  - date: 2025-01-10\n    milestone: monthly-data\n    status: in-progress\n"
    text = _words(MAX_TEXT_CHARS - 1)
    notes = "".join(f"{entry}    note:\n      en: {text}\n      fr: {text}\n" for _ in range(count))
    path.write_text(path.read_text(encoding="utf-8") + notes, encoding="utf-8")
    assert _errors(repo) == []


def test_every_value_takes_room_in_the_total(repo: Path) -> None:
    """One-letter names are few characters but many boxes on the page: each value counts
    VALUE_CHARS more than its length."""
    replace_in(repo / "plans/sample-city/member.yaml", "[en, fr]", "[en]")
    folder = repo / CYCLE / "commitments"
    names = "[" + ", ".join(["a"] * MAX_ITEMS) + "]"
    count = 7
    for number in range(count):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=10 * number)
        step = f"start: {start}, end: {start + dt.timedelta(days=9)}, stakeholders: {names}}}\n"
        milestones = "".join(
            f"  - {{id: m{m}, title: M, expected_output: O, {step}" for m in range(MAX_MILESTONES)
        )
        path = folder / f"extra-{number:02d}.yaml"
        path.write_text(_commitment(number, milestones), encoding="utf-8")
    names_only = count * MAX_MILESTONES * MAX_ITEMS
    assert names_only * (1 + VALUE_CHARS) > MAX_PLAN_CHARS > names_only * 2
    errors = _errors(repo)
    assert len(errors) == 1, errors
    assert "[plan-too-large] the plan's values count " in errors[0]


# -- the worst valid plan ----------------------------------------------------------------------


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_limits_bench", PROJECT / "benchmarks" / "limits.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("family", ["pdf", "progress", "assessments"])
@pytest.mark.parametrize("languages", [1, 2, MAX_LANGUAGES])
@pytest.mark.parametrize("shape", ["prose", "dense", "items"])
def test_the_benchmark_plan_is_valid_and_at_the_limits(
    tmp_path: Path, shape: str, languages: int, family: str
) -> None:
    bench = _benchmark()
    codes = bench.LANGUAGES[:languages]
    plan_dir = bench.write_worst_plan(tmp_path / "plans", shape, codes, family)
    result = validate_paths([tmp_path / "plans"], strict=True, today=bench.BUILD_DATE)
    assert [str(p) for p in result.problems] == []
    assert len(list((plan_dir / "commitments").glob("*.yaml"))) == MAX_COMMITMENTS
    chars = bench.plan_chars(plan_dir)
    assert bench.budget(codes) * 0.95 <= max(chars) <= MAX_PLAN_CHARS
    assert sum(chars) <= MAX_BUILD_CHARS
    if shape == "items" and languages == 1:
        commitment = (plan_dir / "commitments" / "c00.yaml").read_text(encoding="utf-8")
        assert commitment.count("\n- id: m") == MAX_MILESTONES


# -- the README --------------------------------------------------------------------------------


def test_the_readme_states_every_limit() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Limits", 1)[1][:3000]
    for value in (
        MAX_TEXT_CHARS,
        MAX_NAME_CHARS,
        MAX_TRANSLATIONS,
        MAX_LANGUAGES,
        MAX_MILESTONES,
        MAX_ENTRIES,
        MAX_ITEMS,
        MAX_COMMITMENTS,
        MAX_PLAN_CHARS,
        MAX_BUILD_CHARS,
        VALUE_CHARS,
    ):
        assert f"{value:,}" in section, value
    for rule in ("schema-too-long", "schema-too-many", "plan-too-large"):
        assert f"`{rule}`" in section
