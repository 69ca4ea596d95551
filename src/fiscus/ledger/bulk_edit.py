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
from collections.abc import Iterator, Mapping, Sequence
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
from fiscus.ledger.entry_rows import EntryRow, entry_rows
from fiscus.ledger.models import Account, Posting
from fiscus.ledger.postings import CATEGORY_TYPES
from fiscus.ledger.transactions import encode_tags

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
    """The category leg of a simple income or expense entry."""

    transaction_id: uuid.UUID
    account_id: uuid.UUID
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


def bulk_edit(
    session: Session,
    ctx: TenantContext,
    edits: Sequence[EntryEdit],
    *,
    rows: Mapping[uuid.UUID, EntryRow] | None = None,
) -> int:
    """Apply `edits` (one per entry) all or nothing; returns how many entries changed.

    `rows`: the entries as the caller read them in this same transaction
    (`entry_rows`), to spare reading them again; by default they are read here."""
    if not edits:
        return 0
    accounts = _accounts(session, ctx)
    ids = [e.transaction_id for e in edits]
    if rows is None or any(i not in rows for i in ids):
        rows = entry_rows(session, ctx, ids)
    current = {i: _current(rows[i]) for i in ids if i in rows}
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


def _current(row: EntryRow) -> _Current:
    leg = None
    if row.category_id is not None and row.kind in CATEGORY_TYPES:
        # a simple entry: the category leg is the bank leg's opposite
        leg = _Leg(row.id, row.category_id, -row.signed, row.currency, row.occurred_on)
    return _Current(
        row.kind, row.status, False, row.currency, row.payee, encode_tags(list(row.tags)), leg
    )


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
        return "no such live transaction"
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
    sql.move_postings(
        session, ctx.tenant_id, [(leg.transaction_id, leg.account_id, t) for leg, t in moved]
    )
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
        self.id, self.transaction_id, self.account_id = None, leg.transaction_id, account_id
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


AUDIT_FIELDS = ("transaction_id", "category_id", "payee", "tags")


def _audit(
    session: Session, ctx: TenantContext, edits: list[EntryEdit], current: dict[uuid.UUID, _Current]
) -> None:
    """Compact rows (one list per entry, `AUDIT_FIELDS` in order) keep each event small."""
    for chunk in _chunks(edits, AUDIT_CHUNK):
        before: list[list[Any]] = []
        after: list[list[Any]] = []
        for edit in chunk:
            entry = current[edit.transaction_id]
            old_category = str(entry.category_leg.account_id) if entry.category_leg else None
            key = str(edit.transaction_id)
            before.append([key, old_category, entry.payee, entry.tags])
            after.append(
                [
                    key,
                    str(edit.category_id) if edit.category_id else old_category,
                    entry.payee if edit.payee is None else edit.payee,
                    entry.tags if edit.tags is None else encode_tags(list(edit.tags)),
                ]
            )
        audit_service.record(
            session,
            ctx,
            action="transaction.bulk_update",
            resource_type="transaction",
            before={"fields": AUDIT_FIELDS, "entries": before},
            after={"fields": AUDIT_FIELDS, "entries": after},
        )
