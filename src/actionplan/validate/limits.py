"""Limits of a plan as a whole: what no single file's schema can bound.

Each text and list has its own limit in the models; these bound what the documents built from
the plan hold in all, since every page WeasyPrint lays out stays in memory until the PDF is
written, and the plan's PDFs (one per language) are built one after another: the number of
commitments, and the characters of all the values as the documents of every language show them.
The co-creation record (forum, roadmap, meetings, contributions) is shown by the co-creation
report alone, not by the action plan, and has a bound of its own: a consultation gathers
hundreds of contributions, far more text than a plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.model.common import (
    MAX_BUILD_CHARS,
    MAX_COMMITMENTS,
    MAX_PLAN_CHARS,
    VALUE_CHARS,
)
from actionplan.model.schemas import iter_localized
from actionplan.problems import DataPath, Problem
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile

_LARGEST_SHOWN = 3
RECORD_KINDS = frozenset({"forum", "roadmap", "meeting", "contributions"})
"""The kinds of file of the co-creation record, which the co-creation report shows."""
MAX_RECORD_CHARS = 2_000_000
"""Characters of the co-creation record in any one language, counted like a plan's: about what
one contributions file at its size limit (2 MiB) holds, so that no consultation a file can hold
is refused for its text. 2,000 contributions of 660 characters (1.7 million, counted so), each
with its facts and response in a page like the report's, made 1,201 A4 pages in 72 s of CPU
and 871 MiB (WeasyPrint alone, measured once)."""
MAX_RECORD_BUILD_CHARS = 2 * MAX_RECORD_CHARS
"""The same in all the member's languages together (the reports are built one after another)."""


@dataclass(frozen=True)
class _Budget:
    """What one family of documents may hold: the files it counts and its two totals."""

    name: str
    record: bool
    one: int
    every: int


_PLAN = _Budget("the plan", False, MAX_PLAN_CHARS, MAX_BUILD_CHARS)
_RECORD = _Budget("the co-creation record", True, MAX_RECORD_CHARS, MAX_RECORD_BUILD_CHARS)


def check_limits(plan: LoadedPlan) -> Iterator[Problem]:
    """A plan too large to build: too many commitments, or too much text."""
    yield from _commitments(plan)
    for budget in (_PLAN, _RECORD):
        yield from _characters(plan, budget)


def _counted(plan: LoadedPlan, budget: _Budget) -> list[SourceFile]:
    # Like the rules across files, on the files that passed their schema: a text over its own
    # limit is reported once, at the text.
    return [
        src
        for src in plan.sources()
        if src.model is not None and (src.kind in RECORD_KINDS) == budget.record
    ]


def _commitments(plan: LoadedPlan) -> Iterator[Problem]:
    count = len(plan.commitments)
    if count <= MAX_COMMITMENTS:
        return
    first_over = sorted(plan.commitments, key=lambda s: s.path)[MAX_COMMITMENTS]
    yield first_over.at(
        (),
        "plan-too-large",
        f"the plan has {count} commitments; a plan may have at most {MAX_COMMITMENTS} (this "
        f"is number {MAX_COMMITMENTS + 1}, in file name order): merge some, or move them to "
        "the next plan",
    )


_Sizes = list[tuple[SourceFile, list[int]]]


def _characters(plan: LoadedPlan, budget: _Budget) -> Iterator[Problem]:
    languages: tuple[str | None, ...] = plan_languages(plan) or (None,)
    valid = [(src, _size(src.doc.data)) for src in _counted(plan, budget)]
    # Counting every translation bounds what the documents of any one language show: most
    # plans are cleared by it, without walking their localized texts.
    bound = sum(size for _, size in valid)
    if bound <= budget.one and bound * len(languages) <= budget.every:
        return
    sizes = [
        (src, sizes_by_language(src.kind, src.doc.data, languages, every)) for src, every in valid
    ]
    by_language = [sum(found[i] for _, found in sizes) for i in range(len(languages))]
    worst = max(range(len(languages)), key=by_language.__getitem__)
    if by_language[worst] > budget.one:
        yield _one_language(plan, budget, languages, worst, by_language[worst], sizes)
    elif sum(by_language) > budget.every:
        yield _all_languages(plan, budget, len(languages), sum(by_language), sizes)


def _one_language(
    plan: LoadedPlan,
    budget: _Budget,
    languages: tuple[str | None, ...],
    index: int,
    total: int,
    sizes: _Sizes,
) -> Problem:
    code = languages[index]
    where = f" in `{code}`" if len(languages) > 1 else ""
    return _too_much(
        plan,
        budget,
        f"{budget.name}'s values count {total:,} characters{where} ({_how(code is not None)}); "
        f"{_article(budget)} may hold at most {budget.one:,} in any one language",
        _largest(plan, [(src, found[index]) for src, found in sizes]),
    )


