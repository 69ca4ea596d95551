"""Tampering with committed audit events is detected by the API and the CLI verifier.

The data must really be committed, so this module runs the app on a throw-away database
of its own (SQLite file and PostgreSQL). The tampering is done as the table owner; on
PostgreSQL only a superuser in `session_replication_role = replica` gets past the
append-only trigger, and the tests below prove that nobody else does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, Executable, Table, delete, exc, text, update
from typer.testing import CliRunner

from fiscus import cli
from fiscus.audit.models import AuditEvent
from fiscus.audit.repository import AuditRepository
from fiscus.audit.service import verify_chain
from fiscus.config import Settings, get_settings
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.main import create_app
from tests.audit.helpers import verify
from tests.support.builders import Account, register
from tests.support.databases import MigratedDatabase

EVENTS = cast(Table, AuditEvent.__table__)
CHAIN_LENGTH = 8  # register (3 events) + 5 renames


@pytest.fixture(scope="module")
def live(
    committed: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The real app on the committed database: every request commits."""
    settings = Settings(
        database_url=committed.app_url, var_dir=tmp_path_factory.mktemp("var"), env="test"
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def owner_engine(committed: MigratedDatabase) -> Iterator[Engine]:
    engine = make_engine(committed.admin_url)
    yield engine
    engine.dispose()


@pytest.fixture
def alice(live: TestClient) -> Account:
    """A fresh tenant whose chain holds CHAIN_LENGTH committed events."""
    account = register(live, "Alice")
    for number in range(1, CHAIN_LENGTH - 2):
        response = live.patch(
            f"/api/v1/tenants/{account.tenant_id}",
            json={"name": f"Rename {number}"},
            headers=account.headers,
        )
        assert response.status_code == 200, response.text
    assert verify(live, account)["events_checked"] == CHAIN_LENGTH
    return account


def tamper(engine: Engine, change: Callable[[Connection], Any]) -> None:
    """Change committed events as the owner, bypassing the trigger on PostgreSQL."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        change(conn)


def _of(tenant_id: uuid.UUID, *seqs: int) -> Any:
    return (EVENTS.c.tenant_id == tenant_id) & EVENTS.c.seq.in_(seqs)


def edit_field(tenant_id: uuid.UUID) -> Callable[[Connection], Any]:
    return lambda conn: conn.execute(
        update(EVENTS).where(_of(tenant_id, 5)).values(after='{"name":"Mallory"}')
    )


def delete_row(tenant_id: uuid.UUID) -> Callable[[Connection], Any]:
    return lambda conn: conn.execute(delete(EVENTS).where(_of(tenant_id, 4)))


def swap_rows(tenant_id: uuid.UUID) -> Callable[[Connection], Any]:
    def change(conn: Connection) -> None:
        for old, new in ((3, -3), (6, 3), (-3, 6)):  # via -3: (tenant_id, seq) is unique
            conn.execute(update(EVENTS).where(_of(tenant_id, old)).values(seq=new))

    return change


def truncate_tail(tenant_id: uuid.UUID) -> Callable[[Connection], Any]:
    return lambda conn: conn.execute(delete(EVENTS).where(_of(tenant_id, 6, 7, 8)))


# Only PostgreSQL: roles, the trigger, and writers committing while the verifier reads (on
# SQLite a transaction holds the one write lock, so nothing commits meanwhile).
on_postgres = pytest.mark.parametrize("committed", ["postgres"], indirect=True)

TAMPERING = {
    # kind: (how, first broken seq); events_checked is always first broken seq - 1
    "edit a field": (edit_field, 5),
    "delete a row": (delete_row, 4),
    "swap two rows": (swap_rows, 3),
    "truncate the tail": (truncate_tail, 6),
}


def cli_verify(url: str, tenant_id: uuid.UUID, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`fiscus audit verify --tenant <id>` against `url` (settings are cached: reset them)."""
    with monkeypatch.context() as patch:
        patch.setenv("FISCUS_DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(cli.app, ["audit", "verify", "--tenant", str(tenant_id)])
        finally:
            get_settings.cache_clear()


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_verifier_names_the_first_broken_link(
    kind: str,
    live: TestClient,
    committed: MigratedDatabase,
    owner_engine: Engine,
    alice: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    how, broken_seq = TAMPERING[kind]
    untouched = register(live, "Bob")
    intact = cli_verify(committed.app_url, alice.tenant_id, monkeypatch)
    assert intact.exit_code == 0, intact.output
    assert f"valid=true events_checked={CHAIN_LENGTH} first_broken_seq=None" in intact.output

    tamper(owner_engine, how(alice.tenant_id))

    report = verify(live, alice)
    assert (report["valid"], report["first_broken_seq"]) == (False, broken_seq)
    assert report["events_checked"] == broken_seq - 1
    assert report["reason"]
    result = cli_verify(committed.app_url, alice.tenant_id, monkeypatch)
    assert result.exit_code == 1, result.output
    assert f"valid=false events_checked={broken_seq - 1} first_broken_seq={broken_seq}" in (
        result.output
    )
    # Another tenant's chain is not affected.
    assert verify(live, untouched)["valid"] is True


def test_a_new_event_after_tampering_does_not_hide_it(
    live: TestClient, owner_engine: Engine, alice: Account
) -> None:
    tamper(owner_engine, truncate_tail(alice.tenant_id))
    response = live.patch(
        f"/api/v1/tenants/{alice.tenant_id}", json={"name": "Cover-up"}, headers=alice.headers
    )
    assert response.status_code == 200

    report = verify(live, alice)

    assert (report["valid"], report["first_broken_seq"]) == (False, 6)


@on_postgres
@pytest.mark.parametrize("moment", ["after the head is read", "after the events are read"])
def test_events_appended_during_verification_are_no_false_alarm(
    moment: str,
    live: TestClient,
    committed: MigratedDatabase,
    alice: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A writer may commit while the verifier reads (READ COMMITTED)."""
    read_head, read_chain = AuditRepository.head, AuditRepository.chain

    def append() -> None:
        response = live.patch(
            f"/api/v1/tenants/{alice.tenant_id}",
            json={"name": "Meanwhile"},
            headers=alice.headers,
        )
        assert response.status_code == 200

    def head_then_append(self: AuditRepository) -> Any:
        head = read_head(self)
        if moment == "after the head is read":
            append()
        return head

    def chain_then_append(self: AuditRepository, batch_size: int = 1000) -> Iterator[Any]:
        rows = list(read_chain(self, batch_size))
        if moment == "after the events are read":
            append()
        yield from rows

    monkeypatch.setattr(AuditRepository, "head", head_then_append)
    monkeypatch.setattr(AuditRepository, "chain", chain_then_append)
    engine = make_engine(committed.app_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            bind_scope(session, tenant_id=alice.tenant_id, user_id=None)
            report = verify_chain(session, alice.tenant_id)
    finally:
        engine.dispose()

    assert (report.valid, report.first_broken_seq, report.reason) == (True, None, None)
    assert report.events_checked in (CHAIN_LENGTH, CHAIN_LENGTH + 1)
    monkeypatch.undo()
    assert verify(live, alice)["events_checked"] == CHAIN_LENGTH + 1


# PostgreSQL: the database itself refuses to change the trail.


def refused_for_app_role(
    db: MigratedDatabase, tenant_id: uuid.UUID, statement: Executable
) -> exc.DBAPIError:
    """Run `statement` as the app role inside the tenant; return the error it must raise."""
    engine = make_engine(db.app_url)
    try:
        with engine.connect() as conn:
            conn.execute(
                text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
            with pytest.raises(exc.DBAPIError) as error:
                conn.execute(statement)
            conn.rollback()
    finally:
        engine.dispose()
    return error.value


APP_ROLE_STATEMENTS: dict[str, Callable[[uuid.UUID], Executable]] = {
    "update": lambda t: update(EVENTS).where(EVENTS.c.tenant_id == t).values(action="x"),
    "delete": lambda t: delete(EVENTS).where(EVENTS.c.tenant_id == t),
    "truncate": lambda t: text("TRUNCATE audit_event"),
}


@on_postgres
@pytest.mark.parametrize("statement", list(APP_ROLE_STATEMENTS))
def test_app_role_may_not_update_delete_or_truncate_events(
    statement: str, committed: MigratedDatabase, live: TestClient, alice: Account
) -> None:
    error = refused_for_app_role(
        committed, alice.tenant_id, APP_ROLE_STATEMENTS[statement](alice.tenant_id)
    )

    assert isinstance(error, exc.ProgrammingError)
    assert "permission denied for table audit_event" in str(error.orig)
    assert verify(live, alice)["valid"] is True


@on_postgres
@pytest.mark.parametrize("statement", list(APP_ROLE_STATEMENTS))
def test_even_the_owner_is_stopped_by_the_append_only_trigger(
    statement: str,
    committed: MigratedDatabase,
    live: TestClient,
    owner_engine: Engine,
    alice: Account,
) -> None:
    with owner_engine.connect() as conn:
        with pytest.raises(exc.DBAPIError) as error:
            conn.execute(APP_ROLE_STATEMENTS[statement](alice.tenant_id))
        conn.rollback()

    assert f"audit_event is append-only: {statement.upper()} refused" in str(error.value.orig)
    report = verify(live, alice)
    assert (report["valid"], report["events_checked"]) == (True, CHAIN_LENGTH)


HEAD_STATEMENTS: dict[str, str] = {
    "move the head back": "UPDATE audit_chain_head SET seq = seq - 1 WHERE tenant_id = :t",
    "rewrite the head in place": "UPDATE audit_chain_head SET hash = 'x' WHERE tenant_id = :t",
    "delete the head": "DELETE FROM audit_chain_head WHERE tenant_id = :t",
}


@on_postgres
@pytest.mark.parametrize("statement", list(HEAD_STATEMENTS))
def test_app_role_cannot_hide_a_cut_tail_by_moving_the_head(
    statement: str, committed: MigratedDatabase, live: TestClient, alice: Account
) -> None:
    statement_sql = text(HEAD_STATEMENTS[statement]).bindparams(t=str(alice.tenant_id))
    refused_for_app_role(committed, alice.tenant_id, statement_sql)
    assert verify(live, alice)["valid"] is True
