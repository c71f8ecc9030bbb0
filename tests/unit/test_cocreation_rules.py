"""The rules of the co-creation record, the approval and the assessments, where a case folder
cannot show them: what is not reported (a draft's open consultation, a reference to a file that
failed its schema), a forum without members, and a consultation as large as a real one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from actionplan.problems import Problem
from actionplan.validate import validate_paths
from actionplan.validate.limits import MAX_RECORD_CHARS
from helpers import DEFAULT_BUILD_DATE, replace_in

PLAN = Path("plans/sample-city/2024-2025")
CONSULTATION = """\
id: online
title: {en: Online consultation, fr: Consultation en ligne}
channel: online-platform
items:
"""
ITEM = """\
  - id: P-{n}
    date: 2023-05-01
    author: Resident {n}
    sector: community
    text: >-
      Publish every contract over ten thousand euros with its amount, its supplier and the
      reasons for the choice, so that anyone can follow how the city spends its money; today
      only the largest contracts are published, months after they are signed, and residents
      cannot tell who was paid for what in their own neighbourhood.
    commitments: [open-contracts]
"""
RESPONSE = """\
    response:
      status: partially-accepted
      reason:
        en: The feed lists contracts over 40,000 euros, the legal threshold; lower ones in 2025.
        fr: Le flux liste les marchés de plus de 40 000 euros ; les autres suivront en 2025.
      commitments: [open-contracts]
      milestones: [{commitment: open-contracts, milestone: ocds-feed}]
"""


def _problems(repo: Path, today: dt.date = DEFAULT_BUILD_DATE) -> list[Problem]:
    return validate_paths([repo / "plans"], today=today).problems


def _rules(repo: Path, today: dt.date = DEFAULT_BUILD_DATE) -> list[str]:
    return [p.rule for p in _problems(repo, today)]


def _consultation(repo: Path, count: int, answered: bool = True) -> Path:
    folder = repo / PLAN / "contributions"
    folder.mkdir(exist_ok=True)
    items = "".join(ITEM.format(n=n) + (RESPONSE if answered else "") for n in range(count))
    path = folder / "online.yaml"
    path.write_text(CONSULTATION + items, encoding="utf-8")
    return path


def test_a_forum_without_members_is_a_warning(repo: Path) -> None:
    (repo / "plans/sample-city/forum.yaml").write_text(
        "name: Forum\nmandate: {en: Steers., fr: Pilote.}\nmembers: []\n", encoding="utf-8"
    )
    (found,) = _problems(repo)
    assert found.file.endswith("plans/sample-city/forum.yaml")
    assert (found.line, found.column) == (3, 1)
    assert found.rule == "forum-composition" and found.severity == "warning"
    assert found.message.startswith("the forum has no members")


def _draft(repo: Path) -> None:
    """Take the plan's approval out: a draft."""
    vision = repo / PLAN / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(text[: text.index("approval:")], encoding="utf-8")


def test_a_draft_may_have_contributions_without_response(repo: Path) -> None:
    _consultation(repo, 3, answered=False)
    _draft(repo)
    assert _rules(repo) == []


def test_an_approval_that_does_not_count_asks_for_no_response_yet(repo: Path) -> None:
    """Approved in the future: the approval's date is the error, the consultation is still
    being answered."""
    _consultation(repo, 2, answered=False)
    replace_in(repo / PLAN / "vision.yaml", "date: 2023-12-15", "date: 2026-06-01")
    assert _rules(repo) == ["approval-date"]


def test_every_unanswered_contribution_is_reported_at_its_id(repo: Path) -> None:
    _consultation(repo, 3, answered=False)
    found = _problems(repo)
    assert [(p.rule, p.line, p.column) for p in found] == [
        ("unanswered-contribution", 5 + 10 * n, 9) for n in range(3)
    ]


def test_a_meeting_whose_id_is_no_day_is_reported_once(repo: Path) -> None:
    """Without a day, papers and minutes cannot be checked against it: no guess is made."""
    folder = repo / PLAN / "meetings"
    folder.mkdir()
    (folder / "2024-13-01-forum.yaml").write_text(
        "id: 2024-13-01-forum\ntitle: {en: Forum, fr: Forum}\nphase: draft\nkind: forum\n"
        "format: online\nminutes: {url: 'https://example.org/m', published: 2030-01-01}\n"
        "documents: [{title: Draft, url: 'https://example.org/d', published: 2030-01-01}]\n",
        encoding="utf-8",
    )
    assert _rules(repo) == ["meeting-date"]


def test_a_reference_to_a_file_that_failed_its_schema_is_not_reported_again(
    repo: Path,
) -> None:
    replace_in(repo / PLAN / "commitments/open-contracts.yaml", "title:", "titel:")
    meetings = repo / PLAN / "meetings"
    meetings.mkdir()
    (meetings / "2023-03-14-forum.yaml").write_text("id: 2023-03-14-forum\n", encoding="utf-8")
    path = _consultation(repo, 1)
    replace_in(path, "channel: online-platform", "channel: meeting\nmeeting: 2023-03-14-forum")
    rules = _rules(repo)
    assert "unresolved-reference" not in rules
    assert set(rules) == {"schema-unknown-key", "schema-missing-key"}


def test_a_real_consultation_is_within_the_limits(repo: Path) -> None:
    """1,500 contributions with their responses (1.2 MB, as a busy Decidim consultation) are
    within every limit: the action plan's character count leaves the record out."""
    path = _consultation(repo, 1_500)
    assert 1_000_000 < path.stat().st_size < 2 * 1024 * 1024
    assert _problems(repo) == []


def test_a_consultation_at_the_item_limit_reports_each_duplicate(repo: Path) -> None:
    path = _consultation(repo, 2_000, answered=False)
    replace_in(path, "- id: P-1999\n", "- id: P-0\n")
    _draft(repo)  # no response is due yet
    found = _problems(repo)
    assert [(p.rule, p.line) for p in found] == [("duplicate-id", 5 + 10 * 1_999)]


def test_the_record_has_a_bound_of_its_own(repo: Path) -> None:
    """Three such consultations are more than a co-creation report can hold: reported at the
    record's longest text, with the record's figures."""
    for name in ("second", "third"):
        path = _consultation(repo, 1_500)
        path.rename(path.with_name(f"{name}.yaml"))
        replace_in(path.with_name(f"{name}.yaml"), "id: online", f"id: {name}")
    _consultation(repo, 1_500)
    (found,) = _problems(repo)
    assert found.rule == "plan-too-large"
    assert "/contributions/" in found.file
    assert found.message.startswith("the co-creation record's values count ")
    assert f"a co-creation record may hold at most {MAX_RECORD_CHARS:,} in any one" in (
        found.message
    )
