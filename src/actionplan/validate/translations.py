"""Language rules: the primary language is always there, translations are complete."""

from __future__ import annotations

from collections.abc import Iterator

import pycountry

from actionplan.model.schemas import iter_localized
from actionplan.problems import Problem, Severity
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile

# Warnings about missing translations cover the documents a member publishes in every language.
_TRANSLATED_KINDS = ("member", "vision", "commitment")


def is_language(code: str) -> bool:
    return pycountry.languages.get(alpha_2=code) is not None


def check_languages(plan: LoadedPlan) -> Iterator[Problem]:
    member = plan.member_model
    if member is None or plan.member is None:
        return
    yield from _member_codes(plan.member, member.country, member.languages)
    for src in plan.sources():
        if src.model is not None:
            yield from _check_file(src, member.languages)


def _member_codes(src: SourceFile, country: str, languages: list[str]) -> Iterator[Problem]:
    if pycountry.countries.get(alpha_2=country) is None:
        yield src.at(
            ("country",), "unknown-code", f"`{country}` is not an ISO 3166-1 alpha-2 country code"
        )
    seen: set[str] = set()
    for index, code in enumerate(languages):
        if not is_language(code):
            yield src.at(
                ("languages", index), "unknown-code", f"`{code}` is not an ISO 639-1 language code"
            )
        if code in seen:
            yield src.at(("languages", index), "duplicate-id", f"language `{code}` is listed twice")
        seen.add(code)


def _check_file(src: SourceFile, languages: list[str]) -> Iterator[Problem]:
    primary = languages[0]
    translated = src.kind in _TRANSLATED_KINDS
    # What a plain string lacks (it counts as the primary language): the same for every value.
    others = [code for code in languages if code != primary]
    for path, value in iter_localized(src.kind, src.doc.data):
        if not isinstance(value, dict) and not (others and translated):
            continue  # the common case: a plain string where nothing else is expected
        name = str(path[-1]) if isinstance(path[-1], str) else f"item {int(path[-1]) + 1}"
        if isinstance(value, dict):
            if primary not in value:
                yield src.at(
                    path,
                    "primary-language-missing",
                    f"`{name}` has no text in the primary language `{primary}`",
                    key=True,
                )
            for code in value:
                if code not in languages:
                    yield src.at(
                        (*path, code),
                        "unknown-language",
                        f"`{code}` is not one of the member's languages "
                        f"({', '.join(languages)}); it will not be published",
                        key=True,
                        severity=Severity.WARNING,
                    )
            present = set(value) | {primary}  # a missing primary is the error above
        else:
            present = {primary}
        missing = [code for code in languages if code not in present]
        if missing and src.kind in _TRANSLATED_KINDS:
            yield src.at(
                path,
                "missing-translation",
                f"`{name}` has no translation in {', '.join(missing)}",
                key=True,
                severity=Severity.WARNING,
            )
