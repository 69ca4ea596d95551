"""Set-based booking of many simple entries at once (bank imports), and taking them back.

`bulk_post` books N two-leg entries between one bank account and categories: on
PostgreSQL the entries are `COPY`ed into a temporary staging table, then one
`INSERT ... SELECT` writes the transactions and one writes both postings of each (the
legs cross-joined in SQL); on SQLite, an executemany per table. Balance snapshots
(amounts *and* entry counts, see `repository_balances`) are updated with one upsert per
table of the deltas aggregated by account and day, not per entry. Every entry is checked
the way the simple form checks one (account and categories exist here, are not archived,
share the currency, amount not zero), and on PostgreSQL the database checks every entry's
balance once more: the postings go in through `ledger_insert_postings` (migration 0019),
which checks all the entries it wrote in one grouped query, instead of the deferred
per-posting trigger at commit (still there for every other write).

`bulk_delete` soft-deletes entries by id (as the ledger's delete does) and subtracts their
*current* postings (an entry edited since it was booked comes off as it is now) from the
snapshots, so balances return exactly to what they were without those entries.

Neither writes an audit event: the caller records one for the whole batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Date,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.ids import new_id
from fiscus.ledger import events
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.ledger.postings import BALANCE_SHEET, CATEGORY_TYPES
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_balances import BalanceRepository, Delta


@dataclass(frozen=True, slots=True)
class BulkEntry:
    """One simple entry: `amount` in minor units of the account's currency, signed from
    the account holder's view (+ money in), against `category_id`."""

    transaction_id: uuid.UUID
    occurred_on: date
    description: str
    payee: str | None
    amount: int
    category_id: uuid.UUID
    tags: str = ""  # stored form (`encode_tags`): a bank import's rules may add some


@dataclass(frozen=True, slots=True)
class AccountEntry:
    """A live entry with a posting on an account, as a duplicate check compares it."""

    transaction_id: uuid.UUID
    occurred_on: date
    amount: int  # the account's posting, minor units (+ money in)
    description: str
    payee: str | None


_META = MetaData()
_STAGE = Table(
    "bulk_post_stage",
    _META,
    Column("id", Uuid),
    Column("occurred_on", Date),
    Column("description", String),
    Column("payee", String),
    Column("amount", BigInteger),
    Column("category_id", Uuid),
    Column("kind", String),
    Column("tags", String),
    prefixes=["TEMPORARY"],
)
_IDS = Table("bulk_delete_ids", _META, Column("id", Uuid), prefixes=["TEMPORARY"])

_PG_TRANSACTIONS = """
INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, payee, status, kind,
  tags, amount, currency, created_at, updated_at)
SELECT s.id, :tenant, s.occurred_on, s.description, s.payee, :status, s.kind, s.tags,
  abs(s.amount), :currency, :now, :now
FROM bulk_post_stage s
"""

# Position 0 is the debit leg, as `simple_lines` orders them: the account when money came
# in, the category when it went out.
_PG_POSTINGS = """
INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount, currency,
  occurred_on)
SELECT gen_random_uuid(), :tenant, s.id,
  CASE WHEN (s.amount > 0) = (leg.pos = 0) THEN CAST(:account AS uuid) ELSE s.category_id END,
  leg.pos, CASE WHEN leg.pos = 0 THEN abs(s.amount) ELSE -abs(s.amount) END, :currency,
  s.occurred_on
FROM bulk_post_stage s CROSS JOIN (VALUES (0), (1)) AS leg(pos)
"""
# The same postings through `ledger_insert_postings` (migration 0019): one insert that
# checks every entry's balance once, set-based, instead of the deferred per-posting
# trigger at COMMIT. The arrays are built from the staging table in the server.
_PG_CHECKED_FUNCTION = (
    "ledger_insert_postings(uuid, uuid[], uuid[], integer[], bigint[], text, date[])"
)
_PG_CHECKED_POSTINGS = """
SELECT ledger_insert_postings(CAST(:tenant AS uuid), array_agg(s.id),
  array_agg(CASE WHEN (s.amount > 0) = (leg.pos = 0) THEN CAST(:account AS uuid)
                 ELSE s.category_id END),
  array_agg(leg.pos), array_agg(CASE WHEN leg.pos = 0 THEN abs(s.amount) ELSE -abs(s.amount) END),
  CAST(:currency AS text), array_agg(s.occurred_on))
FROM bulk_post_stage s CROSS JOIN (VALUES (0), (1)) AS leg(pos)
"""


