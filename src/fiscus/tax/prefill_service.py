"""Use cases of prefill: propose figures from the books, then accept or reject each.

Proposals are stored on the return (`proposals`) until decided; accepting one writes a
`prefill` figure with the transactions it came from. Nothing is written to a figure by
`prefill` itself, so a figure a person typed is never overwritten without being asked.
"""

from __future__ import annotations

import json
import uuid

from pydantic import ValidationError
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput
from fiscus.tax.models import TaxReturn
from fiscus.tax.repository import LedgerLabelRepository, TransactionBrief
from fiscus.tax.returns_figures import is_figure
from fiscus.tax.returns_prefill import accept, current_figure, proposals_from
from fiscus.tax.returns_reads import proposal_reads, proposals_of
from fiscus.tax.returns_schemas import Decision, PrefillResult, SkippedLabel
from fiscus.tax.returns_sections import ReturnData
from fiscus.tax.returns_service import audit, ensure_editable, get_return, snapshot
from fiscus.tax.rules import YEARS
from fiscus.tenancy import service as tenancy_service


class PrefillNeedsAud(Conflict):
    """Prefill needs books kept in Australian dollars (the tenant's base currency)."""

    code = "tax_prefill_currency"


def prefill_return(session: Session, ctx: TenantContext, return_id: uuid.UUID) -> PrefillResult:
    row = get_return(session, ctx, return_id)
    ensure_editable(row)
    currency = tenancy_service.base_currency(session, ctx.tenant_id)
    if currency != "AUD":
        raise PrefillNeedsAud(
            f"Prefill needs books in AUD; this tenant's base currency is {currency}."
        )
    rules = YEARS[row.year]
    postings = LedgerLabelRepository(session, ctx.tenant_id).labelled_postings(
        rules.starts, rules.ends
    )
    proposals, skipped = proposals_from(postings)
    doc = json.loads(row.data)
    proposals = [p for p in proposals if not _in_place(current_figure(doc, p["key"]), p)]
    row.proposals = json.dumps(proposals) if proposals else None
    session.flush()
    audit(session, ctx, "prefill", row, None, {"proposals": proposals, "skipped": skipped})
    return PrefillResult(
        year=row.year,
        starts=rules.starts,
        ends=rules.ends,
        proposals=proposal_reads(row, proposals),
        skipped=[SkippedLabel(**s) for s in skipped],
    )


def _in_place(current: object, proposal: dict[str, object]) -> bool:
    """The figure already is this proposal (an earlier prefill, accepted)."""
    return (
        is_figure(current)
        and isinstance(current, dict)
        and current["source"] == "prefill"
        and current["amount"] == proposal["amount"]
        and current["transaction_ids"] == proposal["transaction_ids"]
    )


def decide_prefill(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, decisions: list[Decision]
) -> TaxReturn:
    row = get_return(session, ctx, return_id)
    ensure_editable(row)
    pending = {p["key"]: p for p in proposals_of(row)}
    seen: set[str] = set()
    for index, decision in enumerate(decisions):
        if decision.key not in pending or decision.key in seen:
            why = "decided twice" if decision.key in seen else "no pending proposal has this key"
            raise InvalidInput(f"{why}: {decision.key}", field=f"decisions.{index}.key")
        seen.add(decision.key)
    before = snapshot(row)
    doc = json.loads(row.data)
    for decision in decisions:
        proposal = pending.pop(decision.key)
        if decision.action == "accept":
            accept(doc, proposal)
    try:
        row.data = ReturnData.model_validate(doc).model_dump_json()
    except ValidationError as exc:  # e.g. a figure from more than 10,000 transactions
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(
            f"accepting would make {where} invalid: {first['msg']}", field="decisions"
        ) from exc
    row.proposals = json.dumps(list(pending.values())) if pending else None
    if any(d.action == "accept" for d in decisions):
        row.status, row.assessment, row.calculated_at = "draft", None, None
    session.flush()
    after = {**snapshot(row), "decisions": [d.model_dump() for d in decisions]}
    audit(session, ctx, "prefill.decide", row, before, after)
    return row


def transactions_of(
    session: Session, ctx: TenantContext, ids: list[uuid.UUID]
) -> list[TransactionBrief]:
    """The ledger transactions a proposal came from (at most 200 shown per figure)."""
    return LedgerLabelRepository(session, ctx.tenant_id).transactions(ids[:200])
