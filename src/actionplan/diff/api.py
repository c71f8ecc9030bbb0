"""The diff as a library: load two sides, compare them, render the result."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from actionplan.diff.compare import compare, side
from actionplan.diff.model import PlanDiff
from actionplan.diff.present import Presenter
from actionplan.diff.sources import Side, load_side
from actionplan.errors import UsageError
from actionplan.model.common import LANG_PATTERN
from actionplan.problem_report import printable
from actionplan.render.labels import load_labels

FORMATS = ("text", "markdown", "html", "json")
DEFAULT_TEXT_LANG = "en"
SOURCE_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
_LANGUAGE = re.compile(LANG_PATTERN)


@dataclass
class Comparison:
    """Both sides as loaded, and their diff."""

    old: Side
    new: Side
    diff: PlanDiff


def diff_sides(old: Side, new: Side) -> PlanDiff:
    return compare(
        old.plan,
        new.plan,
        side(old.plan, old.source, old.path, old.revision, old.commit),
        side(new.plan, new.source, new.path, new.revision, new.commit),
    )


def diff_arguments(old: str, new: str) -> Comparison:
    """Load both sides (folders or REV:PATH) and compare them."""
    before = load_side(old)
    after = load_side(new)
    return Comparison(before, after, diff_sides(before, after))


def find_templates(comparison: Comparison, given: str | None) -> Path:
    """The templates folder: as given, else beside the new plan's plans/ (or the old's), else
    ./templates, else the templates of the source tree this tool runs from."""
    candidates = [Path(given)] if given else []
    if not given:
        for found in (comparison.new, comparison.old):
            if found.root is not None:
                candidates.append(found.root / "templates")
        candidates.append(Path("templates"))
        candidates.append(SOURCE_TEMPLATES)
    for folder in candidates:
        if (folder / "locales" / "en" / "LC_MESSAGES" / "actionplan.po").is_file():
            return folder
    raise UsageError(
        f"{candidates[0] if candidates else 'templates'}: no label catalogues "
        "(templates/locales/*/LC_MESSAGES/actionplan.po); pass --templates DIR"
    )


def language(lang: str) -> str:
    """`lang` when it is a language code; a UsageError otherwise: the catalogue's file name
    is made from it, so a path (`../../etc/passwd`) would have any file read as labels."""
    if not _LANGUAGE.fullmatch(lang):
        raise UsageError(
            f"`{printable(lang)}` is not a language code: give two lower-case letters "
            "(ISO 639-1), such as en, fr or es"
        )
    return lang


def to_json(diff: PlanDiff) -> str:
    """The diff as JSON, following schemas/diff.schema.json."""
    data = diff.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(
    diff: PlanDiff, fmt: str, templates: Path, lang: str | None = None, color: bool = False
) -> str:
    """The diff in one of FORMATS. Labels in `lang`: by default English for text and Markdown,
    and the new plan's primary language for HTML."""
    if fmt == "json":
        return to_json(diff)
    if fmt == "html":
        from actionplan.diff.html import render_html

        return render_html(diff, templates, language(lang or diff.new.languages[0]))
    from actionplan.diff.text import render_markdown, render_text

    presenter = Presenter(diff, load_labels(templates, language(lang or DEFAULT_TEXT_LANG)))
    if fmt == "markdown":
        return render_markdown(diff, presenter)
    return render_text(diff, presenter, color=color)


__all__ = [
    "FORMATS",
    "Comparison",
    "PlanDiff",
    "diff_arguments",
    "diff_sides",
    "find_templates",
    "language",
    "render",
    "to_json",
]
