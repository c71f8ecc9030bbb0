"""What the site's pages show of a plan, computed once: its last update, completion, flags, and
each commitment's history (its status changes from the progress logs, its edits from git)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from actionplan.merge import Plan
from actionplan.model.commitment import Commitment, Milestone
from actionplan.model.common import LocalizedText
from actionplan.status import FLAGS, STALE_MONTHS, flags_of, months_before

GIT_TIMEOUT = 30
HASH_LENGTH = 12
"""A commit's hash as the history pages show it: cut to a fixed length, not `%h`'s, which
grows with the repository, so the same history always gives the same page."""


def git_updated(root: Path, files: list[Path]) -> dt.date | None:
    """The date of the last commit that touched `files` (`git log -1 --format=%cs`), or None
    outside git, when git is missing, or when none of the files is committed yet."""
    paths = [str(path.relative_to(root)) for path in files]
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", *paths],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        return dt.date.fromisoformat(result.stdout.strip()) if result.returncode == 0 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Summary:
    """One plan as the site sums it up on the build date."""

    plan: Plan
    updated: dt.date
    """The last commit touching its files, or the build date outside git (or uncommitted)."""
    complete: int
    counted: int
    flags: tuple[str, ...]
    """The flags any of its milestones carries, in the order of `status.FLAGS`."""
    running: bool
    """Some commitment runs on the build date."""

    @property
    def percent(self) -> int | None:
        """Complete milestones over those not abandoned, rounded half up, as the reports do."""
        if not self.counted:
            return None
        return (200 * self.complete + self.counted) // (2 * self.counted)

    @property
    def outdated(self) -> bool:
        """Not updated for four months while commitments run (the handbook's rhythm)."""
        limit = months_before(self.plan.build_date, STALE_MONTHS)
        return self.running and self.updated < limit

    @property
    def values(self) -> tuple[str, ...]:
        """The OGP values its commitments serve."""
        names = ("transparency", "accountability", "participation", "inclusion")
        return tuple(
            n for n in names if any(getattr(c.ogp_values, n) for c in self.plan.commitments)
        )


def summarize(plan: Plan, updated: dt.date | None) -> Summary:
    """The plan's summary; `updated` None (outside git) reads as the build date."""
    today = plan.build_date
    statuses = list(plan.status.values())
    found = {flag for s in statuses for m in s.milestones for flag in flags_of(m)}
    return Summary(
        plan=plan,
        updated=updated or today,
        complete=sum(s.completion.complete for s in statuses),
        counted=sum(s.completion.counted for s in statuses),
        flags=tuple(flag for flag in FLAGS if flag in found),
        running=any(c.period.start <= today <= c.period.end for c in plan.commitments),
    )


def current(summaries: list[Summary]) -> Summary:
    """A member's current plan: the latest that has started by the build date, else its
    first."""
    ordered = sorted(summaries, key=lambda s: s.plan.vision.period.start)
    started = [s for s in ordered if s.plan.vision.period.start <= s.plan.build_date]
    return started[-1] if started else ordered[0]


@dataclass(frozen=True)
class Edit:
    """A commit that touched a commitment's file."""

    date: dt.date
    """The commit's date, as `git log --format=%cs` gives it (the last update's too)."""
    commit: str
    subject: str


def git_edits(root: Path, folder: Path, ids: list[str]) -> dict[str, list[Edit]] | None:
    """The commits that touched each commitment's file (`folder/<id>.yaml`), newest first,
    following renames within `folder` as `git log --follow` would: one git call for the
    whole plan, not one per commitment. None outside git or when git fails."""
    output = _git_log(root, folder)
    if output is None:
        return None
    edits: dict[str, list[Edit]] = {cid: [] for cid in ids}
    prefix = folder.relative_to(root).as_posix()
    names = {f"{prefix}/{cid}.yaml": cid for cid in ids}
    for record in output.split("\x1e")[1:]:
        header, _, changes = record.partition("\0")
        commit, day, subject = [*header.split("\x1f", 2), "", ""][:3]
        try:
            edit = Edit(dt.date.fromisoformat(day), commit[:HASH_LENGTH], subject)
        except ValueError:
            continue  # not a record of our format: a subject holding the separator
        for cid in _touched(changes.lstrip("\n").split("\0"), names):
            edits[cid].append(edit)
    return edits


def _git_log(root: Path, folder: Path) -> str | None:
    """`git log` of the folder: per commit its hash, date and subject, then the files it
    changed with their status (renames detected), NUL-separated."""
    command = ["git", "-c", "core.quotePath=false", "log", "--format=%x1e%H%x1f%cs%x1f%s"]
    command += ["--name-status", "-M", "-z", "--relative", "--", str(folder.relative_to(root))]
    try:
        result = subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _touched(tokens: list[str], names: dict[str, str]) -> list[str]:
    """The commitments whose files a commit's changes (`M path`, `R100 old new`...) touch;
    a rename makes the older commits' name the file's former one (`names` is updated)."""
    touched: list[str] = []
    index = 0
    while index < len(tokens) and tokens[index]:
        status, index = tokens[index], index + 1
        paths = tokens[index : index + (2 if status[:1] in ("R", "C") else 1)]
        index += len(paths)
        cid = names.get(paths[-1])
        if cid is None:
            continue
        touched.append(cid)
        if status.startswith("R") and len(paths) == 2:
            del names[paths[-1]]
            names[paths[0]] = cid
    return list(dict.fromkeys(touched))


@dataclass(frozen=True)
class Change:
    """A progress entry of a commitment: the status it gave a milestone, the one before."""

    date: dt.date
    milestone: Milestone
    status: str
    previous: str
    """The milestone's status before the entry: the entry before's, or not-started."""
    note: LocalizedText | None


def status_changes(plan: Plan, commitment: Commitment) -> list[Change]:
    """The commitment's progress entries, newest first, each with the status the plan's
    computed history (`plan.status`) gives it, and its note from the progress log."""
    log = plan.progress.get(commitment.id)
    status = plan.status[commitment.id]
    histories = {m.milestone: m.history for m in status.milestones}
    milestones = {m.id: m for m in commitment.milestones}
    seen: dict[str, int] = {}
    changes = []
    for entry in log.entries if log is not None else []:
        index = seen[entry.milestone] = seen.get(entry.milestone, -1) + 1
        history = histories[entry.milestone]
        previous = history[index - 1].status if index else "not-started"
        milestone = milestones[entry.milestone]
        changes.append(
            Change(history[index].date, milestone, history[index].status, previous, entry.note)
        )
    return changes[::-1]