def _all_languages(
    plan: LoadedPlan, budget: _Budget, count: int, total: int, sizes: _Sizes
) -> Problem:
    return _too_much(
        plan,
        budget,
        f"{budget.name}'s values count {total:,} characters in its {count} languages together "
        f"({_how(True, 'each')}); {_article(budget)} may hold at most {budget.every:,} in all "
        "its languages",
        _largest(plan, [(src, sum(found)) for src, found in sizes]),
    )


def _article(budget: _Budget) -> str:
    """`a plan` (the messages' wording since the limits were set), `a co-creation record`."""
    return "a " + budget.name.removeprefix("the ")


def _too_much(plan: LoadedPlan, budget: _Budget, what: str, files: str) -> Problem:
    """The problem of too much text, at the longest text counted: the first to shorten."""
    holder, path, longest = max(
        ((src, *_longest(src.doc.data, ())) for src in _counted(plan, budget)),
        key=lambda found: found[2],
    )
    return holder.at(
        path,
        "plan-too-large",
        f"{what}, so that its documents can be built: shorten its texts or lists, starting "
        f"with the longest text, this one ({longest:,} characters); the files holding most: "
        f"{files}",
    )


def _largest(plan: LoadedPlan, sizes: list[tuple[SourceFile, int]]) -> str:
    largest = sorted(sizes, key=lambda item: -item[1])[:_LARGEST_SHOWN]
    return ", ".join(f"{_short_name(plan, src)} {size:,}" for src, size in largest)


def _how(languages_known: bool, which: str = "that") -> str:
    each = f"each value its length plus {VALUE_CHARS}"
    if not languages_known:
        return f"{each}, a localized text in its longest language"
    return (
        f"{each}, as the documents in {which} language show it: in the primary language where "
        "a translation is missing"
    )


def plan_languages(plan: LoadedPlan) -> tuple[str, ...]:
    """The languages the plan's documents are built in; none when the member file is not
    valid (its own problems are reported)."""
    member = plan.member_model
    return tuple(dict.fromkeys(member.languages)) if member is not None else ()


def sizes_by_language(
    kind: str, data: Any, languages: Sequence[str | None], every: int | None = None
) -> list[int]:
    """What a document counts towards its plan's totals in each language: the length of each
    value plus VALUE_CHARS, as the documents of that language show it (the translation, else
    the primary language's text, the first of `languages`); for `None`, a localized text in
    its longest language. `every` is `_size(data)`, when known."""
    every = _size(data) if every is None else every
    out = [every] * len(languages)
    for _, value in iter_localized(kind, data):
        if not isinstance(value, dict):
            continue
        texts = {
            code: len(text) + VALUE_CHARS for code, text in value.items() if isinstance(text, str)
        }
        if texts:
            all_of_them = sum(texts.values())
            for index, code in enumerate(languages):
                out[index] += _shown(texts, code, languages[0]) - all_of_them
    return out


def _shown(sizes: dict[str, int], code: str | None, primary: str | None) -> int:
    if code is None:
        return max(sizes.values())
    for candidate in (code, primary):
        if candidate in sizes:
            return sizes[candidate]
    return next(iter(sizes.values()))


def _size(node: Any) -> int:
    if isinstance(node, str):
        return len(node) + VALUE_CHARS
    if isinstance(node, dict):
        return sum(map(_size, node.values()))
    if isinstance(node, list):
        return sum(map(_size, node))
    return 0 if node is None else VALUE_CHARS  # numbers and flags; an empty value is an error


def _longest(node: Any, path: DataPath) -> tuple[DataPath, int]:
    """The path and length of the longest text below `node`."""
    if isinstance(node, str):
        return path, len(node)
    if not isinstance(node, dict | list):
        return path, -1
    items = node.items() if isinstance(node, dict) else enumerate(node)
    found = [_longest(value, (*path, key)) for key, value in items]
    return max(found, key=lambda item: item[1], default=(path, -1))


def _short_name(plan: LoadedPlan, src: SourceFile) -> str:
    """A file's name within its plan folder: commitments/x.yaml, vision.yaml."""
    for folder in (plan.files.cycle_dir, plan.files.member_dir):
        if folder is not None and src.path.is_relative_to(folder):
            return str(src.path.relative_to(folder))
    return Path(src.display).name
