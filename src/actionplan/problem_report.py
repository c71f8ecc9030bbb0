"""Problem report: the problems of a run as text lines, JSON, or GitHub workflow commands."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from actionplan.problems import Problem, Severity

FORMATS = ("text", "json", "github")

# Control characters (a terminal acts on them, a line break would forge a problem line) and the
# bidirectional embeddings, overrides and isolates (they reorder what follows on the line)
# that a value quoted in a message may hold: shown as escapes in the text format.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with its control and bidi-override characters written as escapes (`\\x1b`)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def _gh_property(value: str) -> str:
    return (
        value.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def _gh_message(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_problems(problems: Sequence[Problem], fmt: str) -> str:
    """The whole report; empty for no problems in text and github formats."""
    if fmt == "json":
        return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False) + "\n"
    lines = []
    for p in problems:
        if fmt == "github":  # workflow commands have their own escapes (%0A for a line break)
            lines.append(
                f"::{p.severity} file={_gh_property(p.file)},line={p.line},"
                f"col={p.column}::{_gh_message(f'[{p.rule}] {p.message}')}"
            )
        else:
            file, message = printable(p.file), printable(p.message)
            lines.append(f"{file}:{p.line}:{p.column}: {p.severity} [{p.rule}] {message}")
    return "".join(line + "\n" for line in lines)


def summary(problems: Sequence[Problem], plans: int) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems})
    if not problems:
        return f"{plans} plan{'s' * (plans != 1)} valid"
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)} ({plans} plan{'s' * (plans != 1)} checked)"
    )
