"""What the site's pages show of a plan, computed once: its last update, completion, flags."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from actionplan.merge import Plan
from actionplan.status import FLAGS, STALE_MONTHS, flags_of, months_before

GIT_TIMEOUT = 30


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
