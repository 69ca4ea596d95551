"""`compare`: the flux analysis of two analysed trial balances, current against prior.

Pure: it takes the engine's two `Analysis` results (classification, materiality,
findings already decided) and returns the comparison. Materiality and therefore the
default threshold amounts are the current period's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fiscus.diagnostics.analysis.types import CATEGORIES, Analysis, Anomaly
from fiscus.diagnostics.flux.compare import compare_pair
from fiscus.diagnostics.flux.matching import pair_accounts
from fiscus.diagnostics.flux.thresholds import Thresholds, ThresholdsRequest, resolve
from fiscus.diagnostics.flux.types import FluxAccount


@dataclass(frozen=True, slots=True)
class FluxReport:
    thresholds: Thresholds
    accounts: tuple[FluxAccount, ...]
    new_accounts: tuple[dict[str, Any], ...]
    removed_accounts: tuple[dict[str, Any], ...]
    sign_flips: tuple[dict[str, Any], ...]
    reclassifications: tuple[dict[str, Any], ...]
    totals: dict[str, Any]
    summary: dict[str, Any]
    warnings: tuple[str, ...]


def _findings_by_line(analysis: Analysis) -> dict[int, tuple[Anomaly, ...]]:
    out: dict[int, list[Anomaly]] = {}
    for finding in analysis.anomalies:
        if finding.line_no is not None and finding.account is not None:
            out.setdefault(finding.line_no, []).append(finding)
    return {key: tuple(found) for key, found in out.items()}


def _moved(current: Decimal, prior: Decimal) -> dict[str, Decimal]:
    return {"current": current, "prior": prior, "change": current - prior}


def _totals(current: Analysis, prior: Analysis) -> dict[str, Any]:
    now, then = current.totals.by_category, prior.totals.by_category
    zero = Decimal(0)
    return {
        "by_category": {
            c: _moved(now.get(c, zero), then.get(c, zero)) for c in (*CATEGORIES, "unknown")
        },
        "current_year_result": _moved(
            current.totals.current_year_result, prior.totals.current_year_result
        ),
        "total_debits": _moved(current.total_debits, prior.total_debits),
        "total_credits": _moved(current.total_credits, prior.total_credits),
        "difference": _moved(current.difference, prior.difference),
    }


def _summary(accounts: tuple[FluxAccount, ...]) -> dict[str, Any]:
    status = Counter(a.status for a in accounts)
    risks = Counter(a.risk for a in accounts if a.risk is not None)
    bands = Counter(a.readiness.band for a in accounts)
    scores = [a.readiness.score for a in accounts]
    average = (
        (Decimal(sum(scores)) / len(scores)).quantize(Decimal(1), ROUND_HALF_UP) if scores else None
    )
    return {
        "accounts": len(accounts),
        "matched": status["matched"],
        "matched_by_name": sum(1 for a in accounts if a.match == "name"),
        "new": status["new"],
        "removed": status["removed"],
        "sign_flips": sum(1 for a in accounts if a.sign_flip),
        "reclassified": sum(1 for a in accounts if a.reclassification is not None),
        "material_changes": sum(1 for a in accounts if a.material),
        "risk": {tier: risks[tier] for tier in ("high", "medium", "low", "none")},
        "readiness": {
            "average": None if average is None else int(average),
            **{band: bands[band] for band in ("ready", "needs_attention", "not_ready")},
        },
    }


def _warnings(current: Analysis, prior: Analysis, t: Thresholds) -> tuple[str, ...]:
    out = []
    for label, a in (("current", current), ("prior", prior)):
        if not a.balanced:
            side = "debits exceed credits" if a.difference > 0 else "credits exceed debits"
            out.append(
                f"The {label} trial balance does not balance: {side} by {abs(a.difference)}. "
                "The comparison is made on it as it is."
            )
    if t.note:
        out.append(t.note)
    return tuple(out)


def _ref(a: FluxAccount, **extra: Any) -> dict[str, Any]:
    return {"key": a.key, "number": a.number, "name": a.name, **extra}


def compare(current: Analysis, prior: Analysis, request: ThresholdsRequest) -> FluxReport:
    thresholds = resolve(request, current.materiality)
    findings = _findings_by_line(current)
    overall = current.materiality.overall
    accounts = tuple(
        compare_pair(pair, thresholds, overall, findings)
        for pair in pair_accounts(current.accounts, prior.accounts)
    )
    return FluxReport(
        thresholds=thresholds,
        accounts=accounts,
        new_accounts=tuple(_ref(a, current=a.current) for a in accounts if a.status == "new"),
        removed_accounts=tuple(_ref(a, prior=a.prior) for a in accounts if a.status == "removed"),
        sign_flips=tuple(
            _ref(a, prior=a.prior, current=a.current) for a in accounts if a.sign_flip
        ),
        reclassifications=tuple(
            _ref(
                a,
                kind=a.reclassification.kind,
                prior=a.reclassification.prior,
                current=a.reclassification.current,
            )
            for a in accounts
            if a.reclassification is not None
        ),
        totals=_totals(current, prior),
        summary=_summary(accounts),
        warnings=_warnings(current, prior, thresholds),
    )
