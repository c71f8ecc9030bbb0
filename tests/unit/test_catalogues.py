"""Every label catalogue that comes with the templates is complete: the English keys, each
label's placeholders, plural forms where English has them, as many as CLDR gives the language
(Babel's `Plural-Forms`); and the validator's check of a repository's own catalogues."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

from actionplan.render.labels import (
    Plural,
    catalogue_languages,
    catalogue_path,
    load_catalogue,
    load_labels,
    plural_categories,
    read_catalogue,
)
from actionplan.validate.catalogues import check_catalogue, check_catalogues, placeholders

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LOCALES = TEMPLATES / "locales"
LANGUAGES = catalogue_languages(LOCALES)
ENGLISH = load_catalogue(catalogue_path(LOCALES, "en"))


def test_the_catalogues_are_po_files_only() -> None:
    assert {"en", "fr", "es"} <= set(LANGUAGES)
    assert not list(TEMPLATES.glob("labels/*.yaml")), "convert with scripts/labels_to_po.py"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(lang: str) -> None:
    """What the validator asks of a repository's catalogue, and no label missing at all."""
    path = catalogue_path(LOCALES, lang)
    assert [p.message for p in check_catalogue(path, ENGLISH)] == []
    catalog = read_catalogue(path)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [], "fuzzy: to review, and read in English until then"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_are_cldrs(lang: str) -> None:
    catalog = read_catalogue(catalogue_path(LOCALES, lang))
    babel = get_plural(lang)
    assert catalog.num_plurals == babel.num_plurals
    assert catalog.plural_expr == babel.plural_expr
    for message in catalog:
        if isinstance(message.id, tuple):
            assert len(message.string) == babel.num_plurals, message.id
            assert all(message.string), message.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_of_a_count_has_plural_forms(lang: str) -> None:
    """`(s)` is what plural forms replace; a label with a count placeholder but one text must
    read right for every count (a label of a total, `{sector} ({count})`)."""
    entries = load_catalogue(catalogue_path(LOCALES, lang))
    texts = [
        t for e in entries.values() for t in (e.forms.values() if isinstance(e, Plural) else [e])
    ]
    assert [t for t in texts if "(s)" in t or "(es)" in t] == []


def test_plural_categories_follow_gettexts_order() -> None:
    assert plural_categories("ar") == ("zero", "one", "two", "few", "many", "other")
    assert plural_categories("fr") == ("one", "many", "other")
    assert plural_categories("el") == plural_categories("en") == ("one", "other")
    index = gettext.c2py(get_plural("ar").plural_expr)
    assert [index(n) for n in (0, 1, 2, 3, 11, 100)] == [0, 1, 2, 3, 4, 5]


@pytest.mark.skipif("ar" not in LANGUAGES, reason="no Arabic catalogue")
def test_arabic_has_its_six_forms() -> None:
    arabic = load_labels(TEMPLATES, "ar")
    forms = {arabic.plural("diff.days", n, n=n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(forms) >= 4  # zero and one, few and other may share a wording
    entry = arabic.entries["progress_report.completion_value"]
    assert isinstance(entry, Plural) and set(entry.forms) == set(plural_categories("ar"))


def test_french_plurals_read_back() -> None:
    french = load_labels(TEMPLATES, "fr")
    key = "progress_report.completion_value"
    assert french.plural(key, 1, complete=1, counted=2) == "1 jalon achevé sur 2"
    assert french.plural(key, 2, complete=2, counted=2) == "2 jalons achevés sur 2"


def test_placeholders() -> None:
    assert placeholders("{complete} of {counted}") == {"complete", "counted"}
    with pytest.raises(ValueError):
        placeholders("a { b")


def test_a_repository_without_locales_has_nothing_to_check(tmp_path: Path) -> None:
    assert check_catalogues(tmp_path) == []


def test_a_repository_catalogue_babel_cannot_read_is_an_error(tmp_path: Path) -> None:
    path = catalogue_path(tmp_path / "locales", "nl")
    path.parent.mkdir(parents=True)
    path.write_text('msgid "a"\nmsgstr "b"\nmsgid\n', encoding="utf-8")
    (problem,) = check_catalogues(tmp_path)
    assert problem.rule == "catalogue-invalid" and problem.severity == "error"
    assert "not a PO catalogue" in problem.message
