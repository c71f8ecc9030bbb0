"""`actionplan import decidim`: a Decidim proposals export into `contributions/ID.yaml`.

One item per proposal: its reference as id (`decidim-<id>` when it has none that is an item id),
its publication date, its authors' names (none for anonymous input; an official proposal has
the organization's name and the sector `government`), the language of the text kept, and its
title and body as one plain text. The body's locale is the plan's primary language when the
proposal has it, else the member's next language it has, else the first in alphabetical order;
the other locales are named in the summary. `accepted` and `rejected` become a response
(`accepted`, `not-accepted`) whose reason is the official answer in each of its locales and
whose date is the answer's; other states get none. Withdrawn proposals are left out unless
`--keep-withdrawn`, and listed.

Re-importing merges into the file: an item is matched by id; the export updates its date,
author, language and text, never removes a value; a response already in the file is kept unless
`--overwrite-responses`; items only in the file stay. The file is read and written with
ruamel.yaml's round trip, so comments stay. New items come after the file's, oldest first
(publication date, then Decidim id), so that the output depends on the proposals only, not on
the format or the order of the export.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from actionplan.decidim import Export, ExportError, Proposal, read_export
from actionplan.errors import ActionPlanError, ExitCode, UsageError
from actionplan.fsutil import inside, write_atomic
from actionplan.loader import display_name, load_file
from actionplan.model.cocreation import Contribution
from actionplan.model.common import SLUG_PATTERN
from actionplan.problem_report import format_problems

_SLUG = re.compile(SLUG_PATTERN)
_CYCLE = re.compile(r"[0-9]{4}-[0-9]{4}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_STATUS = {"accepted": "accepted", "rejected": "not-accepted"}
_NO_RESPONSE = {"", "evaluating", "not_answered", "withdrawn"}
_OWNED = ("date", "author", "language", "text", "url")


@dataclass(frozen=True)
class ImportDecidim:
    """The command's values, as given on the line."""

    root: Path
    export: str
    into: str
    id: str
    title: str | None = None
    overwrite_responses: bool = False
    keep_withdrawn: bool = False


@dataclass
class _Summary:
    """What the import did, for the lines it prints: nothing it leaves out goes unsaid."""

    notes: list[str] = field(default_factory=list)
    added: int = 0
    updated: list[str] = field(default_factory=list)
    responses: int = 0
    kept: list[str] = field(default_factory=list)
    only_in_file: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.notes.append(message)


# --- one proposal to one item ------------------------------------------------------------------


def _code(locale: str, primary: str) -> str:
    return locale.split("-")[0].split("_")[0].lower() if locale else primary


def _by_language(texts: dict[str, str], languages: list[str]) -> dict[str, str]:
    """Texts keyed by language code, the member's languages first, then alphabetically; of two
    locales of one language (`es`, `es-MX`) the first alphabetically."""
    coded: dict[str, str] = {}
    for locale in sorted(texts):
        coded.setdefault(_code(locale, languages[0]), texts[locale])
    rank = {code: i for i, code in enumerate(languages)}
    return {c: coded[c] for c in sorted(coded, key=lambda c: (rank.get(c, len(rank)), c))}


def _item_id(proposal: Proposal, summary: _Summary) -> str:
    reference = proposal.reference
    if reference and _ITEM_ID.fullmatch(reference):
        return reference
    fallback = f"decidim-{proposal.decidim_id}"
    why = f"its reference `{reference}` is not an item id" if reference else "it has no reference"
    summary.note(f"proposal {proposal.decidim_id}: {why}; its id is {fallback}")
    return fallback


def _text(
    proposal: Proposal, languages: list[str], label: str, summary: _Summary
) -> tuple[str, str]:
    bodies = _by_language(proposal.bodies, languages)
    language, body = next(iter(bodies.items()))
    if len(bodies) > 1:
        others = ", ".join(list(bodies)[1:])
        summary.note(f"{label}: the body is also in {others}; the text kept is the {language} one")
    titles = _by_language(proposal.titles, languages)
    title = titles.get(language) or next(iter(titles.values()), None)
    return language, f"{title}\n\n{body}" if title and title != body else body


def _response(
    proposal: Proposal, languages: list[str], label: str, summary: _Summary
) -> dict[str, Any] | None:
    status = _STATUS.get(proposal.state)
    if status is None:
        if proposal.state not in _NO_RESPONSE:
            summary.note(
                f"{label}: the state `{proposal.state}` has no response status; none written"
            )
        return None
    reason = _by_language(proposal.answers, languages)
    if not reason:
        summary.note(f"{label}: {proposal.state} without an answer; write its response by hand")
        return None
    if languages[0] not in reason:
        summary.note(
            f"{label}: {proposal.state}, but the answer is not in {languages[0]} (only in "
            f"{', '.join(reason)}); write its response by hand"
        )
        return None
    response: dict[str, Any] = {"status": status, "reason": reason}
    if proposal.answered:
        response["date"] = proposal.answered
    return response


