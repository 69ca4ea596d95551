"""Entries as flat rows for set-based work over many of them (rules, categorisers).

An `EntryRow` is one live entry with its sides already told apart: `account_id` is the
bank side (the balance-sheet leg of an income or expense entry, the source of a
transfer), `category_id` the income or expense leg, `counter_id` a transfer's
destination, and `signed` the amount in minor units from the bank side's view (+ money
in). Journal entries (more than two legs, or two legs of one kind) carry neither side.

Read with Core column rows in chunks (no ORM hydration): `entry_rows` by ids, `scan_entries`
by filters in batches, newest first, for scanning a whole ledger without holding it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.ledger.bulk_edit_sql import id_in
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.ledger.postings import BALANCE_SHEET, CATEGORY_TYPES
from fiscus.ledger.transactions import decode_tags

CHUNK = 2_000


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: uuid.UUID
    occurred_on: date
    description: str
    payee: str | None
    tags: tuple[str, ...]
    kind: str
    status: str
    currency: str
    amount: int  # gross, minor units
    signed: int  # from the bank side's view, + money in
    account_id: uuid.UUID | None
    category_id: uuid.UUID | None
    counter_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class EntryScan:
    """Which live entries to scan; every condition set must hold."""

    date_from: date | None = None
    date_to: date | None = None
    account_id: uuid.UUID | None = None  # posts to it
    category_ids: tuple[uuid.UUID, ...] | None = None  # posts to one of them
    payee_contains: str | None = None
    description_contains: str | None = None


_TXN_COLUMNS = (
    Transaction.id,
    Transaction.occurred_on,
    Transaction.description,
    Transaction.payee,
    Transaction.tags,
    Transaction.kind,
    Transaction.status,
    Transaction.currency,
    Transaction.amount,
)


def entry_rows(
    session: Session, ctx: TenantContext, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EntryRow]:
    """The live entries among `ids` (another tenant's, deleted or unknown ids are absent)."""
    types = _types(session, ctx)
    found: dict[uuid.UUID, EntryRow] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), CHUNK):
        query = select(*_TXN_COLUMNS).where(
            Transaction.tenant_id == ctx.tenant_id,
            id_in(session, Transaction.id, unique[start : start + CHUNK]),
            Transaction.deleted_at.is_(None),
        )
        rows = session.connection().execute(query).all()
        found.update((row.id, row) for row in _build(session, ctx, rows, types))
    return found


def scan_entries(session: Session, ctx: TenantContext, scan: EntryScan) -> Iterator[list[EntryRow]]:
    """Live entries matching `scan`, newest first, in batches of up to `CHUNK`."""
    types = _types(session, ctx)
    query = (
        select(*_TXN_COLUMNS)
        .where(*_conditions(ctx, scan))
        .order_by(Transaction.occurred_on.desc(), Transaction.created_at.desc(), Transaction.id)
        .execution_options(yield_per=CHUNK)
    )
    for batch in session.execute(query).partitions(CHUNK):
        yield _build(session, ctx, list(batch), types)


def _conditions(ctx: TenantContext, scan: EntryScan) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Transaction.tenant_id == ctx.tenant_id,
        Transaction.deleted_at.is_(None),
    ]
    if scan.date_from:
        conditions.append(Transaction.occurred_on >= scan.date_from)
    if scan.date_to:
        conditions.append(Transaction.occurred_on <= scan.date_to)
    for ids in (
        (scan.account_id,) if scan.account_id else None,
        scan.category_ids,
    ):
        if ids is not None:
            conditions.append(
                exists().where(
                    Posting.tenant_id == ctx.tenant_id,
                    Posting.transaction_id == Transaction.id,
                    Posting.account_id.in_(ids),
                )
            )
    for column, needle in (
        (Transaction.payee, scan.payee_contains),
        (Transaction.description, scan.description_contains),
    ):
        if needle:
            lowered = func.lower(func.coalesce(column, ""))
            conditions.append(lowered.contains(needle.lower(), autoescape=True))
    return conditions


def _types(session: Session, ctx: TenantContext) -> dict[uuid.UUID, str]:
    query = select(Account.id, Account.type).where(Account.tenant_id == ctx.tenant_id)
    return {row.id: row.type for row in session.execute(query)}


def _build(
    session: Session, ctx: TenantContext, rows: Sequence[Any], types: dict[uuid.UUID, str]
) -> list[EntryRow]:
    if not rows:
        return []
    legs: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = defaultdict(list)
    query = (
        select(Posting.transaction_id, Posting.account_id, Posting.amount)
        .where(
            Posting.tenant_id == ctx.tenant_id,
            id_in(session, Posting.transaction_id, [row.id for row in rows]),
        )
        .order_by(Posting.transaction_id, Posting.position)
    )
    for leg in session.connection().execute(query):
        legs[leg.transaction_id].append((leg.account_id, leg.amount))
    return [_row(row, legs[row.id], types) for row in rows]


def _row(row: Any, legs: list[tuple[uuid.UUID, int]], types: dict[uuid.UUID, str]) -> EntryRow:
    account = category = counter = None
    signed = 0
    if len(legs) == 2 and row.kind in CATEGORY_TYPES:
        bank = [leg for leg in legs if types.get(leg[0]) in BALANCE_SHEET]
        cats = [leg for leg in legs if types.get(leg[0]) in CATEGORY_TYPES]
        if len(bank) == 1 and len(cats) == 1:
            (account, signed), category = bank[0], cats[0][0]
    elif len(legs) == 2 and row.kind == "transfer":
        (source, out), (counter, _) = sorted(legs, key=lambda leg: leg[1])
        account, signed = source, out
    return EntryRow(
        id=row.id,
        occurred_on=row.occurred_on,
        description=row.description,
        payee=row.payee,
        tags=tuple(decode_tags(row.tags)),
        kind=row.kind,
        status=row.status,
        currency=row.currency,
        amount=int(row.amount),
        signed=int(signed),
        account_id=account,
        category_id=category,
        counter_id=counter,
    )
