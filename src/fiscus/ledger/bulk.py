"""Bulk actions on transactions: categorise, tag, untag, set status, delete, restore.

All or nothing: every id is looked up first (an unknown id, or another tenant's, is
refused with the others, 404 naming them), then every entry is checked against the
action (409 naming each one that cannot take it and why), and only then is anything
changed — each entry through the same use case a single edit, delete or restore uses,
so balances and the audit trail (one event per changed entry) follow as they would one
by one. Entries already in the asked-for state are counted as unchanged and not touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.ledger.postings import CATEGORY_TYPES
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_transactions import TransactionRepository
from fiscus.ledger.schemas_transactions import BulkRequest, BulkResult, TransactionUpdate
from fiscus.ledger.transactions import decode_tags, set_deleted, simple_view
from fiscus.ledger.transactions_edit import update_transaction


class TransactionsNotFound(NotFound):
    """Some of the transactions do not exist."""

    code = "transaction_not_found"


class BulkRefused(Conflict):
    """Some of the transactions cannot take this action; nothing was changed."""

    code = "bulk_refused"


T = TypeVar("T")

# (entry, its postings) -> why it cannot take the action, or None
Check = Callable[[Transaction, list[Posting]], str | None]
# (entry, its postings) -> the edit that applies the action, or None when already done
Change = Callable[[Transaction, list[Posting]], TransactionUpdate | None]


def bulk_apply(session: Session, ctx: TenantContext, data: BulkRequest) -> BulkResult:
    ids = list(dict.fromkeys(data.ids))
    repo = TransactionRepository(session, ctx.tenant_id)
    found = repo.get_many(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise TransactionsNotFound(f"No such transaction: {', '.join(missing)}.", field="ids")
    postings = repo.postings_of_many(ids)
    if data.action in ("delete", "restore"):
        return _set_deleted(session, ctx, data, [found[i] for i in ids])
    check, change = _plan(session, ctx, data)
    refused = [
        f"{i} ({reason})"
        for i in ids
        if (reason := _live(found[i]) or check(found[i], postings.get(i, []))) is not None
    ]
    if refused:
        raise BulkRefused(
            f"Cannot {data.action.replace('_', ' ')}: {'; '.join(refused)}. Nothing was changed.",
            field="ids",
        )
    changed = 0
    for i in ids:
        edit = change(found[i], postings.get(i, []))
        if edit is not None:
            update_transaction(session, ctx, i, edit)
            changed += 1
    return BulkResult(
        action=data.action, requested=len(ids), changed=changed, unchanged=len(ids) - changed
    )


def _live(txn: Transaction) -> str | None:
    return "deleted; restore it first" if txn.deleted_at is not None else None


def _set_deleted(
    session: Session, ctx: TenantContext, data: BulkRequest, txns: list[Transaction]
) -> BulkResult:
    deleting = data.action == "delete"
    todo = [t.id for t in txns if (t.deleted_at is None) == deleting]
    for transaction_id in todo:
        set_deleted(session, ctx, transaction_id, deleted=deleting)
    return BulkResult(
        action=data.action, requested=len(txns), changed=len(todo), unchanged=len(txns) - len(todo)
    )


def _plan(session: Session, ctx: TenantContext, data: BulkRequest) -> tuple[Check, Change]:
    if data.action == "categorise":
        return _categorise(_category(session, ctx, data.category_id))
    if data.action == "set_status":
        status = _required(data.status, "status")
        return (
            lambda t, p: None,
            lambda t, p: None if t.status == status else TransactionUpdate(status=status),
        )
    tags = [tag.lower() for tag in _required(data.tags, "tags")]
    if data.action == "tag":
        return lambda t, p: None, lambda t, p: _tags(t, lambda have: sorted({*have, *tags}))
    return lambda t, p: None, lambda t, p: _tags(t, lambda have: [x for x in have if x not in tags])


def _tags(txn: Transaction, rule: Callable[[list[str]], list[str]]) -> TransactionUpdate | None:
    have = decode_tags(txn.tags)
    wanted = rule(have)
    return None if sorted(wanted) == sorted(have) else TransactionUpdate(tags=wanted)


def _required(value: T | None, field: str) -> T:
    if value is None:
        raise InvalidInput("is required for this action", field=field)
    return value


def _category(session: Session, ctx: TenantContext, category_id: uuid.UUID | None) -> Account:
    category = AccountRepository(session, ctx.tenant_id).get(_required(category_id, "category_id"))
    if category is None or category.type not in CATEGORY_TYPES:
        raise InvalidInput("no such category", field="category_id")
    if category.is_archived:
        raise InvalidInput("is archived; restore it to post to it", field="category_id")
    return category


def _categorise(category: Account) -> tuple[Check, Change]:
    def check(txn: Transaction, postings: list[Posting]) -> str | None:
        if txn.kind not in CATEGORY_TYPES:
            return f"a {txn.kind} entry has no category to change"
        if txn.kind != category.type:
            return f"an {txn.kind}, and the category is for {category.type}"
        if txn.currency != category.currency:
            return f"in {txn.currency}, and the category is in {category.currency}"
        view = simple_view(txn, postings)
        if txn.status == "reconciled" and view and view.category_id != category.id:
            return "reconciled; set its status back to cleared first"
        return None

    def change(txn: Transaction, postings: list[Posting]) -> TransactionUpdate | None:
        view = simple_view(txn, postings)
        return None if view and view.category_id == category.id else _move(category)

    return check, change


def _move(category: Account) -> TransactionUpdate:
    return TransactionUpdate(category_id=category.id)
