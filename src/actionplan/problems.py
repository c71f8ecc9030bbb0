"""Problems found in plan files, and the collector that gathers all of them before reporting.

Plain classes, not dataclasses: a validation whose problems all come from the cache loads this
module, and `dataclasses` brings in `inspect` (the tokenizer, `ast`, `dis`), a tenth of such a
run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (cli/parser.py)
if TYPE_CHECKING:
    from typing import Any

PathPart = str | int
DataPath = tuple[PathPart, ...]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def json_path(path: Sequence[PathPart]) -> str:
    """Render a data path as a JSONPath expression (`$.milestones[0].end`)."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENT.match(part):
            out.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out.append(f"['{escaped}']")
    return "".join(out)


FIELDS = ("file", "line", "column", "severity", "rule", "path", "message")


class Problem:
    """A problem at a place in a file: immutable, equal to another of the same fields."""

    __slots__ = FIELDS
    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    path: str
    message: str

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        severity: Severity,
        rule: str,
        path: str,
        message: str,
    ) -> None:
        values = (file, line, column, severity, rule, path, message)
        for name, value in zip(FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Problem is not changed: replace() makes another ({name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Problem is not changed ({name})")

    def fields(self) -> tuple[str, int, int, Severity, str, str, str]:
        return (
            self.file,
            self.line,
            self.column,
            self.severity,
            self.rule,
            self.path,
            self.message,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem) or other.__class__ is not self.__class__:
            return NotImplemented
        return self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash(self.fields())

    def __reduce__(self) -> tuple[type[Problem], tuple[object, ...]]:
        return Problem, self.fields()  # copied and pickled through __init__, not __setattr__

    def _named(self) -> dict[str, object]:
        return dict(zip(FIELDS, self.fields(), strict=True))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self._named().items())
        return f"Problem({shown})"

    def replace(self, **changes: Any) -> Problem:
        """The same problem with the fields `changes` names changed."""
        return Problem(**{**self._named(), **changes})

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        # Errors before warnings in every format, then in reading order.
        rank = 0 if self.severity is Severity.ERROR else 1
        return (rank, self.file, self.line, self.column, self.rule, self.message)

    def as_dict(self) -> dict[str, object]:
        data = self._named()
        data["severity"] = str(self.severity)
        return data


def problem(rule: str, file: str, message: str) -> Problem:
    """An error of a whole file or folder (named as problems show it), not of a line in it: at
    1:1, data path `$`."""
    return Problem(file, 1, 1, Severity.ERROR, rule, "$", message)


class Problems:
    """Collects every problem of a run; nothing stops at the first one."""

    def __init__(self, items: list[Problem] | None = None) -> None:
        self.items: list[Problem] = items if items is not None else []

    def __repr__(self) -> str:
        return f"Problems(items={self.items!r})"

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        unique = {(p.file, p.line, p.column, p.rule, p.message, p.severity): p for p in self.items}
        return sorted(unique.values(), key=Problem.sort_key)

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))
