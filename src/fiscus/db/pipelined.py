"""Hot reads in one round trip: a read-only unit of work sent as one psycopg pipeline.

A read through a Session costs four round trips on PostgreSQL (BEGIN and the scope,
each statement, COMMIT) and SQLAlchemy's per-statement work around each. The hottest
endpoints (a balance, the account list) know every statement they need up front, so
`pipelined_read` sends `BEGIN READ ONLY`, the tenant scope, every statement (prepared on
the connection by psycopg) and `COMMIT` in one pipeline on a pooled connection: one
round trip, no ORM, and the statements' plans reused (measured in docs/performance.md,
"Hot reads in one round trip").

Each read is a Core statement built once (its PostgreSQL text is compiled once, then
cached) and its parameters. Rows come back as plain tuples of the driver's values, so
callers convert what they read (`int(...)` of a sum that may be a `Decimal`).

Where no engine of its own is at hand (SQLite, or a session factory bound to one
connection, as in the tests' rolled-back transactions) the same reads run in an ordinary
read-only unit of work, one statement after another, with the same results.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, exc
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.orm import Session, sessionmaker

from fiscus.db.session import bind_scope, end_unit_of_work, open_session

Rows = list[tuple[Any, ...]]

_PSYCOPG = PGDialect_psycopg()  # type: ignore[no-untyped-call]
_BEGIN = "BEGIN READ ONLY"
_SCOPE = "SELECT set_config('app.tenant_id', %s, true), set_config('app.user_id', %s, true)"


@dataclass(frozen=True, slots=True)
class Read:
    """One statement of a pipelined read and the values of its parameters."""

    statement: Select[Any]
    params: Mapping[str, Any]


def pipelined_read(
    factory: sessionmaker[Session],
    reads: Sequence[Read],
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID | None,
) -> list[Rows]:
    """Every read's rows, all read in one read-only transaction scoped to `tenant_id`."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        return _in_one_round_trip(bind, reads, tenant_id, user_id)
    return _in_a_session(factory, reads, tenant_id, user_id)


def _in_one_round_trip(
    engine: Engine, reads: Sequence[Read], tenant_id: uuid.UUID, user_id: uuid.UUID | None
) -> list[Rows]:
    pooled = engine.raw_connection()
    driver = pooled.driver_connection
    assert driver is not None
    try:
        with driver.pipeline():
            driver.execute(_BEGIN, prepare=False)
            driver.execute(_SCOPE, (str(tenant_id), str(user_id or "")), prepare=True)
            cursors = [
                driver.execute(_sql(read.statement), _params(read), prepare=True) for read in reads
            ]
            driver.execute("COMMIT", prepare=False)
        return [cursor.fetchall() for cursor in cursors]
    except engine.dialect.loaded_dbapi.Error as error:
        _end_failed(pooled, driver)
        # As SQLAlchemy reports a driver's error on any other path (ProgrammingError, …)
        raise exc.DBAPIError.instance(
            "; ".join(_sql(read.statement) for read in reads),
            None,
            error,
            engine.dialect.loaded_dbapi.Error,
            dialect=engine.dialect,
            hide_parameters=True,
        ) from error
    except BaseException:
        _end_failed(pooled, driver)
        raise
    finally:
        pooled.close()


def _end_failed(pooled: Any, driver: Any) -> None:
    """A failed pipeline leaves its transaction aborted: end it, or drop the connection."""
    try:
        driver.rollback()
    except Exception:
        pooled.invalidate()


def _in_a_session(
    factory: sessionmaker[Session],
    reads: Sequence[Read],
    tenant_id: uuid.UUID,
    user_id: uuid.UUID | None,
) -> list[Rows]:
    session = open_session(factory, read_only=True)
    try:
        bind_scope(session, tenant_id=tenant_id, user_id=user_id)
        connection = session.connection()
        rows = [
            [tuple(row) for row in connection.execute(read.statement, dict(read.params))]
            for read in reads
        ]
    except BaseException as error:
        end_unit_of_work(session, error)
        raise
    end_unit_of_work(session, None)
    return rows


@functools.lru_cache(maxsize=256)
def _compiled(statement: Select[Any]) -> Any:
    return statement.compile(dialect=_PSYCOPG)


def _sql(statement: Select[Any]) -> str:
    return str(_compiled(statement))


def _params(read: Read) -> dict[str, Any]:
    """The statement's own constants (e.g. a COALESCE's 0) overlaid with the read's values."""
    return {**_compiled(read.statement).params, **read.params}