def _item(proposal: Proposal, languages: list[str], summary: _Summary) -> CommentedMap:
    item = CommentedMap()
    item["id"] = _item_id(proposal, summary)
    label = item["id"]
    if proposal.published:
        item["date"] = proposal.published
    if proposal.authors:
        item["author"] = proposal.authors
        if proposal.official:
            item["sector"] = "government"
    language, text = _text(proposal, languages, label, summary)
    item["language"] = language
    item["text"] = LiteralScalarString(text) if "\n" in text else text
    if proposal.url and "url" in Contribution.model_fields:
        item["url"] = proposal.url
    response = _response(proposal, languages, label, summary)
    if response is not None:
        item["response"] = _mapping(response)
    return item


def _mapping(data: dict[str, Any]) -> CommentedMap:
    out = CommentedMap()
    for key, value in data.items():
        out[key] = _mapping(value) if isinstance(value, dict) else value
    return out


def items_of(
    export: Export, languages: list[str], options: ImportDecidim, summary: _Summary
) -> list[CommentedMap]:
    """The export's proposals as items, oldest first; withdrawn ones as the options say."""
    chosen = sorted(
        export.proposals, key=lambda p: (p.published is None, p.published, p.decidim_id)
    )
    withdrawn = [p for p in chosen if p.withdrawn]
    if withdrawn and not options.keep_withdrawn:
        chosen = [p for p in chosen if not p.withdrawn]
        names = ", ".join(p.reference or f"decidim-{p.decidim_id}" for p in withdrawn)
        summary.note(
            f"{len(withdrawn)} withdrawn by their authors, left out (--keep-withdrawn keeps "
            f"them): {names}"
        )
    if not export.has_authors:
        summary.note("the export has no `author` field: no item names its author")
    items = [_item(p, languages, summary) for p in chosen]
    seen: dict[str, int] = {}
    for item, proposal in zip(items, chosen, strict=True):
        if item["id"] in seen:
            raise ExportError(
                display_name(export.path),
                [
                    f"proposals {seen[item['id']]} and {proposal.decidim_id} have the same "
                    f"reference {item['id']}"
                ],
            )
        seen[item["id"]] = proposal.decidim_id
    return items


# --- where the file goes -----------------------------------------------------------------------


def _target(options: ImportDecidim) -> tuple[Path, Path]:
    """The plan's folder and the file to write, both checked to lie in the plans folder."""
    if not _SLUG.fullmatch(options.id) or len(options.id) > 80:
        raise UsageError(
            f"--id `{options.id}` is not a slug: lower-case letters, digits and hyphens"
        )
    parts = [p for p in options.into.strip("/").split("/") if p]
    if parts[:1] == ["plans"]:
        parts = parts[1:]
    if len(parts) != 2 or not _SLUG.fullmatch(parts[0]) or not _CYCLE.fullmatch(parts[1]):
        raise UsageError(
            f"--into `{options.into}`: name the plan as MEMBER/CYCLE, e.g. paris/2024-2026"
        )
    plans = options.root / "plans"
    plan = plans / parts[0] / parts[1]
    if not (plan / "vision.yaml").is_file():
        raise UsageError(
            f"{display_name(plan)}: no such plan (no vision.yaml); create it first with "
            "`actionplan new plan`"
        )
    target = plan / "contributions" / f"{options.id}.yaml"
    for path in (plan, target.parent, target):
        if (path.exists() or path.is_symlink()) and not inside(plans, path):
            raise UsageError(f"{display_name(path)} leads out of the plans folder; not written")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise UsageError(f"{display_name(target)} is not a regular file; not written")
    return plan, target


def _languages(plan: Path) -> list[str]:
    path = plan.parent / "member.yaml"
    doc, problems = load_file(path)
    data = doc.data if not problems else None
    languages = data.get("languages") if isinstance(data, dict) else None
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(code, str) for code in languages)
    ):
        raise UsageError(
            f"{display_name(path)} names no languages; run `actionplan validate "
            f"{display_name(path)}` and fix it first"
        )
    return languages


# --- the file: read, merged, written ----------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, key order and quoting of what is there are kept
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml


def _existing(target: Path) -> CommentedMap | None:
    if not target.exists():
        return None
    shown = display_name(target)
    _doc, problems = load_file(target)  # the project's own reading first: it refuses aliases
    doc = _yaml().load(target.read_text(encoding="utf-8")) if not problems else None
    items = doc.get("items") if isinstance(doc, CommentedMap) else None
    if problems or not isinstance(items, CommentedSeq):
        raise UsageError(
            f"{shown} is there but is not a contributions file with `items` that reads; run "
            f"`actionplan validate {shown}` and fix it first (it is left as it is)"
        )
    return doc


