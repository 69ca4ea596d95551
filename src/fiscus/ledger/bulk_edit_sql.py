"""The statements of `bulk_edit`, one per dialect. Tenant-scoped; never commits.

On PostgreSQL every statement takes its rows as arrays (`unnest(CAST(:x AS uuid[]),
...)`, `= ANY(:ids)`): one statement whose text never changes however many rows, so
nothing is compiled per row and the server plans it once. SQLite, in process, runs the
same rows through `executemany` (and `IN` lists of at most `CHUNK` ids, under its limit
of bound parameters).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, Uuid, any_, bindparam, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fiscus.ledger.models import BalanceDay, BalanceMonth, Posting, Transaction

CHUNK = 2_000
Delta = tuple[uuid.UUID, date, int, int]  # account, day, amount (minor units), entries


def on_postgres(session: Session) -> bool:
    return bool(session.get_bind().dialect.name == "postgresql")


def id_in(session: Session, column: Any, ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    """`column` is one of `ids` (a chunk of at most CHUNK): `= ANY(array)` on PostgreSQL
    (one parameter, an index scan), an `IN` list on SQLite."""
    if on_postgres(session):
        array = bindparam("ids_array", list(ids), type_=postgresql.ARRAY(Uuid()))
        return column == any_(array)  # type: ignore[no-any-return]
    return column.in_(list(ids))  # type: ignore[no-any-return]


def move_postings(
    session: Session,
    tenant_id: uuid.UUID,
    moves: Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID]],
) -> None:
    """Repoint the leg of each entry on an account to another: (entry, from, to)."""
    if not moves:
        return
    if on_postgres(session):
        session.execute(
            text(
                "UPDATE posting SET account_id = u.target FROM unnest(CAST(:entries AS uuid[]), "
                "CAST(:sources AS uuid[]), CAST(:targets AS uuid[])) AS u(entry, source, target) "
                "WHERE posting.tenant_id = :tenant_id AND posting.transaction_id = u.entry "
                "AND posting.account_id = u.source"
            ),
            {
                "entries": [m[0] for m in moves],
                "sources": [m[1] for m in moves],
                "targets": [m[2] for m in moves],
                "tenant_id": tenant_id,
            },
        )
        return
    table = cast(Table, Posting.__table__)
    session.execute(
        update(table)
        .where(
            table.c.tenant_id == tenant_id,
            table.c.transaction_id == bindparam("b_entry"),
            table.c.account_id == bindparam("b_source"),
        )
        .values(account_id=bindparam("b_target")),
        [{"b_entry": e, "b_source": f, "b_target": t} for e, f, t in moves],
    )


def set_texts(
    session: Session,
    tenant_id: uuid.UUID,
    rows: Sequence[tuple[uuid.UUID, str | None, str]],
    now: datetime,
) -> None:
    """Set (payee, encoded tags) of each entry by id."""
    if not rows:
        return
    if on_postgres(session):
        session.execute(
            text(
                "UPDATE ledger_transaction SET payee = u.payee, tags = u.tags, updated_at = :now "
                "FROM unnest(CAST(:ids AS uuid[]), CAST(:payees AS text[]), "
                "CAST(:tags AS text[])) AS u(id, payee, tags) "
                "WHERE ledger_transaction.tenant_id = :tenant_id AND ledger_transaction.id = u.id"
            ),
            {
                "ids": [r[0] for r in rows],
                "payees": [r[1] for r in rows],
                "tags": [r[2] for r in rows],
                "now": now,
                "tenant_id": tenant_id,
            },
        )
        return
    table = cast(Table, Transaction.__table__)
    session.execute(
        update(table)
        .where(table.c.tenant_id == tenant_id, table.c.id == bindparam("b_id"))
        .values(payee=bindparam("b_payee"), tags=bindparam("b_tags"), updated_at=now),
        [{"b_id": i, "b_payee": p, "b_tags": t} for i, p, t in rows],
    )


def add_deltas(session: Session, tenant_id: uuid.UUID, deltas: Iterable[Delta]) -> None:
    """Add (account, day, amount, entries) onto the day and month snapshot rows, summed
    per row first (one upsert may not touch a row twice), in key order."""
    days: dict[tuple[uuid.UUID, date], list[int]] = {}
    months: dict[tuple[uuid.UUID, date], list[int]] = {}
    for account_id, day, amount, entries in deltas:
        for rows, key in ((days, (account_id, day)), (months, (account_id, day.replace(day=1)))):
            sums = rows.setdefault(key, [0, 0])
            sums[0] += amount
            sums[1] += entries
    for model, column, rows in ((BalanceDay, "day", days), (BalanceMonth, "month", months)):
        kept = sorted((k, v) for k, v in rows.items() if v[0] or v[1])
        if kept:
            _upsert(session, tenant_id, model, column, kept)


def _upsert(
    session: Session,
    tenant_id: uuid.UUID,
    model: Any,
    column: str,
    rows: list[tuple[tuple[uuid.UUID, date], list[int]]],
) -> None:
    table = model.__tablename__
    if on_postgres(session):
        session.execute(
            text(
                # table and column are this module's constants, never input
                f"INSERT INTO {table} (tenant_id, account_id, {column}, delta, entries) "  # noqa: S608
                "SELECT :tenant_id, a, d, v, n FROM unnest(CAST(:accounts AS uuid[]), "
                "CAST(:days AS date[]), CAST(:deltas AS bigint[]), CAST(:entries AS integer[])) "
                f"AS u(a, d, v, n) ON CONFLICT (tenant_id, account_id, {column}) DO UPDATE "
                f"SET delta = {table}.delta + excluded.delta, "
                f"entries = {table}.entries + excluded.entries"
            ),
            {
                "tenant_id": tenant_id,
                "accounts": [k[0] for k, _ in rows],
                "days": [k[1] for k, _ in rows],
                "deltas": [v[0] for _, v in rows],
                "entries": [v[1] for _, v in rows],
            },
        )
        return
    statement = sqlite.insert(model)
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "account_id", column],
        set_={
            "delta": model.delta + statement.excluded.delta,
            "entries": model.entries + statement.excluded.entries,
        },
    )
    session.execute(
        statement,
        [
            {"tenant_id": tenant_id, "account_id": a, column: d, "delta": v, "entries": n}
            for (a, d), (v, n) in rows
        ],
    )
