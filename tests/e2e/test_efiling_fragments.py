"""E-filing fragments a team can paste: every word the tool adds in the fragment's language (no
English label, raw enum value, boolean or ISO date inside a French or Spanish block), every
part of every form listed (a blank one marked), unnumbered parts apart from the numbered
questions, and each question number marked attested or assumed, in the JSON and the HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import lxml.html
import pytest
from lxml.html import HtmlElement

from actionplan.merge import Plan
from actionplan.render import efiling
from actionplan.render.labels import enum_groups, load_labels
from helpers import ROOT, load_merged

TEMPLATES = ROOT / "templates"
PARIS = ROOT / "plans" / "paris" / "2024-2026"  # French and English
BUENOS_AIRES = ROOT / "plans" / "buenos-aires" / "2026-2027"  # Spanish
SCOTLAND = ROOT / "plans" / "scotland" / "2023-2025"  # every monitoring form
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FORM_OF = {
    "commitment-": "commitment",
    "progress-": "progress",
    "end-of-commitment-": "end_of_commitment",
}


@cache
def plan(name: str) -> Plan:
    days = {"paris": dt.date(2026, 1, 1), "buenos-aires": dt.date(2026, 7, 1)}
    days["scotland"] = dt.date(2026, 3, 1)
    folder = {"paris": PARIS, "buenos-aires": BUENOS_AIRES, "scotland": SCOTLAND}[name]
    return load_merged(folder, days[name])


@cache
def files(name: str) -> dict[str, str]:
    return efiling.payloads(plan(name), TEMPLATES)


def form_of(stem: str) -> str:
    for prefix, form in FORM_OF.items():
        if stem.startswith(prefix):
            return form
    return stem.replace("-", "_")


def fragments(name: str) -> Iterator[tuple[str, str, HtmlElement, dict[str, Any]]]:
    """(file stem, form, fragment, payload) of every form of a plan."""
    for file, text in sorted(files(name).items()):
        if file.endswith(".html"):
            stem = file.removesuffix(".html")
            root = lxml.html.fragment_fromstring(text, create_parent="div")
            yield stem, form_of(stem), root, json.loads(files(name)[f"{stem}.json"])


def english_words() -> set[str]:
    """What an untranslated fragment showed: English labels, raw enum values, booleans and the
    data's keys as the old fragments printed them ("Expected output", "Kind")."""
    english = load_labels(TEMPLATES, "en")
    words = {english.text(key) for key in english.entries if "{" not in str(english.entries[key])}
    for values in enum_groups().values():
        words |= set(values)
    words |= {"True", "False", "true", "false"}
    return words