def _new_document(options: ImportDecidim, export: Export, schema_ref: str) -> CommentedMap:
    doc = CommentedMap()
    doc["id"] = options.id
    doc["title"] = options.title.strip() if options.title else options.id
    doc["channel"] = "online-platform"
    if export.space_url:
        doc["url"] = export.space_url
    doc["items"] = CommentedSeq()
    doc.yaml_set_start_comment(f"yaml-language-server: $schema={schema_ref}")
    return doc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value)


def merge(
    doc: CommentedMap, items: Iterable[CommentedMap], options: ImportDecidim, summary: _Summary
) -> None:
    """Bring the export's items into the document (see the module's docstring)."""
    existing: CommentedSeq = doc["items"]
    by_id = {item.get("id"): item for item in existing if isinstance(item, CommentedMap)}
    exported: set[str] = set()
    for item in items:
        exported.add(item["id"])
        old = by_id.get(item["id"])
        if old is None:
            existing.append(item)
            summary.added += 1
            summary.responses += "response" in item
            continue
        _update(old, item, options, summary)
    summary.only_in_file = [str(i) for i in by_id if i not in exported]


def _update(
    old: CommentedMap, item: CommentedMap, options: ImportDecidim, summary: _Summary
) -> None:
    changed = [key for key in _OWNED if key in item and _plain(old.get(key)) != _plain(item[key])]
    for key in changed:
        old[key] = item[key]
    if changed:
        summary.updated.append(f"{item['id']} ({', '.join(changed)})")
    if "sector" in item and "sector" not in old:
        old["sector"] = item["sector"]
    new = item.get("response")
    if new is None:
        return
    if "response" not in old or (
        options.overwrite_responses and _plain(old["response"]) != _plain(new)
    ):
        old["response"] = new
        summary.responses += 1
    elif _plain(old["response"]) != _plain(new):
        summary.kept.append(str(item["id"]))


def _schema_ref(root: Path, target: Path) -> str:
    """The schema line's path, relative to the file; the schema is written when missing."""
    from actionplan.model import KINDS
    from actionplan.model.schemas import schema_for
    from actionplan.schemagen import render

    schema = root / "schemas" / KINDS["contributions"].schema_file
    if not schema.exists():
        write_atomic(schema, render(schema_for("contributions")))
        print(f"wrote {display_name(schema)}")
    return Path(os.path.relpath(schema, target.parent)).as_posix()


def _write_checked(target: Path, text: str) -> None:
    """Write the file, validate it in its plan, and put back what was there if it fails."""
    from actionplan.validate import validate_paths

    before = target.read_bytes() if target.exists() else None
    write_atomic(target, text)
    result = validate_paths([target])
    sys.stderr.write(format_problems(result.problems, "text"))
    if result.failed():
        if before is None:
            target.unlink()
            if not any(target.parent.iterdir()):  # the folder the write made
                target.parent.rmdir()
        else:
            write_atomic(target, before)
        state = "was left as it was" if before is not None else "was not written"
        raise ActionPlanError(
            f"the imported file does not validate (above), so {display_name(target)} {state}"
        )


def import_decidim(options: ImportDecidim) -> int:
    """The command: read, merge, write, validate, and say what was done."""
    from actionplan.validate.files import require_file

    if not options.root.is_dir():
        raise UsageError(f"{options.root}: no such folder (--root is the repository's root)")
    if options.title is not None and (not options.title.strip() or _CONTROL.search(options.title)):
        raise UsageError("--title must be one line of visible text")
    plan, target = _target(options)
    languages = _languages(plan)
    export_path = Path(options.export)
    require_file(export_path)
    export = read_export(export_path, display_name(export_path))
    summary = _Summary()
    items = items_of(export, languages, options, summary)
    doc = _existing(target)
    if doc is None:
        doc = _new_document(options, export, _schema_ref(options.root, target))
    elif options.title:
        doc["title"] = options.title.strip()
    merge(doc, items, options, summary)
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    _write_checked(target, buffer.getvalue())
    _report(target, len(export.proposals), summary)
    return ExitCode.OK


def _report(target: Path, read: int, summary: _Summary) -> None:
    print(
        f"wrote {display_name(target)}: {read} proposals read, {summary.added} items added, "
        f"{len(summary.updated)} updated, {summary.responses} responses written"
    )
    lines = [f"note: {note}" for note in summary.notes]
    lines += [f"updated from the export: {name}" for name in summary.updated]
    if summary.kept:
        lines.append(
            f"{len(summary.kept)} responses in the file differ from Decidim's answer and were "
            f"kept (--overwrite-responses replaces them): {', '.join(summary.kept)}"
        )
    if summary.only_in_file:
        lines.append(
            f"{len(summary.only_in_file)} items are in the file but not in the export, kept: "
            + ", ".join(summary.only_in_file)
        )
    for line in lines:
        print(line)
