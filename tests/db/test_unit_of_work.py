"""Transactions as the app runs them (engine-bound sessions, not the test suite's savepoints).

On PostgreSQL psycopg runs in autocommit mode and `fiscus.db.session` emits BEGIN itself
(merged with the scope's set_config for sessions): these tests pin that a unit of work is
still one atomic transaction, that the scope covers all of it, that a connection with its
own isolation level is left alone, and that a connection which died while idle in the
pool is replaced instead of failing the next request.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from psycopg import pq
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from fiscus.db import session as db_session
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from tests.support.databases import MigratedDatabase


@pytest.fixture
def owner(committed: MigratedDatabase) -> Iterator[Engine]:
    """The table owner's engine with a scratch table (no RLS on it)."""
    engine = make_engine(committed.admin_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS uow_scratch"))
        conn.execute(text("CREATE TABLE uow_scratch (n integer NOT NULL)"))
    yield engine
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE uow_scratch"))
    engine.dispose()


def _rows(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT n FROM uow_scratch ORDER BY n")))


def _postgres(committed: MigratedDatabase) -> None:
    if committed.backend != "postgres":
        pytest.skip("the emitted BEGIN and the pool ping are PostgreSQL's")


class Failed(RuntimeError):
    """Raised by a unit of work after its writes, to see them rolled back."""


def _write_then_fail(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.execute(text("INSERT INTO uow_scratch VALUES (1)"))
        session.execute(text("INSERT INTO uow_scratch VALUES (2)"))
        raise Failed()


def _core_write_then_fail(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO uow_scratch VALUES (1)"))
        raise Failed()


def _driver_write_then_fail(factory: sessionmaker[Session], *, scoped: bool) -> None:
    with unit_of_work(factory) as session:
        if scoped:
            bind_scope(session, tenant_id=uuid.uuid4(), user_id=None)
        driver = session.connection().connection.driver_connection
        assert driver is not None
        assert driver.info.transaction_status == pq.TransactionStatus.INTRANS
        driver.execute("INSERT INTO uow_scratch VALUES (7)")
        raise Failed()


def test_a_unit_of_work_commits_all_or_nothing(owner: Engine) -> None:
    factory = make_session_factory(owner)
    with pytest.raises(Failed):
        _write_then_fail(factory)
    assert _rows(owner) == []
    with unit_of_work(factory) as session:
        session.execute(text("INSERT INTO uow_scratch VALUES (3)"))
        session.execute(text("INSERT INTO uow_scratch VALUES (4)"))
    assert _rows(owner) == [3, 4]


def test_a_core_transaction_is_atomic(owner: Engine) -> None:
    with pytest.raises(Failed):
        _core_write_then_fail(owner)
    assert _rows(owner) == []


def test_the_scope_and_the_snapshot_cover_every_statement(
    committed: MigratedDatabase, owner: Engine
) -> None:
    _postgres(committed)
    tenant, user = uuid.uuid4(), uuid.uuid4()
    with unit_of_work(make_session_factory(owner), read_only=True) as session:
        bind_scope(session, tenant_id=tenant, user_id=user)
        first = session.execute(
            text("SELECT current_setting('app.tenant_id'), current_setting('app.user_id'), now()")
        ).one()
        time.sleep(0.01)
        second = session.execute(text("SELECT current_setting('app.tenant_id'), now()")).one()
    assert (first[0], first[1]) == (str(tenant), str(user))
    assert second == (str(tenant), first[2])  # now() is the transaction's start: one transaction
    with owner.connect() as conn:  # transaction-local: nothing leaks to the pooled connection
        assert conn.scalar(text("SELECT current_setting('app.tenant_id', true)")) in ("", None)


def test_raw_driver_use_after_session_connection_is_inside_the_transaction(
    committed: MigratedDatabase, owner: Engine
) -> None:
    _postgres(committed)
    factory = make_session_factory(owner)
    for scoped in (False, True):
        with pytest.raises(Failed):
            _driver_write_then_fail(factory, scoped=scoped)
    assert _rows(owner) == []


def test_a_connection_with_its_own_isolation_level_is_not_begun(
    committed: MigratedDatabase, owner: Engine
) -> None:
    _postgres(committed)
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM uow_scratch"))  # refused inside a transaction block
    with owner.connect().execution_options(isolation_level="SERIALIZABLE") as conn:
        level = conn.scalar(text("SHOW transaction_isolation"))
        conn.rollback()
    assert level == "serializable"


def test_a_connection_that_died_idle_in_the_pool_is_replaced(
    committed: MigratedDatabase, owner: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _postgres(committed)
    monkeypatch.setattr(db_session, "IDLE_PING_SECONDS", 0.0)
    engine = make_engine(committed.admin_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            before = conn.scalar(text("SELECT pg_backend_pid()"))
        with owner.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": before})
            admin.commit()
        time.sleep(0.2)
        with Session(engine) as session:
            after = session.scalar(text("SELECT pg_backend_pid()"))
        assert after is not None
        assert after != before
    finally:
        engine.dispose()
