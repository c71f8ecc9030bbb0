"""The small exception hierarchy and the exit codes every command shares."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2


class ActionPlanError(Exception):
    """Base of every error the tool raises on purpose; the CLI turns it into a message."""

    exit_code: ExitCode = ExitCode.PROBLEMS


class UsageError(ActionPlanError):
    """Bad arguments or a path that cannot be read."""

    exit_code = ExitCode.USAGE


class InvalidPlanError(ActionPlanError):
    """A plan did not validate; carries the problems so the caller can report them all."""

    def __init__(self, message: str, problems: list[object]) -> None:
        super().__init__(message)
        self.problems = problems


class RenderError(ActionPlanError):
    """An output could not be produced (a renderer failed)."""