# One row per leg (account, day, amount, entries) feeding the snapshot upserts on PostgreSQL.
_STAGE_LEGS = """
SELECT leg.account_id, s.occurred_on AS day, leg.amount, 1 AS entries
FROM bulk_post_stage s CROSS JOIN LATERAL
  (VALUES (CAST(:account AS uuid), s.amount), (s.category_id, -s.amount)) AS leg(account_id, amount)
"""
_UPSERT = """
INSERT INTO {table} (tenant_id, account_id, {key}, delta, entries)
SELECT :tenant, account_id, {bucket}, sum(amount), sum(entries) FROM ({legs}) AS legs
GROUP BY account_id, {bucket}
ON CONFLICT (tenant_id, account_id, {key}) DO UPDATE
SET delta = {table}.delta + excluded.delta, entries = {table}.entries + excluded.entries
"""
_MONTH = "CAST(date_trunc('month', day) AS date)"


def _pg_balances(connection: Connection, legs: str, params: dict[str, Any]) -> None:
    """Add the legs to the day and month snapshots: one grouped upsert per table."""
    for table, key, bucket in (("balance_day", "day", "day"), ("balance_month", "month", _MONTH)):
        statement = _UPSERT.format(table=table, key=key, bucket=bucket, legs=legs)
        connection.execute(text(statement), params)


def bulk_post(
    session: Session,
    ctx: TenantContext,
    *,
    account_id: uuid.UUID,
    entries: Sequence[BulkEntry],
    status: str = "cleared",
    staged: Callable[[], None] = lambda: None,
) -> int:
    """Book `entries` on the account in the caller's transaction; returns how many.
    `staged` is called once the entries are handed to the database (on PostgreSQL: copied
    to the stage), when what is left is mostly the database's work: a caller overlapping
    its own Python with the booking starts it then, not competing for the GIL with the
    staging (`imports/overlap.alongside`)."""
    if not entries:
        return 0
    account = _bank_account(session, ctx, account_id)
    kinds = _kinds(session, ctx, account, {e.category_id for e in entries})
    for entry in entries:
        if entry.amount == 0:
            raise InvalidInput("must not be zero", field="amount")
    now = utcnow()
    if session.get_bind().dialect.name == "postgresql":
        _copy_post(session, ctx, account, entries, kinds, status, now, staged)
    else:
        _executemany_post(session, ctx, account, entries, kinds, status, now)
        staged()
    facts = _facts_of(account, entries)
    if session.get_bind().dialect.name != "postgresql":
        _python_balances(session, ctx.tenant_id, facts, 1)
    _tell_listeners(session, ctx.tenant_id, facts, 1)
    return len(entries)


def _bank_account(session: Session, ctx: TenantContext, account_id: uuid.UUID) -> Account:
    account = AccountRepository(session, ctx.tenant_id).get(account_id)
    if account is None or account.type not in BALANCE_SHEET:
        raise InvalidInput("must be an asset or liability account of yours", field="account_id")
    if account.is_archived:
        raise InvalidInput("is archived; restore it to post to it", field="account_id")
    return account


