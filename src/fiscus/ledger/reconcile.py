"""Reconciling an account against a bank statement.

The statement shows what has cleared the bank, so it is compared with the account's
balance of cleared and reconciled postings up to the statement date: the snapshot
balance minus the account's postings in pending entries up to that date. When they
agree, every cleared live entry with a posting on the account dated on or before the
statement date becomes `reconciled`, and the statement is recorded as an anchor (source
`reconcile`). When they differ, nothing changes (409 `reconciliation_difference`) unless
the caller asks for an adjustment: then a cleared balancing journal entry against a
counter-account (an equity account "Reconciliation adjustments", created on demand, or
the one named) closes the difference first. All of it happens in the caller's unit of
work and is audited.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput
from fiscus.core.money import Money
from fiscus.ledger import anchors, balances, service, transactions
from fiscus.ledger.models import Account
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_anchors import ReconcileRepository
from fiscus.ledger.repository_balances import BalanceRepository
from fiscus.ledger.schemas import AccountCreate
from fiscus.ledger.schemas_balances import ReconcileRequest, ReconcileResult
from fiscus.ledger.schemas_transactions import JournalTransactionCreate
from fiscus.tenancy import service as tenancy_service

ADJUSTMENTS = "Reconciliation adjustments"


class ReconciliationDifference(Conflict):
    """The statement balance differs from the account's cleared balance."""

    code = "reconciliation_difference"


def cleared_balance(session: Session, ctx: TenantContext, account: Account, on: date) -> Money:
    """The account's balance of cleared and reconciled postings up to `on` (natural sign)."""
    raw = BalanceRepository(session, ctx.tenant_id).raw_balance(account.id, on)
    pending = ReconcileRepository(session, ctx.tenant_id).pending_raw(account.id, on)
    return balances.natural(account, raw - pending)


def reconcile(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, data: ReconcileRequest
) -> ReconcileResult:
    account = service.get_account(session, ctx, account_id)
    anchors.not_in_future(session, ctx, data.date)
    statement = Money.parse(data.statement_balance, account.currency, field="statement_balance")
    named = _named_counter(session, ctx, account, data.adjustment_account_id)
    computed = cleared_balance(session, ctx, account, data.date)
    difference = statement - computed
    adjustment: uuid.UUID | None = None
    if not difference.is_zero:
        if not data.adjust:
            raise ReconciliationDifference(
                f"The statement balance {statement} differs from the cleared balance "
                f"{computed} by {difference}; fix the entries, or send adjust=true to post "
                "a balancing adjustment."
            )
        counter = named or _default_counter(session, ctx, account)
        adjustment = _post_adjustment(session, ctx, account, counter, difference, data.date)
    repo = ReconcileRepository(session, ctx.tenant_id)
    ids = repo.cleared_ids(account.id, data.date)
    repo.mark_reconciled(ids)
    anchor = anchors.record_statement(
        session, ctx, account, on=data.date, balance=statement, description="Statement balance"
    )
    result = ReconcileResult(
        account_id=account.id,
        date=data.date,
        currency=account.currency,
        computed_balance=computed.to_json(),
        statement_balance=statement.to_json(),
        difference=difference.to_json(),
        reconciled_count=len(ids),
        anchor=anchor,
        adjustment_transaction_id=adjustment,
    )
    audit_service.record(
        session,
        ctx,
        action="account.reconcile",
        resource_type="account",
        resource_id=account.id,
        after={
            **result.model_dump(mode="json", exclude={"anchor"}),
            "anchor_id": str(anchor.id),
            "reconciled_transaction_ids": [str(i) for i in ids],
        },
    )
    return result


def _named_counter(
    session: Session, ctx: TenantContext, account: Account, counter_id: uuid.UUID | None
) -> Account | None:
    if counter_id is None:
        return None
    counter = AccountRepository(session, ctx.tenant_id).get(counter_id)
    field = "adjustment_account_id"
    if counter is None:
        raise InvalidInput("no such account", field=field)
    if counter.id == account.id:
        raise InvalidInput("must differ from the account being reconciled", field=field)
    _check_counter(account, counter, field)
    return counter


def _check_counter(account: Account, counter: Account, field: str) -> None:
    if counter.is_archived:
        raise InvalidInput(f"{counter.name!r} is archived; restore it or name another", field=field)
    if counter.currency != account.currency:
        raise InvalidInput(f"must be an account in {account.currency}", field=field)


def _default_counter(session: Session, ctx: TenantContext, account: Account) -> Account:
    """The equity account "Reconciliation adjustments" (one per currency), made on demand."""
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    name = ADJUSTMENTS if account.currency == base else f"{ADJUSTMENTS} ({account.currency})"
    existing = AccountRepository(session, ctx.tenant_id).sibling_named(name, "equity", None)
    if existing is not None:
        _check_counter(account, existing, "adjustment_account_id")
        return existing
    data = AccountCreate(name=name, type="equity", currency=account.currency)
    return service.create_account(session, ctx, data)


def _post_adjustment(
    session: Session,
    ctx: TenantContext,
    account: Account,
    counter: Account,
    difference: Money,
    on: date,
) -> uuid.UUID:
    """A cleared journal entry moving the account by `difference` (natural sign)."""
    raw = -difference if account.type in balances.CREDIT_NORMAL else difference
    entry = JournalTransactionCreate.model_validate(
        {
            "date": on,
            "description": "Reconciliation adjustment",
            "status": "cleared",
            "postings": [
                {"account_id": account.id, "amount": raw.to_json()},
                {"account_id": counter.id, "amount": (-raw).to_json()},
            ],
        }
    )
    txn, _ = transactions.create_journal(session, ctx, entry, key=None)
    return txn.id
