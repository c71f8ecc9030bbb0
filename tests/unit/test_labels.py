"""Label catalogues: the same keys in every language, a label for every enum value."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel

from actionplan.model import KINDS
from actionplan.render.labels import (
    ENUM_FIELDS,
    SHARED_ENUM_FIELDS,
    Labels,
    catalogue_languages,
    catalogue_path,
    enum_groups,
    enum_values,
    load_catalogue,
    load_labels,
    text_direction,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LANGUAGES = catalogue_languages(TEMPLATES)


def test_english_french_spanish_exist() -> None:
    assert {"en", "fr", "es"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_exactly_the_english_keys(lang: str) -> None:
    english = set(load_catalogue(catalogue_path(TEMPLATES, "en")))
    other = set(load_catalogue(catalogue_path(TEMPLATES, lang)))
    assert sorted(english - other) == [], f"missing in {lang}.yaml"
    assert sorted(other - english) == [], f"not in en.yaml, so unused in {lang}.yaml"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_is_filled(lang: str) -> None:
    entries = load_catalogue(catalogue_path(TEMPLATES, lang))
    assert all(value.strip() for value in entries.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_enum_value_has_a_label(lang: str) -> None:
    entries = load_catalogue(catalogue_path(TEMPLATES, lang))
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
    labels = load_labels(TEMPLATES, "pt")
    assert labels.fallback and labels.catalogue == "en"
    assert labels.text("section.vision") == "Strategic vision"
    assert labels.date(dt.date(2024, 3, 1)) == "1 de março de 2024"  # the reader's format


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
    with pytest.raises(Exception, match="no label"):
        labels.text("nowhere")
