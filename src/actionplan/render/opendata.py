"""The site's open data: every member's commitments and milestones as CSV and JSON
(`data/commitments.csv`, `.json`, `data/milestones.csv`, `.json`), each documented twice from
the one table of columns below: a JSON Schema (`<name>.schema.json`) for the JSON and W3C CSVW
metadata (`<name>.csv-metadata.json`, the name CSVW looks for beside a CSV) for the CSV.

Columns are named as in OGP's public commitments sheet where one maps (Commitment Unique
Identifier, Commitment Title, Start Date, End Date, Lead Institution, Supporting
Institution(s), the OGP value flags); OGP's "Action Plan Number" is the plan's cycle here, the
only name a plan has in the repository. Texts are in the member's primary language (the
`Language` column); the JSON also holds the titles in every language. The CSV is RFC 4180
(UTF-8, comma, double quotes, CRLF), as CSVW's default dialect reads it. Rows come in the
order of members, then cycles, then the plan's own order, so the bytes depend on the files
alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from actionplan.merge import Plan, localized
from actionplan.model.commitment import Commitment, Milestone
from actionplan.model.common import LocalizedText
from actionplan.render.markdown import to_text
from actionplan.status import CommitmentStatus, MilestoneStatus

SCHEMA_BASE = "https://ogp-local.github.io/actionplan/data/"
DATA = "data"


@dataclass(frozen=True)
class Column:
    """One column: its name (the JSON key too), its type and what it holds."""

    name: str
    kind: str
    """`string`, `date`, `integer`, `boolean` or `titles` (a language-to-text mapping, JSON
    only)."""
    description: str
    required: bool = True
    """False when the value may be absent (an empty cell, null in JSON)."""


@dataclass(frozen=True)
class Row:
    """One commitment or milestone of one plan, with what the columns read."""

    plan: Plan
    commitment: Commitment
    status: CommitmentStatus
    number: int
    """The commitment's place in the plan, from 1."""
    milestone: Milestone | None = None
    milestone_status: MilestoneStatus | None = None

    def text(self, value: LocalizedText) -> str:
        lang = self.plan.primary_language
        return to_text(localized(value, lang, lang)[0])

    def titles(self, value: LocalizedText) -> dict[str, str]:
        if isinstance(value, str):
            return {self.plan.primary_language: to_text(value)}
        return {lang: to_text(text) for lang, text in sorted(value.items())}

    @property
    def identifier(self) -> str:
        return f"{self.plan.key}/{self.commitment.id}"


def _plan_columns() -> list[tuple[Column, Callable[[Row], Any]]]:
    return [
        (Column("Member", "string", "The member's id (its folder under plans/)."), _member),
        (Column("Member Name", "string", "The member's name."), _member_name),
        (Column("Country", "string", "ISO 3166-1 alpha-2 code."), _country),
        (Column("Action Plan", "string", "The plan's cycle, YYYY-YYYY."), _cycle),
        (Column("Year Of Submission", "integer", "Year filed with OGP.", False), _submitted),
        (Column("Action Plan End Year", "integer", "Year the plan ends."), _end_year),
        (Column("Draft", "boolean", "The plan has no approval that counts yet."), _draft),
        (Column("Language", "string", "Language of the texts (ISO 639-1)."), _language),
    ]


def _member(r: Row) -> str:
    return r.plan.member.id


def _member_name(r: Row) -> str:
    return r.text(r.plan.member.name)


def _country(r: Row) -> str:
    return r.plan.member.country


def _cycle(r: Row) -> str:
    return r.plan.cycle


def _submitted(r: Row) -> int | None:
    return r.plan.vision.submitted.year if r.plan.vision.submitted else None


def _end_year(r: Row) -> int:
    return r.plan.vision.period.end.year


def _draft(r: Row) -> bool:
    return r.plan.draft


def _language(r: Row) -> str:
    return r.plan.primary_language


def _actors(r: Row) -> str:
    actors = r.commitment.other_actors
    groups = (actors.government, actors.civil_society, actors.private_sector, actors.other)
    return "; ".join(actor.name for group in groups for actor in group)


def _value(name: str) -> Callable[[Row], bool]:
    return lambda r: getattr(r.commitment.ogp_values, name) is not None


