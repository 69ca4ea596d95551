"""The flux analysis's results: frozen slotted dataclasses with Decimal amounts, rendered
to JSON by `fiscus.diagnostics.schemas.dumps` (amounts as exact decimal strings)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from fiscus.diagnostics.flux.thresholds import Risk

Status = Literal["matched", "new", "removed"]
Band = Literal["ready", "needs_attention", "not_ready"]


@dataclass(frozen=True, slots=True)
class ClassRef:
    category: str
    subtype: str
    lead_sheet: str


@dataclass(frozen=True, slots=True)
class Reclassification:
    """`kind` is `category` (e.g. expense to asset) or `subtype` (e.g. a loan moving
    from non-current to current)."""

    kind: Literal["category", "subtype"]
    prior: ClassRef
    current: ClassRef


@dataclass(frozen=True, slots=True)
class Deduction:
    points: int
    reason: str


@dataclass(frozen=True, slots=True)
class Readiness:
    score: int
    band: Band
    deductions: tuple[Deduction, ...]
    actions: tuple[str, ...]


@dataclass(slots=True)  # not frozen, for speed (see matching.Side); never mutated
class FluxAccount:
    key: str
    match: Literal["number", "name"] | None
    status: Status
    number: str | None
    name: str
    prior_number: str | None
    prior_name: str | None
    line_no: int | None
    prior_line_no: int | None
    category: str
    subtype: str
    lead_sheet: str
    current: Decimal | None
    prior: Decimal | None
    change: Decimal
    change_pct: Decimal | None
    change_pct_reason: str | None
    direction: Literal["increase", "decrease", "unchanged"]
    sign_flip: bool
    reclassification: Reclassification | None
    material: bool
    risk: Risk | None
    risk_reason: str
    findings: tuple[str, ...]
    readiness: Readiness
