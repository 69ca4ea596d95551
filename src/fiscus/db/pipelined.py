"""Hot reads in one round trip: a read-only unit of work sent as one psycopg pipeline.

A read through a Session costs four round trips on PostgreSQL (BEGIN and the scope,
each statement, COMMIT) and SQLAlchemy's per-statement work around each. The hottest
endpoints (a balance, the account list) know every statement they need up front, so
`AsyncReads.read` sends `BEGIN READ ONLY`, the tenant scope, every statement (prepared
on the connection, `pipeline_wire.py`) and `COMMIT` in one pipeline, flushed once, on a
connection of an asyncio pool: one round trip, no ORM, no thread-pool hop, and the
statements' plans reused (measured in docs/performance.md, "Hot reads in one round trip").

Each read is a Core statement built once (its PostgreSQL text is compiled once, then
cached) and its parameters. Rows come back as plain tuples of the driver's values, so
callers convert what they read (`int(...)` of a sum that may be a `Decimal`).

Where no pool serves them (SQLite, an app whose lifespan is not running, or a session
factory bound to one connection, as in the tests' rolled-back transactions)
`pipelined_read` runs the same reads in an ordinary read-only unit of work, one
statement after another, with the same results.

The hottest write (a new entry) uses the same pool: `AsyncReads.write_unit` is one
read-write transaction on one connection in two round trips, its reads (`BEGIN`, the
scope, the reads) and then its writes with `COMMIT`, so the caller decides what to write
from what it read in between. It has no Session fallback: a caller without the pool
takes its ordinary Session path instead.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Select, TextClause, exc, make_url
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.orm import Session, sessionmaker

from fiscus.db.pipeline_wire import Rows as Rows
from fiscus.db.pipeline_wire import Statement, sent
from fiscus.db.session import bind_scope, unit_of_work

_PSYCOPG = PGDialect_psycopg()  # type: ignore[no-untyped-call]
_BEGIN = "BEGIN READ ONLY"
_BEGIN_WRITE = "BEGIN"
_COMMIT = Statement("COMMIT", None, False)
Statements = list[Statement]  # a pipeline's, in order
_SCOPE = "SELECT set_config('app.tenant_id', %s, true), set_config('app.user_id', %s, true)"
# The scope of a unit whose reads all have a good generic plan and one asks for it:
# PostgreSQL then plans none of them again (`Read.generic`).
_SCOPE_GENERIC = _SCOPE + ", set_config('plan_cache_mode', 'force_generic_plan', true)"


@dataclass(frozen=True, slots=True)
class Read:
    """One statement of a pipelined unit of work and the values of its parameters (a
    write's statements are text: their rows, if any, come from RETURNING).

    `postgresql` is the statement PostgreSQL runs instead, where it has a better one
    (same parameters, same rows). `generic` asks that the unit's statements run on their
    generic plans, planned once per connection: only for a unit whose every statement's
    generic plan is as good as a custom one (`ledger/register_pg.py`). `binary` asks for
    its rows in PostgreSQL's binary format (the same values; `pipeline_wire.Statement`).
    `generic` and `binary` apply to the asyncio pool's units only."""

    statement: Select[Any] | TextClause
    params: Mapping[str, Any]
    postgresql: Select[Any] | None = None
    generic: bool = False
    binary: bool = False

    @property
    def on_postgresql(self) -> Select[Any] | TextClause:
        return self.statement if self.postgresql is None else self.postgresql


def pipelined_read(
    factory: sessionmaker[Session],
    reads: Sequence[Read],
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID | None,
) -> list[Rows]:
    """The same reads in an ordinary read-only unit of work, one statement after another:
    where no asyncio pool serves them (SQLite, an app whose lifespan is not running, a
    session factory bound to one connection as in the tests' rolled-back transactions)."""
    with unit_of_work(factory, read_only=True) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=user_id)
        return [run_read(session, read) for read in reads]


def run_read(session: Session, read: Read) -> Rows:
    """One read in `session`'s unit of work, its rows as plain tuples (a repository's
    ordinary path for a statement it also sends pipelined)."""
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    statement = read.on_postgresql if postgresql else read.statement
    return [tuple(row) for row in connection.execute(statement, dict(read.params))]


def _unit(
    reads: Sequence[Read], tenant_id: uuid.UUID, user_id: uuid.UUID | None, *, begin: str = _BEGIN
) -> Statements:
    """The statements of the whole unit of work: BEGIN, the scope, each read (as PostgreSQL
    runs it), COMMIT. Rows of the reads are the results from the third to the last but
    one."""
    scope = (str(tenant_id), str(user_id or ""))
    statements = [
        Statement(_sql(read.on_postgresql), _params(read), True, read.binary) for read in reads
    ]
    scoped = _SCOPE_GENERIC if any(read.generic for read in reads) else _SCOPE
    return [Statement(begin, None, False), Statement(scoped, scope, True), *statements, _COMMIT]


def _reported(error: psycopg.Error, reads: Sequence[Read]) -> exc.StatementError:
    """The driver's error as SQLAlchemy reports it on every other path (ProgrammingError,
    OperationalError, ...), without the parameters."""
    return exc.DBAPIError.instance(
        "; ".join(_sql(read.on_postgresql) for read in reads),
        None,
        error,
        psycopg.Error,
        dialect=_PSYCOPG,
        hide_parameters=True,
    )


