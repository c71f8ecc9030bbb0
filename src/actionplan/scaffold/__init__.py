"""`actionplan new`: start a member, plan, commitment, progress log or a piece of the
co-creation record with files that validate, or the next plan from the previous one.

Every file starts with a `# yaml-language-server: $schema=...` line pointing at the repository's
`schemas/` folder, so editors complete and check it while it is being filled in. Prose that the
team must write is a `TODO:` placeholder in each of the member's languages. Nothing is ever
overwritten, every file is written atomically and validated before success is reported; when
anything goes wrong, nothing is left behind.

One module per concern: `arguments` (the values of the command line, the files read),
`texts` (placeholders), `yamltext` (the writer), `writing` (atomic writes and validation),
`plan_files` (member, plan, commitment, progress), `record` (forum, roadmap, meeting,
contributions) and `carry` (the next plan from the previous one).
"""

from __future__ import annotations

from actionplan.scaffold.arguments import SLUG_HELP
from actionplan.scaffold.carry import new_plan_from
from actionplan.scaffold.plan_files import (
    NewCommitment,
    NewMember,
    NewPlan,
    NewProgress,
    new_commitment,
    new_member,
    new_plan,
    new_progress,
)
from actionplan.scaffold.record import (
    CHANNELS,
    FORMATS,
    MEETING_KINDS,
    PHASES,
    NewContributions,
    NewForum,
    NewMeeting,
    NewRoadmap,
    new_contributions,
    new_forum,
    new_meeting,
    new_roadmap,
)
from actionplan.scaffold.yamltext import to_yaml

__all__ = [
    "CHANNELS",
    "FORMATS",
    "MEETING_KINDS",
    "PHASES",
    "SLUG_HELP",
    "NewCommitment",
    "NewContributions",
    "NewForum",
    "NewMeeting",
    "NewMember",
    "NewPlan",
    "NewProgress",
    "NewRoadmap",
    "new_commitment",
    "new_contributions",
    "new_forum",
    "new_meeting",
    "new_member",
    "new_plan",
    "new_plan_from",
    "new_progress",
    "new_roadmap",
    "to_yaml",
]
