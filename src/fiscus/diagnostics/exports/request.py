"""The body of an export request: the analysis `POST /diagnostics/trial-balance` returned.

Exports are regenerated from the analysis the client posts back (nothing is stored
between the analysis and its export), so the body is validated here field by field: a
malformed one is a 422 naming the field (`accounts.3.net`, `risk_tier`). Fields of the
analysis an export does not use (ingestion, Benford, excluded lines, per-sheet analyses
of a workbook, ...) are accepted and ignored, so an analysis with more fields still
exports. Two optional fields are not part of an analysis: `prior` (the prior period's
analysis, for the lead schedules' comparative column) and `engagement` (entity, period
and the names for the sign-off block).

Money is `Decimal` (the analysis carries decimal strings); the totals must agree with
the accounts, so a hand-edited body cannot produce a workpaper that does not add up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Bounded so every amount survives the trip to a spreadsheet cell (no 1E+999999).
Amount = Annotated[Decimal, Field(max_digits=22, decimal_places=6, allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=2_000)]
Name = Annotated[str, Field(max_length=1_024)]
Category = Literal["asset", "liability", "equity", "revenue", "expense", "unknown"]
Severity = Literal["critical", "high", "medium", "low", "info"]
Tier = Literal["low", "moderate", "high", "critical"]

# A worksheet holds 1,048,576 rows; the Standardised TB sheet also needs its title block
# (4), heading (1) and total (1) rows, and a lead schedule one more for its total. (The
# 64 MB body cap of the route binds long before, at roughly 150,000 accounts.)
MAX_ACCOUNTS = 1_048_576 - 7
MAX_FINDINGS = 100_000

_IGNORE = ConfigDict(extra="ignore", frozen=True)


class ClassificationIn(BaseModel):
    model_config = _IGNORE

    category: Category
    subtype: Annotated[str, Field(max_length=40)]
    confidence: Annotated[float, Field(ge=0, le=1)]
    source: Literal["file", "heuristic", "override"]
    contra: bool = False
    normal_balance: Literal["debit", "credit"]


class AccountIn(BaseModel):
    model_config = _IGNORE

    line_no: Annotated[int, Field(ge=0)] | None = None
    number: Annotated[str, Field(max_length=1_024)] | None = None
    name: Name
    debit: Amount
    credit: Amount
    net: Amount
    classification: ClassificationIn
    lead_sheet: Annotated[str, Field(pattern="^[A-OZ]$")]

    @property
    def label(self) -> str:
        """The account as a finding names it (`findings.label_of`)."""
        return f"{self.number} {self.name}" if self.number else self.name

    @property
    def key(self) -> str:
        """What matches the account to the same account of the prior period."""
        return self.number.strip() if self.number else "name:" + self.name.strip().casefold()


class FindingIn(BaseModel):
    model_config = _IGNORE

    code: Annotated[str, Field(min_length=1, max_length=64)]
    account: Name | None = None
    amount: Amount | None = None
    severity: Severity
    material: bool
    explanation: Text
    procedure: Text
    line_no: Annotated[int, Field(ge=0)] | None = None


class MaterialityIn(BaseModel):
    model_config = _IGNORE

    overall: Amount | None = None
    performance: Amount | None = None
    trivial: Amount | None = None
    basis: Annotated[str, Field(max_length=64)]
    benchmark_amount: Amount | None = None
    percentage: Amount | None = None
    note: Text = ""


class RatioIn(BaseModel):
    model_config = _IGNORE

    value: Amount | None
    reason: Text | None = None


class AnalysisIn(BaseModel):
    """The fields of an analysis the exports use."""

    model_config = _IGNORE

    balanced: bool
    total_debits: Amount
    total_credits: Amount
    difference: Amount
    row_count: Annotated[int, Field(ge=0)]
    accounts: Annotated[list[AccountIn], Field(max_length=MAX_ACCOUNTS)]
    anomalies: Annotated[list[FindingIn], Field(max_length=MAX_FINDINGS)]
    materiality: MaterialityIn
    ratios: dict[Annotated[str, Field(max_length=64)], RatioIn | dict[str, RatioIn]]
    risk_score: Annotated[int, Field(ge=0, le=100)]
    risk_tier: Tier
    sheet: Name | None = None
    file_format: Annotated[str, Field(max_length=16)] | None = None
    consolidated: bool = False


class Engagement(BaseModel):
    """Optional headings of the memo and workpapers; the sign-off names, if known."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: Annotated[str, Field(max_length=200)] | None = None
    period_end: date | None = None
    prior_period_end: date | None = None
    prepared_by: Annotated[str, Field(max_length=120)] | None = None
    reviewed_by: Annotated[str, Field(max_length=120)] | None = None


class ExportRequest(AnalysisIn):
    """An analysis to export, with the prior period's analysis and engagement details."""

    prior: AnalysisIn | None = None
    engagement: Engagement = Engagement()


class InvalidExport(Exception):
    """The body is not an analysis to export; `errors` in pydantic's shape (loc, msg,
    type), every bad field named, for the web layer's validation answer."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def parse(raw: bytes) -> ExportRequest:
    """The validated request, or `InvalidExport` naming every bad field."""
    try:
        request = ExportRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise InvalidExport(
            [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        ) from exc
    errors = _inconsistencies(request, ())
    if request.prior is not None:
        errors += _inconsistencies(request.prior, ("prior",))
    if errors:
        raise InvalidExport(errors)
    return request


def _inconsistencies(analysis: AnalysisIn, prefix: tuple[str, ...]) -> list[dict[str, Any]]:
    """Figures that contradict each other: each account's net, and the totals."""
    errors: list[dict[str, Any]] = []

    def add(loc: tuple[str | int, ...], msg: str) -> None:
        errors.append({"loc": prefix + loc, "msg": msg, "type": "value_error"})

    debits = credits = Decimal(0)
    for index, account in enumerate(analysis.accounts):
        debits += account.debit
        credits += account.credit
        if account.net != account.debit - account.credit and len(errors) < 20:
            add(("accounts", index, "net"), "net must equal debit minus credit")
    if debits != analysis.total_debits:
        add(("total_debits",), f"total_debits is not the sum of the accounts' debits ({debits})")
    if credits != analysis.total_credits:
        add(
            ("total_credits",), f"total_credits is not the sum of the accounts' credits ({credits})"
        )
    if analysis.difference != analysis.total_debits - analysis.total_credits:
        add(("difference",), "difference must equal total_debits minus total_credits")
    if analysis.balanced != (analysis.difference == 0):
        add(("balanced",), "balanced must say whether the difference is zero")
    return errors
