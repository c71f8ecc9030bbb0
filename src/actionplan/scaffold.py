"""`actionplan new`: files that validate, with the schema line on top (filled in later)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `new` command (implemented in its own issue work)."""
