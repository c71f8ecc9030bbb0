"""`actionplan diff` on the co-creation record: the forum's members, the roadmap's activities,
meetings matched by id, consultations by id and their contributions by id, responses first.

Two revisions of the base case's plan with a small record are committed in a temporary git
repository; the second adds, removes and changes one of each. Golden outputs in every format
are under tests/golden/diff/record/ (UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from actionplan.diff.fields import FieldDiffer, Languages
from actionplan.diff.record import compare_record
from actionplan.render.labels import load_labels
from helpers import BASE, ROOT, check_golden, load_merged, replace_in, run_cli

PLAN = "plans/sample-city/2024-2025"
FORUM = "plans/sample-city/forum.yaml"
SHA = re.compile(r"\b[0-9a-f]{40}\b")
GIT = [
    "git",
    "-c",
    "user.name=Test",
    "-c",
    "user.email=test@example.org",
    "-c",
    "commit.gpgsign=false",
]
GIT_ENV = {
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}

FORUM_V1 = """\
name:
  en: Open Sample Forum
  fr: Forum Sample ouverte
mandate:
  en: Oversees the co-creation and the follow-up of the plan.
  fr: Suit la co-création et la mise en œuvre du plan.
established: 2023-01-15
members:
  - name: Ada Martin
    organization: City of Sample
    sector: government
  - name: Léa Dubois
    organization: Sample Citizens
    sector: civil-society
  - name: Omar Haddad
    organization: University of Sample
    sector: academia
co_chairs: [Ada Martin, Léa Dubois]
"""

ROADMAP_V1 = """\
target_submission: 2023-12-20
activities:
  - id: forum-setup
    title:
      en: The forum adopts the roadmap
      fr: Le forum adopte la feuille de route
    phase: prepare
    start: 2023-02-01
    end: 2023-02-28
  - id: consultation
    title:
      en: Public consultation
      fr: Consultation publique
    phase: discover
    start: 2023-05-01
    end: 2023-06-30
    channels: [website]
"""

MEETING_KICKOFF = """\
id: 2023-02-15-kickoff
title:
  en: Kick-off of the forum
  fr: Lancement du forum
phase: prepare
kind: forum
format: in-person
attendance:
  total: 24
  government: 8
  civil_society: 12
  academia: 4
documents:
  - title: Draft roadmap
    url: https://example.org/open/roadmap-draft.pdf
    published: 2023-02-08
minutes:
  url: https://example.org/open/minutes-2023-02-15
  published: 2023-02-28
"""

MEETING_WORKSHOP = """\
id: 2023-05-20-budget-workshop
title:
  en: Workshop on the budget
  fr: Atelier sur le budget
phase: discover
kind: workshop
format: hybrid
attendance:
  total: 31
documents:
  - title: Budget data in brief
    url: https://example.org/open/budget-brief.pdf
    published: 2023-05-13
commitments: [open-budget]
"""

MEETING_APPROVAL = """\
id: 2023-12-01-forum-approval
title:
  en: The forum endorses the plan
  fr: Le forum approuve le plan
phase: submit
kind: forum
format: online
attendance:
  total: 15
"""

CONSULTATION_V1 = """\
id: consultation-2023
title:
  en: Public consultation 2023
  fr: Consultation publique 2023
channel: online-platform
open:
  start: 2023-05-01
  end: 2023-06-30
