"""The one notion of "now" for builds: SOURCE_DATE_EPOCH when set, so outputs are reproducible.

Standard library only: dodo.py reaches it through actionplan.pipeline while listing tasks.
"""

from __future__ import annotations

import datetime as dt
import os


def source_datetime() -> dt.datetime | None:
    """The UTC time of SOURCE_DATE_EPOCH, or None when it is unset or not a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch else None
    except (ValueError, OverflowError):
        import logging  # only then: it is a tenth of what a validation from the cache imports

        logging.getLogger(__name__).warning(
            "SOURCE_DATE_EPOCH=%r is not a number of seconds; ignored", epoch
        )
        return None


def build_date() -> dt.date:
    """Today for every rule and output: the UTC date of SOURCE_DATE_EPOCH when set."""
    return (source_datetime() or dt.datetime.now(tz=dt.UTC)).date()
