"""Writes of new entries on fixed-shape statements: the hot path of posting. Never commits.

Posting N entries writes their `ledger_transaction` rows, their postings and the deltas
of the day and month balance snapshots. On PostgreSQL that is one statement whose text
never changes, whatever the number of entries or legs (data-modifying CTEs over
`unnest()` arrays): SQLAlchemy compiles it once, and psycopg prepares it on the server
after a few uses, so a POST pays neither compilation nor PostgreSQL's parse and plan, and
one round trip instead of four. SQLite runs the same rows through Core `executemany`
statements, built once as well.

The snapshot upserts add deltas (`delta = delta + excluded.delta`), so concurrent writers
never lose an update; the deltas are aggregated per account and day (and month) first,
because one upsert statement may not touch the same row twice.

The chart lookup a posting needs (type, currency, archived) reads every account of the
entry in one indexed query, as plain rows, not ORM objects. Listeners of other domains
that must ask the database something small about the tenant before the write's postings
reach them (goals: "any active spending limit?") register a **chart probe**
(`on_chart_read`): a boolean SQL expression of the tenant, read as one more column of
that same query and handed to the probe's callback, so the question costs no statement
of its own. Likewise a domain that keeps rows keyed by new entries (insights: the
learning queue) registers an **entry rider** (`with_new_entries`): at the write of new
entries it picks which of them get a `(tenant_id, transaction_id)` row in its table,
and that insert is one more CTE of the write (PostgreSQL, fixed-shape path), not a
statement at commit.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    TextClause,
    Uuid,
    any_,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from fiscus.db.pipelined import Read
from fiscus.ledger import uncategorised_known
from fiscus.ledger.models import Account, BalanceDay, BalanceMonth, Posting, Transaction

Delta = tuple[uuid.UUID, date, int, int]  # account, day, amount (minor units), entries


@dataclass(frozen=True, slots=True)
class ChartAccount:
    """What posting to an account needs to know of it."""

    id: uuid.UUID
    type: str
    currency: str
    is_archived: bool


_accounts = Account.__table__.c
TENANT = bindparam("tenant_id", type_=Uuid())  # the tenant parameter a probe may use
_IDS_IN = _accounts.id.in_(bindparam("ids", type_=Uuid(), expanding=True))
# The pipelined write's lookup takes the ids as one array: its text never changes.
_IDS_ANY = _accounts.id == any_(bindparam("ids", type_=ARRAY(Uuid())))

ProbeAnswer = Callable[[Session, uuid.UUID, bool], None]


@dataclass(frozen=True, slots=True)
class ChartProbe:
    """A boolean question about the tenant, asked in the chart lookup (`TENANT` is its
    parameter), and what to do with the answer (session, tenant, answer). A write sent
    as one pipeline (`pipelined_chart`) runs no listener, so it is made only when every
    probe answers no: a probe's "no" must mean that its domain's postings listener has
    nothing to do for the new entries."""

    name: str
    expression: ColumnElement[bool]
    answer: ProbeAnswer


_probes: dict[str, ChartProbe] = {}


def on_chart_read(probe: ChartProbe) -> None:
    """Ask `probe` in every chart lookup from now on (registering a name again replaces
    it). The callback runs only when the lookup found an account (no row, no answer)."""
    _probes[probe.name] = probe
    _chart_statement.cache_clear()


@functools.lru_cache(maxsize=2)
def _chart_statement(pipelined: bool = False) -> Select[Any]:
    probes = [p.expression.label(f"probe_{i}") for i, p in enumerate(_probes.values())]
    chart = select(
        _accounts.id, _accounts.type, _accounts.currency, _accounts.is_archived, _accounts.code
    ).where(_accounts.tenant_id == TENANT, _IDS_ANY if pipelined else _IDS_IN)
    return chart.add_columns(*probes) if probes else chart


def chart_accounts(
    session: Session, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, ChartAccount]:
    """The tenant's accounts among `ids` (another tenant's id is simply absent)."""
    if not ids:
        return {}
    params = {"tenant_id": tenant_id, "ids": sorted(set(ids))}
    # autoflush: an account added in this unit of work is found, and a probe sees this
    # unit of work's rows
    rows = session.execute(_chart_statement(), params).all()
    uncategorised_known.note(session, tenant_id, ((r[0], r[1], r[4]) for r in rows))
    if rows:
        for probe, answer in zip(_probes.values(), rows[0][5:], strict=True):
            probe.answer(session, tenant_id, bool(answer))
    return _chart_of(rows)


def _chart_of(rows: Sequence[Sequence[Any]]) -> dict[uuid.UUID, ChartAccount]:
    return {row[0]: ChartAccount(row[0], row[1], row[2], bool(row[3])) for row in rows}


def chart_read(tenant_id: uuid.UUID, ids: Collection[uuid.UUID]) -> Read:
    """`chart_accounts`' lookup for a write sent as one pipeline (`pipelined_chart` reads
    its rows)."""
    return Read(_chart_statement(True), {"tenant_id": tenant_id, "ids": sorted(set(ids))})


@dataclass(frozen=True, slots=True)
class PipelinedChart:
    """The rows of `chart_read`: the accounts, which of them are Uncategorised
    categories, and whether every probe answered no (else: write in a Session)."""

    accounts: dict[uuid.UUID, ChartAccount]
    uncategorised: frozenset[uuid.UUID]
    quiet: bool


def pipelined_chart(rows: Sequence[Sequence[Any]]) -> PipelinedChart:
    uncategorised = frozenset(
        r[0] for r in rows if uncategorised_known.is_uncategorised_account(r[1], r[4])
    )
    quiet = not rows or not any(rows[0][5:])
    return PipelinedChart(_chart_of(rows), uncategorised, quiet)


# (new entries, their postings, the Uncategorised categories among the postings'
# accounts) -> the entries that get a row
RiderPick = Callable[
    [Sequence[Transaction], Sequence[Posting], frozenset[uuid.UUID]], list[uuid.UUID]
]
RiderTaken = Callable[[Session, uuid.UUID, list[uuid.UUID]], None]


@dataclass(frozen=True, slots=True)
class EntryRider:
    """Rows another domain writes with new entries, in the write's own statement:
    `table` (a constant identifier) has the columns `(tenant_id, transaction_id)` and a
    key that makes a repeated row a no-op; `pick` names the entries to write a row for
    (a pure choice, also made for a write sent as one pipeline), and `taken` (session,
    tenant, ids) is told when a Session's write wrote them, so the domain can note that
    they need no statement of their own."""

    name: str
    table: str
    pick: RiderPick
    taken: RiderTaken


_riders: dict[str, EntryRider] = {}


def with_new_entries(rider: EntryRider) -> None:
    """Write `rider`'s rows with every fixed-shape write of new entries from now on
    (registering a name again replaces it)."""
    _riders[rider.name] = rider
    _shaped_write.cache_clear()


# One statement for the whole write on PostgreSQL. Every CTE runs to completion (and the
# foreign keys of the postings are checked at the end of the statement, when their
# transaction rows exist); the snapshot CTEs aggregate nothing, Python already did.
_WRITE_PG = text(
    """