url: https://example.org/open/consultation
items:
  - id: SC-1
    date: 2023-05-03
    author: Sample Citizens
    sector: civil-society
    text: Publish the budget every month, not every year.
    response:
      status: accepted
      reason:
        en: The monthly data milestone publishes it.
        fr: Le jalon des données mensuelles le publie.
      commitments: [open-budget]
  - id: SC-12
    date: 2023-05-10
    text: Stream every council meeting.
    response:
      status: not-accepted
      reason:
        en: Outside the plan's budget this cycle.
        fr: Hors du budget du plan pour ce cycle.
  - id: SC-15
    date: 2023-06-02
    text: Open the contracts register.
  - id: SC-20
    date: 2023-06-10
    author: A resident
    text: Translate the portal into Arabic.
    response:
      status: out-of-scope
      reason:
        en: The portal's languages are the city's website's.
        fr: Les langues du portail sont celles du site de la ville.
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        [*GIT, *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def first_version(root: Path) -> None:
    plan = root / PLAN
    write(root / FORUM, FORUM_V1)
    write(plan / "roadmap.yaml", ROADMAP_V1)
    write(plan / "meetings" / "2023-02-15-kickoff.yaml", MEETING_KICKOFF)
    write(plan / "meetings" / "2023-05-20-budget-workshop.yaml", MEETING_WORKSHOP)
    write(plan / "contributions" / "consultation-2023.yaml", CONSULTATION_V1)


def second_version(root: Path) -> None:
    """One change of each kind the record's diff reports."""
    plan = root / PLAN
    forum = root / FORUM
    replace_in(forum, "  - name: Omar Haddad\n", "  - name: Nadia Benali\n")
    replace_in(forum, "    organization: University of Sample\n", "    organization: Sample Lab\n")
    replace_in(
        forum, "    organization: Sample Citizens\n", "    organization: Sample Citizens Network\n"
    )
    roadmap = plan / "roadmap.yaml"
    replace_in(roadmap, "    end: 2023-06-30\n", "    end: 2023-07-14\n")
    with roadmap.open("a", encoding="utf-8") as handle:
        handle.write(
            "  - id: endorsement\n"
            "    title:\n"
            "      en: The forum endorses the plan\n"
            "      fr: Le forum approuve le plan\n"
            "    phase: submit\n"
            "    start: 2023-12-01\n"
            "    end: 2023-12-01\n"
        )
    (plan / "meetings" / "2023-02-15-kickoff.yaml").unlink()
    write(plan / "meetings" / "2023-12-01-forum-approval.yaml", MEETING_APPROVAL)
    replace_in(plan / "meetings" / "2023-05-20-budget-workshop.yaml", "2023-05-13", "2023-05-22")
    consultation = plan / "contributions" / "consultation-2023.yaml"
    replace_in(
        consultation,
        "      status: not-accepted\n"
        "      reason:\n"
        "        en: Outside the plan's budget this cycle.\n"
        "        fr: Hors du budget du plan pour ce cycle.\n",
        "      status: accepted\n"
        "      reason:\n"
        "        en: Council meetings are streamed from 2024.\n"
        "        fr: Les séances du conseil sont retransmises dès 2024.\n"
        "      date: 2023-11-20\n",
    )
    replace_in(
        consultation,
        "    text: Open the contracts register.\n",
        "    text: Open the contracts register.\n"
        "    response:\n"
        "      status: partially-accepted\n"
        "      reason:\n"
        "        en: Contracts above 40,000 euros are published.\n"
        "        fr: Les contrats de plus de 40 000 euros sont publiés.\n"
        "      commitments: [open-contracts]\n",
    )
    replace_in(
        consultation,
        "        en: The portal's languages are the city's website's.\n",
        "        en: The portal's languages are those of the city's website.\n",
    )
    replace_in(consultation, "    author: A resident\n", "")
    replace_in(consultation, "  end: 2023-06-30\n", "  end: 2023-07-14\n")
    with consultation.open("a", encoding="utf-8") as handle:
        handle.write(
            "  - id: SC-31\n"
            "    date: 2023-07-01\n"
            "    sector: community\n"
            "    text: Hold a workshop in each district.\n"
        )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("record") / "repo"
    shutil.copytree(BASE, root)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    first_version(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "with a record")
    second_version(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "record edited")
    yield root


def diff(repo: Path, old: str, new: str, fmt: str) -> str:
    extra = [] if fmt == "json" else ["--templates", str(ROOT / "templates")]
    result = run_cli(["diff", old, new, "--format", fmt, *extra], repo)
    assert result.code == 0, result.err
    return SHA.sub("<commit>", result.out)


@pytest.mark.parametrize(
    ("fmt", "ext"), [("text", "txt"), ("markdown", "md"), ("html", "html"), ("json", "json")]
)
def test_golden_outputs_between_two_revisions(repo: Path, fmt: str, ext: str) -> None:
    check_golden(f"diff/record/revisions.{ext}", diff(repo, f"HEAD~1:{PLAN}", f"HEAD:{PLAN}", fmt))


def test_revision_against_the_working_folder_is_the_same_diff(repo: Path) -> None:
    a = json.loads(diff(repo, f"HEAD~1:{PLAN}", f"HEAD:{PLAN}", "json"))
    b = json.loads(diff(repo, f"HEAD~1:{PLAN}", PLAN, "json"))
    assert a["record"] == b["record"] and a["summary"] == b["summary"]


def test_what_the_record_diff_finds(repo: Path) -> None:
    data = json.loads(diff(repo, f"HEAD~1:{PLAN}", PLAN, "json"))
    record = data["record"]
    forum = record["forum"]
    assert forum["change"] == "changed"
    assert [m["name"] for m in forum["members_added"]] == ["Nadia Benali"]
    assert [m["name"] for m in forum["members_removed"]] == ["Omar Haddad"]
    assert forum["members_changed"][0]["id"] == "Léa Dubois"
    assert forum["members_changed"][0]["fields"][0]["path"] == "organization"
    assert forum["fields"] == []  # the co-chairs kept their names
    roadmap = record["roadmap"]
    assert [a["id"] for a in roadmap["activities_added"]] == ["endorsement"]
    assert roadmap["activities_changed"][0]["fields"][0]["path"] == "end"
    meetings = record["meetings"]
    assert [m["id"] for m in meetings["added"]] == ["2023-12-01-forum-approval"]
    assert [m["id"] for m in meetings["removed"]] == ["2023-02-15-kickoff"]
    assert meetings["removed"][0]["attendance"] == 24
    (paper,) = meetings["changed"][0]["fields"]
    assert paper["path"] == "documents[https://example.org/open/budget-brief.pdf].published"
    assert (paper["old"], paper["new"]) == ("2023-05-13", "2023-05-22")
    (consultation,) = record["consultations"]["changed"]
    assert [(r["item"], r.get("old"), r["new"]) for r in consultation["responses"]] == [
        ("SC-12", "not-accepted", "accepted"),
        ("SC-15", None, "partially-accepted"),
    ]
    assert (
        consultation["responses"][0]["reason"]["en"] == "Council meetings are streamed from 2024."
    )
    assert [c["id"] for c in consultation["contributions_added"]] == ["SC-31"]
    changed = {
        c["item"]: [f["path"] for f in c["fields"]] for c in consultation["contributions_changed"]
    }
    # SC-12's reason and date are shown beside its status change, not as a second status change
    assert changed == {
        "SC-12": ["response.reason", "response.date"],
        "SC-20": ["author", "response.reason"],
    }
    assert [f["path"] for f in consultation["fields"]] == ["open.end"]
    summary = data["summary"]
    assert (summary["responses_changed"], summary["contributions_added"]) == (2, 1)
    assert (
        summary["meetings_added"],
        summary["meetings_removed"],
        summary["meetings_changed"],
    ) == (1, 1, 1)
    assert summary["forum_members_added"] == summary["forum_members_removed"] == 1
    assert data["identical"] is False


def test_a_response_status_change_reads_as_a_monitor_says_it(repo: Path) -> None:
    labels = load_labels(ROOT / "templates", "en").entries

    def status(value: str) -> str:
        return labels.get(f"enum.response_status.{value}", value)

    text = diff(repo, f"HEAD~1:{PLAN}", PLAN, "text")
    expected = f"contribution SC-12: response {status('not-accepted')} → {status('accepted')}"
    assert expected in text
    assert f"contribution SC-15: response no response → {status('partially-accepted')}" in text
    assert text.index("SC-12: response") < text.index("Contributions changed")
    first_line = diff(repo, f"HEAD~1:{PLAN}", PLAN, "markdown").splitlines()[0]
    assert "2 responses changed" in first_line and "1 meeting added" in first_line


def test_json_follows_the_regenerated_schema(repo: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(diff(repo, f"HEAD~1:{PLAN}", PLAN, "json")), schema)


def test_an_unchanged_record_is_no_change(repo: Path) -> None:
    data = json.loads(diff(repo, f"HEAD:{PLAN}", PLAN, "json"))
    assert data["identical"] is True
    assert data["record"] == {
        "meetings": {"added": [], "removed": [], "changed": []},
        "consultations": {"added": [], "removed": [], "changed": []},
    }


def test_a_record_added_from_nothing(repo: Path, tmp_path: Path) -> None:
    """Against the base case without a record: the forum and roadmap added whole."""
    bare = tmp_path / "bare"
    shutil.copytree(BASE, bare)
    data = json.loads(diff(repo, str(bare / PLAN), PLAN, "json"))
    record = data["record"]
    assert record["forum"]["change"] == "added" and len(record["forum"]["members_added"]) == 3
    assert record["roadmap"]["change"] == "added"
    assert len(record["roadmap"]["activities_added"]) == 3
    assert [m["id"] for m in record["meetings"]["added"]] == [
        "2023-05-20-budget-workshop",
        "2023-12-01-forum-approval",
    ]
    (added,) = record["consultations"]["added"]
    assert (added["contributions"], added["responded"]) == (5, 4)


def test_between_cycles_only_the_forum_is_compared(repo: Path) -> None:
    """The forum is the member's; the roadmap, meetings and consultations are the cycle's."""
    old = load_merged(BASE / PLAN)
    new = load_merged(repo / PLAN)
    fields = FieldDiffer(Languages("en", "en", ("en", "fr")))
    record = compare_record(old, new, fields, cross_cycle=True)
    assert record.forum is not None and record.forum.change == "added"
    assert record.roadmap is None
    assert not record.meetings.added and not record.consultations.added
    assert compare_record(old, new, fields, cross_cycle=False).meetings.added
