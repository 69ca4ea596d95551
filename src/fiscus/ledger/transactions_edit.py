"""Editing a transaction: metadata in place, money fields by rebuilding its postings.

Description, payee, notes, tags and status change in place. The money fields — the
date, and for an entry with a simple view its type, amount, account, category or
transfer account, or for any entry a full replacement `postings` list — take the old
postings off the balance snapshots, replace them with new ones built and checked exactly
as on create (`simple_lines` / `journal_lines`), add those back and re-derive the kind
and gross amount. A date-only change moves the same postings to the new day. A money
change that leaves every posting as it was rebuilds nothing.

Refused: editing a deleted entry (restore it first), and changing the money fields of a
`reconciled` entry (judged by its stored status: set it back to `cleared` first).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput
from fiscus.ledger import balances
from fiscus.ledger.models import Posting, Transaction
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_transactions import TransactionRepository
from fiscus.ledger.schemas_transactions import TransactionUpdate
from fiscus.ledger.transactions import (
    Entry,
    Line,
    encode_tags,
    get_transaction,
    journal_lines,
    simple_lines,
    simple_view,
    snapshot,
    write_lines,
)

SIMPLE_FIELDS = ("type", "amount", "account_id", "category_id", "transfer_account_id")
_NOT_NULL = ("date", "description", "tags", "status", "type", "amount", "account_id", "postings")


class TransactionDeleted(Conflict):
    """The transaction is deleted; restore it before editing it."""

    code = "transaction_deleted"


class TransactionReconciled(Conflict):
    """The transaction is reconciled; set its status back to cleared before changing its
    date, amounts or accounts."""

    code = "transaction_reconciled"


@dataclass(frozen=True, slots=True)
class _Simple:
    """The simple money fields after an edit is merged onto the entry's current view."""

    type: str
    amount: str
    account_id: uuid.UUID
    category_id: uuid.UUID | None
    transfer_account_id: uuid.UUID | None


def update_transaction(
    session: Session, ctx: TenantContext, transaction_id: uuid.UUID, data: TransactionUpdate
) -> Entry:
    txn, postings = get_transaction(session, ctx, transaction_id)
    if txn.deleted_at is not None:
        raise TransactionDeleted()
    changes: dict[str, Any] = {name: getattr(data, name) for name in data.model_fields_set}
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput("must not be null", field=name)
    before = snapshot(txn, postings)
    lines = _new_lines(AccountRepository(session, ctx.tenant_id), txn, postings, changes)
    on: date = changes.get("date", txn.occurred_on)
    if lines is not None or on != txn.occurred_on:
        if txn.status == "reconciled":
            raise TransactionReconciled(field=next(iter(_money_fields(changes)), "date"))
        postings = rebuild(session, txn, postings, lines, on)
    _apply_metadata(txn, changes)
    session.flush()
    after = snapshot(txn, postings)
    if after != before:  # an edit that changes nothing leaves no trace
        audit_service.record(
            session,
            ctx,
            action="transaction.update",
            resource_type="transaction",
            resource_id=txn.id,
            before=before,
            after=after,
        )
    return txn, postings


def _money_fields(changes: dict[str, Any]) -> list[str]:
    return [f for f in ("date", *SIMPLE_FIELDS, "postings") if f in changes]


def _new_lines(
    accounts: AccountRepository,
    txn: Transaction,
    postings: list[Posting],
    changes: dict[str, Any],
) -> list[Line] | None:
    """The entry's new legs, checked as on create; None when its legs stay as they are."""
    simple = [f for f in SIMPLE_FIELDS if f in changes]
    if "postings" in changes:
        if simple:
            raise InvalidInput(
                f"cannot be combined with the simple fields ({', '.join(simple)})",
                field="postings",
            )
        lines = journal_lines(accounts, changes["postings"])
    elif simple:
        current = simple_view(txn, postings)
        if current is None:
            raise InvalidInput(
                "cannot be changed on a journal entry; send a full postings list instead",
                field=simple[0],
            )
        merged = current.model_dump(include=set(SIMPLE_FIELDS)) | {f: changes[f] for f in simple}
        lines = simple_lines(accounts, _Simple(**merged))
    else:
        return None
    return None if _same(lines, postings) else lines


def _same(lines: list[Line], postings: list[Posting]) -> bool:
    new = [(x.account.id, x.amount.minor_units, x.amount.currency, x.rate, x.memo) for x in lines]
    old = [(p.account_id, p.amount, p.currency, p.rate, p.memo) for p in postings]
    return new == old


def rebuild(
    session: Session,
    txn: Transaction,
    postings: list[Posting],
    lines: list[Line] | None,
    on: date,
) -> list[Posting]:
    """Take `postings` off the balances, then put the entry back on `on` with `lines`
    (or, when None, the same postings moved to that day). Returns the live postings."""
    balances.apply_postings(session, txn.tenant_id, postings, sign=-1)
    txn.occurred_on = on
    if lines is None:
        for posting in postings:
            posting.occurred_on = on
        session.flush()
        balances.apply_postings(session, txn.tenant_id, postings, sign=1)
        return postings
    TransactionRepository(session, txn.tenant_id).delete_postings(postings)
    return write_lines(session, txn, lines)


def _apply_metadata(txn: Transaction, changes: dict[str, Any]) -> None:
    for name in ("description", "payee", "notes", "status"):
        if name in changes:
            setattr(txn, name, changes[name])
    if "tags" in changes:
        txn.tags = encode_tags(changes["tags"])
