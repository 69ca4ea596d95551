"""Transactions over HTTP: simple and journal forms, balancing, views, filters, deletes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from tests.support.builders import Account, register
from tests.support.databases import MigratedDatabase


class Books:
    def __init__(self, client: TestClient, owner: Account) -> None:
        self.client, self.owner = client, owner
        self.bank = self.account("Everyday", "asset", subtype="checking")
        self.savings = self.account("Savings", "asset", subtype="savings")
        self.card = self.account("Visa", "liability", subtype="credit_card")
        self.groceries = self.account("Groceries", "expense")
        self.salary = self.account("Salary", "income")

    def account(self, name: str, type_: str, **fields: Any) -> str:
        response = self.client.post(
            "/api/v1/accounts",
            json={"name": name, "type": type_, **fields},
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def post(self, body: dict[str, Any], **headers: str) -> Any:
        return self.client.post(
            "/api/v1/transactions", json=body, headers={**self.owner.headers, **headers}
        )


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def amounts(body: dict[str, Any]) -> dict[str, str]:
    return {p["account_id"]: p["amount"] for p in body["postings"]}


def test_simple_expense_writes_two_postings_with_the_right_signs(books: Books) -> None:
    response = books.post(
        {
            "date": "2025-07-03",
            "description": "Weekly shop",
            "payee": "Woolworths",
            "amount": "84.20",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
            "tags": ["Food", "weekly"],
        }
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert amounts(body) == {books.groceries: "84.20", books.bank: "-84.20"}
    assert body["kind"] == "expense"
    assert body["tags"] == ["food", "weekly"]
    assert body["simple"] == {
        "type": "expense",
        "amount": "84.20",
        "currency": "AUD",
        "account_id": books.bank,
        "category_id": books.groceries,
        "transfer_account_id": None,
    }


def test_simple_income_and_transfer(books: Books) -> None:
    income = books.post(
        {
            "date": "2025-07-01",
            "description": "Pay",
            "amount": "3000.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    ).json()
    assert amounts(income) == {books.bank: "3000.00", books.salary: "-3000.00"}
    assert income["simple"]["category_id"] == books.salary
    transfer = books.post(
        {
            "date": "2025-07-02",
            "description": "Pay off card",
            "amount": "500.00",
            "type": "transfer",
            "account_id": books.bank,
            "transfer_account_id": books.card,
        }
    ).json()
    assert amounts(transfer) == {books.card: "500.00", books.bank: "-500.00"}
    assert transfer["simple"]["transfer_account_id"] == books.card


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "5.001"}, "amount"),
        ({"type": "refund"}, "type"),
        ({"category_id": None}, "category_id"),
        ({"date": "2025-02-30"}, "date"),
        ({"description": ""}, "description"),
        ({"account_id": "GROCERIES"}, "account_id"),
        ({"category_id": "BANK"}, "category_id"),
        ({"category_id": "SALARY"}, "category_id"),
    ],
)
def test_simple_form_errors_name_the_field(
    books: Books, change: dict[str, Any], field: str
) -> None:
    body = {
        "date": "2025-07-03",
        "description": "Shop",
        "amount": "5.00",
        "type": "expense",
        "account_id": books.bank,
        "category_id": books.groceries,
    }
    aliases = {"GROCERIES": books.groceries, "BANK": books.bank, "SALARY": books.salary}
    body.update({k: aliases.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    response = books.post(body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    listed = books.client.get("/api/v1/transactions", headers=books.owner.headers).json()
    assert listed["total"] == 0


def test_journal_split_across_categories(books: Books) -> None:
    household = books.account("Household", "expense")
    response = books.post(
        {
            "date": "2025-07-05",
            "description": "Supermarket, split",
            "postings": [
                {"account_id": books.groceries, "amount": "60.00", "memo": "food"},
                {"account_id": household, "amount": "24.50", "memo": "cleaning"},
                {"account_id": books.card, "amount": "-84.50"},
            ],
        }
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "journal"
    assert body["simple"] is None
    assert [p["memo"] for p in body["postings"]] == ["food", "cleaning", None]


def test_unbalanced_journal_names_the_imbalance(books: Books) -> None:
    response = books.post(
        {
            "date": "2025-07-05",
            "description": "Oops",
            "postings": [
                {"account_id": books.groceries, "amount": "60.00"},
                {"account_id": books.bank, "amount": "-50.00"},
            ],
        }
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unbalanced"
    assert body["errors"][0]["field"] == "postings"
    assert "AUD debits exceed credits by 10.00" in body["detail"]


def test_multi_currency_journal_balances_per_currency(books: Books) -> None:
    usd_bank = books.account("US account", "asset", currency="USD")
    usd_fx = books.account("FX clearing USD", "equity", currency="USD")
    aud_fx = books.account("FX clearing AUD", "equity")
    ok = books.post(
        {
            "date": "2025-07-06",
            "description": "Move AUD to USD",
            "postings": [
                {"account_id": usd_bank, "amount": "65.00", "currency": "USD", "rate": "1.5384615"},
                {"account_id": usd_fx, "amount": "-65.00", "rate": "1.5384615"},
                {"account_id": aud_fx, "amount": "100.00"},
                {"account_id": books.bank, "amount": "-100.00"},
            ],
        }
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["postings"][0]["rate"] == "1.5384615"
    wrong_currency = books.post(
        {
            "date": "2025-07-06",
            "description": "Bad",
            "postings": [
                {"account_id": usd_bank, "amount": "65.00", "currency": "AUD"},
                {"account_id": books.bank, "amount": "-65.00"},
            ],
        }
    )
    assert wrong_currency.json()["errors"][0]["field"] == "postings.0.currency"


def test_another_tenants_account_is_no_such_account(client: TestClient, books: Books) -> None:
    intruder = register(client)
    response = client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-03",
            "description": "x",
            "amount": "5.00",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
        },
        headers=intruder.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "account_id",
        "message": "no such account",
        "code": "invalid_input",
    }


def test_idempotency_key_returns_the_original(books: Books) -> None:
    body = {
        "date": "2025-07-03",
        "description": "Shop",
        "amount": "5.00",
        "type": "expense",
        "account_id": books.bank,
        "category_id": books.groceries,
    }
    first = books.post(body, **{"Idempotency-Key": "abc-123"}).json()
    second = books.post(body, **{"Idempotency-Key": "abc-123"}).json()
    assert first["id"] == second["id"]
    listed = books.client.get("/api/v1/transactions", headers=books.owner.headers).json()
    assert listed["total"] == 1


def test_list_filters_and_soft_delete_with_restore(books: Books) -> None:
    shop = books.post(
        {
            "date": "2025-07-03",
            "description": "Weekly shop",
            "payee": "Woolworths",
            "amount": "84.20",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
            "tags": ["food"],
            "status": "cleared",
        }
    ).json()
    books.post(
        {
            "date": "2025-08-01",
            "description": "Pay",
            "amount": "3000.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    )
    books.post(
        {
            "date": "2025-08-02",
            "description": "Card shop",
            "amount": "10.00",
            "type": "expense",
            "account_id": books.card,
            "category_id": books.groceries,
        }
    )

    def ids(**params: Any) -> list[str]:
        body = books.client.get(
            "/api/v1/transactions", params=params, headers=books.owner.headers
        ).json()
        return [t["description"] for t in body["items"]]

    assert ids() == ["Card shop", "Pay", "Weekly shop"]
    assert ids(account_id=books.card) == ["Card shop"]
    assert ids(type="income") == ["Pay"]
    assert ids(status="cleared") == ["Weekly shop"]
    assert ids(tag="FOOD") == ["Weekly shop"]
    assert ids(date_from="2025-08-01", date_to="2025-08-01") == ["Pay"]
    assert ids(q="woolworths") == ["Weekly shop"]
    assert ids(q="100%") == []
    deleted = books.client.delete(f"/api/v1/transactions/{shop['id']}", headers=books.owner.headers)
    assert deleted.status_code == 204
    assert ids() == ["Card shop", "Pay"]
    assert ids(deleted=True) == ["Weekly shop"]
    restored = books.client.post(
        f"/api/v1/transactions/{shop['id']}/restore", headers=books.owner.headers
    )
    assert restored.json()["deleted"] is False
    assert ids() == ["Card shop", "Pay", "Weekly shop"]


def test_an_account_with_postings_cannot_be_deleted(books: Books) -> None:
    books.post(
        {
            "date": "2025-07-03",
            "description": "Shop",
            "amount": "5.00",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
        }
    )
    response = books.client.delete(f"/api/v1/accounts/{books.bank}", headers=books.owner.headers)
    assert response.status_code == 409
    assert "archive" in response.json()["detail"]


def test_postgres_refuses_an_unbalanced_entry_at_commit(
    database: MigratedDatabase, books: Books, connection: Connection
) -> None:
    if database.backend != "postgres":
        pytest.skip("the deferred balance trigger is a PostgreSQL backstop")
    created = books.post(
        {
            "date": "2025-07-03",
            "description": "Shop",
            "amount": "5.00",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
        }
    ).json()
    connection.execute(
        text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(books.owner.tenant_id)}
    )
    connection.execute(
        text("UPDATE posting SET amount = amount + 1 WHERE transaction_id = :id"),
        {"id": uuid.UUID(created["id"])},
    )
    with pytest.raises(DBAPIError, match="does not balance"):
        connection.execute(text("SET CONSTRAINTS posting_balances IMMEDIATE"))
