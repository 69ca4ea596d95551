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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session, aliased

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
    """The live entries among `ids` (another tenant's, deleted or unknown ids are absent).

    Two plain statements per chunk — the entries by primary key, their legs by the
    (tenant, transaction) index — whose plans do not depend on table statistics (an
    import reads what it has just written, before any ANALYZE has seen it)."""
    types = _types(session, ctx)
    found: dict[uuid.UUID, EntryRow] = {}
    unique = list(dict.fromkeys(ids))
    connection = session.connection()
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        entries = connection.execute(
            select(*_TXN_COLUMNS).where(
                Transaction.tenant_id == ctx.tenant_id,
                id_in(session, Transaction.id, chunk),
                Transaction.deleted_at.is_(None),
            )
        ).all()
        legs: dict[uuid.UUID, list[tuple[uuid.UUID, int, str]]] = {}
        for txn_id, account_id, amount in connection.execute(
            select(Posting.transaction_id, Posting.account_id, Posting.amount)
            .where(
                Posting.tenant_id == ctx.tenant_id, id_in(session, Posting.transaction_id, chunk)
            )
            .order_by(Posting.transaction_id, Posting.position)
        ):
            legs.setdefault(txn_id, []).append((account_id, amount, types.get(account_id, "")))
        for row in entries:
            found[row[0]] = _row(row, legs.get(row[0], []))
    return found


def _types(session: Session, ctx: TenantContext) -> dict[uuid.UUID, str]:
    query = select(Account.id, Account.type).where(Account.tenant_id == ctx.tenant_id)
    return {row[0]: row[1] for row in session.connection().execute(query)}


def scan_entries(session: Session, ctx: TenantContext, scan: EntryScan) -> Iterator[list[EntryRow]]:
    """Live entries matching `scan`, newest first, in batches of up to `CHUNK`."""
    query = (
        _legs_query(ctx)
        .where(*_conditions(ctx, scan))
        .order_by(
            Transaction.occurred_on.desc(),
            Transaction.created_at.desc(),
            Transaction.id,
            Posting.position,
        )
        .execution_options(yield_per=CHUNK)
    )
    batch: list[EntryRow] = []
    for entry in _entries(session.execute(query)):
        batch.append(entry)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _legs_query(ctx: TenantContext) -> Select[*tuple[Any, ...]]:
    """One row per leg of each live entry, with its account's type: the entry's columns
    repeat on its legs, so one statement reads both (grouped by `_entries`)."""
    return (
        select(*_TXN_COLUMNS, Posting.account_id, Posting.amount, Account.type)
        .join(
            Posting,
            (Posting.tenant_id == Transaction.tenant_id)
            & (Posting.transaction_id == Transaction.id),
        )
        .join(
            Account, (Account.tenant_id == Posting.tenant_id) & (Account.id == Posting.account_id)
        )
        .where(Transaction.tenant_id == ctx.tenant_id, Transaction.deleted_at.is_(None))
    )


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
            # its own alias: the scan joins `Posting` already, and an exists over that
            # same table would correlate to the join and select from nothing
            leg = aliased(Posting)
            conditions.append(
                exists().where(
                    leg.tenant_id == ctx.tenant_id,
                    leg.transaction_id == Transaction.id,
                    leg.account_id.in_(ids),
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


def _entries(rows: Iterable[Any]) -> Iterator[EntryRow]:
    """Consecutive legs of one entry (the query orders them by entry) as one EntryRow."""
    for _, group in groupby(rows, key=itemgetter(0)):
        legs = list(group)
        yield _row(legs[0], [(leg[9], leg[10], leg[11]) for leg in legs])


def _row(row: Any, legs: list[tuple[uuid.UUID, int, str]]) -> EntryRow:
    account = category = counter = None
    signed = 0
    kind = row[5]
    if len(legs) == 2 and kind in CATEGORY_TYPES:
        bank = [leg for leg in legs if leg[2] in BALANCE_SHEET]
        cats = [leg for leg in legs if leg[2] in CATEGORY_TYPES]
        if len(bank) == 1 and len(cats) == 1:
            account, signed, category = bank[0][0], bank[0][1], cats[0][0]
    elif len(legs) == 2 and kind == "transfer":
        (source, out, _), (counter, _, _) = sorted(legs, key=itemgetter(1))
        account, signed = source, out
    tags = row[4]
    return EntryRow(
        id=row[0],
        occurred_on=row[1],
        description=row[2],
        payee=row[3],
        tags=tuple(decode_tags(tags)) if tags else (),
        kind=kind,
        status=row[6],
        currency=row[7],
        amount=int(row[8]),
        signed=int(signed),
        account_id=account,
        category_id=category,
        counter_id=counter,
    )
