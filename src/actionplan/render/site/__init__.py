"""The public site of a network's plans: static pages under build/site/, JavaScript only for search.

The home page lists every member with its current plan, completion and flags, with a page per
country and per OGP value as filters; a member's page lists its plans by cycle, its forum and
contacts; a plan's page (one per language) shows its vision, commitments with their milestones'
computed statuses, its co-creation record in brief, its assessments and its downloads, and says
when it was last updated (git) and whether its public record is more than four months old while
commitments run. Every link is relative, so the folder can be served from anywhere.
"""

from __future__ import annotations

from actionplan.render.site.pages import write_home, write_member

__all__ = ["write_home", "write_member"]