def keys_of(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def shown_text(root: HtmlElement, lang: str) -> list[str]:
    """Every text the fragment shows a reader of `lang` (headings and answers), piece by piece;
    identifiers in `<code>` are the plan's own."""
    pieces: list[str] = []
    for element in root.xpath(f'.//*[@lang="{lang}"]'):
        for node in element.iter():
            if node.tag == "code":
                continue
            pieces += [" ".join(t.split()) for t in (node.text, node.tail) if t and t.strip()]
    return pieces


@pytest.mark.parametrize(("name", "lang"), [("paris", "fr"), ("buenos-aires", "es")])
def test_no_english_word_or_raw_value_in_a_french_or_spanish_fragment(name: str, lang: str) -> None:
    own = load_labels(TEMPLATES, lang)
    allowed = {own.text(key) for key in own.entries if "{" not in str(own.entries[key])}
    forbidden = english_words() - allowed
    for stem, _, root, payload in fragments(name):
        answers = [p["answer"] for parts in payload["answers"].values() for p in parts]
        answers += [p["answer"] for p in payload.get("unnumbered", {}).values()]
        keys = set(keys_of(answers))
        keyish = keys | {k.replace("_", " ").capitalize() for k in keys}
        pieces = shown_text(root, lang)
        assert pieces, stem
        for piece in pieces:
            assert piece not in forbidden, (stem, piece)
            assert piece.rstrip(":") not in keyish - allowed, (stem, piece)
            assert not ISO_DATE.fullmatch(piece), (stem, piece)


def test_the_old_english_words_are_gone_from_a_french_commitment() -> None:
    root = lxml.html.fragment_fromstring(
        files("paris")["commitment-assemblee-citoyenne.html"], create_parent="div"
    )
    french = " ".join(shown_text(root, "fr"))
    for english in ("Name", "Submitted", "True", "public-participation", "Expected output"):
        assert english not in french
    assert "Soumis au défi du PGO" in french and "Oui" in french
    assert "Participation du public" in french and "Résultat attendu" in french
    assert "15 janvier 2024" in french  # a milestone's start, by Babel


def test_vision_values_read_in_french() -> None:
    root = lxml.html.fragment_fromstring(files("paris")["vision.html"], create_parent="div")
    (approval,) = root.xpath('//section[@data-question="7"]/div[@lang="fr"]')
    text = " ".join(approval.text_content().split())
    assert "Conseil local" in text and "council" not in text
    assert "13 décembre 2023" in text
    (people,) = root.xpath('//section[@data-field="co_creation.participants"]/div[@lang="fr"]')
    assert "Point de contact du gouvernement (PCG)" in people.text_content()
    assert "government-point-of-contact" not in people.text_content()


@pytest.mark.parametrize("name", ["paris", "scotland"])
def test_every_part_of_every_form_is_listed(name: str) -> None:
    for stem, form, root, payload in fragments(name):
        expected = efiling.questions(form)
        numbered = [(q.number, q.field) for q in expected if q.numbered]
        unnumbered = [(q.number, q.field) for q in expected if not q.numbered]
        in_json = [(n, p["field"]) for n, parts in payload["answers"].items() for p in parts]
        assert in_json == numbered, stem
        assert [(n, p["field"]) for n, p in payload["unnumbered"].items()] == unnumbered, stem
        sections = root.xpath("./section[@data-question]")
        assert [(s.get("data-question"), s.get("data-field")) for s in sections] == numbered
        (others,) = root.xpath("./section[@class='unnumbered']")
        parts = others.xpath("./section")
        assert [(s.get("data-part"), s.get("data-field")) for s in parts] == unnumbered
        assert root.xpath("./section")[-1] is others  # after the numbered questions


def blank_plan() -> Plan:
    """Paris's plan with optional answers left blank: the foreword, the filing date, a
    commitment's resources and its Open Gov Challenge."""
    base = plan("paris")
    vision = base.vision.model_copy(update={"foreword": None, "submitted": None})
    first, *rest = base.commitments
    first = first.model_copy(update={"resources": None, "open_gov_challenge": None})
    return base.model_copy(update={"vision": vision, "commitments": [first, *rest]})


def test_a_blank_answer_is_listed_and_marked() -> None:
    built = efiling.payloads(blank_plan(), TEMPLATES)
    first = blank_plan().commitments[0].id
    vision = json.loads(built["vision.json"])
    (foreword,) = vision["answers"]["2"]
    assert (foreword["answered"], foreword["answer"]) == (False, None)
    assert vision["unnumbered"]["submitted"]["answered"] is False
    assert vision["answers"]["3"][0]["answered"] is True
    commitment = json.loads(built[f"commitment-{first}.json"])
    assert commitment["answers"]["15"][0]["answered"] is False
    assert commitment["unnumbered"]["open_gov_challenge"]["answer"] is None
    root = lxml.html.fragment_fromstring(built["vision.html"], create_parent="div")
    (section,) = root.xpath('//section[@data-field="foreword"]')
    assert section.get("data-answered") == "false"
    blank = {div.get("lang"): div.text_content() for div in section.findall("div")}
    assert blank == {"fr": "(sans réponse)", "en": "(no answer)"}
    (filed,) = root.xpath('//section[@data-part="submitted"]')
    assert filed.get("data-answered") == "false"
    assert "(sans réponse)" in filed.text_content()


def test_unnumbered_parts_have_no_number() -> None:
    root = lxml.html.fragment_fromstring(
        files("paris")["commitment-assemblee-citoyenne.html"], create_parent="div"
    )
    headings = [" ".join(h.text_content().split()) for h in root.iter("h3", "h4")]
    for part in ("period", "milestones", "open_gov_challenge", "title"):
        assert not any(h.startswith(f"{part}.") for h in headings), part
    (others,) = root.xpath("./section[@class='unnumbered']")
    assert [h.text for h in others.findall("h3")] == [
        "Autres parties du formulaire",
        "Other parts of the form",
    ]
    assert [h.text for h in others.xpath("./section/h4[@lang='fr']")] == [
        "Dates de début et de fin de l'engagement",
        "L'engagement est-il soumis au défi du PGO, et dans quel domaine ?",
        "Étapes",
    ]


ATTESTED = {"vision": {"7"}, "commitment": {str(n) for n in range(2, 17)}}


@pytest.mark.parametrize("form", ["vision", "commitment"])
def test_attested_and_assumed_numbers_in_the_json(form: str) -> None:
    stem = "vision" if form == "vision" else "commitment-assemblee-citoyenne"
    payload = json.loads(files("paris")[f"{stem}.json"])
    for number, parts in payload["answers"].items():
        for part in parts:
            assert part["attested"] is (number in ATTESTED[form]), (number, part["field"])
            assert part["source"], number
            if part["attested"]:
                assert "Manuel de co-création PGO Local, 3." in part["source"]
                assert "question" in part["source"]
    assert payload["answers"]["7" if form == "vision" else "6"][0]["attested"] is True
    assert all("attested" not in part for part in payload["unnumbered"].values())


@pytest.mark.parametrize("name", ["paris", "buenos-aires"])
def test_assumed_numbers_are_marked_in_the_fragment_and_explained_once(name: str) -> None:
    for stem, form, root, _ in fragments(name):
        if form not in ATTESTED:
            continue
        for section in root.xpath("./section[@data-question]"):
            number = section.get("data-question")
            attested = number in ATTESTED[form]
            assert section.get("data-attested") == str(attested).lower(), (stem, number)
            prefix = f"{number}. " if attested else f"{number}{efiling.ASSUMED_MARK}. "
            for heading in section.findall("h3"):
                assert heading.text.startswith(prefix), (stem, heading.text)
        notes = root.xpath("./p[@class='numbering-note']")
        languages = plan(name).member.languages
        assert [note.get("lang") for note in notes] == list(languages), stem
        assert all(efiling.ASSUMED_MARK in note.text for note in notes)
        assert root.index(notes[-1]) < root.index(root.xpath("./section")[0])


def test_the_explanation_is_in_the_readers_language() -> None:
    root = lxml.html.fragment_fromstring(files("buenos-aires")["vision.html"], create_parent="div")
    (note,) = root.xpath("./p[@class='numbering-note']")
    assert note.get("lang") == "es"
    assert note.text.startswith("Los números de pregunta marcados con *")


def test_a_language_without_a_catalogue_marks_its_english_words() -> None:
    base = plan("paris")
    member = base.member.model_copy(update={"languages": ["fr", "de"]})
    built = efiling.payloads(base.model_copy(update={"member": member}), TEMPLATES)
    root = lxml.html.fragment_fromstring(
        built["commitment-assemblee-citoyenne.html"], create_parent="div"
    )
    (challenge,) = root.xpath('//section[@data-part="open_gov_challenge"]/div[@lang="de"]')
    assert {dt.get("lang") for dt in challenge.iter("dt")} == {"en"}
    assert [s.text for s in challenge.xpath(".//dd/span[@lang='en']")] == [
        "Yes",
        "Public Participation",
    ]
    assert root.xpath("./p[@class='numbering-note']/@lang") == ["fr", "en"]


def test_a_form_numbering_without_its_attestation_is_refused() -> None:
    spec = {
        "sources": {"handbook": "the handbook"},
        "vision": {
            "questions": {
                "1": {"attested": "yes", "source": "handbook", "parts": [{}]},
                "2": {"attested": True, "source": "elsewhere", "parts": [{}]},
                "3": {"attested": False, "source": "handbook", "parts": []},
                "4": {"attested": False, "source": "handbook", "parts": [{}]},
            }
        },
    }
    assert efiling.numbering_problems(spec) == [
        "vision.questions.1: `attested` must be true or false",
        "vision.questions.2: `source` must name one of `sources`",
        "vision.questions.3: `parts` lists no answer",
    ]


def test_the_payloads_stay_byte_identical() -> None:
    assert efiling.payloads(plan("paris"), TEMPLATES) == efiling.payloads(plan("paris"), TEMPLATES)