def _kinds(
    session: Session, ctx: TenantContext, account: Account, category_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Each category's type, once its checks pass (the kind follows from it and the sign)."""
    repo = AccountRepository(session, ctx.tenant_id)
    found: dict[uuid.UUID, str] = {}
    for category_id in category_ids:
        category = repo.get(category_id)
        if category is None or category.type not in CATEGORY_TYPES:
            raise InvalidInput("no such category", field="category_id")
        if category.is_archived:
            raise InvalidInput("is archived; restore it to post to it", field="category_id")
        if category.currency != account.currency:
            raise InvalidInput(
                f"must be in the account's currency ({account.currency})", field="category_id"
            )
        found[category_id] = category.type
    return found


def _kind(amount: int, category_type: str) -> str:
    """`entry_kind` of the two legs: money in from income, money out to an expense."""
    if amount > 0:
        return "income" if category_type == "income" else "journal"
    return "expense" if category_type == "expense" else "journal"


def _stage_rows(
    entries: Sequence[BulkEntry], kinds: dict[uuid.UUID, str]
) -> Iterable[tuple[uuid.UUID, date, str, str | None, int, uuid.UUID, str, str]]:
    for e in entries:
        kind = _kind(e.amount, kinds[e.category_id])
        yield (
            e.transaction_id,
            e.occurred_on,
            e.description,
            e.payee,
            e.amount,
            e.category_id,
            kind,
            e.tags,
        )


def _copy_post(
    session: Session,
    ctx: TenantContext,
    account: Account,
    entries: Sequence[BulkEntry],
    kinds: dict[uuid.UUID, str],
    status: str,
    now: datetime,
    staged: Callable[[], None],
) -> None:
    connection = session.connection()
    _STAGE.create(connection)
    raw = connection.connection.driver_connection
    assert raw is not None
    columns = ", ".join(c.name for c in _STAGE.columns)
    statement = f"COPY bulk_post_stage ({columns}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in _stage_rows(entries, kinds):
            copy.write_row(row)
    staged()
    params = {
        "tenant": ctx.tenant_id,
        "status": status,
        "currency": account.currency,
        "now": now,
        "account": account.id,
    }
    connection.execute(text(_PG_TRANSACTIONS), params)
    checked = connection.execute(
        text("SELECT to_regprocedure(:name) IS NOT NULL"), {"name": _PG_CHECKED_FUNCTION}
    ).scalar()
    connection.execute(text(_PG_CHECKED_POSTINGS if checked else _PG_POSTINGS), params)
    _pg_balances(connection, _STAGE_LEGS, params)
    _STAGE.drop(connection)


def _executemany_post(
    session: Session,
    ctx: TenantContext,
    account: Account,
    entries: Sequence[BulkEntry],
    kinds: dict[uuid.UUID, str],
    status: str,
    now: datetime,
) -> None:
    transactions, postings = [], []
    rows = _stage_rows(entries, kinds)
    for txn_id, day, description, payee, amount, category_id, kind, tags in rows:
        transactions.append(
            {
                "id": txn_id,
                "tenant_id": ctx.tenant_id,
                "occurred_on": day,
                "description": description,
                "payee": payee,
                "status": status,
                "kind": kind,
                "tags": tags,
                "amount": abs(amount),
                "currency": account.currency,
                "created_at": now,
                "updated_at": now,
            }
        )
        debit, credit = (account.id, category_id) if amount > 0 else (category_id, account.id)
        for position, (leg_account, leg_amount) in enumerate(
            ((debit, abs(amount)), (credit, -abs(amount)))
        ):
            postings.append(
                {
                    "id": new_id(),
                    "tenant_id": ctx.tenant_id,
                    "transaction_id": txn_id,
                    "account_id": leg_account,
                    "position": position,
                    "amount": leg_amount,
                    "currency": account.currency,
                    "occurred_on": day,
                }
            )
    connection = session.connection()
    connection.execute(insert(Transaction), transactions)
    connection.execute(insert(Posting), postings)


@dataclass(frozen=True, slots=True)
class PostingFacts:
    """What postings listeners read of a posting (account, day, entry, amount), without
    building 2N ORM rows: bulk changes hand these to `events.postings_applied`."""

    tenant_id: uuid.UUID
    transaction_id: uuid.UUID
    account_id: uuid.UUID
    occurred_on: date
    amount: int
    currency: str


def _facts_of(account: Account, entries: Sequence[BulkEntry]) -> list[PostingFacts]:
    facts = []
    for e in entries:
        facts.append(
            PostingFacts(
                account.tenant_id,
                e.transaction_id,
                account.id,
                e.occurred_on,
                e.amount,
                account.currency,
            )
        )
        facts.append(
            PostingFacts(
                account.tenant_id,
                e.transaction_id,
                e.category_id,
                e.occurred_on,
                -e.amount,
                account.currency,
            )
        )
    return facts


def _python_balances(
    session: Session, tenant_id: uuid.UUID, facts: list[PostingFacts], sign: int
) -> None:
    """SQLite: the deltas aggregated here, one upsert per snapshot table."""
    entries = {(f.account_id, f.occurred_on, f.transaction_id) for f in facts}
    deltas: list[Delta] = [(f.account_id, f.occurred_on, sign * f.amount, 0) for f in facts]
    deltas += [(a, d, 0, sign) for a, d, _ in entries]
    BalanceRepository(session, tenant_id).add_deltas(deltas)


def _tell_listeners(
    session: Session, tenant_id: uuid.UUID, facts: list[PostingFacts], sign: int
) -> None:
    events.postings_applied(session, tenant_id, cast("list[Posting]", facts), sign)


def bulk_delete(
    session: Session, ctx: TenantContext, *, transaction_ids: Sequence[uuid.UUID]
) -> int:
    """Soft-delete the live entries among `transaction_ids` and take their postings off
    the balances; returns how many were live (already deleted ones are left as they are)."""
    if not transaction_ids:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        facts, gone = _pg_delete(session, ctx, list(set(transaction_ids)))
    else:
        facts, gone = _staged_delete(session, ctx, transaction_ids)
    _tell_listeners(session, ctx.tenant_id, facts, -1)
    return gone


# The ids travel as one uuid[] parameter: `= ANY(...)` probes the primary key (or the
# posting index) per id whatever the planner believes of a table just bulk-loaded (a
# join with a staging table was planned as a nested loop over stale statistics).
_PG_LIVE = """
SELECT id FROM ledger_transaction
WHERE tenant_id = :tenant AND deleted_at IS NULL AND id = ANY(:ids)
"""
_PG_FACTS = """
SELECT transaction_id, account_id, occurred_on, amount, currency FROM posting
WHERE tenant_id = :tenant AND transaction_id = ANY(:ids)
"""
_PG_DELETE_LEGS = """
SELECT account_id, occurred_on AS day, -sum(amount) AS amount, -1 AS entries FROM posting
WHERE tenant_id = :tenant AND transaction_id = ANY(:ids)
GROUP BY transaction_id, account_id, occurred_on
"""
_PG_SOFT_DELETE = """
UPDATE ledger_transaction SET deleted_at = :now, updated_at = :now
WHERE tenant_id = :tenant AND deleted_at IS NULL AND id = ANY(:ids)
"""


def _pg_delete(
    session: Session, ctx: TenantContext, transaction_ids: list[uuid.UUID]
) -> tuple[list[PostingFacts], int]:
    connection = session.connection()
    params: dict[str, Any] = {"tenant": ctx.tenant_id, "ids": transaction_ids}
    live = list(connection.execute(text(_PG_LIVE), params).scalars())
    params = {"tenant": ctx.tenant_id, "ids": live, "now": utcnow()}
    facts = [
        PostingFacts(ctx.tenant_id, row[0], row[1], row[2], int(row[3]), row[4])
        for row in connection.execute(text(_PG_FACTS), params)
    ]
    _pg_balances(connection, _PG_DELETE_LEGS, params)
    connection.execute(text(_PG_SOFT_DELETE), params)
    return facts, len(live)


def _staged_delete(
    session: Session, ctx: TenantContext, transaction_ids: Sequence[uuid.UUID]
) -> tuple[list[PostingFacts], int]:
    """SQLite: the ids in a temporary table (no parameter-count limit), joined."""
    connection = session.connection()
    _IDS.create(connection)
    try:
        connection.execute(insert(_IDS), [{"id": t} for t in set(transaction_ids)])
        connection.execute(delete(_IDS).where(~exists().where(*_live(ctx.tenant_id))))
        live_postings = select(
            Posting.transaction_id,
            Posting.account_id,
            Posting.occurred_on,
            Posting.amount,
            Posting.currency,
        ).where(Posting.tenant_id == ctx.tenant_id, Posting.transaction_id.in_(select(_IDS.c.id)))
        facts = [
            PostingFacts(ctx.tenant_id, row[0], row[1], row[2], int(row[3]), row[4])
            for row in connection.execute(live_postings)
        ]
        _python_balances(session, ctx.tenant_id, facts, -1)
        now = utcnow()
        gone = connection.execute(
            update(Transaction)
            .where(
                Transaction.tenant_id == ctx.tenant_id,
                Transaction.deleted_at.is_(None),
                Transaction.id.in_(select(_IDS.c.id)),
            )
            .values(deleted_at=now, updated_at=now)
        ).rowcount
    finally:
        _IDS.drop(connection)
    return facts, int(gone or 0)


def _live(tenant_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
    return (
        Transaction.id == _IDS.c.id,
        Transaction.tenant_id == tenant_id,
        Transaction.deleted_at.is_(None),
    )


def account_entries(
    session: Session, ctx: TenantContext, *, account_id: uuid.UUID, first: date, last: date
) -> list[AccountEntry]:
    """The account's live entries dated `first..last`, with the account's posting amount
    (what an import's fuzzy duplicate check compares a bank line with)."""
    query = (
        select(
            Transaction.id,
            Transaction.occurred_on,
            func.sum(Posting.amount),
            Transaction.description,
            Transaction.payee,
        )
        .join(Posting, Posting.transaction_id == Transaction.id)
        .where(
            Posting.tenant_id == ctx.tenant_id,
            Posting.account_id == account_id,
            Posting.occurred_on >= first,
            Posting.occurred_on <= last,
            Transaction.tenant_id == ctx.tenant_id,
            Transaction.deleted_at.is_(None),
        )
        .group_by(
            Transaction.id, Transaction.occurred_on, Transaction.description, Transaction.payee
        )
    )
    return [
        AccountEntry(row[0], row[1], int(row[2]), row[3], row[4]) for row in session.execute(query)
    ]
