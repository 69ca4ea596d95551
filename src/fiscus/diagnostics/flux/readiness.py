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
from functools import lru_cache

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
ZERO = Decimal(0)

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


# What decides the score and actions, and nothing else: a trial balance's accounts
# share a handful of these, so each is scored once (`_scored` is memoised).
_Key = tuple[
    Status,
    bool,
    bool,
    Risk | None,
    bool,
    str | None,
    bool,
    bool,
    tuple[tuple[str, str, str], ...],
    str | None,
]


def _deductions(key: _Key) -> list[tuple[Deduction, str]]:
    status, has_current, has_prior, risk, sign_flip, reclass, renumbered, unsure, findings, _ = key
    out: list[tuple[Deduction, str]] = []
    if risk is not None and RISK_POINTS[risk]:
        out.append(
            (
                Deduction(RISK_POINTS[risk], f"{risk} variance risk"),
                "Explain the variance and keep the evidence for it.",
            )
        )
    if sign_flip:
        out.append(
            (
                Deduction(SIGN_FLIP, "the balance changed side since the prior period"),
                "Explain why the balance changed side (an overdrawn bank, a debtor in credit) "
                "and reclassify it if needed.",
            )
        )
    if reclass is not None:
        points = RECLASS_CATEGORY if reclass == "category" else RECLASS_SUBTYPE
        out.append(
            (
                Deduction(points, f"classified differently ({reclass})"),
                "Confirm the classification change and present the comparatives consistently.",
            )
        )
    if status == "new" and has_current:
        out.append(
            (
                Deduction(NEW_OR_REMOVED, "new account with a balance"),
                "Obtain support for the new account and what it holds.",
            )
        )
    if status == "removed" and has_prior:
        out.append(
            (
                Deduction(NEW_OR_REMOVED, "account removed while it had a prior balance"),
                "Confirm where the prior balance went (closed, merged or renamed account).",
            )
        )
    if renumbered:
        out.append(
            (
                Deduction(RENUMBERED, "paired by name: its number changed"),
                "Confirm the renumbering against the chart of accounts.",
            )
        )
    if unsure:
        out.append(
            (
                Deduction(UNSURE, "classification unknown or uncertain"),
                "Confirm the account's classification (send an override).",
            )
        )
    for code, severity, procedure in findings:
        points = FINDING_POINTS[severity]
        if points:
            out.append((Deduction(points, f"finding {code}"), procedure))
    return out


@lru_cache(maxsize=4096)
def _scored(key: _Key) -> Readiness:
    deductions = _deductions(key)
    actions = list(dict.fromkeys(action for _, action in deductions))
    standard = key[-1]
    if standard is not None and standard not in actions:
        actions.append(standard)
    score = max(0, 100 - sum(d.points for d, _ in deductions))
    return Readiness(score, _band(score), tuple(d for d, _ in deductions), tuple(actions))


def readiness_of(f: Facts, thresholds: Thresholds) -> Readiness:
    size = max(abs(f.current) if f.current else ZERO, abs(f.change))
    floor = thresholds.medium_amount
    applies = size > 0 and (floor is None or size >= floor)
    key: _Key = (
        f.status,
        bool(f.current),
        bool(f.prior),
        f.risk,
        f.sign_flip,
        None if f.reclassification is None else f.reclassification.kind,
        f.renumbered,
        f.category == "unknown" or f.confidence < LOW_CONFIDENCE,
        tuple((x.code, x.severity, x.procedure) for x in f.findings),
        LEAD_SHEET_ACTIONS.get(f.lead_sheet) if applies else None,
    )
    return _scored(key)
