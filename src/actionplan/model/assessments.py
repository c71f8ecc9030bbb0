"""assessments/: what the independent monitoring body writes."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, StrictBool, StrictInt

from actionplan.model.common import (
    MAX_ITEMS,
    Closed,
    Evidence,
    IsoDate,
    LocalizedText,
    PlainText,
    Slug,
)

Requirement = Literal[
    "forum-exists",
    "forum-multi-stakeholder",
    "non-government-approval",
    "repository-published",
    "information-before-meetings",
    "reasoned-response",
]
REQUIREMENTS: tuple[str, ...] = get_args(Requirement)
AssessmentStatus = Literal["draft", "final"]
Rating = Literal["worsened", "did-not-change", "marginal", "major", "outstanding"]


class RequirementCheck(Closed):
    """One of the six minimum co-creation requirements."""

    requirement: Requirement
    """Which requirement."""
    met: Literal["yes", "no", "partial"]
    """yes, no or partial."""
    explanation: LocalizedText
    """Why."""
    references: Annotated[list[PlainText], Field(max_length=MAX_ITEMS)] = []
    """Sources consulted."""


class CommitmentDesign(Closed):
    """The inception assessment of one commitment's design."""

    commitment: Slug
    """Id of the commitment."""
    verifiable: StrictBool
    """Are its milestones verifiable?"""
    open_gov_lens: StrictBool
    """Does it have an open government lens?"""
    potential_for_results: Literal["unclear", "modest", "substantial"]
    """unclear, modest or substantial."""
    explanation: LocalizedText
    """Why."""


class RecommendationResponse(Closed):
    """The member's response to one recommendation of the inception assessment."""

    recommendation: Annotated[StrictInt, Field(ge=1, le=MAX_ITEMS)]
    """Number of the recommendation answered (1 for the first)."""
    response: LocalizedText
    """What the member does about it."""
    date: IsoDate | None = None
    """When the member responded."""
    commitments: Annotated[list[Slug], Field(max_length=MAX_ITEMS)] = []
    """Commitments that carry the response."""


class Inception(Closed):
    """The initial (inception) assessment of the co-creation and the commitments' design."""

    evaluator: PlainText
    """Who wrote the assessment."""
    date: IsoDate
    """Date of the assessment."""
    status: AssessmentStatus | None = None
    """draft (being discussed with stakeholders, marked as a draft) or final (when absent)."""
    requirements: Annotated[list[RequirementCheck], Field(min_length=1, max_length=MAX_ITEMS)]
    """Each of the six co-creation requirements, exactly once."""
    public_influence: Literal["inform", "consult", "involve", "collaborate", "empower"]
    """Level of public influence (IAP2 spectrum)."""
    commitments: Annotated[list[CommitmentDesign], Field(max_length=MAX_ITEMS)]
    """Assessment of each commitment's design."""
    recommendations: Annotated[list[LocalizedText], Field(max_length=MAX_ITEMS)]
    """Recommendations for the plan."""
    responses: Annotated[list[RecommendationResponse], Field(max_length=MAX_ITEMS)] | None = None
    """The member's response to each recommendation, by its number."""


class ValueChange(Closed):
    """How much the commitment changed government on one value."""

    rating: Rating
    """worsened, did-not-change, marginal, major or outstanding."""
    explanation: LocalizedText
    """Why."""


class DidItOpenGovernment(Closed):
    """Section 2: did it open government? One rating per value."""

    transparency: ValueChange | None = None
    """Change in transparency."""
    participation: ValueChange | None = None
    """Change in participation."""
    accountability: ValueChange | None = None
    """Change in accountability."""


class EndOfCommitment(Closed):
    """The end-of-commitment assessment of one commitment."""

    commitment: Slug
    """Id of the commitment; equals the file name."""
    evaluator: PlainText
    """Who wrote the assessment."""
    date: IsoDate
    """Date of the assessment."""
    status: AssessmentStatus | None = None
    """draft (being discussed with stakeholders, marked as a draft) or final (when absent)."""
    completion: Literal["not-started", "limited", "substantial", "complete"]
    """Overall level of completion."""
    completion_explanation: LocalizedText
    """Why that level."""
    did_it_open_government: DidItOpenGovernment
    """Did it open government?"""
    lessons: LocalizedText
    """Lessons learned."""
    evidence: Annotated[list[Evidence], Field(max_length=3)] = []
    """At most three pieces of evidence."""


class FinalMeeting(Closed):
    """The final meeting of the cycle."""

    date: IsoDate
    """Date of the meeting."""
    participants: Annotated[list[PlainText], Field(max_length=MAX_ITEMS)]
    """Who took part."""


class FinalSummary(Closed):
    """The final summary of the action plan cycle."""

    date: IsoDate
    """Date of the summary."""
    status: AssessmentStatus | None = None
    """draft (being discussed with stakeholders, marked as a draft) or final (when absent)."""
    meeting: FinalMeeting
    """The final meeting."""
    lessons: Annotated[list[LocalizedText], Field(max_length=MAX_ITEMS)]
    """Lessons of the cycle."""
    recommendations: Annotated[list[LocalizedText], Field(max_length=MAX_ITEMS)]
    """Recommendations for the next cycle."""
