"""Engines and sessions.

SQLite gets foreign keys and WAL on every connection, plus SQLAlchemy's documented
pysqlite work-around (emit BEGIN ourselves) so SAVEPOINTs behave; we emit BEGIN
IMMEDIATE, so concurrent writers queue (busy timeout) instead of deadlocking. On PostgreSQL every
transaction of a tenant-bound session starts with `set_config('app.tenant_id', ..., true)`
so row-level security sees the tenant.

PostgreSQL round trips (measured in docs/performance.md, "Round trips"): psycopg runs in
autocommit mode and we emit BEGIN ourselves, like the SQLite work-around, so a session's
BEGIN and its `set_config` travel as one simple-protocol query; a transaction that
executes nothing sends nothing (its COMMIT is a no-op in the driver). A Core connection
outside a session sends its BEGIN just before its first statement through SQLAlchemy (so
raw driver use must follow a statement, as every COPY in the code base does). There is no
pre-ping per checkout: a connection idle longer than `IDLE_PING_SECONDS` is pinged (an
empty query) and replaced if dead; a connection that died while busy fails its request
once, and SQLAlchemy then invalidates the whole pool.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from fiscus.core.errors import DomainError

_TENANT_KEY = "tenant_id"
READ_ONLY = "fiscus_read_only"  # execution option: this unit of work does not write
_USER_KEY = "user_id"
_PENDING_BEGIN = "fiscus_pending_begin"  # connection info: BEGIN not sent yet
_IDLE_SINCE = "fiscus_idle_since"  # connection record info: monotonic time of checkin
IDLE_PING_SECONDS = 10.0


def make_engine(url: str, **kwargs: Any) -> Engine:
    kwargs.setdefault("hide_parameters", True)  # bound values may be secrets: never log them
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("pool_recycle", 1800)
    # An engine asked for an isolation level (an AUTOCOMMIT admin engine) keeps psycopg's
    # own transaction handling; every other one gets the BEGIN we emit (see module doc).
    emit_begin = "isolation_level" not in kwargs
    if emit_begin:
        kwargs["isolation_level"] = "AUTOCOMMIT"
    engine = create_engine(url, **kwargs)
    _ping_idle_connections(engine)
    if emit_begin:
        _emit_postgres_begin(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()
        record.info.pop(_PENDING_BEGIN, None)

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return  # just opened, or busy a moment ago: no round trip
        try:
            dbapi_connection.execute("")  # an empty query: the cheapest round trip
        except Exception as error:
            raise exc.DisconnectionError() from error  # the pool retries with a new one


def _emit_postgres_begin(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A connection given its own isolation level (execution option) is psycopg's to
        # begin; AUTOCOMMIT ones must not begin at all.
        if "isolation_level" not in conn.get_execution_options():
            conn.info[_PENDING_BEGIN] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn: Connection, *_args: Any) -> None:
        if conn.info.pop(_PENDING_BEGIN, False):
            _driver(conn).execute("BEGIN")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn: Connection) -> None:
        conn.info.pop(_PENDING_BEGIN, None)  # nothing was sent: nothing to end


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")  # writers queue; see _on_begin
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front. With a deferred BEGIN, two transactions
        # that read and then write (the audit chain head, a job row) deadlock, and SQLite
        # fails one at once with "database is locked" instead of letting it wait. Units of
        # work that only read say so (READ_ONLY) and run concurrently under WAL.
        deferred = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


_SCOPE_SQL = text(
    "SELECT set_config('app.tenant_id', :t, true), set_config('app.user_id', :u, true)"
)


def _scope_params(session: Session) -> dict[str, str]:
    tenant_id = session.info.get(_TENANT_KEY)
    user_id = session.info.get(_USER_KEY)
    return {"t": str(tenant_id) if tenant_id else "", "u": str(user_id) if user_id else ""}


def _scope_literal_sql(session: Session) -> str:
    """BEGIN and the scope as one simple-protocol query (no bind parameters there). The
    values are UUIDs rendered by `uuid.UUID`: hex digits and dashes only."""
    values = []
    for key in (_TENANT_KEY, _USER_KEY):
        value = session.info.get(key)
        values.append(str(uuid.UUID(str(value))) if value else "")
    return (
        f"BEGIN; SELECT set_config('app.tenant_id', '{values[0]}', true), "
        f"set_config('app.user_id', '{values[1]}', true)"
    )


@event.listens_for(Session, "after_begin")
def _apply_scope(session: Session, _tx: SessionTransaction, connection: Any) -> None:
    # Nothing bound yet (a request before authentication): the settings are transaction-
    # local, so a new transaction already reads them as unset, which the policies treat
    # exactly like '' (NULLIF(current_setting(...), '')). Skip the set_config.
    if connection.dialect.name != "postgresql":
        return
    scoped = bool(session.info.get(_TENANT_KEY) or session.info.get(_USER_KEY))
    if connection.info.pop(_PENDING_BEGIN, False):
        # Sent now, not deferred: raw driver use right after session.connection() (COPY)
        # must already be inside the transaction.
        _driver(connection).execute(_scope_literal_sql(session) if scoped else "BEGIN")
    elif scoped:
        connection.execute(_SCOPE_SQL, _scope_params(session))


def bind_scope(session: Session, *, tenant_id: uuid.UUID | None, user_id: uuid.UUID | None) -> None:
    """Point the session at a tenant (and user) for row-level security, now and later."""
    session.info[_TENANT_KEY] = tenant_id
    session.info[_USER_KEY] = user_id
    if session.in_transaction() and session.connection().dialect.name == "postgresql":
        session.execute(_SCOPE_SQL, _scope_params(session))


def scoped_tenant(session: Session) -> uuid.UUID | None:
    value = session.info.get(_TENANT_KEY)
    return value if isinstance(value, uuid.UUID) else None


@functools.lru_cache(maxsize=16)
def _read_only_bind(engine: Engine) -> Engine:
    return engine.execution_options(**{READ_ONLY: True})


def open_session(factory: sessionmaker[Session], *, read_only: bool = False) -> Session:
    """A new session, without I/O: it checks out a connection on first use.

    `read_only` is a promise that lets SQLite run the transaction without the write lock
    (its connection carries the READ_ONLY execution option).
    """
    bind = factory.kw.get("bind")
    if read_only and isinstance(bind, Engine):
        return factory(bind=_read_only_bind(bind))
    return factory()


def end_unit_of_work(session: Session, error: BaseException | None) -> None:
    """Commit on success, roll back on an error (a domain error that keeps its changes
    commits them), and close the session either way."""
    try:
        if error is None or (isinstance(error, DomainError) and error.keeps_changes):
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, read_only: bool = False) -> Iterator[Session]:
    """One commit per unit of work: commit on success, roll back on any error."""
    session = open_session(factory, read_only=read_only)
    try:
        yield session
    except BaseException as exc:
        end_unit_of_work(session, exc)
        raise
    end_unit_of_work(session, None)
