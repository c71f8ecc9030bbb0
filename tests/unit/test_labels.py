"""Label catalogues (gettext PO files): a label for every enum value, fallbacks, dates.

That every catalogue has the English keys, placeholders and plural forms is
tests/unit/test_catalogues.py."""

from __future__ import annotations

import datetime as dt
import shutil
import typing
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel

from actionplan.fsutil import shown
from actionplan.model import KINDS
from actionplan.render.labels import (
    ENUM_FIELDS,
    SHARED_ENUM_FIELDS,
    LabelError,
    Labels,
    catalogue_files,
    catalogue_languages,
    catalogue_path,
    enum_groups,
    enum_values,
    fallback_warning,
    load_catalogue,
    load_labels,
    text_direction,
)
from helpers import BASE_PLAN, ROOT, load_merged

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LOCALES = TEMPLATES / "locales"
LANGUAGES = catalogue_languages(LOCALES)


def test_english_french_spanish_exist() -> None:
    assert {"en", "fr", "es"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_enum_value_has_a_label(lang: str) -> None:
    entries = load_catalogue(catalogue_path(LOCALES, lang))
    missing = [
        f"enum.{group}.{value}"
        for group, values in enum_groups().items()
        for value in values
        if f"enum.{group}.{value}" not in entries
    ]
    assert missing == []


def _models(root: type[BaseModel]) -> set[type[BaseModel]]:
    found = {root}
    for info in root.model_fields.values():
        for arg in _flatten(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in found:
                found |= _models(arg)
    return found


def _flatten(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    if not args or typing.get_origin(annotation) is Literal:
        return [annotation]
    return [leaf for arg in args for leaf in _flatten(arg)]


def test_every_enum_field_of_the_models_is_labelled() -> None:
    """A new Literal field in the models must get a group in ENUM_FIELDS (and labels)."""
    labelled = {(model, field) for model, field in ENUM_FIELDS.values()}
    labelled |= {where for shared in SHARED_ENUM_FIELDS.values() for where in shared}
    models = set().union(*(_models(kind.model) for kind in KINDS.values()))
    enums = {
        (model, name)
        for model in models
        for name, info in model.model_fields.items()
        if any(typing.get_origin(leaf) is Literal for leaf in _flatten(info.annotation))
    }
    assert sorted(f"{m.__name__}.{f}" for m, f in enums - labelled) == []


def test_a_shared_enum_field_has_its_groups_values() -> None:
    for group, shared in SHARED_ENUM_FIELDS.items():
        for model, field in shared:
            assert enum_values(model, field) == enum_values(*ENUM_FIELDS[group]), field


def test_unknown_language_falls_back_to_english() -> None:
    labels = load_labels(TEMPLATES, "nl")
    assert labels.fallback and labels.catalogue == "en"
    assert labels.text("section.vision") == "Strategic vision"
    assert labels.date(dt.date(2024, 3, 1)) == "1 maart 2024"  # the reader's format
    assert fallback_warning(TEMPLATES, "nl") == (
        "no label catalogue for `nl`: the documents' headings and labels are in English "
        f"(add {shown(ROOT / 'locales/nl/LC_MESSAGES/actionplan.po')} to translate them)"
    )
    assert fallback_warning(TEMPLATES, "fr") is None


def test_dates_and_placeholders_in_the_readers_language() -> None:
    french = load_labels(TEMPLATES, "fr")
    assert not french.fallback
    assert french.date(dt.date(2024, 3, 1)) == "1 mars 2024"
    assert french.text("commitment.heading", number=2) == "Engagement 2 :"
    assert load_labels(TEMPLATES, "es").date(dt.date(2024, 3, 1)) == "1 de marzo de 2024"
    assert french.country("AR") == "Argentine"


def test_statuses_use_the_handbook_words_in_french() -> None:
    french = load_labels(TEMPLATES, "fr")
    words = [french.enum("status", s) for s in ("complete", "in-progress", "stalled", "abandoned")]
    assert [w.lower() for w in words] == ["achevée", "en cours", "bloquée", "abandonnée"]


def test_direction() -> None:
    assert [text_direction(code) for code in ("ar", "he", "fa", "ur", "fr")] == [
        "rtl",
        "rtl",
        "rtl",
        "rtl",
        "ltr",
    ]


def test_missing_label_is_an_error() -> None:
    labels = Labels(lang="en", catalogue="en", entries={})
    with pytest.raises(LabelError, match="no label"):
        labels.text("nowhere")


def test_plural_labels_take_the_form_of_their_count() -> None:
    french = load_labels(TEMPLATES, "fr")
    key = "progress_report.completion_value"
    assert french.plural(key, 1, complete=1, counted=1) == "1 jalon achevé sur 1"
    assert french.plural(key, 2, complete=2, counted=3) == "2 jalons achevés sur 3"
    assert french.plural(key, 0, complete=0, counted=3) == "0 jalon achevé sur 3"  # CLDR: one
    note = "progress_report.abandoned_note"
    assert french.plural(note, 1, abandoned=1) == "(1 abandonné, non compté)"
    assert french.plural(note, 2, abandoned=2) == "(2 abandonnés, non comptés)"
    english = load_labels(TEMPLATES, "en")
    assert english.plural("diff.days", 1, n=1) == "1 day"
    assert english.plural("diff.days", 0, n=0) == "0 days"
    with pytest.raises(LabelError, match="depends on a count"):
        english.text("diff.days")
    with pytest.raises(LabelError, match="no plural forms"):
        english.plural("section.vision", 2)


def test_a_repository_catalogue_adds_a_language_over_english(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(LOCALES / "en", templates / "locales" / "en")
    own = tmp_path / "locales" / "nl" / "LC_MESSAGES"
    own.mkdir(parents=True)
    (own / "actionplan.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        'msgid "section.vision"\nmsgstr "Strategische visie"\n\n'
        'msgid "diff.days"\nmsgid_plural "diff.days"\nmsgstr[0] "{n} dag"\nmsgstr[1] "{n} dagen"\n',
        encoding="utf-8",
    )
    labels = load_labels(templates, "nl")
    assert not labels.fallback and labels.source == own / "actionplan.po"
    assert labels.text("section.vision") == "Strategische visie"
    assert [labels.plural("diff.days", n, n=n) for n in (1, 2)] == ["1 dag", "2 dagen"]
    assert labels.text("section.commitments") == "Commitments"  # not translated yet: English
    assert fallback_warning(templates, "nl") is None
    assert own / "actionplan.po" in catalogue_files(templates)


def test_a_catalogue_babel_cannot_read_is_a_message(tmp_path: Path) -> None:
    path = catalogue_path(tmp_path, "en")
    path.parent.mkdir(parents=True)
    path.write_text('msgid "a"\nmsgstr "b"\nmsgid\n', encoding="utf-8")
    with pytest.raises(LabelError, match="not a PO catalogue"):
        load_catalogue(path)


def test_templates_can_use_jinja_i18n(tmp_path: Path) -> None:
    """`{% trans %}` and `ngettext` read the document's catalogue, values escaped."""
    from actionplan.render.html import View, environment

    shutil.copytree(LOCALES, tmp_path / "locales")
    (tmp_path / "t.j2").write_text(
        "{% trans %}section.vision{% endtrans %}|"
        "{{ ngettext('progress_report.abandoned_note', 'progress_report.abandoned_note', n,"
        " abandoned=n) }}|{{ gettext('document.period', start='<b>', end='%') }}",
        encoding="utf-8",
    )
    plan = load_merged(BASE_PLAN)
    for lang, expected in (
        ("fr", "Vision stratégique|(1 abandonné, non compté)|du &lt;b&gt; au %"),
        ("nl", '<span lang="en">Strategic vision</span>|'),
    ):
        view = View(plan=plan, labels=load_labels(tmp_path, lang), lang=lang, primary="en")
        html = environment(tmp_path).get_template("t.j2").render(view=view, n=1)
        assert html.startswith(expected), html