def commitment_status(status: CommitmentStatus) -> str:
    """One word for a commitment, from its milestones: `complete` when every milestone counted
    is complete, `abandoned` when all are, `not-started` while none has started, otherwise
    `in-progress`."""
    states = {m.status for m in status.milestones}
    if states == {"abandoned"}:
        return "abandoned"
    if states <= {"complete", "abandoned"}:
        return "complete"
    return "not-started" if states == {"not-started"} else "in-progress"


COMMITMENT_COLUMNS: list[tuple[Column, Callable[[Row], Any]]] = [
    (
        Column("Commitment Unique Identifier", "string", "<member>/<cycle>/<commitment id>."),
        lambda r: r.identifier,
    ),
    *_plan_columns(),
    (Column("Commitment Number", "integer", "Its place in the plan, from 1."), lambda r: r.number),
    (Column("Commitment ID", "string", "Its id in the plan."), lambda r: r.commitment.id),
    (Column("Commitment Title", "string", "Its title."), lambda r: r.text(r.commitment.title)),
    (Column("Start Date", "date", "Start of the commitment."), lambda r: r.commitment.period.start),
    (Column("End Date", "date", "End of the commitment."), lambda r: r.commitment.period.end),
    (
        Column("Lead Institution", "string", "The lead agency."),
        lambda r: r.text(r.commitment.lead.agency),
    ),
    (Column("Supporting Institution(s)", "string", "Other actors, `; ` between."), _actors),
    (Column("Transparency", "boolean", "It serves transparency."), _value("transparency")),
    (Column("Accountability", "boolean", "It serves accountability."), _value("accountability")),
    (Column("Participation", "boolean", "It serves participation."), _value("participation")),
    (Column("Inclusion", "boolean", "It serves inclusion."), _value("inclusion")),
    (
        Column("Open Gov Challenge Area", "string", "Its Open Gov Challenge area.", False),
        lambda r: r.commitment.open_gov_challenge.area if r.commitment.open_gov_challenge else None,
    ),
    (
        Column("Status", "string", "not-started, in-progress, complete or abandoned."),
        lambda r: commitment_status(r.status),
    ),
    (
        Column("Completion", "integer", "Percent of its milestones complete.", False),
        lambda r: r.status.completion.percent,
    ),
    (
        Column("Milestones", "integer", "Its number of milestones."),
        lambda r: len(r.status.milestones),
    ),
    (
        Column("Last Update", "date", "Its latest progress entry.", False),
        lambda r: r.status.updated,
    ),
    (
        Column("Titles", "titles", "Its title in every language."),
        lambda r: r.titles(r.commitment.title),
    ),
]


def _milestone(r: Row) -> Milestone:
    if r.milestone is None:  # a milestone column read on a commitment's row
        raise ValueError(f"{r.identifier}: not a milestone's row")
    return r.milestone


def _milestone_status(r: Row) -> MilestoneStatus:
    found = r.milestone_status
    if found is None:
        raise ValueError(f"{r.identifier}: not a milestone's row")
    return found


MILESTONE_COLUMNS: list[tuple[Column, Callable[[Row], Any]]] = [
    (
        Column("Milestone Unique Identifier", "string", "<commitment identifier>/<milestone id>."),
        lambda r: f"{r.identifier}/{_milestone(r).id}",
    ),
    (
        Column("Commitment Unique Identifier", "string", "Its commitment's identifier."),
        lambda r: r.identifier,
    ),
    *_plan_columns(),
    (Column("Commitment Number", "integer", "Its commitment's place."), lambda r: r.number),
    (Column("Commitment ID", "string", "Its commitment's id."), lambda r: r.commitment.id),
    (
        Column("Milestone Number", "integer", "Its place in its commitment, from 1."),
        lambda r: r.commitment.milestones.index(_milestone(r)) + 1,
    ),
    (Column("Milestone ID", "string", "Its id in its commitment."), lambda r: _milestone(r).id),
    (Column("Milestone Title", "string", "Its title."), lambda r: r.text(_milestone(r).title)),
    (
        Column("Expected Output", "string", "What it delivers."),
        lambda r: r.text(_milestone(r).expected_output),
    ),
    (Column("Start Date", "date", "Its start."), lambda r: _milestone(r).start),
    (Column("End Date", "date", "Its end."), lambda r: _milestone(r).end),
    (Column("Lead", "string", "Who leads it.", False), lambda r: _milestone(r).lead),
    (
        Column("Status", "string", "Its latest progress entry's status (not-started without)."),
        lambda r: _milestone_status(r).status,
    ),
    (
        Column("Last Update", "date", "Its latest progress entry.", False),
        lambda r: _milestone_status(r).updated,
    ),
    (Column("Late", "boolean", "Past its end, not done."), lambda r: _milestone_status(r).late),
    (
        Column("Stale", "boolean", "No update for four months."),
        lambda r: _milestone_status(r).stale,
    ),
    (
        Column("Titles", "titles", "Its title in every language."),
        lambda r: r.titles(_milestone(r).title),
    ),
]
TABLES = {"commitments": COMMITMENT_COLUMNS, "milestones": MILESTONE_COLUMNS}
"""Each table's file stem under data/ and its columns."""


