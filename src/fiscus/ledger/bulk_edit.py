"""Set-based edits of many simple entries at once: move the category leg, set the payee,
set the tags (rules and the categoriser after a bank import).

What `bulk.py` does one entry at a time through the edit use case, for tens of thousands
of entries in a handful of statements: the entries and their postings are read in chunks,
every edit is checked as `bulk.py`'s categorise checks one (a live simple income or
expense entry, a category of its kind and currency, not archived, not reconciled), and
nothing is written unless all pass (409 `bulk_refused` naming each refused one). Then the
category legs are repointed with one `UPDATE` per target category and chunk, payees and
tags with one `UPDATE ... FROM (VALUES ...)` per chunk, and the balance snapshots (amounts
and entry counts) get one upsert of the deltas aggregated by account and day — the same
rows `balances.apply_postings` would have written entry by entry. The postings listeners
(goal alerts) hear the moved legs as taken off their old category and added to the new.

Audited as `transaction.bulk_update`, one event per chunk of up to `AUDIT_CHUNK` entries,
holding each changed entry's before and after (category, payee, tags).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict
from fiscus.ledger import bulk_edit_sql as sql
from fiscus.ledger import events
from fiscus.ledger.bulk_edit_sql import Delta
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.ledger.postings import CATEGORY_TYPES
from fiscus.ledger.transactions import decode_tags, encode_tags

CHUNK = 2_000
AUDIT_CHUNK = 500


class BulkEditRefused(Conflict):
    """Some of the entries cannot take this edit; nothing was changed."""

    code = "bulk_refused"


@dataclass(frozen=True, slots=True)
class EntryEdit:
    """The new values of one entry; None leaves that field as it is."""

    transaction_id: uuid.UUID
    category_id: uuid.UUID | None = None
    payee: str | None = None
    tags: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class _Leg:
    id: uuid.UUID
    transaction_id: uuid.UUID
    account_id: uuid.UUID
    position: int
    amount: int
    currency: str
    occurred_on: date


@dataclass(slots=True)
class _Current:
    kind: str
    status: str
    deleted: bool
    currency: str
    payee: str | None
    tags: str
    category_leg: _Leg | None


def bulk_edit(session: Session, ctx: TenantContext, edits: Sequence[EntryEdit]) -> int:
    """Apply `edits` (one per entry) all or nothing; returns how many entries changed."""
    if not edits:
        return 0
    accounts = _accounts(session, ctx)
    current = _load(session, ctx, [e.transaction_id for e in edits], accounts)
    _check(edits, current, accounts)
    moves = [e for e in edits if e.category_id and _leg(current, e).account_id != e.category_id]
    texts = [e for e in edits if _text_changes(current[e.transaction_id], e)]
    _move_legs(session, ctx, moves, current)
    _write_texts(session, ctx, texts, current)
    changed = {e.transaction_id for e in moves} | {e.transaction_id for e in texts}
    _audit(session, ctx, [e for e in edits if e.transaction_id in changed], current)
    return len(changed)


def _leg(current: dict[uuid.UUID, _Current], edit: EntryEdit) -> _Leg:
    leg = current[edit.transaction_id].category_leg
    assert leg is not None  # checked
    return leg


def _accounts(session: Session, ctx: TenantContext) -> dict[uuid.UUID, Any]:
    query = select(Account.id, Account.type, Account.currency, Account.is_archived).where(
        Account.tenant_id == ctx.tenant_id
    )
    return {row.id: row for row in session.execute(query)}


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load(
    session: Session, ctx: TenantContext, ids: list[uuid.UUID], accounts: dict[uuid.UUID, Any]
) -> dict[uuid.UUID, _Current]:
    found: dict[uuid.UUID, _Current] = {}
    legs: dict[uuid.UUID, list[_Leg]] = defaultdict(list)
    for chunk in _chunks(ids):
        txns = select(
            Transaction.id,
            Transaction.kind,
            Transaction.status,
            Transaction.deleted_at,
            Transaction.currency,
            Transaction.payee,
            Transaction.tags,
        ).where(Transaction.tenant_id == ctx.tenant_id, sql.id_in(session, Transaction.id, chunk))
        for row in session.execute(txns):
            found[row.id] = _Current(
                row.kind, row.status, row.deleted_at is not None, row.currency, row.payee,
                row.tags, None,
            )  # fmt: skip
        postings = select(
            Posting.id,
            Posting.transaction_id,
            Posting.account_id,
            Posting.position,
            Posting.amount,
            Posting.currency,
            Posting.occurred_on,
        ).where(
            Posting.tenant_id == ctx.tenant_id, sql.id_in(session, Posting.transaction_id, chunk)
        )
        for leg in session.execute(postings):
            legs[leg.transaction_id].append(
                _Leg(leg.id, leg.transaction_id, leg.account_id, leg.position, leg.amount,
                     leg.currency, leg.occurred_on)
            )  # fmt: skip
    for txn_id, entry in found.items():
        category = [p for p in legs[txn_id] if accounts[p.account_id].type in CATEGORY_TYPES]
        if len(legs[txn_id]) == 2 and len(category) == 1:
            entry.category_leg = category[0]
    return found


def _check(
    edits: Sequence[EntryEdit], current: dict[uuid.UUID, _Current], accounts: dict[uuid.UUID, Any]
) -> None:
    refused: list[str] = []
    for edit in edits:
        reason = _refusal(edit, current.get(edit.transaction_id), accounts)
        if reason:
            refused.append(f"{edit.transaction_id} ({reason})")
    if refused:
        raise BulkEditRefused(f"Cannot edit: {'; '.join(refused)}. Nothing was changed.")


def _refusal(edit: EntryEdit, entry: _Current | None, accounts: dict[uuid.UUID, Any]) -> str:
    if entry is None:
        return "no such transaction"
    if entry.deleted:
        return "deleted; restore it first"
    if edit.category_id is None:
        return ""
    category = accounts.get(edit.category_id)
    if category is None or category.type not in CATEGORY_TYPES:
        return "no such category"
    if category.is_archived:
        return "the category is archived"
    if entry.category_leg is None or entry.kind not in CATEGORY_TYPES:
        return f"a {entry.kind} entry has no category to change"
    if category.type != entry.kind:
        return f"an {entry.kind}, and the category is for {category.type}"
    if category.currency != entry.currency:
        return f"in {entry.currency}, and the category is in {category.currency}"
    if entry.status == "reconciled" and entry.category_leg.account_id != edit.category_id:
        return "reconciled; set its status back to cleared first"
    return ""


def _text_changes(entry: _Current, edit: EntryEdit) -> bool:
    payee = edit.payee is not None and edit.payee != entry.payee
    tags = edit.tags is not None and encode_tags(list(edit.tags)) != entry.tags
    return payee or tags


def _move_legs(
    session: Session, ctx: TenantContext, moves: list[EntryEdit], current: dict[uuid.UUID, _Current]
) -> None:
    if not moves:
        return
    by_target: dict[uuid.UUID, list[_Leg]] = defaultdict(list)
    deltas: list[Delta] = []
    for edit in moves:
        leg = _leg(current, edit)
        assert edit.category_id is not None
        by_target[edit.category_id].append(leg)
        deltas.append((leg.account_id, leg.occurred_on, -leg.amount, -1))
        deltas.append((edit.category_id, leg.occurred_on, leg.amount, 1))
    moved = [(leg, target) for target, legs in by_target.items() for leg in legs]
    sql.move_postings(session, ctx.tenant_id, [(leg.id, target) for leg, target in moved])
    sql.add_deltas(session, ctx.tenant_id, deltas)
    # The listeners read a posting's account, day and amount: plain views of the legs
    # before and after, not ORM objects (instrumented construction is slow in bulk).
    removed = cast(list[Posting], [_ListenerLeg(leg, leg.account_id) for leg, _ in moved])
    added = cast(list[Posting], [_ListenerLeg(leg, target) for leg, target in moved])
    events.postings_applied(session, ctx.tenant_id, removed, -1)
    events.postings_applied(session, ctx.tenant_id, added, 1)


class _ListenerLeg:
    """A leg as the postings listeners see it, on `account_id`."""

    __slots__ = ("account_id", "amount", "currency", "id", "occurred_on", "transaction_id")

    def __init__(self, leg: _Leg, account_id: uuid.UUID) -> None:
        self.id, self.transaction_id, self.account_id = leg.id, leg.transaction_id, account_id
        self.amount, self.currency, self.occurred_on = leg.amount, leg.currency, leg.occurred_on


def _write_texts(
    session: Session, ctx: TenantContext, texts: list[EntryEdit], current: dict[uuid.UUID, _Current]
) -> None:
    rows = [
        (
            e.transaction_id,
            current[e.transaction_id].payee if e.payee is None else e.payee,
            current[e.transaction_id].tags if e.tags is None else encode_tags(list(e.tags)),
        )
        for e in texts
    ]
    sql.set_texts(session, ctx.tenant_id, rows, utcnow())


def _audit(
    session: Session, ctx: TenantContext, edits: list[EntryEdit], current: dict[uuid.UUID, _Current]
) -> None:
    for chunk in _chunks(edits, AUDIT_CHUNK):
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for edit in chunk:
            entry = current[edit.transaction_id]
            leg = entry.category_leg
            key = str(edit.transaction_id)
            before[key] = {
                "category_id": str(leg.account_id) if leg else None,
                "payee": entry.payee,
                "tags": decode_tags(entry.tags),
            }
            after[key] = {
                "category_id": str(edit.category_id or (leg.account_id if leg else "")) or None,
                "payee": entry.payee if edit.payee is None else edit.payee,
                "tags": decode_tags(entry.tags if edit.tags is None else encode_tags([*edit.tags])),
            }
        audit_service.record(
            session,
            ctx,
            action="transaction.bulk_update",
            resource_type="transaction",
            before={"entries": before},
            after={"entries": after},
        )
