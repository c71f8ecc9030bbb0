"""The values given on the command line, checked before anything is written, and the plan files
a new one builds on."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pycountry
from pydantic import BaseModel, TypeAdapter

from actionplan.errors import UsageError
from actionplan.loader import display_name, load_file
from actionplan.model import Member
from actionplan.model.common import LANG_PATTERN, SLUG_PATTERN, Url
from actionplan.validate.prose import bidi_control, describe_bidi
from actionplan.validate.rules import YEARS

# Every pattern is matched whole (`fullmatch`): `$` alone lets a final newline through, and
# `\d` alone takes any script's digits.
_SLUG = re.compile(SLUG_PATTERN)
_LANG = re.compile(LANG_PATTERN)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CYCLE = re.compile(r"[0-9]{4}-[0-9]{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")
# Controls (a line break, an escape sequence) have no place in a one-line name or title.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SLUG_HELP = "lower-case letters, digits and hyphens, starting with a letter or digit"

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class Options:
    """What every kind of `actionplan new` is given, besides its own values: the repository's
    root. Each kind's values are fields named as its arguments' dests, unchecked."""

    root: Path


@dataclass(frozen=True)
class PlanOptions(Options):
    """A kind written into a plan's folder: the plan as `MEMBER/CYCLE` (see find_plan)."""

    plan: str


def read_valid(path: Path, model: type[_M], what: str) -> _M:
    """A plan file the new one builds on; it must exist and pass its schema."""
    if not path.is_file():
        raise UsageError(f"{display_name(path)}: no such file; {what}")
    doc, problems = load_file(path)
    if not problems and isinstance(doc.data, dict):
        with contextlib.suppress(ValueError):
            return model.model_validate(doc.data)
    raise UsageError(
        f"{display_name(path)} does not validate; run `actionplan validate "
        f"{display_name(path)}` and fix it first"
    )


def check_slug(value: str, what: str) -> str:
    if not _SLUG.fullmatch(value) or len(value) > 80:
        raise UsageError(f"{shown(value)} is not a valid {what}: use {SLUG_HELP}")
    return value


def shown(value: str) -> str:
    """An argument as it can be shown on one line: quoted, its invisible characters escaped."""
    return repr(value) if _CONTROL.search(value) or bidi_control(value) else f"`{value}`"


def parse_date(value: str, option: str) -> dt.date:
    day: dt.date | None = None
    if _DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        raise UsageError(f"{option} {shown(value)} is not a date written YYYY-MM-DD")
    if day.year not in YEARS:
        raise UsageError(
            f"{option} {value} is in year {day.year}; plans run within the years "
            f"{YEARS.start} to {YEARS.stop - 1}"
        )
    return day


def one_line(value: str, option: str) -> str:
    """A name or title given on the command line: one line of visible text."""
    text = value.strip()
    if not text:
        raise UsageError(f"{option} must not be empty")
    if found := _CONTROL.search(text):
        raise UsageError(
            f"{option} {shown(value)} holds the control character U+{ord(found[0]):04X}: it "
            "must be one line without control characters"
        )
    no_bidi(text, option)
    return text


def no_bidi(value: str, option: str) -> None:
    # `new` promises a file that validates with --strict, where this warning fails.
    char = bidi_control(value)
    if char:
        raise UsageError(
            f"{option} {shown(value)} holds {describe_bidi(char)}; the documents set each "
            "text's direction themselves, so leave it out"
        )


def parse_cycle(value: str, what: str) -> str:
    if not _CYCLE.fullmatch(value):
        raise UsageError(f"{what} {shown(value)} is not a cycle: a cycle is named YYYY-YYYY")
    return value


def find_plan(root: Path, spec: str) -> tuple[Path, str]:
    """`MEMBER/CYCLE` (a leading `plans/` allowed) to the plan's folder."""
    parts = [p for p in spec.strip("/").split("/") if p]
    if parts and parts[0] == "plans":
        parts = parts[1:]
    if len(parts) != 2:
        raise UsageError(f"{shown(spec)}: name the plan as MEMBER/CYCLE, e.g. paris/2024-2026")
    member, cycle = parts
    check_slug(member, "member id")
    if not _CYCLE.fullmatch(cycle):
        raise UsageError(f"{shown(cycle)} is not a cycle: a cycle is named YYYY-YYYY")
    plan = root / "plans" / member / cycle
    if not (plan / "vision.yaml").is_file():
        raise UsageError(
            f"{display_name(plan / 'vision.yaml')}: no such file; create the plan first with "
            f"`actionplan new plan {member} --start ... --end ... --term-end ...`"
        )
    return plan, member


def read_member(root: Path, member: str) -> Member:
    return read_valid(
        root / "plans" / member / "member.yaml",
        Member,
        f"create the member first with `actionplan new member {member} ...`",
    )


# --- the values given on the command line ---------------------------------------------------------


def parse_country(value: str) -> str:
    # Upper-casing only ASCII: "ß".upper() is "SS", a country the user did not name.
    country = value.strip().upper() if value.isascii() else ""
    if not _COUNTRY.fullmatch(country) or pycountry.countries.get(alpha_2=country) is None:
        raise UsageError(f"{shown(value)} is not an ISO 3166-1 alpha-2 country code (FR, GB, AR)")
    return country


def parse_languages(value: str) -> list[str]:
    codes = [code.strip() for code in value.split(",") if code.strip()]
    if not codes:
        raise UsageError("--languages needs at least one language code, the primary one first")
    for code in codes:
        if not code.isascii() or not _LANG.fullmatch(code.lower()):
            raise UsageError(f"{shown(code)} is not an ISO 639-1 language code (en, fr, es, ...)")
        if pycountry.languages.get(alpha_2=code.lower()) is None:
            raise UsageError(f"`{code}` is not an ISO 639-1 language code (en, fr, es, ...)")
    languages = [code.lower() for code in codes]
    if len(set(languages)) != len(languages):
        raise UsageError(f"--languages lists a language twice: {value}")
    return languages


def check_website(value: str) -> None:
    try:
        TypeAdapter(Url).validate_python(value)
        if _CONTROL.search(value):  # the pattern refuses spaces, not every control
            raise ValueError(value)
    except ValueError:  # pydantic's ValidationError is one
        raise UsageError(
            f"--website {shown(value)} is not an http:// or https:// address"
        ) from None
    no_bidi(value, "--website")