WITH entries AS (
    INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, payee, status,
        kind, notes, tags, idempotency_key, amount, currency, created_at, updated_at)
    SELECT e.id, CAST(:tenant_id AS uuid), e.occurred_on, e.description, e.payee, e.status,
        e.kind, e.notes, e.tags, e.idempotency_key, e.amount, e.currency, e.created_at,
        e.created_at
    FROM unnest(CAST(:e_id AS uuid[]), CAST(:e_on AS date[]), CAST(:e_description AS text[]),
        CAST(:e_payee AS text[]), CAST(:e_status AS text[]), CAST(:e_kind AS text[]),
        CAST(:e_notes AS text[]), CAST(:e_tags AS text[]), CAST(:e_key AS text[]),
        CAST(:e_amount AS bigint[]), CAST(:e_currency AS text[]),
        CAST(:e_created AS timestamptz[]))
        AS e(id, occurred_on, description, payee, status, kind, notes, tags,
             idempotency_key, amount, currency, created_at)
), legs AS (
    INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount,
        currency, rate, memo, occurred_on)
    SELECT p.id, CAST(:tenant_id AS uuid), p.transaction_id, p.account_id, p.position,
        p.amount, p.currency, p.rate, p.memo, p.occurred_on
    FROM unnest(CAST(:p_id AS uuid[]), CAST(:p_txn AS uuid[]), CAST(:p_account AS uuid[]),
        CAST(:p_position AS integer[]), CAST(:p_amount AS bigint[]),
        CAST(:p_currency AS text[]), CAST(:p_rate AS numeric[]), CAST(:p_memo AS text[]),
        CAST(:p_on AS date[]))
        AS p(id, transaction_id, account_id, position, amount, currency, rate, memo,
             occurred_on)
), days AS (
    INSERT INTO balance_day (tenant_id, account_id, day, delta, entries)
    SELECT CAST(:tenant_id AS uuid), d.account_id, d.day, d.delta, d.entries
    FROM unnest(CAST(:d_account AS uuid[]), CAST(:d_day AS date[]),
        CAST(:d_delta AS bigint[]), CAST(:d_entries AS integer[]))
        AS d(account_id, day, delta, entries)
    ON CONFLICT (tenant_id, account_id, day) DO UPDATE
    SET delta = balance_day.delta + excluded.delta,
        entries = balance_day.entries + excluded.entries
)
INSERT INTO balance_month (tenant_id, account_id, month, delta, entries)
SELECT CAST(:tenant_id AS uuid), m.account_id, m.month, m.delta, m.entries
FROM unnest(CAST(:m_account AS uuid[]), CAST(:m_month AS date[]),
    CAST(:m_delta AS bigint[]), CAST(:m_entries AS integer[]))
    AS m(account_id, month, delta, entries)
