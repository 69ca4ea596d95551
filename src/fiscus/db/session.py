"""Engines and sessions.

SQLite gets foreign keys and WAL on every connection, plus SQLAlchemy's documented
pysqlite work-around (emit BEGIN ourselves) so SAVEPOINTs behave; we emit BEGIN
IMMEDIATE, so concurrent writers queue (busy timeout) instead of deadlocking. On PostgreSQL every
transaction of a tenant-bound session starts with `set_config('app.tenant_id', ..., true)`
so row-level security sees the tenant.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from fiscus.core.errors import DomainError

_TENANT_KEY = "tenant_id"
READ_ONLY = "fiscus_read_only"  # execution option: this unit of work does not write
_USER_KEY = "user_id"


def make_engine(url: str, **kwargs: Any) -> Engine:
    kwargs.setdefault("hide_parameters", True)  # bound values may be secrets: never log them
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_engine(url, **kwargs)


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


@event.listens_for(Session, "after_begin")
def _apply_scope(session: Session, _tx: SessionTransaction, connection: Any) -> None:
    # Nothing bound yet (a request before authentication): the settings are transaction-
    # local, so a new transaction already reads them as unset, which the policies treat
    # exactly like '' (NULLIF(current_setting(...), '')). Skip the round trip.
    if connection.dialect.name == "postgresql" and (
        session.info.get(_TENANT_KEY) or session.info.get(_USER_KEY)
    ):
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