class AsyncReads:
    """The pipelined units of work without a thread: a small pool of asyncio psycopg
    connections of its own (one per server process, opened and closed by the app's
    lifespan), so a hot read (or the hot write's `write_unit`) is awaited on the event
    loop instead of taking a thread-pool hop (~0.15 ms of CPU per request,
    docs/performance.md)."""

    def __init__(self, database_url: str, size: int = 8) -> None:
        self._conninfo = _conninfo(database_url)
        self._size = size
        self._pool: AsyncConnectionPool | None = None
        # The database's text encoding as the first connection reported it (None before):
        # the audit link is hashed in SQL only on UTF-8 (`audit/repository.link_one`).
        self.utf8: bool | None = None

    @property
    def ready(self) -> bool:
        return self._pool is not None

    async def open(self) -> None:
        """A new pool on the running event loop (an app may live through several)."""
        pool = AsyncConnectionPool(
            self._conninfo,
            min_size=1,
            max_size=self._size,
            # psycopg prepares nothing here (`pipeline_wire.sent` does): it would deallocate
            # every statement, ours too, after a rollback.
            kwargs={"autocommit": True, "prepare_threshold": None},
            configure=self._configure,
            open=False,
        )
        await pool.open(wait=False)
        self._pool = pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    def served(self) -> int:
        """How many units of work the pool has served (its connection requests)."""
        return 0 if self._pool is None else int(self._pool.get_stats().get("requests_num", 0))

    async def read(
        self, reads: Sequence[Read], *, tenant_id: uuid.UUID, user_id: uuid.UUID | None
    ) -> list[Rows]:
        """As `pipelined_read`. A failed or cancelled unit is rolled back (or its
        connection dropped) by the pool when the connection comes back to it."""
        if self._pool is None:
            raise RuntimeError("the asyncio pool is not open")
        try:
            async with self._pool.connection() as conn:
                return (await sent(conn, _unit(reads, tenant_id, user_id)))[2:-1]
        except psycopg.Error as error:
            raise _reported(error, reads) from error

    async def _configure(self, conn: psycopg.AsyncConnection[Any]) -> None:
        await _in_utc(conn)
        self.utf8 = conn.info.parameter_status("server_encoding") == "UTF8"

    @contextlib.asynccontextmanager
    async def write_unit(
        self, *, tenant_id: uuid.UUID, user_id: uuid.UUID | None
    ) -> AsyncIterator[WriteUnit]:
        """A read-write unit of work on one connection of the pool, in two round trips:
        `WriteUnit.read` (BEGIN, the scope and the reads), then `WriteUnit.commit` (the
        writes and COMMIT). Left without a commit (an error, a decision not to write) it
        is rolled back."""
        if self._pool is None:
            raise RuntimeError("the asyncio pool is not open")
        async with self._pool.connection() as conn:
            unit = WriteUnit(conn, tenant_id, user_id)
            try:
                yield unit
            finally:
                if not unit.ended and not conn.closed:
                    await conn.rollback()  # (the pool would, with a warning in the log)


class WriteUnit:
    """See `AsyncReads.write_unit`."""

    def __init__(
        self, conn: psycopg.AsyncConnection[Any], tenant_id: uuid.UUID, user_id: uuid.UUID | None
    ) -> None:
        self._conn = conn
        self._scope = (tenant_id, user_id)
        self.ended = False

    async def read(self, reads: Sequence[Read]) -> list[Rows]:
        """BEGIN, the scope and `reads` in one round trip: the rows of each read."""
        unit = _unit(reads, *self._scope, begin=_BEGIN_WRITE)[:-1]  # no COMMIT yet
        try:
            return (await sent(self._conn, unit))[2:]
        except psycopg.Error as error:
            raise _reported(error, reads) from error

    async def commit(self, writes: Sequence[Read]) -> list[Rows]:
        """`writes` and COMMIT in one round trip: the rows each returned (RETURNING; none
        for the others). A statement that fails aborts the rest: nothing is committed."""
        self.ended = True
        statements = [Statement(_sql(w.statement), _params(w), True) for w in writes]
        try:
            return (await sent(self._conn, [*statements, _COMMIT]))[:-1]
        except psycopg.Error as error:
            if not self._conn.closed:
                await self._conn.rollback()
            raise _reported(error, writes) from error


def _conninfo(database_url: str) -> str:
    """libpq's connection string of a SQLAlchemy URL, its query (e.g. `options`) included:
    the URL's own rendering quotes a space as '+', which libpq does not read back."""
    url = make_url(database_url)
    parts = url.translate_connect_args(username="user", database="dbname")
    query = {
        key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()
    }
    return make_conninfo("", **{**query, **parts})


async def _in_utc(conn: psycopg.AsyncConnection[Any]) -> None:
    """Timestamps come back as the driver reads them, in the connection's time zone; the
    Session's `UTCDateTime` turns them to UTC, so these connections read UTC too.

    Every unit here is a few small statements, so no JIT and no parallel workers: a
    generic plan (`Read.generic`) is costed for the rows an unknown parameter might
    match, and PostgreSQL would compile or parallelise a page of 50 rows for that."""
    await conn.execute("SET TIME ZONE 'UTC'")
    await conn.execute("SET jit = off")
    await conn.execute("SET max_parallel_workers_per_gather = 0")


@functools.lru_cache(maxsize=256)
def _compiled(statement: Select[Any] | TextClause) -> Any:
    return statement.compile(dialect=_PSYCOPG)


def _sql(statement: Select[Any] | TextClause) -> str:
    return str(_compiled(statement))


def _params(read: Read) -> dict[str, Any]:
    """The statement's own constants (e.g. a COALESCE's 0) overlaid with the read's values."""
    return {**_compiled(read.on_postgresql).params, **read.params}