ON CONFLICT (tenant_id, account_id, month) DO UPDATE
SET delta = balance_month.delta + excluded.delta,
    entries = balance_month.entries + excluded.entries
"""
)


def _upsert_sqlite(model: Any, key: str) -> Any:
    statement = sqlite.insert(model)
    return statement.on_conflict_do_update(
        index_elements=["tenant_id", "account_id", key],
        set_={
            "delta": model.delta + statement.excluded.delta,
            "entries": model.entries + statement.excluded.entries,
        },
    )


_DAYS_SQLITE = _upsert_sqlite(BalanceDay, "day")
_MONTHS_SQLITE = _upsert_sqlite(BalanceMonth, "month")
_ENTRIES_SQLITE = insert(Transaction)
_POSTINGS_SQLITE = insert(Posting)


Sums = dict[tuple[uuid.UUID, date], tuple[int, int]]  # (account, day) -> (amount, entries)


def snapshot_deltas(deltas: Iterable[Delta]) -> tuple[Sums, Sums]:
    """The deltas summed per (account, day) and per (account, month); rows that add
    nothing dropped, keys in order."""
    days: Sums = {}
    months: Sums = {}
    for account_id, day, amount, entries in deltas:
        for rows, key in ((days, (account_id, day)), (months, (account_id, day.replace(day=1)))):
            old_amount, old_entries = rows.get(key, (0, 0))
            rows[key] = (old_amount + amount, old_entries + entries)
    return _nonzero(days), _nonzero(months)


def _nonzero(rows: Sums) -> Sums:
    return {key: sums for key, sums in sorted(rows.items()) if sums[0] or sums[1]}


def write(
    session: Session,
    tenant_id: uuid.UUID,
    entries: Sequence[Transaction],
    postings: Sequence[Posting],
    deltas: Iterable[Delta],
) -> None:
    """Insert `entries` and `postings` and add `deltas` to the snapshots, in one statement
    on PostgreSQL. Pending ORM changes are flushed first (the rows may refer to them)."""
    days, months = snapshot_deltas(deltas)
    if not (entries or postings or days or months):
        return
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        if len(entries) + len(postings) + len(days) + len(months) <= SHAPED_ROWS:
            ridden = _ridden(session, tenant_id, entries, postings)
            write = _shaped(tenant_id, entries, postings, (days, months), ridden)
            connection.execute(write.statement, dict(write.params))
        else:
            connection.execute(_WRITE_PG, _pg_params(tenant_id, entries, postings, days, months))
        return
    if entries:
        connection.execute(_ENTRIES_SQLITE, [_entry_row(tenant_id, e) for e in entries])
    if postings:
        rows = [{"tenant_id": tenant_id, **_posting_row(p)} for p in postings]
        connection.execute(_POSTINGS_SQLITE, rows)
    for statement, key, deltas_of in (
        (_DAYS_SQLITE, "day", days),
        (_MONTHS_SQLITE, "month", months),
    ):
        if deltas_of:
            rows = [
                {"tenant_id": tenant_id, "account_id": a, key: d, "delta": v, "entries": n}
                for (a, d), (v, n) in deltas_of.items()
            ]
            connection.execute(statement, rows)


# Up to this many rows, PostgreSQL gets a VALUES statement of the write's exact shape
# (an entry of two legs: 1 + 2 + 2 + 2 rows), with scalar parameters: psycopg adapts a
# scalar in a fraction of the time it takes to inspect and adapt a one-element array,
# and each shape's text is fixed, so it is compiled and prepared once. Larger writes (a
# batch) take the unnest() statement above, whose cost per row is small.
SHAPED_ROWS = 40
_ENTRY_COLUMNS = (
    "id",
    "occurred_on",
    "description",
    "payee",
    "status",
    "kind",
    "notes",
    "tags",
    "idempotency_key",
    "amount",
    "currency",
    "created_at",
    "updated_at",
)
_POSTING_COLUMNS = (
    "id",
    "transaction_id",
    "account_id",
    "position",
    "amount",
    "currency",
    "rate",
    "memo",
    "occurred_on",
)
_SNAPSHOT_COLUMNS = ("account_id", "at", "delta", "entries")
_ADD_DELTA = (
    " ON CONFLICT (tenant_id, account_id, {key}) DO UPDATE"
    " SET delta = {table}.delta + excluded.delta, entries = {table}.entries + excluded.entries"
)


def _ridden(
    session: Session,
    tenant_id: uuid.UUID,
    entries: Sequence[Transaction],
    postings: Sequence[Posting],
) -> list[tuple[EntryRider, list[uuid.UUID]]]:
    if not entries or not _riders:
        return []
    accounts = {p.account_id for p in postings}
    uncategorised = uncategorised_known.among(session, tenant_id, accounts)
    ridden = _picked(entries, postings, uncategorised)
    for rider, ids in ridden:
        rider.taken(session, tenant_id, ids)
    return ridden


def _picked(
    entries: Sequence[Transaction], postings: Sequence[Posting], uncategorised: frozenset[uuid.UUID]
) -> list[tuple[EntryRider, list[uuid.UUID]]]:
    ridden = [(rider, rider.pick(entries, postings, uncategorised)) for rider in _riders.values()]
    return [(rider, ids) for rider, ids in ridden if ids]


def _shaped(
    tenant_id: uuid.UUID,
    entries: Sequence[Transaction],
    postings: Sequence[Posting],
    sums: tuple[Sums, Sums],
    ridden: list[tuple[EntryRider, list[uuid.UUID]]],
) -> Read:
    """The fixed-shape write of these rows (`_shaped_write`) and its parameters."""
    days, months = sums
    counts = tuple((rider.table, len(ids)) for rider, ids in ridden)
    shape = _shaped_write(len(entries), len(postings), len(days), len(months), counts)
    params = _shaped_params(tenant_id, entries, postings, days, months)
    for r, (_rider, ids) in enumerate(ridden):
        params.update({f"r{r}_{i}": entry_id for i, entry_id in enumerate(ids)})
    return Read(shape, params)


def pipelined_write(
    tenant_id: uuid.UUID,
    entries: Sequence[Transaction],
    postings: Sequence[Posting],
    deltas: Iterable[Delta],
    uncategorised: frozenset[uuid.UUID],
) -> Read | None:
    """`write`'s statement for new entries sent as one pipeline (PostgreSQL), with every
    rider's rows; `uncategorised`: the Uncategorised categories among the postings'
    accounts (`pipelined_chart`). None when the write is too large for one fixed shape."""
    sums = snapshot_deltas(deltas)
    rows = len(entries) + len(postings) + len(sums[0]) + len(sums[1])
    if rows > SHAPED_ROWS:
        return None
    return _shaped(tenant_id, entries, postings, sums, _picked(entries, postings, uncategorised))


@functools.lru_cache(maxsize=64)
def _shaped_write(
    entries: int,
    postings: int,
    days: int,
    months: int,
    riders: tuple[tuple[str, int], ...] = (),
) -> TextClause:
    """The write of that many rows per table as one statement (empty tables left out),
    with `riders`' (table, rows) of entry ids."""
    parts = [
        *(_rider_values(table, r, rows) for r, (table, rows) in enumerate(riders)),
        _values("ledger_transaction", _ENTRY_COLUMNS, _ENTRY_COLUMNS, "e", entries, ""),
        _values("posting", _POSTING_COLUMNS, _POSTING_COLUMNS, "p", postings, ""),
        _values(
            "balance_day",
            ("account_id", "day", "delta", "entries"),
            _SNAPSHOT_COLUMNS,
            "d",
            days,
            _ADD_DELTA.format(key="day", table="balance_day"),
        ),
        _values(
            "balance_month",
            ("account_id", "month", "delta", "entries"),
            _SNAPSHOT_COLUMNS,
            "m",
            months,
            _ADD_DELTA.format(key="month", table="balance_month"),
        ),
    ]
    *ctes, main = [part for part in parts if part]
    head = ", ".join(f"w{i} AS ({cte})" for i, cte in enumerate(ctes))
    return text(f"WITH {head} {main}" if ctes else main)


