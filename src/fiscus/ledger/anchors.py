"""Balance anchors: balances a person knows to be true (a bank statement) at a date.

An anchor holds the balance in the account's natural sign, in exact minor units; one per
account per day. Each is compared with the balance the snapshots compute for that day
(every live posting up to and including it), and `difference` is the anchor minus the
computed balance: what the books are missing. Validation reads every anchor of the
tenant and all their computed balances in a few grouped snapshot reads.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.core.money import Money
from fiscus.ledger import balances, service
from fiscus.ledger.models import Account, BalanceAnchor
from fiscus.ledger.repository_anchors import AnchorRepository
from fiscus.ledger.repository_history import BalanceHistoryRepository
from fiscus.ledger.schemas_balances import (
    AnchorCreate,
    AnchorRead,
    AnchorValidation,
    ValidationReport,
)
from fiscus.tenancy import service as tenancy_service


class AnchorNotFound(NotFound):
    """The balance anchor does not exist."""

    code = "anchor_not_found"


class AnchorExists(Conflict):
    """This account already has an anchor on this day; delete it first."""

    code = "anchor_exists"


def not_in_future(session: Session, ctx: TenantContext, on: date, field: str = "date") -> None:
    today = tenancy_service.today(session, ctx.tenant_id)
    if on > today:
        raise InvalidInput(f"must not be after today ({today.isoformat()})", field=field)


def anchor_read(anchor: BalanceAnchor, account: Account, computed_raw: int) -> AnchorRead:
    expected = Money.from_minor(anchor.balance, account.currency)
    computed = balances.natural(account, computed_raw)
    return AnchorRead(
        id=anchor.id,
        account_id=anchor.account_id,
        date=anchor.anchored_on,
        balance=expected.to_json(),
        computed_balance=computed.to_json(),
        difference=(expected - computed).to_json(),
        currency=account.currency,
        description=anchor.description,
        source=anchor.source,
        created_at=anchor.created_at,
    )


def _snapshot(anchor: BalanceAnchor, account: Account) -> dict[str, Any]:
    return {
        "account_id": str(anchor.account_id),
        "date": anchor.anchored_on.isoformat(),
        "balance": Money.from_minor(anchor.balance, account.currency).to_json(),
        "description": anchor.description,
        "source": anchor.source,
    }


def _computed(session: Session, ctx: TenantContext, anchors: list[BalanceAnchor]) -> list[int]:
    repo = BalanceHistoryRepository(session, ctx.tenant_id)
    return repo.raw_balances_of([(a.account_id, a.anchored_on) for a in anchors])


def create_anchor(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, data: AnchorCreate
) -> AnchorRead:
    account = service.get_account(session, ctx, account_id)
    not_in_future(session, ctx, data.date)
    balance = Money.parse(data.balance, account.currency, field="balance")
    repo = AnchorRepository(session, ctx.tenant_id)
    if repo.on_day(account.id, data.date) is not None:
        raise AnchorExists(field="date")
    anchor = repo.add(
        BalanceAnchor(
            tenant_id=ctx.tenant_id,
            account_id=account.id,
            anchored_on=data.date,
            balance=balance.minor_units,
            description=data.description or None,
            source="manual",
        )
    )
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="balance_anchor.create",
        resource_type="balance_anchor",
        resource_id=anchor.id,
        after=_snapshot(anchor, account),
    )
    return anchor_read(anchor, account, _computed(session, ctx, [anchor])[0])


def record_statement(
    session: Session,
    ctx: TenantContext,
    account: Account,
    *,
    on: date,
    balance: Money,
    description: str,
) -> AnchorRead:
    """The anchor a reconciliation leaves behind (source `reconcile`); an anchor already
    on that day is replaced, since the statement just reconciled is the newer truth."""
    repo = AnchorRepository(session, ctx.tenant_id)
    anchor = repo.on_day(account.id, on)
    before = None if anchor is None else _snapshot(anchor, account)
    if anchor is None:
        anchor = repo.add(
            BalanceAnchor(tenant_id=ctx.tenant_id, account_id=account.id, anchored_on=on)
        )
    anchor.balance, anchor.description, anchor.source = (
        balance.minor_units,
        description,
        "reconcile",
    )
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="balance_anchor.create" if before is None else "balance_anchor.update",
        resource_type="balance_anchor",
        resource_id=anchor.id,
        before=before,
        after=_snapshot(anchor, account),
    )
    return anchor_read(anchor, account, _computed(session, ctx, [anchor])[0])


def list_anchors(session: Session, ctx: TenantContext, account_id: uuid.UUID) -> list[AnchorRead]:
    account = service.get_account(session, ctx, account_id)
    anchors = AnchorRepository(session, ctx.tenant_id).of_account(account.id)
    computed = _computed(session, ctx, anchors)
    return [anchor_read(a, account, raw) for a, raw in zip(anchors, computed, strict=True)]


def delete_anchor(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, anchor_id: uuid.UUID
) -> None:
    account = service.get_account(session, ctx, account_id)
    anchor = AnchorRepository(session, ctx.tenant_id).get(account.id, anchor_id)
    if anchor is None:
        raise AnchorNotFound()
    before = _snapshot(anchor, account)
    session.delete(anchor)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="balance_anchor.delete",
        resource_type="balance_anchor",
        resource_id=anchor_id,
        before=before,
    )


def validate_anchors(session: Session, ctx: TenantContext) -> ValidationReport:
    """Every anchor of the tenant whose computed balance differs from it."""
    pairs = AnchorRepository(session, ctx.tenant_id).all_with_accounts()
    computed = _computed(session, ctx, [anchor for anchor, _ in pairs])
    items: list[AnchorValidation] = []
    for (anchor, account), raw in zip(pairs, computed, strict=True):
        read = anchor_read(anchor, account, raw)
        if read.balance != read.computed_balance:
            items.append(
                AnchorValidation(
                    anchor_id=anchor.id,
                    account_id=account.id,
                    account_name=account.name,
                    date=anchor.anchored_on,
                    currency=account.currency,
                    expected=read.balance,
                    computed=read.computed_balance,
                    difference=read.difference,
                )
            )
    return ValidationReport(checked=len(pairs), mismatched=len(items), items=items)
