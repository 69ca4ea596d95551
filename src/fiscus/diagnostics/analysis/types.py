"""The analysis's result and request types.

Results are frozen slotted dataclasses (a million-account trial balance builds a million
of them; pydantic models would cost several times more); the request types a client
sends (materiality, classification overrides) are pydantic models so their JSON is
validated with every bad field named. Money is `Decimal`, never float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Category = Literal["asset", "liability", "equity", "revenue", "expense", "unknown"]
Source = Literal["file", "heuristic", "override"]
Severity = Literal["critical", "high", "medium", "low", "info"]
Benchmark = Literal["pre_tax_profit", "revenue", "total_assets", "equity"]

CATEGORIES: tuple[Category, ...] = ("asset", "liability", "equity", "revenue", "expense")


class ClassificationOverride(BaseModel):
    """The user's classification of one account (keyed by account number, or by name
    when the account has no number). Always wins over the file and the heuristics."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Category
    subtype: str | None = Field(default=None, max_length=40)
    lead_sheet: str | None = Field(default=None, pattern="^[A-OZ]$")
    contra: bool = False


class MaterialityRequest(BaseModel):
    """Per-request materiality: a fixed amount, or `percentage` (a fraction: 0.05 is
    5 %) of a benchmark, optionally bounded by `floor`/`cap`. `performance` and
    `trivial` are fractions of overall materiality."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Decimal | None = Field(default=None, gt=0)
    benchmark: Benchmark | None = None
    percentage: Decimal | None = Field(default=None, gt=0, le=1)
    floor: Decimal | None = Field(default=None, ge=0)
    cap: Decimal | None = Field(default=None, gt=0)
    performance: Decimal = Field(default=Decimal("0.75"), gt=0, le=1)
    trivial: Decimal = Field(default=Decimal("0.05"), gt=0, le=1)

    @model_validator(mode="after")
    def _consistent(self) -> MaterialityRequest:
        if self.amount is not None and (self.benchmark or self.percentage):
            raise ValueError("give either amount or benchmark/percentage, not both")
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValueError("floor must not exceed cap")
        return self


@dataclass(frozen=True, slots=True)
class Alternative:
    category: Category
    subtype: str
    lead_sheet: str
    score: float


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category
    subtype: str
    confidence: float
    source: Source
    contra: bool
    normal_balance: Literal["debit", "credit"]
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountResult:
    line_no: int
    number: str | None
    name: str
    debit: Decimal
    credit: Decimal
    net: Decimal
    type_hint: str | None
    classification: Classification
    lead_sheet: str


@dataclass(frozen=True, slots=True)
class Anomaly:
    code: str
    account: str | None
    amount: Decimal | None
    severity: Severity
    material: bool
    explanation: str
    procedure: str
    line_no: int | None = None


@dataclass(frozen=True, slots=True)
class Materiality:
    overall: Decimal | None
    performance: Decimal | None
    trivial: Decimal | None
    basis: str
    benchmark_amount: Decimal | None
    percentage: Decimal | None
    note: str


@dataclass(frozen=True, slots=True)
class Ratio:
    value: Decimal | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class BenfordTest:
    test: Literal["first_digit", "first_two_digits"]
    population: int
    minimum: int
    status: Literal["population_too_small", "close", "acceptable", "marginal", "nonconformity"]
    mad: float | None
    observed: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Totals:
    """Signed net totals by category (debit positive), and the current-year result
    (revenue minus expenses, positive for a profit)."""

    by_category: dict[str, Decimal]
    by_lead_sheet: dict[str, Decimal]
    current_year_result: Decimal


@dataclass(frozen=True, slots=True)
class Analysis:
    balanced: bool
    total_debits: Decimal
    total_credits: Decimal
    difference: Decimal
    row_count: int
    accounts: tuple[AccountResult, ...]
    totals: Totals
    anomalies: tuple[Anomaly, ...]
    materiality: Materiality
    ratios: dict[str, Ratio | dict[str, Ratio]]
    benford: tuple[BenfordTest, ...]
    risk_score: int
    risk_tier: Literal["low", "moderate", "high", "critical"]
    chart_scheme: str
