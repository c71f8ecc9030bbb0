"""The rule registry: every rule id the validator reports, declared once.

A rule id is the stable name in brackets on every problem line (`[schema-enum]`); plans
repositories filter on it and the case folders under `tests/cases/` are named after it, so an
id is never renamed. Each rule declares here its severity, what it checks in one line, and
where in a file its problems are reported. `actionplan rules` lists the registry, the README's
table of rules is its rendering (`markdown_table`), and the tests hold it to the code: every id
a `Problem` is created with is declared here with the severity it is created with, and every
declared id is created somewhere and expected by a case folder (or by a unit test).

The checks themselves keep writing their ids as text (`src.at(path, "date-order", ...)`): the
id is where a reader of the check looks for it, and the test that scans the calls makes a typo
or an undeclared id fail as surely as an import would. This module is the standard library
only (with `problems.py`), so that listing the rules loads neither the models nor the
validator.

A warning is reported as an error under `--strict`; no rule is reported at both severities
(a bidirectional control in an id is an error, but of the schema: `schema-format`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from actionplan.problems import Severity


class Place(StrEnum):
    """Where a problem stands in its file: the line and column a report gives."""

    VALUE = "value"
    """The offending value (a date, a text, a reference, an item of a list)."""
    KEY = "key"
    """The offending key itself (a duplicate key at its second occurrence, an unknown key)."""
    MAPPING = "mapping"
    """The key of the mapping a rule is about as a whole (a localized text counts as the
    mapping of its languages, also when it is written as one string)."""
    MARK = "mark"
    """The YAML parser's problem mark."""
    BYTE = "byte"
    """The first byte that is not text."""
    FILE = "file"
    """The file (or folder) as a whole: line 1, column 1."""
    LINK = "link"
    """The symbolic link itself, at line 1, column 1; what it leads to is not read."""


PHRASES: dict[Place, str] = {
    Place.VALUE: "the value",
    Place.KEY: "the key",
    Place.MAPPING: "the mapping's key",
    Place.MARK: "the parser's mark",
    Place.BYTE: "the byte",
    Place.FILE: "the file",
    Place.LINK: "the link",
}


@dataclass(frozen=True)
class Rule:
    """One rule: its id, severity, one-line description and where it is reported (the
    places in the order a reader meets them most often)."""

    id: str
    severity: Severity
    description: str
    reported_at: tuple[Place, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "severity": str(self.severity),
            "description": self.description,
            "reported_at": [str(place) for place in self.reported_at],
        }

    def where(self) -> str:
        """Where it is reported, in words: `the value or the mapping's key`."""
        return " or ".join(PHRASES[place] for place in self.reported_at)


# Short names, so that each rule of the table below reads on one line.
E, W = Severity.ERROR, Severity.WARNING
VALUE, KEY, MAPPING, MARK, BYTE, FILE, LINK = Place

