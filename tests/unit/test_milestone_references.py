"""A reference to a milestone that its commitment lacks, from a progress entry and from a
response to the public's input: one message, which lists every milestone of the commitment
(there are at most MAX_MILESTONES, so the list stays bounded, unlike the forum's members)."""

from __future__ import annotations

from pathlib import Path

from actionplan.validate import validate_paths

PLAN = Path("plans/sample-city/2024-2025")
MILESTONE = """\
  - id: extra-{n:02d}
    title: {{en: Extra {n}, fr: Extra {n}}}
    expected_output: {{en: Something., fr: Quelque chose.}}
    start: 2024-01-01
    end: 2024-12-31
"""
CONTRIBUTIONS = """\
id: online
title: {en: Online consultation, fr: Consultation en ligne}
channel: online-platform
items:
  - id: P-1
    date: 2023-05-01
    author: Resident
    sector: community
    text: Publish the budget every month.
    commitments: [open-budget]
    response:
      status: accepted
      reason: {en: It will be., fr: Il le sera.}
      commitments: [open-budget]
      milestones: [{commitment: open-budget, milestone: nowhere}]
"""
EXTRA = 14


def _with_many_milestones(repo: Path) -> None:
    path = repo / PLAN / "commitments" / "open-budget.yaml"
    extra = "".join(MILESTONE.format(n=n) for n in range(EXTRA))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("milestones:\n", "milestones:\n" + extra, 1), encoding="utf-8")


def test_both_references_list_every_milestone(repo: Path) -> None:
    _with_many_milestones(repo)
    progress = repo / PLAN / "progress" / "open-budget.yaml"
    text = progress.read_text(encoding="utf-8")
    progress.write_text(text.replace("milestone: portal", "milestone: nowhere", 1), "utf-8")
    (repo / PLAN / "contributions").mkdir()
    (repo / PLAN / "contributions" / "online.yaml").write_text(CONTRIBUTIONS, encoding="utf-8")
    found = validate_paths([repo / "plans"]).problems
    unresolved = [p for p in found if p.rule == "unresolved-reference"]
    assert sorted(p.file.split("/")[-2] for p in unresolved) == ["contributions", "progress"]
    every = sorted([*(f"extra-{n:02d}" for n in range(EXTRA)), "monthly-data", "portal"])
    listed = ", ".join(every)
    expected = f"commitment `open-budget` has no milestone `nowhere`; its milestones are {listed}"
    assert [p.message for p in unresolved] == [expected, expected]
