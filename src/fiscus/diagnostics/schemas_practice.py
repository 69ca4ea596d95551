"""Request and response shapes of the practice features: clients, history, trends,
dashboard statistics and practice settings. Amounts are decimal strings, never floats."""

from __future__ import annotations

import calendar
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from fiscus.diagnostics.analysis.types import Benchmark

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Industry = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Money = Annotated[Decimal, Field(max_digits=20, decimal_places=2)]
Fraction = Annotated[Decimal, Field(gt=0, le=1, max_digits=7, decimal_places=6)]
Threshold = Annotated[float, Field(ge=0.5, le=0.99, description="column-detection confidence")]
MappingBody = dict[str, str | int]

DEFAULT_THRESHOLD = 0.6
DEFAULT_FISCAL_YEAR_END = "06-30"


class MaterialitySettings(BaseModel):
    """Materiality at one level (practice, client or request), with the keys of the
    request's `materiality` field. Only the fields given are kept, so a level below
    fills what this one leaves out (see docs.md, Materiality precedence)."""

    model_config = ConfigDict(extra="forbid")

    amount: Money | None = Field(default=None, gt=0, description="fixed overall materiality")
    benchmark: Benchmark | None = Field(default=None, description="the basis of a percentage")
    percentage: Fraction | None = Field(default=None, description="0.05 is 5 %")
    floor: Money | None = Field(default=None, ge=0)
    cap: Money | None = Field(default=None, gt=0)
    performance: Fraction | None = Field(default=None, description="of overall; 0.75 default")
    trivial: Fraction | None = Field(default=None, description="of overall; 0.05 default")

    @model_validator(mode="after")
    def _consistent(self) -> MaterialitySettings:
        if self.amount is not None and (self.benchmark or self.percentage):
            raise ValueError("give either amount or benchmark/percentage, not both")
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValueError("floor must not exceed cap")
        return self

    def given(self) -> dict[str, str]:
        """The fields set, as JSON-ready strings."""
        return {k: str(v) for k, v in self.model_dump(exclude_none=True).items()}


def _fiscal_year_end(value: str) -> str:
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError("must be MM-DD, e.g. 06-30")
    month, day = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError("the month must be 01 to 12")
    last = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"month {month:02d} has no day {day:02d}")
    return value


class ClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    industry: Industry | None = None
    fiscal_year_end: str = Field(default=DEFAULT_FISCAL_YEAR_END, description="MM-DD")
    materiality: MaterialitySettings | None = None
    mapping: MappingBody | None = Field(default=None, description="saved column mapping")

    _fye = field_validator("fiscal_year_end")(_fiscal_year_end)


class ClientUpdate(BaseModel):
    """Only the fields sent change; `null` clears industry, materiality or mapping."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    industry: Industry | None = None
    fiscal_year_end: str | None = Field(default=None, description="MM-DD")
    materiality: MaterialitySettings | None = None
    mapping: MappingBody | None = None

    @field_validator("name", "fiscal_year_end", mode="before")
    @classmethod
    def _required(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be cleared; leave it out to keep it")
        return value

    @field_validator("fiscal_year_end")
    @classmethod
    def _fye(cls, value: str | None) -> str | None:
        return None if value is None else _fiscal_year_end(value)


class ClientRead(BaseModel):
    id: uuid.UUID
    name: str
    industry: str | None
    fiscal_year_end: str
    materiality: dict[str, str] = Field(description="the client's own settings, fields set")
    mapping: MappingBody | None
    analysis_count: int
    last_analysed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class MaterialityRead(BaseModel):
    basis: str
    overall: str | None
    performance: str | None
    trivial: str | None


class HistoryRead(BaseModel):
    id: uuid.UUID
    client_id: uuid.UUID | None
    source: Literal["upload", "ledger"]
    file_sha256: str | None = Field(description="SHA-256 of the file name; never the name")
    file_ref: str | None = Field(description="its first 12 characters, for display")
    file_format: str | None
    as_of: date | None = Field(description="the books' date of a ledger analysis")
    analysed_at: datetime
    sheet_count: int
    row_count: int
    total_debits: str
    total_credits: str
    balanced: bool
    anomalies: dict[str, int] = Field(description="finding counts by severity")
    anomaly_count: int
    materiality: MaterialityRead
    risk_score: int
    risk_tier: str
    category_totals: dict[str, str] = Field(
        description="natural sign: credits positive for liabilities, equity and revenue"
    )
    ratios: dict[str, str | None]


class TrendsRead(BaseModel):
    client_id: uuid.UUID
    points: list[HistoryRead] = Field(description="oldest first")


class ClearRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: uuid.UUID | None = Field(default=None, description="only this client's history")


class ClearResult(BaseModel):
    deleted: int


class FindingCounts(BaseModel):
    analyses: int
    critical: int
    high: int
    medium: int
    low: int
    info: int


class DashboardStats(BaseModel):
    clients: int
    all_time: FindingCounts
    last_30_days: FindingCounts
    clients_analysed_last_30_days: int


class PracticeSettingsUpdate(BaseModel):
    """The whole of the practice settings (PUT): a field left out returns to its
    built-in default."""

    model_config = ConfigDict(extra="forbid")

    materiality: MaterialitySettings | None = None
    confidence_threshold: Threshold | None = None


class PracticeSettingsRead(BaseModel):
    materiality: dict[str, str] = Field(description="the practice defaults, fields set")
    confidence_threshold: float = Field(description="in effect (0.6 unless set)")
    confidence_threshold_set: bool
    updated_at: datetime | None