# In the order the validator meets them: the files of the layout, their bytes, their YAML, the
# schema of each file, the rules across the files of a plan, languages, texts, sizes.
RULES: tuple[Rule, ...] = (
    Rule("layout-missing-file", E, "a plan lacks member.yaml or vision.yaml", (FILE,)),
    Rule("layout-unknown-file", E, "a YAML file stands where the layout has none", (FILE,)),
    Rule("symlink-outside", E, "a symbolic link leads out of the plans folder", (LINK,)),
    Rule("symlink-loop", E, "a symbolic link leads back to a folder read already", (LINK,)),
    Rule("file-unreadable", E, "a file or folder cannot be read, or is no regular file", (FILE,)),
    Rule("file-too-large", E, "a file is over 2 MiB", (FILE,)),
    Rule("encoding", E, "a file is not UTF-8 text (an invalid byte, a NUL)", (BYTE,)),
    Rule("yaml-syntax", E, "a file is not well-formed YAML", (MARK,)),
    Rule("yaml-empty", E, "a file holds no YAML document", (FILE,)),
    Rule("yaml-multiple-documents", E, "a file holds more than one YAML document", (VALUE,)),
    Rule("yaml-duplicate-key", E, "a key is given twice in one mapping", (KEY,)),
    Rule("yaml-complex-key", E, "a key is a list or a mapping, not plain text", (KEY,)),
    Rule("yaml-anchor", E, "an anchor (`&name`) on a value or a key", (VALUE, KEY)),
    Rule("yaml-alias", E, "an alias (`*name`) for a value or a key", (VALUE, KEY)),
    Rule("yaml-tag", E, "a tag, but for `!!str` on a scalar", (VALUE, KEY)),
    Rule("yaml-too-deep", E, "values nested more than 64 levels deep", (VALUE,)),
    Rule("yaml-too-large", E, "a file holds more than 200,000 values", (VALUE,)),
    Rule("control-character", E, "a control character written as an escape", (VALUE, KEY)),
    Rule("schema-type", E, "a value is of the wrong type (text, number, list...)", (VALUE,)),
    Rule("schema-missing-key", E, "a mapping lacks a required key", (MAPPING,)),
    Rule("schema-unknown-key", E, "a mapping has a key its schema does not know", (KEY,)),
    Rule("schema-empty", E, "a key or list item has no value", (VALUE,)),
    Rule("schema-enum", E, "a value is not one of the allowed values", (VALUE,)),
    Rule("schema-format", E, "a text is not in its format (id, date, language...)", (VALUE, KEY)),
    Rule("schema-too-long", E, "a text is over its length limit", (VALUE,)),
    Rule("schema-too-many", E, "a list or a localized text has too many items", (VALUE, KEY)),
    Rule("schema-value", E, "a value is out of its range or otherwise invalid", (VALUE,)),
    Rule("id-mismatch", E, "an id differs from its file or folder name", (VALUE,)),
    Rule("duplicate-id", E, "an id (commitment, milestone, item...) is used twice", (VALUE,)),
    Rule("cycle-folder", E, "a plan's folder is not named after its period's years", (VALUE,)),
    Rule("plan-years", E, "a plan's period lies outside the years 1900 to 2999", (VALUE,)),
    Rule("term-end", E, "a plan ends after the administration's term", (VALUE,)),
    Rule("date-order", E, "a period or milestone ends before it starts", (VALUE,)),
    Rule("within-plan", E, "a commitment runs outside the plan's period", (VALUE,)),
    Rule("within-commitment", E, "a milestone runs outside its commitment's period", (VALUE,)),
    Rule("core-value", E, "a commitment serves none of the three core values", (MAPPING,)),
    Rule("concurrent-commitments", E, "more than five commitments run on one day", (VALUE,)),
    Rule("progress-order", E, "a progress entry is dated before the entry above it", (VALUE,)),
    Rule("future-entry", E, "a progress entry is dated after today", (VALUE,)),
    Rule("unresolved-reference", E, "a reference to something the plan does not have", (VALUE,)),
    Rule("inception-requirements", E, "a requirement assessed twice or never", (VALUE, MAPPING)),
    # The co-creation record (validate/cocreation.py), the approval and the assessments
    # (validate/approval_rules.py).
    Rule("meeting-date", E, "a meeting's id does not start with its date", (VALUE,)),
    Rule("attendance-total", E, "a meeting's sector counts exceed its total", (VALUE,)),
    Rule("document-after-meeting", W, "a meeting's paper was published after it", (VALUE,)),
    Rule("minutes-date", E, "minutes dated before their meeting or after today", (VALUE,)),
    Rule("meeting-required", E, "input taken at a meeting names no meeting", (VALUE,)),
    Rule("unanswered-contribution", W, "a contribution without response once approved", (VALUE,)),
    Rule("forum-composition", W, "the forum has no member outside government", (MAPPING,)),
    Rule("approval-formal", E, "no approver is the executive or the council", (MAPPING,)),
    Rule("approval-endorsement", W, "no approver is civil society or the forum", (MAPPING,)),
    Rule("approval-date", E, "an approval dated after today or after submission", (VALUE,)),
    Rule("assessment-date", E, "an assessment dated after today or too early", (VALUE,)),
    Rule("assessment-evaluator", W, "an assessment not by the monitoring body", (VALUE,)),
    Rule("inception-coverage", W, "the inception assessment leaves a commitment out", (MAPPING,)),
    Rule("unknown-code", E, "a country or language code is not an ISO code", (VALUE,)),
    Rule("primary-language-missing", E, "a localized text lacks the primary language", (MAPPING,)),
    Rule("unknown-language", W, "a localized text has a language the member does not list", (KEY,)),
    Rule("missing-translation", W, "a localized text lacks a language of the member", (MAPPING,)),
    Rule("bidi-control", W, "a text holds an invisible bidirectional control", (VALUE,)),
    # The repository's own label catalogues (locales/<lang>/LC_MESSAGES/actionplan.po).
    Rule("catalogue-missing-label", W, "a repository's catalogue lacks English labels", (FILE,)),
    Rule("catalogue-invalid", E, "a repository's catalogue cannot be read or misfits", (FILE,)),
    Rule("markdown-too-deep", E, "Markdown lists or quotes nest more than nine levels", (VALUE,)),
    Rule("plan-too-large", E, "a plan has too many commitments or too much text", (VALUE, FILE)),
    # Due dates (actionplan.due), once passed on the build date: at the date they count from.
    Rule("inception-overdue", W, "no inception assessment 2 months after submission", (VALUE,)),
    Rule("end-of-commitment-overdue", W, "no assessment 1 month after completion", (VALUE,)),
    Rule("final-summary-overdue", W, "no final summary once every commitment ended", (VALUE,)),
    Rule("progress-overdue", W, "no progress entry for 4 months while running", (VALUE,)),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def text_listing() -> str:
    """One rule a line, `ID  severity  description`, in columns."""
    width = max(len(rule.id) for rule in RULES)
    return "".join(
        f"{rule.id:<{width}}  {rule.severity:<7}  {rule.description}\n" for rule in RULES
    )


def json_listing() -> str:
    """The rules as a JSON list of `{id, severity, description, reported_at}`."""
    return json.dumps([rule.as_dict() for rule in RULES], indent=2, ensure_ascii=False) + "\n"


def markdown_table() -> str:
    """The README's table of rules (a test holds the README to it)."""
    head = "| rule | severity | reported at | what it reports |\n| --- | --- | --- | --- |\n"
    return head + "".join(
        f"| `{rule.id}` | {rule.severity} | {rule.where()} | {rule.description} |\n"
        for rule in RULES
    )