def rows(plans: Sequence[Plan], table: str) -> list[Row]:
    """The rows of `table` for every plan, members and cycles in order."""
    found: list[Row] = []
    for plan in sorted(plans, key=lambda p: p.key):
        for number, commitment in enumerate(plan.commitments, start=1):
            status = plan.status[commitment.id]
            row = Row(plan, commitment, status, number)
            if table == "commitments":
                found.append(row)
                continue
            for milestone, state in zip(commitment.milestones, status.milestones, strict=True):
                found.append(Row(plan, commitment, status, number, milestone, state))
    return found


def records(plans: Sequence[Plan], table: str) -> list[dict[str, Any]]:
    """The rows as JSON objects, keyed by column name (null for an absent value)."""
    columns = TABLES[table]
    return [{c.name: _json(read(row)) for c, read in columns} for row in rows(plans, table)]


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_json(value))


def to_csv(plans: Sequence[Plan], table: str) -> bytes:
    """The table as RFC 4180 CSV; the columns JSON alone holds (Titles) left out."""
    columns = [(c, read) for c, read in TABLES[table] if c.kind != "titles"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c, _ in columns])
    for row in rows(plans, table):
        writer.writerow([_cell(read(row)) for _, read in columns])
    return out.getvalue().encode("utf-8")


def to_json(plans: Sequence[Plan], table: str) -> bytes:
    text = json.dumps(records(plans, table), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "titles": {
        "type": "object",
        "propertyNames": {"pattern": "^[a-z]{2}$"},
        "additionalProperties": {"type": "string"},
    },
}
_CSVW_TYPES: dict[str, Any] = {
    "string": "string",
    "date": {"base": "date", "format": "yyyy-MM-dd"},
    "integer": "integer",
    "boolean": {"base": "boolean", "format": "true|false"},
}


def json_schema(table: str) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of `<table>.json`: a list of closed objects."""
    columns = [c for c, _ in TABLES[table]]
    properties = {}
    for c in columns:
        kind = dict(_JSON_TYPES[c.kind])
        if not c.required:
            kind["type"] = [kind["type"], "null"]
        properties[c.name] = {**kind, "description": c.description}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{table}.schema.json",
        "title": f"OGP Local {table}",
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": [c.name for c in columns],
            "additionalProperties": False,
        },
    }


def csv_metadata(table: str) -> dict[str, Any]:
    """The W3C CSVW metadata of `<table>.csv`: its dialect and each column's type."""
    columns = [c for c, _ in TABLES[table] if c.kind != "titles"]
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": f"{table}.csv",
        "dc:title": f"OGP Local {table}",
        "dialect": {
            "encoding": "utf-8",
            "delimiter": ",",
            "quoteChar": '"',
            "doubleQuote": True,
            "lineTerminators": ["\r\n"],
            "header": True,
        },
        "tableSchema": {
            "columns": [
                {
                    "name": _csvw_name(c.name),
                    "titles": c.name,
                    "datatype": _CSVW_TYPES[c.kind],
                    "required": c.required,
                    "dc:description": c.description,
                }
                for c in columns
            ],
            "primaryKey": _csvw_name(columns[0].name),
        },
    }


def _csvw_name(title: str) -> str:
    """A column's CSVW name (a URI template variable: letters, digits, underscores)."""
    return "".join(ch if ch.isalnum() else "_" for ch in title.lower()).strip("_")


def files(plans: Sequence[Plan]) -> dict[str, bytes]:
    """Every file of data/, by name: each table's CSV, JSON, JSON Schema and CSVW metadata."""
    out: dict[str, bytes] = {}
    for table in TABLES:
        out[f"{table}.csv"] = to_csv(plans, table)
        out[f"{table}.json"] = to_json(plans, table)
        out[f"{table}.schema.json"] = _dumped(json_schema(table))
        out[f"{table}.csv-metadata.json"] = _dumped(csv_metadata(table))
    return out


def _dumped(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
