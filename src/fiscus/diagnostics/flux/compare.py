"""One account's comparison: change, change %, sign flip, reclassification, risk and
readiness (see docs.md, Flux).

`change` is current - prior in net terms (debit positive, like `net`). `change_pct` is
the change measured on the account's normal side, relative to |prior|: revenue going
from -100 (a credit of 100) to -150 is change -50 and change_pct 0.5000, an increase. A
fraction (0.5 is 50 %), rounded half-even to 4 places; null with the reason when the
prior balance is zero or the account is new. An absent side counts as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal

from fiscus.diagnostics.analysis.findings import label_of
from fiscus.diagnostics.analysis.types import AccountResult, Anomaly
from fiscus.diagnostics.flux.matching import Pair, Side, number_key
from fiscus.diagnostics.flux.readiness import Facts, readiness_of
from fiscus.diagnostics.flux.thresholds import Risk, Thresholds, risk_of
from fiscus.diagnostics.flux.types import ClassRef, FluxAccount, Reclassification, Status

PCT_PLACES = Decimal("0.0001")
Findings = Mapping[int, tuple[Anomaly, ...]]  # by line_no


def _ref(a: AccountResult) -> ClassRef:
    return ClassRef(a.classification.category, a.classification.subtype, a.lead_sheet)


def _reclassification(current: Side | None, prior: Side | None) -> Reclassification | None:
    if current is None or prior is None:
        return None
    now, then = _ref(current.main), _ref(prior.main)
    if now.category != then.category:
        return Reclassification("category", then, now)
    if now.subtype != then.subtype:
        return Reclassification("subtype", then, now)
    return None


def _pct(natural_change: Decimal, prior: Side | None) -> tuple[Decimal | None, str | None]:
    if prior is None:
        return None, "new account: no prior-period balance"
    if prior.net == 0:
        return None, "prior balance is zero"
    return (natural_change / abs(prior.net)).quantize(PCT_PLACES, ROUND_HALF_EVEN), None


_REASONS = {
    "high": "|change| at least the high amount and |change %| at least the high %",
    "medium": "|change| at least the high amount, or at least the medium amount with "
    "|change %| at least the medium %",
    "low": "|change| at least the medium amount, |change %| below the medium %",
    "none": "|change| below the medium amount (clearly trivial)",
}


def _risk_reason(risk: Risk | None, t: Thresholds) -> str:
    """Why the tier; the amounts and % in force are the answer's `thresholds`."""
    if risk is None:
        return t.note or "risk not assessed"
    return _REASONS[risk]


def _findings(side: Side | None, findings: Findings) -> tuple[Anomaly, ...]:
    """The current-period findings on the account's lines: by line, then by label (a
    consolidated view repeats line numbers across sheets)."""
    if side is None or not findings:
        return ()
    out: list[Anomaly] = []
    for a in side.lines:
        found = findings.get(a.line_no)
        if found:
            label = label_of(a)
            out.extend(f for f in found if f.account == label)
    return tuple(out)


def _status(pair: Pair) -> Status:
    if pair.current is None:
        return "removed"
    return "new" if pair.prior is None else "matched"


def compare_pair(
    pair: Pair, t: Thresholds, overall: Decimal | None, findings: Findings
) -> FluxAccount:
    cur, pri = pair.current, pair.prior
    main = (cur or pri).main  # type: ignore[union-attr]  # a pair has at least one side
    change = (cur.net if cur else Decimal(0)) - (pri.net if pri else Decimal(0))
    # unary minus, not * -1: Decimal("0.00") * -1 is "-0.00"
    natural = change if main.classification.normal_balance == "debit" else -change
    pct, pct_reason = _pct(natural, pri)
    risk = risk_of(change, pri.net if pri else None, t)
    sign_flip = bool(cur and pri and cur.net and pri.net and (cur.net > 0) != (pri.net > 0))
    reclass = _reclassification(cur, pri)
    status = _status(pair)
    renumbered = bool(
        pair.match == "name"
        and cur
        and pri
        and number_key(cur.number)
        and number_key(pri.number)
        and number_key(cur.number) != number_key(pri.number)
    )
    own = _findings(cur, findings)
    facts = Facts(
        status,
        cur.net if cur else None,
        pri.net if pri else None,
        change,
        risk,
        sign_flip,
        reclass,
        renumbered,
        main.classification.category,
        main.classification.confidence,
        main.lead_sheet,
        own,
    )
    return FluxAccount(
        key=pair.key,
        match=pair.match,
        status=status,
        number=(cur or pri).number,  # type: ignore[union-attr]
        name=(cur or pri).name,  # type: ignore[union-attr]
        prior_number=pri.number if pri else None,
        prior_name=pri.name if pri else None,
        line_no=cur.lines[0].line_no if cur else None,
        prior_line_no=pri.lines[0].line_no if pri else None,
        category=main.classification.category,
        subtype=main.classification.subtype,
        lead_sheet=main.lead_sheet,
        current=cur.net if cur else None,
        prior=pri.net if pri else None,
        change=change,
        change_pct=pct,
        change_pct_reason=pct_reason,
        direction="increase" if natural > 0 else "decrease" if natural < 0 else "unchanged",
        sign_flip=sign_flip,
        reclassification=reclass,
        material=overall is not None and abs(change) >= overall,
        risk=risk,
        risk_reason=_risk_reason(risk, t),
        findings=tuple(dict.fromkeys(f.code for f in own)),
        readiness=readiness_of(facts, t),
    )
