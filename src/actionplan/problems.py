"""Problems found in plan files, and the collector that gathers all of them before reporting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum

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


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    path: str
    message: str

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        # Errors before warnings in every format, then in reading order.
        rank = 0 if self.severity is Severity.ERROR else 1
        return (rank, self.file, self.line, self.column, self.rule, self.message)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def problem(rule: str, file: str, message: str) -> Problem:
    """An error of a whole file or folder (named as problems show it), not of a line in it: at
    1:1, data path `$`."""
    return Problem(file, 1, 1, Severity.ERROR, rule, "$", message)


@dataclass
class Problems:
    """Collects every problem of a run; nothing stops at the first one."""

    items: list[Problem] = field(default_factory=list)

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
