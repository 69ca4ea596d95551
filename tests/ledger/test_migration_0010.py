"""Migration 0010 counts the entries of existing snapshot rows, so register totals read
from the counts agree with the rows listed straight after an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import register
from tests.support.migrations import downgrade, login_token, scratch_database, served, upgrade


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
    with scratch_database(backend, tmp_path) as (db, settings):
        with served(settings) as client:
            owner = register(client)
            bank = _post_books(client, owner.headers)
            assert _totals(client, owner.headers, bank) == [(5, 5), (3, 3), (4, 4)]
        downgrade(db, "0009")
        upgrade(db)
        with served(settings) as client:
            token = login_token(client, owner.email, owner.password)
            headers = {"Authorization": f"Bearer {token}"}
            assert _totals(client, headers, bank) == [(5, 5), (3, 3), (4, 4)]