def _rider_values(table: str, rider: int, rows: int) -> str:
    """`INSERT INTO table (tenant_id, transaction_id) VALUES ... ON CONFLICT DO NOTHING`
    with parameters `r{rider}_{row}`: `table` is a rider's constant, never input."""
    values = ", ".join(f"(:tenant_id, :r{rider}_{i})" for i in range(rows))
    return (
        f"INSERT INTO {table} (tenant_id, transaction_id) VALUES {values}"  # noqa: S608
        " ON CONFLICT DO NOTHING"
    )


def _values(
    table: str, columns: Sequence[str], keys: Sequence[str], prefix: str, rows: int, tail: str
) -> str:
    """`INSERT INTO table (tenant_id, columns) VALUES (...), ...` with parameters named
    `{prefix}{row}_{key}`: identifiers from the constants above only, never input."""
    if not rows:
        return ""
    values = ", ".join(
        "(:tenant_id, " + ", ".join(f":{prefix}{r}_{k}" for k in keys) + ")" for r in range(rows)
    )
    names = ", ".join(("tenant_id", *columns))
    return f"INSERT INTO {table} ({names}) VALUES {values}{tail}"  # noqa: S608


def _shaped_params(
    tenant_id: uuid.UUID,
    entries: Sequence[Transaction],
    postings: Sequence[Posting],
    days: Sums,
    months: Sums,
) -> dict[str, Any]:
    params: dict[str, Any] = {"tenant_id": tenant_id}
    for r, entry in enumerate(entries):
        params.update({f"e{r}_{c}": getattr(entry, c) for c in _ENTRY_COLUMNS})
    for r, posting in enumerate(postings):
        params.update({f"p{r}_{c}": getattr(posting, c) for c in _POSTING_COLUMNS})
    for prefix, sums in (("d", days), ("m", months)):
        for r, ((account_id, at), (delta, count)) in enumerate(sums.items()):
            params.update(
                {
                    f"{prefix}{r}_account_id": account_id,
                    f"{prefix}{r}_at": at,
                    f"{prefix}{r}_delta": delta,
                    f"{prefix}{r}_entries": count,
                }
            )
    return params


