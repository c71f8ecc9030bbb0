"""The pull-request comment: the Markdown diff of every plan a branch changes.

The core of `python -m actionplan.diff.pr`, whose line is read in `cli/pr.py`. The changed
plan folders come from `git diff --name-only BASE...HEAD -- plans/` (a change to member.yaml
changes every cycle of the member); each is compared, in the working tree, with its state at
the merge base. The comment starts with a marker line so a workflow can update its previous
comment instead of adding one; it is cut to fit GitHub's limit, the full diffs being written to
`--out` (Markdown and HTML per plan) for the workflow's artifacts.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from actionplan.fsutil import write_atomic

MARKER = "<!-- actionplan-diff -->"
MAX_COMMENT = 60_000  # GitHub refuses comments over 65,536 characters


def changed_plans(top: Path, base: str) -> list[str]:
    """Plan folders (`plans/<member>/<cycle>`, from the repository root) changed since `base`."""
    from actionplan.diff.sources import git

    names = git(top, ["diff", "--name-only", "-z", f"{base}...HEAD", "--", "plans/"])
    folders: dict[str, None] = {}
    for name in names.decode("utf-8", "surrogateescape").split("\0"):
        parts = PurePosixPath(name).parts
        if len(parts) >= 4 and parts[0] == "plans":
            folders[f"plans/{parts[1]}/{parts[2]}"] = None
        elif len(parts) == 3 and parts[2] == "member.yaml":
            member = top / "plans" / parts[1]
            cycles = (
                sorted(p.name for p in member.iterdir() if p.is_dir()) if member.is_dir() else []
            )
            folders.update({f"plans/{parts[1]}/{cycle}": None for cycle in cycles})
    return sorted(folders)


def comment(top: Path, base: str, out: Path | None = None) -> str:
    """The comment's Markdown: a marker, a heading, then each changed plan's diff."""
    from actionplan.diff.api import diff_sides, render
    from actionplan.diff.sources import NotAtRevision, PlanUnreadable, git, load_side

    templates = _templates(top)
    merge_base = git(top, ["merge-base", base, "HEAD"]).decode("ascii").strip()
    sections: list[str] = []
    for folder in changed_plans(top, base):
        if not (top / folder).is_dir():
            sections.append(f"**{folder[len('plans/') :]}**: removed in this branch.\n")
            continue
        try:
            new = load_side(str(top / folder))
            old = load_side(f"{merge_base}:{top / folder}")
        except NotAtRevision:
            sections.append(f"**{folder[len('plans/') :]}**: a new plan.\n")
            continue
        except PlanUnreadable as exc:
            sections.append(f"**{folder[len('plans/') :]}**: ⚠️ {exc}; see the validation job.\n")
            continue
        old.source = f"{base}:{folder}"
        new.source = folder
        diff = diff_sides(old, new)
        text = render(diff, "markdown", templates)
        sections.append(text)
        if out is not None:
            key = folder[len("plans/") :]
            write_atomic(out / f"{key}.md", text)
            write_atomic(out / f"{key}.html", render(diff, "html", templates))
    heading = f"{MARKER}\n## Changes to the plans\n\n"
    if not sections:
        return heading + "No plan changed.\n"
    return _fit(heading, sections)


def _templates(top: Path) -> Path:
    folder = top / "templates"
    if (folder / "locales" / "en" / "LC_MESSAGES" / "actionplan.po").is_file():
        return folder
    from actionplan.diff.api import SOURCE_TEMPLATES

    return SOURCE_TEMPLATES


def _fit(heading: str, sections: list[str]) -> str:
    body = heading + "\n---\n\n".join(sections)
    if len(body) <= MAX_COMMENT:
        return body
    note = (
        "\n\n_The diff is too long for a comment: it is cut here. The full diffs are in the "
        "workflow run's artifacts._\n"
    )
    summaries = "\n".join(section.split("\n", 1)[0] for section in sections)
    cut = body[: MAX_COMMENT - len(note) - len(summaries) - 200]
    cut = cut[: cut.rfind("\n")]
    return heading + summaries + "\n\n---\n\n" + cut[len(heading) :] + note
