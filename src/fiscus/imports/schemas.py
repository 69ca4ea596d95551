"""Request and response shapes of bank imports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ImportStatus = Literal["draft", "committing", "committed", "failed", "undone"]
Decision = Literal["import", "skip"]


class RowErrorRead(BaseModel):
    line_no: int
    field: str
    message: str


class DuplicateCandidate(BaseModel):
    """A line that may already be in the books: `exact` (same bank reference, or the same
    line of a file without references, already imported into the account) or `fuzzy`
    (an entry of the account with the same amount within a few days and a similar payee).
    `default` is what commit does without a decision: skip an exact one; a fuzzy one
    has none (commit refuses until it gets one)."""

    line_no: int
    kind: Literal["exact", "fuzzy"]
    score: float = Field(description="1.0 for exact; payee/description similarity for fuzzy")
    transaction_id: uuid.UUID | None
    date: date | None
    amount: str | None
    description: str | None
    payee: str | None
    default: Decision | None


class PreviewRow(BaseModel):
    """A line as it will be booked."""

    line_no: int
    date: date
    description: str
    payee: str | None
    amount: str
    currency: str
    category: str = Field(description="the category it books against (until rules run)")
    bank_ref: str | None
    duplicate: Literal["exact", "fuzzy"] | None


class StatementBalanceRead(BaseModel):
    date: date
    amount: str
    kind: str


class ImportPreview(BaseModel):
    rows: list[PreviewRow] = Field(description="the first lines, as they will be booked")
    lines: int = Field(description="lines read from the file")
    errors: list[RowErrorRead] = Field(description="rows that cannot be booked (first 500)")
    error_count: int
    duplicates: list[DuplicateCandidate] = Field(description="every duplicate candidate")
    balances: list[StatementBalanceRead]
    currency: str | None
    account_hint: str | None


class ImportCounts(BaseModel):
    lines: int = 0
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0


class PresetRef(BaseModel):
    id: uuid.UUID
    scope: Literal["account", "bank"]


class ImportSummary(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    filename: str
    size: int
    status: ImportStatus
    format: str
    counts: ImportCounts
    job_id: uuid.UUID | None
    created_at: datetime
    committed_at: datetime | None
    undone_at: datetime | None


class ImportRead(ImportSummary):
    content_type: str
    fingerprint: str = Field(description="signature of the bank's file layout (presets key)")
    detection: dict[str, Any] = Field(description="every detected choice with its confidence")
    mapping: dict[str, Any]
    preset: PresetRef | None = Field(description="the saved mapping applied at upload, if any")
    preview: ImportPreview | None
    result: dict[str, Any] | None = Field(
        description="after commit: anchors with their validation, categorisation, undo"
    )


class CommitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decisions: dict[int, Decision] = Field(
        default_factory=dict, description="per line number of a duplicate candidate"
    )
    all_or_nothing: bool = Field(
        default=False, description="refuse the commit if any row has an error"
    )


class PresetRead(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID | None
    scope: Literal["account", "bank"]
    fingerprint: str
    format: str
    mapping: dict[str, Any]
    uses: int
    updated_at: datetime


class CommitAccepted(BaseModel):
    """The commit runs as a job: poll GET /api/v1/jobs/{job_id}, then GET the import."""

    job_id: uuid.UUID
    import_id: uuid.UUID
    status: ImportStatus
