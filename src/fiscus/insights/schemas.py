"""Pydantic shapes of /api/v1/insights."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SuggestionStatus = Literal["queued", "auto", "confirmed", "corrected"]


class Candidate(BaseModel):
    category_id: uuid.UUID
    category_name: str
    confidence: float = Field(ge=0, le=1)


class SuggestionRead(BaseModel):
    """The model's current suggestion for one entry, and the review state if queued."""

    transaction_id: uuid.UUID
    date: date
    description: str
    payee: str | None
    amount: str  # signed, + money in
    currency: str
    current_category_id: uuid.UUID
    status: SuggestionStatus | None  # None: never suggested (read on demand)
    suggestion: Candidate | None  # None: the model knows no category of this kind yet
    alternatives: list[Candidate]  # up to three, best first
    suggested_at: datetime | None


class ReviewDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["confirm", "correct", "undo"] = Field(
        description="confirm the suggestion (or an automatic apply), correct it to "
        "category_id, or undo an automatic apply (back to Uncategorised, queued)"
    )
    category_id: uuid.UUID | None = None


class ModelStatus(BaseModel):
    examples: int
    categories: int
    features: int
    last_trained_at: datetime | None
    last_suggested_at: datetime | None
    queued: int
    auto: int
    auto_apply: bool
    auto_threshold: float


class ModelSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_apply: bool | None = None
    auto_threshold: float | None = Field(default=None, ge=0, le=1)


class CategoriseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transaction_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=200_000, description="default: every uncategorised entry"
    )


class CategoriseResult(BaseModel):
    considered: int
    applied: int
    queued: int


class TrainStarted(BaseModel):
    job_id: uuid.UUID
