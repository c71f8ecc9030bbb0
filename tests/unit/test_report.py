"""The report stage: text, JSON and GitHub formats exactly as FORMAT.md writes them."""

from __future__ import annotations

import json

from actionplan.problem_report import FORMATS, format_problems, summary
from actionplan.problems import Problem, Problems, Severity, json_path

WARNING = Problem(
    "plans/a/member.yaml", 2, 1, Severity.WARNING, "missing-translation", "$.name", "no fr"
)
ERROR = Problem(
    "plans/a/2024-2025/vision.yaml",
    7,
    11,
    Severity.ERROR,
    "term-end",
    "$.term_end",
    "the plan ends on 2025-12-31, after the term",
)
LATER_ERROR = Problem(
    "plans/z/member.yaml", 1, 5, Severity.ERROR, "id-mismatch", "$.id", "id `y` differs"
)


def ordered(*problems: Problem) -> list[Problem]:
    collected = Problems()
    collected.extend(problems)
    return collected.sorted()


def test_formats() -> None:
    assert FORMATS == ("text", "json", "github")


def test_errors_come_before_warnings_then_reading_order() -> None:
    assert ordered(WARNING, LATER_ERROR, ERROR) == [ERROR, LATER_ERROR, WARNING]


def test_identical_problems_are_reported_once() -> None:
    assert ordered(ERROR, ERROR, WARNING) == [ERROR, WARNING]


def test_text_format() -> None:
    text = format_problems(ordered(WARNING, ERROR), "text")
    assert text == (
        "plans/a/2024-2025/vision.yaml:7:11: error [term-end] "
        "the plan ends on 2025-12-31, after the term\n"
        "plans/a/member.yaml:2:1: warning [missing-translation] no fr\n"
    )


def test_github_format() -> None:
    text = format_problems(ordered(WARNING, ERROR), "github")
    assert text.splitlines() == [
        "::error file=plans/a/2024-2025/vision.yaml,line=7,col=11::"
        "[term-end] the plan ends on 2025-12-31, after the term",
        "::warning file=plans/a/member.yaml,line=2,col=1::[missing-translation] no fr",
    ]


def test_github_format_escapes_properties_and_messages() -> None:
    odd = Problem("d:/a,b%.yaml", 1, 1, Severity.ERROR, "yaml-syntax", "$", "50%\nnext\rline")
    line = format_problems([odd], "github")
    assert (
        line == "::error file=d%3A/a%2Cb%25.yaml,line=1,col=1::[yaml-syntax] 50%25%0Anext%0Dline\n"
    )


def test_json_format() -> None:
    data = json.loads(format_problems(ordered(WARNING, ERROR), "json"))
    assert data == [
        {
            "file": "plans/a/2024-2025/vision.yaml",
            "line": 7,
            "column": 11,
            "severity": "error",
            "rule": "term-end",
            "path": "$.term_end",
            "message": "the plan ends on 2025-12-31, after the term",
        },
        {
            "file": "plans/a/member.yaml",
            "line": 2,
            "column": 1,
            "severity": "warning",
            "rule": "missing-translation",
            "path": "$.name",
            "message": "no fr",
        },
    ]


def test_json_keeps_non_ascii_text() -> None:
    p = Problem("f.yaml", 1, 1, Severity.ERROR, "schema-enum", "$.a", "« é »")
    assert "« é »" in format_problems([p], "json")


def test_no_problems() -> None:
    assert format_problems([], "text") == ""
    assert format_problems([], "github") == ""
    assert json.loads(format_problems([], "json")) == []


def test_summary() -> None:
    assert summary([], 1) == "1 plan valid"
    assert summary([], 3) == "3 plans valid"
    assert summary([ERROR, WARNING], 2) == "1 error, 1 warning in 2 files (2 plans checked)"
    assert summary([ERROR, LATER_ERROR], 1) == "2 errors, 0 warnings in 2 files (1 plan checked)"


def test_json_path() -> None:
    assert json_path(()) == "$"
    assert json_path(("milestones", 0, "end")) == "$.milestones[0].end"
    assert json_path(("title", "pt-BR")) == "$.title['pt-BR']"
    assert json_path(("a", "it's")) == "$.a['it\\'s']"


def test_has_errors_and_strict() -> None:
    only_warnings = Problems([WARNING])
    assert not only_warnings.has_errors()
    assert only_warnings.has_errors(strict=True)
    assert Problems([ERROR]).errors == [ERROR]
    assert Problems([ERROR, WARNING]).warnings == [WARNING]
