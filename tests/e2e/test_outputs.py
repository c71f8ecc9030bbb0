"""The outputs of `doit` read back: every text of every plan in every file that should hold it.

One build of the example plans (a temporary copy of the repository, SOURCE_DATE_EPOCH fixed)
is shared by the module. The texts to look for come from `actionplan.merge.text_fields`, which
walks the plan along its schema, so a field added to the models is looked for too: the PDF and
the DOCX of a language (pdftotext, python-docx) and the HTML hold every text of the action plan
(the plan without progress and assessments, as `actions.action_plan_only` renders it), and
plan.json every text of the whole plan in every language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import docx
import jsonschema
import lxml.html
import pytest
from pypdf import PdfReader

from actionplan.loader import load_file
from actionplan.merge import Plan, TextField, localized, plan_json, text_fields
from actionplan.pipeline import actions
from actionplan.render.labels import load_labels
from builds import BUILD_EPOCH, DRAFT_PLAN, PLANS, ExamplePlan, copy_repository, doit
from documents import A4_BODY, clean, phrases, skeleton
from helpers import ROOT, load_merged

BUILD_DATE = dt.datetime.fromtimestamp(int(BUILD_EPOCH), tz=dt.UTC).date()
FORMS = ROOT / "src" / "actionplan" / "data" / "forms.yaml"
CASES = [(plan, lang) for plan in PLANS for lang in plan.languages]
CASE_IDS = [f"{plan.name}/{lang}" for plan, lang in CASES]
PLAN_IDS = [plan.name for plan in PLANS]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans built by `doit` (the action plan's tasks) in a temporary copy."""
    root = copy_repository(tmp_path_factory.mktemp("outputs") / "repo")
    doit(root, "json", "html", "pdf", "docx", "efiling")
    return root


@cache
def merged(name: str) -> Plan:
    """The merged plan of an example, with the build's date."""
    return load_merged(ROOT / "plans" / name, today=BUILD_DATE)


def document(name: str) -> Plan:
    """What the action plan documents show: the plan without progress and assessments."""
    return actions.action_plan_only(merged(name))


def out(repo: Path, plan: ExamplePlan) -> Path:
    return repo / "build" / plan.name


def missing(fields: list[TextField], text: str) -> list[str]:
    """The fields whose text (each paragraph or list item of it) `text` does not hold,
    spaces, line-end hyphens, bullets and Markdown left aside."""
    found = skeleton(text)
    return [
        f"{field.path}: {part[:60]!r}"
        for field in fields
        for part in phrases(field)
        if skeleton(part) not in found
    ]


def html_text(markup: str) -> str:
    return str(lxml.html.document_fromstring(markup.encode("utf-8")).text_content())


def pdf_text(path: Path, *crop: str) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def docx_text(path: Path) -> str:
    word = docx.Document(str(path))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def label(lang: str, key: str) -> str:
    return load_labels(ROOT / "templates", lang).text(key)


# ---- Every text in every document ---------------------------------------------------------------


@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_the_pdf_holds_every_text_of_its_language(repo: Path, plan: ExamplePlan, lang: str) -> None:
    fields = text_fields(document(plan.name), lang)
    assert fields
    # The page body only: the running header and the page number would cut a paragraph that
    # goes on to the next page.
    body = pdf_text(out(repo, plan) / f"action-plan.{lang}.pdf", *A4_BODY)
    assert missing(fields, body) == []


@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_the_docx_holds_every_text_of_its_language(
    repo: Path, plan: ExamplePlan, lang: str
) -> None:
    text = docx_text(out(repo, plan) / f"action-plan.{lang}.docx")
    assert missing(text_fields(document(plan.name), lang), text) == []


