"""Migration 0020 on books that exist: down to 0019 and up again keeps every row and the
search, and each direction leaves the keys it says (composite ones at 0020, the
single-column ones at 0019), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from fiscus.db.session import make_engine
from tests.imports.helpers import bank_account, commit, csv_file, upload
from tests.support.builders import register
from tests.support.migrations import downgrade, login_token, scratch_database, served, upgrade


def _keys(url: str) -> dict[str, set[tuple[tuple[str, ...], str]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            return {
                table: {
                    (tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in found.get_foreign_keys(table)
                }
                for table in ("posting", "import_line")
            }
    finally:
        engine.dispose()


def _counts(url: str) -> tuple[int, ...]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET row_security = off"))  # the owner, a superuser
            return tuple(
                int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("ledger_transaction", "posting", "import_line", "bank_import")
            )
    finally:
        engine.dispose()


def _searched(client: TestClient, headers: dict[str, str]) -> list[str]:
    found = client.get("/api/v1/transactions", params={"q": "coffee"}, headers=headers)
    assert found.status_code == 200, found.text
    return sorted(item["description"] for item in found.json()["items"])


COMPOSITE = {
    "posting": {
        (("tenant_id", "transaction_id"), "ledger_transaction"),
        (("tenant_id", "account_id"), "account"),
    },
    "import_line": {(("tenant_id", "import_id"), "bank_import")},
}
SINGLE = {
    "posting": {
        (("tenant_id",), "tenant"),
        (("transaction_id",), "ledger_transaction"),
        (("account_id",), "account"),
    },
    "import_line": {(("tenant_id",), "tenant"), (("import_id",), "bank_import")},
}


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_down_and_up_again_keeps_the_books(backend: str, tmp_path: Path) -> None:
    with scratch_database(backend, tmp_path) as (db, settings):
        with served(settings) as client:
            owner = register(client)
            account = bank_account(client, owner)
            rows = [
                ("01/03/2025", "Coffee corner", "-4.50", "r1"),
                ("02/03/2025", "Salary", "1000.00", "r2"),
                ("03/03/2025", "COFFEE BEANS", "-12.00", "r3"),
            ]
            imported = upload(client, owner, account, csv_file(rows))
            commit(client, owner, imported["id"])
            searched = _searched(client, owner.headers)
            assert searched == ["COFFEE BEANS", "Coffee corner"]
        before = _counts(db.admin_url)
        assert before[:3] == (3, 6, 3)
        assert _keys(db.admin_url) == COMPOSITE
        downgrade(db, "0019")
        assert _keys(db.admin_url) == SINGLE
        assert _counts(db.admin_url) == before
        upgrade(db)
        assert _keys(db.admin_url) == COMPOSITE
        assert _counts(db.admin_url) == before
        with served(settings) as client:
            token = login_token(client, owner.email, owner.password)
            assert _searched(client, {"Authorization": f"Bearer {token}"}) == searched
