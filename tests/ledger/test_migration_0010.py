"""Migration 0010 counts the entries of existing snapshot rows, so register totals read
from the counts agree with the rows listed straight after an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.db.migrate import alembic_config
from fiscus.main import create_app
from tests.support.builders import register
from tests.support.databases import APP_ROLE, create_database, drop_database
from tests.support.services import require_service


def _post_books(client: TestClient, headers: dict[str, str]) -> str:
    def account(name: str, type_: str) -> str:
        made = client.post("/api/v1/accounts", json={"name": name, "type": type_}, headers=headers)
        assert made.status_code == 201, made.text
        return str(made.json()["id"])

    bank, food, fun = (
        account("Bank", "asset"),
        account("Food", "expense"),
        account("Fun", "expense"),
    )
    for day in ("2025-01-05", "2025-01-05", "2025-02-10", "2025-03-31"):
        body = {"date": day, "description": "shop", "type": "expense", "amount": "5.00"}
        made = client.post(
            "/api/v1/transactions",
            json={**body, "account_id": bank, "category_id": food},
            headers=headers,
        )
        assert made.status_code == 201, made.text
    wash = {  # nets to zero on the bank: a day with postings but no balance change
        "date": "2025-02-11",
        "description": "in and out",
        "postings": [
            {"account_id": bank, "amount": "3.00"},
            {"account_id": bank, "amount": "-3.00"},
            {"account_id": fun, "amount": "1.00"},
            {"account_id": food, "amount": "-1.00"},
        ],
    }
    assert client.post("/api/v1/transactions", json=wash, headers=headers).status_code == 201
    gone = client.post("/api/v1/transactions", json={**wash, "date": "2025-02-12"}, headers=headers)
    assert client.delete(f"/api/v1/transactions/{gone.json()['id']}", headers=headers).is_success
    return bank


def _totals(client: TestClient, headers: dict[str, str], bank: str) -> list[tuple[int, int]]:
    found = []
    for params in ({}, {"date_from": "2025-02-01"}, {"date_to": "2025-02-11"}):
        listed = client.get(
            "/api/v1/transactions",
            params={"account_id": bank, "limit": 200, **params},
            headers=headers,
        ).json()
        found.append((listed["total"], len(listed["items"])))
    return found


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_existing_rows_get_their_entry_counts(backend: str, tmp_path: Path) -> None:
    if backend == "postgres":
        require_service("postgres")
    db = create_database(backend, tmp_path)
    try:
        settings = Settings(database_url=db.app_url, var_dir=tmp_path / "var", env="test")
        app = create_app(settings)
        with TestClient(app) as client:
            owner = register(client)
            bank = _post_books(client, owner.headers)
            assert _totals(client, owner.headers, bank) == [(5, 5), (3, 3), (4, 4)]
        app.state.engine.dispose()
        config = alembic_config(db.admin_url, APP_ROLE)
        command.downgrade(config, "0009")
        command.upgrade(config, "head")
        app = create_app(settings)
        with TestClient(app) as client:
            login = {"email": owner.email, "password": owner.password}
            token = client.post("/api/v1/auth/login", json=login).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert _totals(client, headers, bank) == [(5, 5), (3, 3), (4, 4)]
        app.state.engine.dispose()
    finally:
        drop_database(db)
