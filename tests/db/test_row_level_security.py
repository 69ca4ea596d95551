"""PostgreSQL row-level security: the second wall behind tenant-scoped repositories."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from fiscus.schema import RLS_TABLES, Base
from tests.support.builders import register
from tests.support.databases import APP_ROLE, MigratedDatabase


@pytest.fixture
def pg(database: MigratedDatabase) -> MigratedDatabase:
    if database.backend != "postgres":
        pytest.skip("row-level security is a PostgreSQL feature")
    return database


def _scope(conn: Connection, tenant: object = "", user: object = "") -> None:
    conn.execute(
        text("SELECT set_config('app.tenant_id', :t, true), set_config('app.user_id', :u, true)"),
        {"t": str(tenant), "u": str(user)},
    )


def _count(conn: Connection, table: str) -> int:
    return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_every_table_with_a_tenant_column_has_forced_rls(
    pg: MigratedDatabase, connection: Connection
) -> None:
    user_tables = {"auth_session"}  # belongs to a person; reached only through auth
    tenant_tables = {
        t.name
        for t in Base.metadata.tables.values()
        if "tenant_id" in t.c and t.name not in user_tables
    } | {"tenant"}
    assert tenant_tables == set(RLS_TABLES)
    rows = connection.execute(
        text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = ANY(:t)"
        ),
        {"t": list(RLS_TABLES)},
    ).all()
    assert {r.relname for r in rows if r.relrowsecurity and r.relforcerowsecurity} == set(
        RLS_TABLES
    )


def test_a_query_without_the_tenant_setting_sees_no_rows(
    pg: MigratedDatabase, client: TestClient, connection: Connection
) -> None:
    alice, bob = register(client, "Alice"), register(client, "Bob")
    _scope(connection)
    for table in RLS_TABLES:
        assert _count(connection, table) == 0, table
    _scope(connection, alice.tenant_id)
    assert _count(connection, "audit_event") > 0
    tenants = connection.execute(text("SELECT id FROM tenant")).scalars().all()
    assert [str(t) for t in tenants] == [str(alice.tenant_id)]
    events = connection.execute(text("SELECT DISTINCT tenant_id FROM audit_event")).scalars().all()
    assert [str(t) for t in events] == [str(alice.tenant_id)]
    assert str(bob.tenant_id) not in {str(t) for t in events}


def test_rows_of_another_tenant_cannot_be_written(
    pg: MigratedDatabase, client: TestClient, connection: Connection
) -> None:
    alice, bob = register(client, "Alice"), register(client, "Bob")
    _scope(connection, alice.tenant_id)
    renamed = connection.execute(
        text("UPDATE tenant SET name = 'Pwned' WHERE id = :id"), {"id": bob.tenant_id}
    )
    assert renamed.rowcount == 0
    with pytest.raises(DBAPIError, match="row-level security"), connection.begin_nested():
        connection.execute(
            text(
                "INSERT INTO membership (id, tenant_id, user_id, role, created_at) "
                "VALUES (gen_random_uuid(), :t, :u, 'owner', now())"
            ),
            {"t": bob.tenant_id, "u": alice.user_id},
        )


@pytest.mark.parametrize(
    "statement",
    [
        "SET row_security = off; SELECT count(*) FROM audit_event",
        "ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE job NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY job_tenant_isolation ON job",
        "SET ROLE postgres",
        "CREATE POLICY open_door ON job USING (true)",
    ],
)
def test_the_app_role_cannot_bypass_rls(
    pg: MigratedDatabase, client: TestClient, connection: Connection, statement: str
) -> None:
    register(client)
    _scope(connection)
    with pytest.raises(DBAPIError):
        _in_savepoint(connection, statement.split("; "))


def _in_savepoint(connection: Connection, statements: list[str]) -> None:
    with connection.begin_nested():
        for statement in statements:
            connection.execute(text(statement))


def test_the_app_role_is_neither_superuser_nor_bypassrls(
    pg: MigratedDatabase, connection: Connection
) -> None:
    row = connection.execute(
        text(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
    ).one()
    assert row.current_user == APP_ROLE
    assert not row.rolsuper
    assert not row.rolbypassrls
    owners = connection.execute(
        text(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname = 'public' AND tableowner = current_user"
        )
    ).scalar_one()
    assert owners == 0
