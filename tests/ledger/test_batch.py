"""POST /api/v1/transactions/batch: many entries, all or nothing, each as a single POST."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.audit.helpers import audit_events, verify
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

BATCH = "/api/v1/transactions/batch"


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def expense(books: Books, amount: str, day: str = "2025-07-01") -> dict[str, Any]:
    return {
        "date": day,
        "description": "Shop",
        "amount": amount,
        "type": "expense",
        "account_id": books.bank,
        "category_id": books.groceries,
    }


def balance(books: Books, account: str, on: str = "2025-12-31") -> str:
    response = books.client.get(
        f"/api/v1/accounts/{account}/balance", params={"date": on}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    return str(response.json()["balance"])


def post_batch(books: Books, entries: list[dict[str, Any]], **headers: str) -> Any:
    return books.client.post(
        BATCH, json={"entries": entries}, headers={**books.owner.headers, **headers}
    )


def test_a_batch_posts_every_entry_like_single_posts_and_audits_each(books: Books) -> None:
    journal = {
        "date": "2025-07-03",
        "description": "Split",
        "postings": [
            {"account_id": books.groceries, "amount": "3.00"},
            {"account_id": books.salary, "amount": "-1.00"},
            {"account_id": books.bank, "amount": "-2.00"},
        ],
    }
    entries = [expense(books, "10.00"), expense(books, "5.50", "2025-08-02"), journal]

    response = post_batch(books, entries)

    assert response.status_code == 201, response.text
    created = response.json()
    assert [e["kind"] for e in created] == ["expense", "expense", "journal"]
    assert balance(books, books.bank) == "-17.50"
    assert balance(books, books.bank, "2025-07-31") == "-12.00"
    assert balance(books, books.groceries) == "18.50"
    for entry in created:
        single = books.client.get(
            f"/api/v1/transactions/{entry['id']}", headers=books.owner.headers
        ).json()
        assert single == entry
    events = audit_events(books.client, books.owner, action="transaction.create")
    assert sorted(e["resource_id"] for e in events) == sorted(e["id"] for e in created)
    assert verify(books.client, books.owner)["valid"] is True


def test_one_bad_entry_refuses_the_batch_naming_it_and_writes_nothing(books: Books) -> None:
    good = expense(books, "10.00")
    shapes = post_batch(books, [good, {**good, "amount": "x" * 40}, {**good, "type": "gift"}])
    chart = post_batch(books, [good, {**good, "category_id": books.bank}])
    unbalanced = post_batch(
        books,
        [
            good,
            {
                "date": "2025-07-01",
                "description": "Off",
                "postings": [
                    {"account_id": books.bank, "amount": "1.00"},
                    {"account_id": books.groceries, "amount": "-0.99"},
                ],
            },
        ],
    )

    assert shapes.status_code == 422
    assert {e["field"] for e in shapes.json()["errors"]} == {"entries.1.amount", "entries.2.type"}
    assert chart.status_code == 422
    assert chart.json()["errors"][0]["field"] == "entries.1.category_id"
    assert unbalanced.status_code == 422
    assert unbalanced.json()["errors"][0]["field"] == "entries.1.postings"
    assert balance(books, books.bank) == "0.00"
    assert audit_events(books.client, books.owner, action="transaction.create") == []


def test_the_same_idempotency_key_returns_the_first_batch(books: Books) -> None:
    entries = [expense(books, "1.00"), expense(books, "2.00")]

    first = post_batch(books, entries, **{"Idempotency-Key": "batch-1"})
    again = post_batch(books, entries, **{"Idempotency-Key": "batch-1"})

    assert first.status_code == again.status_code == 201
    assert [e["id"] for e in again.json()] == [e["id"] for e in first.json()]
    assert balance(books, books.bank) == "-3.00"


def test_a_batch_is_limited_to_500_entries(books: Books) -> None:
    response = post_batch(books, [expense(books, "1.00")] * 501)

    assert response.status_code == 422
    assert balance(books, books.bank) == "0.00"
