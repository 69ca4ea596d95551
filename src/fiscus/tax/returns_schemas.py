"""Request and response shapes of /api/v1/tax/returns (amounts are decimal strings)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from fiscus.tax.returns_sections import Figure, ReturnData, SignedFigure, Strict
from fiscus.tax.schemas import CalculateResponse, YearField

ReturnStatus = Literal["draft", "ready", "lodged"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[\w./-]+$"),
    Field(description="the ATO receipt or lodgement reference"),
]


class Person(Strict):
    name: Name
    user_id: uuid.UUID | None = Field(default=None, description="a member of this tenant")


class ReturnCreate(YearField):
    person: Person
    data: ReturnData = Field(default_factory=ReturnData)


class StatusChange(Strict):
    status: Literal["draft", "ready"]


class Lodge(Strict):
    confirm: bool = Field(description="must be true: you confirm the return was lodged")
    reference: Reference
    lodged_on: date

    @field_validator("confirm")
    @classmethod
    def _confirmed(cls, confirm: bool) -> bool:
        if not confirm:
            raise ValueError("must be true to record that this return was lodged with the ATO")
        return confirm


class Assessment(CalculateResponse):
    other_offsets: str = Field(description="T2, T3, T4 and T9 offsets applied (capped)")
    calculated_at: datetime


class Lodgement(BaseModel):
    lodged_on: date
    reference: str
    lodged_at: datetime
    lodged_by: uuid.UUID | None
    retention_ends: date = Field(description="deletion is refused before this date")


class ReturnRead(BaseModel):
    id: uuid.UUID
    person: Person
    year: str
    version: int
    previous_id: uuid.UUID | None
    next_id: uuid.UUID | None = Field(description="the amendment made from this version")
    status: ReturnStatus
    provisional: bool = Field(description="the year's rules are not all legislated yet")
    data: ReturnData
    assessment: Assessment | None = Field(description="null until calculated; cleared by edits")
    lodgement: Lodgement | None
    proposals: list[ProposalRead] = Field(description="prefill proposals awaiting a decision")
    created_at: datetime
    updated_at: datetime


class ReturnSummary(BaseModel):
    id: uuid.UUID
    person: Person
    year: str
    version: int
    previous_id: uuid.UUID | None
    status: ReturnStatus
    refund_or_owed: str | None = Field(description="from the stored assessment, if any")
    lodged_on: date | None
    updated_at: datetime


class Change(BaseModel):
    path: str
    code: str | None = Field(description="ATO label code, e.g. D1")
    label: str | None
    before: Any
    after: Any


class RefundChange(BaseModel):
    before: str
    after: str
    change: str = Field(description="after - before: positive means more refund")


class Diff(BaseModel):
    id: uuid.UUID
    version: int
    against_id: uuid.UUID
    against_version: int
    changes: list[Change]
    refund_or_owed: RefundChange


class ProposalRead(BaseModel):
    key: str = Field(description="the figure's path; a payer is income.salary_wages[<name>].gross")
    code: str
    label: str
    amount: str
    transaction_ids: list[uuid.UUID]
    categories: list[str] = Field(description="the categories the postings came from")
    current: Figure | SignedFigure | None = Field(description="the figure on the return now")
    overwrites_user: bool = Field(description="accepting replaces a figure a person typed")


class SkippedLabel(BaseModel):
    tax_label: str
    categories: list[str]
    transaction_ids: list[uuid.UUID]
    reason: str


class PrefillResult(BaseModel):
    year: str
    starts: date
    ends: date
    proposals: list[ProposalRead]
    skipped: list[SkippedLabel]


class Decision(Strict):
    key: str
    action: Literal["accept", "reject"]


class Decide(Strict):
    decisions: list[Decision] = Field(min_length=1, max_length=500)
