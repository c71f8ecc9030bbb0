"""The validate stage's entry points: the build date and the result of a run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from actionplan.clock import build_date
from actionplan.validate import validate_paths
from helpers import BASE, CASES, Case, build_repo, epoch_of


def test_build_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(dt.date(2025, 1, 10)))
    assert build_date() == dt.date(2025, 1, 10)


def test_build_date_is_the_utc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    late = dt.datetime(2025, 1, 10, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(late.timestamp())))
    assert build_date() == dt.date(2025, 1, 10)


@pytest.mark.parametrize("value", [None, "", "soon", "99999999999999999999"])
def test_build_date_defaults_to_today(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert build_date() == dt.datetime.now(tz=dt.UTC).date()


def test_future_entry_follows_the_build_date(tmp_path: Path) -> None:
    repo = build_repo(Case.load(CASES / "valid" / "base-unchanged"), tmp_path / "repo")
    on_the_day = validate_paths([repo], today=dt.date(2025, 1, 10))
    day_before = validate_paths([repo], today=dt.date(2025, 1, 9))
    # The base's end-of-commitment assessment and final summary are dated later in 2025.
    later = ["assessment-date", "assessment-date"]
    assert sorted(p.rule for p in on_the_day.problems if p.severity == "error") == later
    errors = sorted(p.rule for p in day_before.problems if p.severity == "error")
    assert errors == [*later, "future-entry"]


def test_result_of_a_valid_repository() -> None:
    result = validate_paths([BASE], strict=True)
    assert result.problems == []
    assert not result.failed()
    assert len(result.plans) == 1
    assert result.plans[0].complete
