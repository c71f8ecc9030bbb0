"""Value types shared by every plan document: text, localized text, dates, people."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

# Size limits, far above what real plans hold (the examples hold a few hundred characters per
# text and a few milestones per commitment) and low enough that the worst valid plan still
# builds: benchmarks/limits.py measures its PDF. Texts count characters (code points), as JSON
# Schema's maxLength does.
MAX_TEXT_CHARS = 20_000
"""Characters of one text (one language of a localized text): some six printed pages."""
MAX_NAME_CHARS = 300
"""Characters of a name, a title or any other plain text, which headings and running heads
repeat."""
MAX_URL_CHARS = 2_000
MAX_TRANSLATIONS = 10
"""Languages of one localized text."""
MAX_LANGUAGES = 5
"""Languages of a member: each is one more set of documents to build."""
MAX_MILESTONES = 40
"""Milestones of one commitment."""
MAX_ENTRIES = 500
"""Entries of one progress log."""
MAX_ITEMS = 100
"""Items of any other list."""
MAX_COMMITMENTS = 20
"""Commitments of one plan (checked across its files)."""
MAX_PLAN_CHARS = 120_000
"""Characters of all the values of one plan in any one language, as the documents of that
language show them, each value counting VALUE_CHARS more (checked across its files): what
bounds the pages, and so the memory, of each document built from it."""
MAX_BUILD_CHARS = 240_000
"""The same in all the plan's languages together: the documents of each language are built
one after another, so this bounds the time of a plan's build."""
VALUE_CHARS = 5
"""What each value adds to its length in a plan's total: however short, every value takes a
box of its own on the page (the 88,000 one-letter names that the lists of 20 commitments could
hold made a PDF of 1,870 pages, built in 4.5 GB)."""

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LANG_PATTERN = r"^[a-z]{2}$"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Closed(BaseModel):
    """Every mapping in a plan is closed: an unknown key is a typo, not data to drop."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=False,
    )


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
    Field(
        json_schema_extra={
            "x-format": "Lower-case letters, digits and hyphens, starting with a letter or digit."
        }
    ),
]
LangCode = Annotated[
    str,
    StringConstraints(pattern=LANG_PATTERN),
    Field(json_schema_extra={"x-format": "An ISO 639-1 language code such as `en`, `fr` or `es`."}),
]
Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS, pattern=r"\S"),
    Field(
        description="Text (Markdown: paragraphs, lists, emphasis, links). Raw HTML shows as text."
    ),
]
PlainText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_NAME_CHARS, pattern=r"\S"),
    Field(json_schema_extra={"x-format": "Plain text: a name, an organization, a role."}),
]
Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$", max_length=MAX_URL_CHARS),
    Field(json_schema_extra={"x-format": "A web address starting with http:// or https://."}),
]
Email = Annotated[
    str,
    StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254),
    Field(json_schema_extra={"x-format": "An e-mail address."}),
]
Phone = Annotated[
    str,
    StringConstraints(pattern=r"^\+?[0-9 ().-]{4,}$", max_length=40),
    Field(
        json_schema_extra={
            "x-format": "A telephone number, international form preferred (+33 1 ...)."
        }
    ),
]


def _parse_date(value: Any) -> Any:
    """Dates arrive as strings from the loader; only `YYYY-MM-DD` is a date."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise PydanticCustomError("date_format", "expected a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError(
            "date_value", "{value} is not a calendar date", {"value": value}
        ) from exc


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "x-format": "A date written YYYY-MM-DD.",
        }
    ),
]


def _localized_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "translations"
    return None


_BY_LANGUAGE = Discriminator(
    _localized_tag,
    custom_error_type="localized_text",
    custom_error_message=(
        "expected text, or a mapping from language code to text (en: ..., fr: ...)"
    ),
)
_TRANSLATIONS = Field(min_length=1, max_length=MAX_TRANSLATIONS)


def _localized(text: Any, x_format: str) -> Any:
    """`text` in the plan's primary language, or a mapping from language code to `text`: a
    union tagged `text` or `translations`; error locations carry the tag, which the validator
    strips when it maps a location back to the file."""
    return Annotated[
        Annotated[text, Tag("text")]
        | Annotated[dict[LangCode, text], Tag("translations"), _TRANSLATIONS],
        _BY_LANGUAGE,
        Field(json_schema_extra={"x-localized": True, "x-format": x_format}),
    ]


ShortText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_NAME_CHARS, pattern=r"\S"),
    Field(description="A name or a title (Markdown emphasis and links allowed)."),
]
if TYPE_CHECKING:  # a type checker cannot read a type a function makes: what it validates to
    LocalizedText = str | dict[str, str]
    LocalizedName = str | dict[str, str]
else:
    LocalizedText = _localized(
        Text,
        "text in the plan's primary language, or a mapping from language code (en, fr, es, ...) "
        "to text; Markdown allowed",
    )
    LocalizedName = _localized(
        ShortText,
        "a name or title in the plan's primary language, or a mapping from language code (en, "
        "fr, es, ...) to it",
    )
"""`LocalizedName` is a localized text kept short: names and titles, which contents, tables
and running heads repeat."""

UNION_TAGS = frozenset({"text", "translations"})


class Person(Closed):
    """A person to contact."""

    name: PlainText
    """Full name."""
    role: PlainText | None = None
    """Position or job title."""
    organization: PlainText | None = None
    """Agency, department or organization."""
    email: Email | None = None
    """E-mail address."""
    phone: Phone | None = None
    """Telephone number."""


class Period(Closed):
    """A span of days, both ends included."""

    start: IsoDate
    """First day (YYYY-MM-DD)."""
    end: IsoDate
    """Last day (YYYY-MM-DD), on or after the start."""


class Evidence(Closed):
    """A document or page that shows what was done."""

    title: PlainText
    """What the evidence is."""
    url: Url
    """Where it can be read."""
