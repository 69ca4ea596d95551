"""Reconciliation readiness: 0-100 per account, how close it is to being signed off,
with the actions that would close the gap.

The score starts at 100 and loses points for what an auditor would have to chase
(floored at 0): variance risk high 40 / medium 20 / low 5; a sign flip 20; a category
reclassification 15 (a subtype change 5); a new account with a balance 10; a removed
account that had a balance 10; a renumbered account (paired by name, numbers differ) 5;
a classification that is unknown or below confidence 0.6, 10; and each current-period
finding on the account by severity (critical 30, high 20, medium 10, low 5, info 0).
Bands: >= 80 `ready`, 50-79 `needs_attention`, < 50 `not_ready`.

Actions are the procedures of those deductions, then the lead sheet's standard
evidence ("obtain the bank reconciliation" for cash...) when the balance or the change
is at least the medium threshold amount: the support an account of that kind needs
before it can be signed off. Revenue and expenses (N, O) have no standard evidence here:
their procedure is explaining the variance, which their risk already asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fiscus.diagnostics.analysis.types import Anomaly
from fiscus.diagnostics.flux.thresholds import Risk, Thresholds
from fiscus.diagnostics.flux.types import Band, Deduction, Readiness, Reclassification, Status

RISK_POINTS: dict[Risk, int] = {"high": 40, "medium": 20, "low": 5, "none": 0}
FINDING_POINTS = {"critical": 30, "high": 20, "medium": 10, "low": 5, "info": 0}
SIGN_FLIP, RECLASS_CATEGORY, RECLASS_SUBTYPE, NEW_OR_REMOVED, RENUMBERED, UNSURE = (
    20,
    15,
    5,
    10,
    5,
    10,
)
LOW_CONFIDENCE = 0.6

LEAD_SHEET_ACTIONS = {
    "A": "Obtain the bank reconciliation and the period-end bank statement or confirmation.",
    "B": "Obtain the aged receivables listing, agree it to the balance and review recoverability.",
    "C": "Obtain the stock count and valuation and agree them to the balance.",
    "D": "Obtain the prepayments schedule and agree the amounts released to expense.",
    "E": "Obtain investment statements or confirmations and agree the carrying amount.",
    "F": "Roll forward the fixed asset register (additions, disposals, depreciation).",
    "G": "Roll forward the intangibles and review them for impairment.",
    "H": "Obtain the aged payables listing and reconcile the main supplier statements.",
    "I": "Reconcile the balance to the tax lodgements (BAS, PAYG, income tax) and the ATO account.",
    "J": "Obtain the lender's statement or confirmation and agree the balance and its "
    "current/non-current split.",
    "K": "Obtain the provisions and employee entitlements schedule and recompute it.",
    "L": "Obtain a schedule of the balance (deposits, unearned revenue) and agree it.",
    "M": "Reconcile the equity movements to resolutions and the result for the year.",
    "Z": "Clear or allocate the suspense balance before sign-off.",
}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the score is decided on, for one account."""

    status: Status
    current: Decimal | None
    prior: Decimal | None
    change: Decimal
    risk: Risk | None
    sign_flip: bool
    reclassification: Reclassification | None
    renumbered: bool
    category: str
    confidence: float
    lead_sheet: str
    findings: tuple[Anomaly, ...]


def _band(score: int) -> Band:
    if score >= 80:
        return "ready"
    return "needs_attention" if score >= 50 else "not_ready"


def _deductions(f: Facts) -> list[tuple[Deduction, str]]:
    out: list[tuple[Deduction, str]] = []
    if f.risk is not None and RISK_POINTS[f.risk]:
        out.append(
            (
                Deduction(RISK_POINTS[f.risk], f"{f.risk} variance risk"),
                "Explain the variance and keep the evidence for it.",
            )
        )
    if f.sign_flip:
        out.append(
            (
                Deduction(SIGN_FLIP, "the balance changed side since the prior period"),
                "Explain why the balance changed side (an overdrawn bank, a debtor in credit) "
                "and reclassify it if needed.",
            )
        )
    if f.reclassification is not None:
        points = RECLASS_CATEGORY if f.reclassification.kind == "category" else RECLASS_SUBTYPE
        out.append(
            (
                Deduction(points, f"classified differently ({f.reclassification.kind})"),
                "Confirm the classification change and present the comparatives consistently.",
            )
        )
    if f.status == "new" and f.current:
        out.append(
            (
                Deduction(NEW_OR_REMOVED, "new account with a balance"),
                "Obtain support for the new account and what it holds.",
            )
        )
    if f.status == "removed" and f.prior:
        out.append(
            (
                Deduction(NEW_OR_REMOVED, "account removed while it had a prior balance"),
                "Confirm where the prior balance went (closed, merged or renamed account).",
            )
        )
    if f.renumbered:
        out.append(
            (
                Deduction(RENUMBERED, "paired by name: its number changed"),
                "Confirm the renumbering against the chart of accounts.",
            )
        )
    if f.category == "unknown" or f.confidence < LOW_CONFIDENCE:
        out.append(
            (
                Deduction(UNSURE, "classification unknown or uncertain"),
                "Confirm the account's classification (send an override).",
            )
        )
    for finding in f.findings:
        points = FINDING_POINTS[finding.severity]
        if points:
            out.append((Deduction(points, f"finding {finding.code}"), finding.procedure))
    return out


def readiness_of(f: Facts, thresholds: Thresholds) -> Readiness:
    deductions = _deductions(f)
    actions = list(dict.fromkeys(action for _, action in deductions))
    size = max(abs(f.current or Decimal(0)), abs(f.change))
    floor = thresholds.medium_amount
    if (floor is None or size >= floor) and size > 0:
        standard = LEAD_SHEET_ACTIONS.get(f.lead_sheet)
        if standard and standard not in actions:
            actions.append(standard)
    score = max(0, 100 - sum(d.points for d, _ in deductions))
    return Readiness(score, _band(score), tuple(d for d, _ in deductions), tuple(actions))
