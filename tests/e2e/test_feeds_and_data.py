"""The site's Atom feeds and open data, built by `doit feeds opendata` in a copy of this
repository and read back: Atom as xml.etree reads it, the CSV with the dialect its CSVW
metadata describes, the JSON against its JSON Schema."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from builds import PLANS, copy_repository, doit

ATOM = "{http://www.w3.org/2005/Atom}"
TABLES = ("commitments", "milestones")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_repository(tmp_path_factory.mktemp("feeds") / "repo")
    doit(repo, "feeds", "opendata")
    return repo


def site(repo: Path) -> Path:
    return repo / "build" / "site"


def feeds(repo: Path) -> dict[str, ET.Element]:
    folder = site(repo) / "feeds"
    return {path.name: ET.parse(path).getroot() for path in sorted(folder.glob("*.atom"))}


def test_a_feed_per_plan_and_one_for_the_network(built: Path) -> None:
    expected = {f"{plan.name.replace('/', '-')}.atom" for plan in PLANS} | {"network.atom"}
    assert set(feeds(built)) == expected


@pytest.mark.parametrize("name", sorted(f"{p.name.replace('/', '-')}.atom" for p in PLANS))
def test_a_plans_feed_is_atom(built: Path, name: str) -> None:
    feed = feeds(built)[name]
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{tag}") or "").strip(), tag
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == name  # type: ignore[union-attr]
    entries = feed.findall(f"{ATOM}entry")
    assert entries, "every example plan has at least its own publication as an entry"
    plan = next(p for p in PLANS if f"{p.name.replace('/', '-')}.atom" == name)
    for entry in entries:
        assert (entry.findtext(f"{ATOM}id") or "").startswith("tag:ogp-local.github.io,2025:")
        assert (entry.findtext(f"{ATOM}title") or "").strip()
        links = [link.get("href") for link in entry.findall(f"{ATOM}link[@rel='alternate']")]
        assert links == [f"../{plan.name}/index.{lang}.html" for lang in plan.languages]
    updated = [entry.findtext(f"{ATOM}updated") or "" for entry in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))


def test_the_network_feed_holds_every_plans_entries(built: Path) -> None:
    found = feeds(built)
    network = found.pop("network.atom")
    entries = network.findall(f"{ATOM}entry")
    # Atom wants an author for each entry when the feed names none.
    assert network.find(f"{ATOM}author") is None
    assert all(entry.find(f"{ATOM}author/{ATOM}name") is not None for entry in entries)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))
    per_plan = {e.findtext(f"{ATOM}id") for f in found.values() for e in f.findall(f"{ATOM}entry")}
    assert set(ids) == per_plan
    updated = [entry.findtext(f"{ATOM}updated") or "" for entry in entries]
    assert updated == sorted(updated, reverse=True)
    kinds = {entry.find(f"{ATOM}category").get("term") for entry in entries}  # type: ignore[union-attr]
    assert kinds == {"plan", "progress", "meeting", "assessment"}


def test_nothing_after_the_build_date_is_news(built: Path) -> None:
    for feed in feeds(built).values():
        for entry in feed.findall(f"{ATOM}entry"):
            assert (entry.findtext(f"{ATOM}updated") or "") <= "2026-05-28T00:00:00Z"


@pytest.mark.parametrize("table", TABLES)
def test_the_csv_reads_with_its_csvw_dialect(built: Path, table: str) -> None:
    data = site(built) / "data"
    metadata = json.loads((data / f"{table}.csv-metadata.json").read_text(encoding="utf-8"))
    assert metadata["@context"] == "http://www.w3.org/ns/csvw"
    assert metadata["url"] == f"{table}.csv"
    dialect = metadata["dialect"]
    raw = (data / f"{table}.csv").read_bytes().decode(dialect["encoding"])
    assert raw.endswith(dialect["lineTerminators"][0])
    rows = list(
        csv.reader(
            io.StringIO(raw, newline=""),
            delimiter=dialect["delimiter"],
            quotechar=dialect["quoteChar"],
            doublequote=dialect["doubleQuote"],
        )
    )
    columns = metadata["tableSchema"]["columns"]
    assert rows[0] == [column["titles"] for column in columns]
    records = json.loads((data / f"{table}.json").read_text(encoding="utf-8"))
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records, strict=True):
        for cell, column in zip(row, columns, strict=True):
            value = record[column["titles"]]
            expected = (
                ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            assert cell == expected, column["titles"]
            assert cell or not column["required"], column["titles"]


@pytest.mark.parametrize("table", TABLES)
def test_the_json_validates_against_its_schema(built: Path, table: str) -> None:
    data = site(built) / "data"
    schema = json.loads((data / f"{table}.schema.json").read_text(encoding="utf-8"))
    records = json.loads((data / f"{table}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    jsonschema.Draft202012Validator(schema, format_checker=checker).validate(records)
    assert schema["$id"].endswith(f"/data/{table}.schema.json")


def test_every_commitment_and_milestone_is_in_the_data(built: Path) -> None:
    data = site(built) / "data"
    commitments = json.loads((data / "commitments.json").read_text(encoding="utf-8"))
    found = {row["Commitment Unique Identifier"] for row in commitments}
    assert found == {f"{plan.name}/{cid}" for plan in PLANS for cid in plan.commitments}
    milestones = json.loads((data / "milestones.json").read_text(encoding="utf-8"))
    assert {row["Commitment Unique Identifier"] for row in milestones} == found
    assert sum(row["Milestones"] for row in commitments) == len(milestones)


def test_two_builds_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    again = copy_repository(tmp_path / "again")
    doit(again, "feeds", "opendata")
    first, second = site(built), site(again)
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def ran(output: str) -> set[str]:
    """The tasks doit ran (`. name`), not those it found up to date (`-- name`)."""
    return {line[2:].strip() for line in output.splitlines() if line.startswith(". ")}


def test_a_change_to_one_member_rebuilds_its_feed_the_network_and_the_data(
    tmp_path: Path,
) -> None:
    repo = copy_repository(tmp_path / "repo")
    doit(repo, "feeds", "opendata")
    assert ran(doit(repo, "feeds", "opendata").stdout) == set()
    log = repo / "plans" / "scotland" / "2023-2025" / "progress"
    first = sorted(log.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rerun = {name for name in ran(doit(repo, "feeds", "opendata").stdout) if ":" in name}
    expected = {"feeds:scotland/2023-2025", "feeds:network", "opendata:network"}
    assert rerun - {n for n in rerun if n.startswith("validate:")} == expected
