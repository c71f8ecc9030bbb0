"""Model stage: closed pydantic models of every plan document, the source of the schemas."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from actionplan.model.assessments import EndOfCommitment, FinalSummary, Inception
from actionplan.model.cocreation import Contributions, Forum, Meeting, Roadmap
from actionplan.model.commitment import Commitment
from actionplan.model.member import Member
from actionplan.model.progress import ProgressLog
from actionplan.model.vision import Vision


@dataclass(frozen=True)
class DocumentKind:
    """One kind of plan file: its model and the schema generated from it."""

    name: str
    model: type[BaseModel]

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("member", Member),
        DocumentKind("vision", Vision),
        DocumentKind("commitment", Commitment),
        DocumentKind("progress", ProgressLog),
        DocumentKind("inception", Inception),
        DocumentKind("end-of-commitment", EndOfCommitment),
        DocumentKind("final-summary", FinalSummary),
        DocumentKind("forum", Forum),
        DocumentKind("roadmap", Roadmap),
        DocumentKind("meeting", Meeting),
        DocumentKind("contributions", Contributions),
    )
}

__all__ = [
    "KINDS",
    "Commitment",
    "Contributions",
    "DocumentKind",
    "EndOfCommitment",
    "FinalSummary",
    "Forum",
    "Inception",
    "Meeting",
    "Member",
    "ProgressLog",
    "Roadmap",
    "Vision",
]