def _pg_params(
    tenant_id: uuid.UUID,
    entries: Sequence[Transaction],
    postings: Sequence[Posting],
    days: Sums,
    months: Sums,
) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "e_id": [e.id for e in entries],
        "e_on": [e.occurred_on for e in entries],
        "e_description": [e.description for e in entries],
        "e_payee": [e.payee for e in entries],
        "e_status": [e.status for e in entries],
        "e_kind": [e.kind for e in entries],
        "e_notes": [e.notes for e in entries],
        "e_tags": [e.tags for e in entries],
        "e_key": [e.idempotency_key for e in entries],
        "e_amount": [e.amount for e in entries],
        "e_currency": [e.currency for e in entries],
        "e_created": [e.created_at for e in entries],
        "p_id": [p.id for p in postings],
        "p_txn": [p.transaction_id for p in postings],
        "p_account": [p.account_id for p in postings],
        "p_position": [p.position for p in postings],
        "p_amount": [p.amount for p in postings],
        "p_currency": [p.currency for p in postings],
        "p_rate": [p.rate for p in postings],
        "p_memo": [p.memo for p in postings],
        "p_on": [p.occurred_on for p in postings],
        "d_account": [a for a, _ in days],
        "d_day": [d for _, d in days],
        "d_delta": [v for v, _ in days.values()],
        "d_entries": [n for _, n in days.values()],
        "m_account": [a for a, _ in months],
        "m_month": [m for _, m in months],
        "m_delta": [v for v, _ in months.values()],
        "m_entries": [n for _, n in months.values()],
    }


def _entry_row(tenant_id: uuid.UUID, e: Transaction) -> dict[str, Any]:
    return {
        "id": e.id,
        "tenant_id": tenant_id,
        "occurred_on": e.occurred_on,
        "description": e.description,
        "payee": e.payee,
        "status": e.status,
        "kind": e.kind,
        "notes": e.notes,
        "tags": e.tags,
        "idempotency_key": e.idempotency_key,
        "deleted_at": None,
        "amount": e.amount,
        "currency": e.currency,
        "created_at": e.created_at,
        "updated_at": e.created_at,
    }


def _posting_row(p: Posting) -> dict[str, Any]:
    return {
        "id": p.id,
        "transaction_id": p.transaction_id,
        "account_id": p.account_id,
        "position": p.position,
        "amount": p.amount,
        "currency": p.currency,
        "rate": p.rate,
        "memo": p.memo,
        "occurred_on": p.occurred_on,
    }
