"""The rule registry (`actionplan.rules`) against what reads it and what it describes.

`actionplan rules` prints it, the README shows it, and the code creates problems with ids
written as text: the scan below reads every call that creates a `Problem` in the package and
holds those ids and their severities to the registry, both ways. (The case folders are held to
it by tests/cases/test_cases.py.)
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from actionplan.problems import Severity
from actionplan.rules import BY_ID, RULES, Place, markdown_table
from helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "actionplan"
SLUG = re.compile(r"^[a-z]+(-[a-z]+)*$")

# The calls that create a problem: the function's name, the index of the rule id among its
# positional arguments, and where its severity is (an index, a keyword, or always an error).
_RULE_AT = {"at": 1, "problem": 0, "Problem": 4, "_within": 6}
_SEVERITY_AT = {"Problem": 3}


def _severity(node: ast.Call, name: str) -> str:
    """The severity a call creates its problem with; `?` when it is not written literally."""
    index = _SEVERITY_AT.get(name)
    given = (
        node.args[index]
        if index is not None and len(node.args) > index
        else next((k.value for k in node.keywords if k.arg == "severity"), None)
    )
    if given is None:
        return str(Severity.ERROR)  # `at`'s default; `problem` and `_within` make errors only
    if isinstance(given, ast.Attribute) and given.attr in Severity.__members__:
        return str(Severity[given.attr])
    return "?"


def created_rules() -> Iterator[tuple[str, str, str]]:
    """(rule id, severity, where) for every call in the package that creates a problem."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = str(getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            index = _RULE_AT.get(name)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                yield arg.value, _severity(node, name), where


def compared_rules() -> Iterator[tuple[str, str]]:
    """(rule id, where) for every comparison of a problem's rule with a text (`p.rule == ...`)."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and ast.unparse(node.left).endswith(".rule"):
                for other in node.comparators:
                    if isinstance(other, ast.Constant) and isinstance(other.value, str):
                        yield other.value, f"{path.relative_to(SRC)}:{node.lineno}"


def test_every_rule_is_declared_once_in_words() -> None:
    assert len(BY_ID) == len(RULES), "a rule id is declared twice"
    for rule in RULES:
        assert SLUG.match(rule.id), rule.id
        assert rule.description and "\n" not in rule.description, rule.id
        assert not rule.description.endswith("."), rule.id
        assert rule.reported_at and len(set(rule.reported_at)) == len(rule.reported_at), rule.id


def test_every_rule_the_code_creates_is_declared_with_its_severity() -> None:
    created = list(created_rules())
    assert {"yaml-syntax", "encoding", "schema-unknown-key", "bidi-control"} <= {
        rule for rule, _, _ in created
    }, "the scan no longer sees the calls that create problems"
    undeclared = [f"{where}: {rule}" for rule, _, where in created if rule not in BY_ID]
    assert undeclared == [], "declare these in src/actionplan/rules.py"
    wrong = [
        f"{where}: {rule} is created as {severity}, declared {BY_ID[rule].severity}"
        for rule, severity, where in created
        if severity != BY_ID[rule].severity
    ]
    assert wrong == []


def test_every_declared_rule_is_created_somewhere() -> None:
    created = {rule for rule, _, _ in created_rules()}
    assert sorted(set(BY_ID) - created) == [], "declared, but no code creates it"


def test_rules_the_code_compares_with_are_declared() -> None:
    compared = list(compared_rules())
    assert [f"{where}: {rule}" for rule, where in compared if rule not in BY_ID] == []


def test_text_lists_one_rule_a_line(tmp_path: Path) -> None:
    result = run_cli(["rules"], tmp_path)
    assert result.code == 0 and result.err == ""
    assert len(result.lines) == len(RULES)
    for line, rule in zip(result.lines, RULES, strict=True):
        assert re.split(r"  +", line, maxsplit=2) == [rule.id, rule.severity, rule.description]
    # In columns: every description starts at the same place.
    assert (
        len({line.index(rule.description) for line, rule in zip(result.lines, RULES, strict=True)})
        == 1
    )


def test_json_lists_the_rules_as_objects(tmp_path: Path) -> None:
    result = run_cli(["rules", "--format", "json"], tmp_path)
    assert result.code == 0 and result.err == ""
    listed = json.loads(result.out)
    assert [item["id"] for item in listed] == [rule.id for rule in RULES]
    places = {str(place) for place in Place}
    for item, rule in zip(listed, RULES, strict=True):
        assert set(item) == {"id", "severity", "description", "reported_at"}
        assert item["severity"] in ("error", "warning")
        assert (item["severity"], item["description"]) == (rule.severity, rule.description)
        assert item["reported_at"] and set(item["reported_at"]) <= places


def test_a_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["rules", "--format", "github"], tmp_path)
    assert result.code == 2 and result.out == ""


def test_listing_the_rules_loads_neither_the_models_nor_the_validator() -> None:
    code = (
        "import sys\nfrom actionplan.cli import main\nmain(['rules'])\n"
        "heavy = [m for m in ('pydantic', 'actionplan.validate', 'actionplan.model') "
        "if m in sys.modules]\nassert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_the_readme_shows_the_registry() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "README's rule table: paste `rules.markdown_table()`"
    assert "actionplan rules [--format text|json]" in readme
    # The rules its example reports name, in every format.
    shown = set(re.findall(r"(?:error|warning|::) ?\[([a-z-]+)\]", readme))
    assert shown and shown <= set(BY_ID), shown - set(BY_ID)