@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_the_html_holds_every_text_of_its_language(
    repo: Path, plan: ExamplePlan, lang: str
) -> None:
    html = (out(repo, plan) / f"action-plan.{lang}.html").read_text(encoding="utf-8")
    assert missing(text_fields(document(plan.name), lang), html_text(html)) == []


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_plan_json_holds_every_text_in_every_language(repo: Path, plan: ExamplePlan) -> None:
    text = (out(repo, plan) / "plan.json").read_text(encoding="utf-8")
    assert text == plan_json(merged(plan.name))
    held = set(strings(json.loads(text)))
    for lang in plan.languages:
        fields = text_fields(merged(plan.name), lang)
        assert [f.path for f in fields if f.text not in held] == [], lang


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_plan_json_follows_its_schema(repo: Path, plan: ExamplePlan) -> None:
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    data = json.loads((out(repo, plan) / "plan.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(data)] == []


# ---- The PDF: fonts, tags, metadata, attachment -------------------------------------------------


def catalog(reader: PdfReader) -> Any:
    return reader.trailer["/Root"]


@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_the_pdf_is_tagged_titled_with_embedded_fonts_and_its_data(
    repo: Path, plan: ExamplePlan, lang: str
) -> None:
    path = out(repo, plan) / f"action-plan.{lang}.pdf"
    reader = PdfReader(path)
    root = catalog(reader)
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == lang
    vision = document(plan.name).vision
    title, _ = localized(vision.title, lang, document(plan.name).primary_language)
    assert reader.metadata is not None and reader.metadata.title == title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.attachments["plan.json"] == [plan_json(document(plan.name)).encode("utf-8")]
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts.stdout  # "emb"


# ---- Drafts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_a_draft_says_so_in_every_output_and_an_approved_plan_never(
    repo: Path, plan: ExamplePlan, lang: str
) -> None:
    folder = out(repo, plan)
    draft, not_approved = label(lang, "document.draft"), label(lang, "document.not_approved")
    html = (folder / f"action-plan.{lang}.html").read_text(encoding="utf-8")
    texts = {
        "html": re.sub(r"\s+", " ", html_text(html)),
        "pdf": clean(pdf_text(folder / f"action-plan.{lang}.pdf")),
        "docx": re.sub(r"\s+", " ", docx_text(folder / f"action-plan.{lang}.docx")),
    }
    payloads = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in (folder / "efiling").glob("*.json")
        if p.name != "manifest.json"
    ]
    if plan.approved:
        assert 'class="draft-banner"' not in html
        assert not re.search(r'<body class="[^"]*\bis-draft\b', html)
        assert [kind for kind, text in texts.items() if not_approved in text] == []
        assert all(payload["draft"] is False for payload in payloads)
    else:
        assert plan.name == DRAFT_PLAN
        assert 'class="draft-banner"' in html and re.search(r'<body class="[^"]*\bis-draft\b', html)
        for kind, text in texts.items():
            assert draft.casefold() in text.casefold() and not_approved in text, kind
        assert payloads and all(payload["draft"] is True for payload in payloads)


# ---- E-filing payloads --------------------------------------------------------------------------


def forms() -> dict[str, Any]:
    doc, problems = load_file(FORMS)
    assert not problems and isinstance(doc.data, dict)
    return doc.data


def field_value(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_the_manifest_lists_every_efiling_file_with_its_digest(
    repo: Path, plan: ExamplePlan
) -> None:
    folder = out(repo, plan) / "efiling"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert set(listed) == on_disk
    for name, entry in listed.items():
        data = (folder / name).read_bytes()
        assert entry["bytes"] == len(data), name
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name


def form_documents(plan: Plan) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(file stem, form, JSONPath prefix, document as JSON) of the action plan's forms."""
    data = json.loads(plan_json(plan))
    found = [("vision", "vision", "$.vision.", data["vision"])]
    for index, commitment in enumerate(data["commitments"]):
        stem = f"commitment-{commitment['id']}"
        found.append((stem, "commitment", f"$.commitments[{index}].", commitment))
    return found


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_each_payload_answers_the_forms_questions_by_number(repo: Path, plan: ExamplePlan) -> None:
    folder = out(repo, plan) / "efiling"
    model = document(plan.name)
    for stem, form, _, data in form_documents(model):
        payload = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        assert payload["form"] == form
        assert payload["member"] == model.member.id and payload["cycle"] == model.cycle
        spec = forms()[form]
        assert list(payload["answers"]) == list(spec["questions"]), stem
        assert list(payload["unnumbered"]) == list(spec["unnumbered"]), stem
        items = [
            (n, item, payload["answers"][n])
            for n, q in spec["questions"].items()
            for item in q["parts"]
        ]
        items += [(n, item, [payload["unnumbered"][n]]) for n, item in spec["unnumbered"].items()]
        for number, item, parts in items:
            value = field_value(data, item["field"])
            (part,) = [part for part in parts if part["field"] == item["field"]]
            assert part["answer"] == value, (stem, number, item["field"])
            assert part["answered"] is (value is not None), (stem, number, item["field"])


@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_each_fragment_holds_every_answer_of_its_form(
    repo: Path, plan: ExamplePlan, lang: str
) -> None:
    folder = out(repo, plan) / "efiling"
    model = document(plan.name)
    fields = text_fields(model, lang)
    for stem, _, prefix, _ in form_documents(model):
        fragment = (folder / f"{stem}.html").read_text(encoding="utf-8")
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        blocks = root.xpath(f'.//div[@lang="{lang}"]')
        assert blocks, stem
        text = " ".join(str(block.text_content()) for block in blocks)
        own = [f for f in fields if f.path.startswith(prefix) and f.markdown]
        assert own, stem
        assert missing(own, text) == [], stem
