"""Variance thresholds of the flux analysis and the risk tier they give an account.

Defaults (all tunable through the request's `thresholds` JSON):

- **high**: |change| >= `high_amount` (default performance materiality) and
  |change %| >= `high_pct` (default 0.20, i.e. 20 %);
- **medium**: not high, and |change| >= `high_amount`, or |change| >= `medium_amount`
  (default the clearly-trivial threshold) and |change %| >= `medium_pct` (default 0.10);
- **low**: neither, but |change| >= `medium_amount`;
- **none**: |change| below `medium_amount` (clearly trivial).

A change % that cannot be computed (the prior balance is zero or absent) counts as
meeting every % threshold when the change is not zero: growth from nothing has no
bound. Percentages are fractions (0.20 is 20 %), as elsewhere in diagnostics; the
comparison is exact (|change| >= pct x |prior|), never on a rounded %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fiscus.diagnostics.analysis import AnalysisInputInvalid
from fiscus.diagnostics.analysis.types import Materiality

Risk = Literal["high", "medium", "low", "none"]

HIGH_PCT = Decimal("0.20")
MEDIUM_PCT = Decimal("0.10")


class ThresholdsRequest(BaseModel):
    """The request's `thresholds` JSON; amounts default to the current period's
    performance materiality (high) and clearly-trivial threshold (medium)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    high_pct: Decimal = Field(default=HIGH_PCT, gt=0)
    medium_pct: Decimal = Field(default=MEDIUM_PCT, gt=0)
    high_amount: Decimal | None = Field(default=None, gt=0)
    medium_amount: Decimal | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdsRequest:
        if self.medium_pct > self.high_pct:
            raise ValueError("medium_pct must not exceed high_pct")
        if (
            self.high_amount is not None
            and self.medium_amount is not None
            and self.medium_amount > self.high_amount
        ):
            raise ValueError("medium_amount must not exceed high_amount")
        return self


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The thresholds in force. Amounts are None when neither the request nor a
    materiality gives them: risk is then not assessed (`note` says why)."""

    high_pct: Decimal
    medium_pct: Decimal
    high_amount: Decimal | None
    medium_amount: Decimal | None
    amount_basis: str
    note: str | None


def parse_thresholds(raw: Any) -> ThresholdsRequest:
    if raw is None:
        return ThresholdsRequest()
    if not isinstance(raw, dict):
        raise AnalysisInputInvalid(
            "Invalid input: thresholds: must be a JSON object.", field="thresholds"
        )
    try:
        return ThresholdsRequest.model_validate(raw)
    except ValidationError as exc:
        problems = [
            (".".join(str(p) for p in ("thresholds", *e["loc"])), e["msg"]) for e in exc.errors()
        ]
        detail = "Invalid input: " + "; ".join(f"{f}: {m}" for f, m in problems) + "."
        raise AnalysisInputInvalid(detail, field=problems[0][0]) from exc


def resolve(request: ThresholdsRequest, materiality: Materiality) -> Thresholds:
    """The request's thresholds with the amounts it leaves out taken from materiality."""
    high = request.high_amount if request.high_amount is not None else materiality.performance
    medium = request.medium_amount if request.medium_amount is not None else materiality.trivial
    if high is not None and medium is not None and medium > high:
        medium = high  # a requested high_amount below the trivial threshold: both tiers meet
    explicit = request.high_amount is not None or request.medium_amount is not None
    basis = "request" if explicit else "materiality"
    note = None
    if high is None or medium is None:
        high = medium = None
        note = (
            "No materiality could be computed and no threshold amounts were sent: risk is "
            "not assessed. Send materiality or thresholds.high_amount and medium_amount."
        )
    return Thresholds(request.high_pct, request.medium_pct, high, medium, basis, note)


def _meets_pct(change: Decimal, prior: Decimal | None, pct: Decimal) -> bool:
    if not prior:
        return change != 0
    return abs(change) >= pct * abs(prior)


def risk_of(change: Decimal, prior: Decimal | None, t: Thresholds) -> Risk | None:
    """The tier of a change against the thresholds (None when not assessed)."""
    if t.high_amount is None or t.medium_amount is None:
        return None
    size = abs(change)
    if size >= t.high_amount and _meets_pct(change, prior, t.high_pct):
        return "high"
    if size >= t.high_amount:
        return "medium"
    if size >= t.medium_amount and _meets_pct(change, prior, t.medium_pct):
        return "medium"
    if size >= t.medium_amount and size > 0:  # a trivial amount may round to 0.00
        return "low"
    return "none"
