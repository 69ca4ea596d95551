"""Reconciliation over HTTP: cleared balance vs statement, marking, anchors, adjustments."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.core.money import Money
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

START = date(2025, 1, 1)


def entry(books: Books, on: str, amount: str, status: str, **fields: Any) -> str:
    body = {
        "date": on,
        "description": "Entry",
        "amount": amount,
        "type": "expense",
        "account_id": books.bank,
        "category_id": books.groceries,
        "status": status,
        **fields,
    }
    response = books.post(body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def pay(books: Books, on: str, amount: str, status: str = "cleared") -> str:
    return entry(books, on, amount, status, type="income", category_id=books.salary)


def reconcile(books: Books, account: str, on: str, statement: str, **extra: Any) -> Any:
    return books.client.post(
        f"/api/v1/accounts/{account}/reconcile",
        json={"date": on, "statement_balance": statement, **extra},
        headers=books.owner.headers,
    )


def status_of(books: Books, txn: str) -> str:
    response = books.client.get(f"/api/v1/transactions/{txn}", headers=books.owner.headers)
    return str(response.json()["status"])


def audit_count(books: Books) -> int:
    response = books.client.get("/api/v1/audit/logs", headers=books.owner.headers)
    return int(response.json()["total"])


def test_a_matching_statement_reconciles_the_cleared_entries(client: TestClient) -> None:
    books = Books(client, register(client))
    salary = pay(books, "2025-07-01", "1000.00")
    shop = entry(books, "2025-07-03", "84.20", "cleared")
    pending = entry(books, "2025-07-04", "15.00", "pending")  # not on the statement yet
    later = entry(books, "2025-07-20", "5.00", "cleared")  # after the statement date
    gone = entry(books, "2025-07-02", "1.00", "cleared")
    client.delete(f"/api/v1/transactions/{gone}", headers=books.owner.headers)
    other = entry(books, "2025-07-02", "2.00", "cleared", account_id=books.savings)
    response = reconcile(books, books.bank, "2025-07-15", "915.80")
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in ("computed_balance", "statement_balance", "difference")} == {
        "computed_balance": "915.80",
        "statement_balance": "915.80",
        "difference": "0.00",
    }
    assert (body["reconciled_count"], body["adjustment_transaction_id"]) == (2, None)
    assert {k: body["anchor"][k] for k in ("date", "balance", "source")} == {
        "date": "2025-07-15",
        "balance": "915.80",
        "source": "reconcile",
    }
    assert body["anchor"]["computed_balance"] == "900.80"  # the books include the pending one
    statuses = {t: status_of(books, t) for t in (salary, shop, pending, later, gone, other)}
    assert statuses == {
        salary: "reconciled",
        shop: "reconciled",
        pending: "pending",
        later: "cleared",
        gone: "cleared",
        other: "cleared",
    }
    log = client.get(
        "/api/v1/audit/logs", params={"action": "account.reconcile"}, headers=books.owner.headers
    ).json()["items"]
    assert sorted(log[0]["after"]["reconciled_transaction_ids"]) == sorted([salary, shop])
    again = reconcile(books, books.bank, "2025-07-15", "915.80").json()  # same date again
    assert again["reconciled_count"] == 0
    assert again["anchor"]["id"] == body["anchor"]["id"]  # the anchor is replaced, not doubled


def test_a_difference_changes_nothing_unless_an_adjustment_is_asked(client: TestClient) -> None:
    books = Books(client, register(client))
    shop = entry(books, "2025-07-03", "84.20", "cleared")
    before = audit_count(books)
    refused = reconcile(books, books.bank, "2025-07-31", "-100.00")
    assert refused.status_code == 409
    assert refused.json()["code"] == "reconciliation_difference"
    assert "-15.80 AUD" in refused.json()["detail"]
    assert status_of(books, shop) == "cleared"
    anchors = client.get(f"/api/v1/accounts/{books.bank}/anchors", headers=books.owner.headers)
    assert anchors.json() == []
    assert audit_count(books) == before

    adjusted = reconcile(books, books.bank, "2025-07-31", "-100.00", adjust=True)
    assert adjusted.status_code == 200, adjusted.text
    body = adjusted.json()
    assert (body["computed_balance"], body["difference"], body["reconciled_count"]) == (
        "-84.20",
        "-15.80",
        2,  # the shop and the adjustment itself
    )
    txn = client.get(
        f"/api/v1/transactions/{body['adjustment_transaction_id']}", headers=books.owner.headers
    ).json()
    assert txn["status"] == "reconciled"
    assert txn["date"] == "2025-07-31"
    amounts = {p["account_id"]: p["amount"] for p in txn["postings"]}
    assert amounts[books.bank] == "-15.80"
    counter = client.get(
        f"/api/v1/accounts/{next(a for a in amounts if a != books.bank)}",
        headers=books.owner.headers,
    ).json()
    assert (counter["name"], counter["type"]) == ("Reconciliation adjustments", "equity")
    balance = client.get(
        f"/api/v1/accounts/{books.bank}/balance",
        params={"date": "2025-07-31"},
        headers=books.owner.headers,
    ).json()["balance"]
    assert balance == "-100.00"
    assert body["anchor"]["difference"] == "0.00"
    second = reconcile(books, books.bank, "2025-08-31", "-90.00", adjust=True).json()
    txn2 = client.get(
        f"/api/v1/transactions/{second['adjustment_transaction_id']}", headers=books.owner.headers
    ).json()
    assert counter["id"] in {p["account_id"] for p in txn2["postings"]}  # reused, not remade


def test_a_credit_card_reconciles_in_its_natural_sign(client: TestClient) -> None:
    books = Books(client, register(client))
    entry(books, "2025-07-03", "50.00", "cleared", account_id=books.card)
    owed = reconcile(books, books.card, "2025-07-31", "50.00")
    assert owed.status_code == 200, owed.text
    adjusted = reconcile(books, books.card, "2025-08-31", "65.00", adjust=True).json()
    assert adjusted["difference"] == "15.00"
    balance = client.get(
        f"/api/v1/accounts/{books.card}/balance",
        params={"date": "2025-08-31"},
        headers=books.owner.headers,
    ).json()["balance"]
    assert balance == "65.00"


def test_a_named_adjustment_account_is_checked(client: TestClient) -> None:
    books = Books(client, register(client))
    usd = books.account("USD equity", "equity", currency="USD")
    for target, message in (
        (str(uuid.uuid4()), "no such account"),
        (books.bank, "must differ from the account being reconciled"),
        (usd, "must be an account in AUD"),
    ):
        response = reconcile(
            books, books.bank, "2025-07-31", "1.00", adjust=True, adjustment_account_id=target
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [
            {"field": "adjustment_account_id", "message": message, "code": "invalid_input"}
        ]
    fine = reconcile(
        books, books.bank, "2025-07-31", "1.00", adjust=True, adjustment_account_id=books.salary
    ).json()
    txn = client.get(
        f"/api/v1/transactions/{fine['adjustment_transaction_id']}", headers=books.owner.headers
    ).json()
    assert {p["account_id"]: p["amount"] for p in txn["postings"]} == {
        books.bank: "1.00",
        books.salary: "-1.00",
    }
    assert txn["kind"] == "income"


def test_input_is_validated_and_a_failure_half_way_leaves_nothing(client: TestClient) -> None:
    books = Books(client, register(client))
    for body, field in (
        ({"statement_balance": "1.001"}, "statement_balance"),
        ({"date": "2999-01-01"}, "date"),
        ({"adjust": "maybe"}, "adjust"),
    ):
        payload = {"date": "2025-07-31", "statement_balance": "1.00", **body}
        response = client.post(
            f"/api/v1/accounts/{books.bank}/reconcile", json=payload, headers=books.owner.headers
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    assert reconcile(books, str(uuid.uuid4()), "2025-07-31", "1.00").status_code == 404
    client.patch(
        f"/api/v1/accounts/{books.bank}", json={"is_archived": True}, headers=books.owner.headers
    )
    before = audit_count(books)
    # The adjustment account is created, then posting to the archived account fails.
    failed = reconcile(books, books.bank, "2025-07-31", "1.00", adjust=True)
    assert failed.status_code == 422, failed.text
    names = [a["name"] for a in client.get("/api/v1/accounts", headers=books.owner.headers).json()]
    assert "Reconciliation adjustments" not in names
    assert audit_count(books) == before


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 60),
            st.integers(-(10**5), 10**5).filter(bool),
            st.sampled_from(["pending", "cleared", "reconciled"]),
        ),
        max_size=8,
    ),
    st.integers(0, 60),
    st.integers(-(10**5), 10**5),
)
def test_after_reconciling_the_cleared_balance_is_the_statement(
    client: TestClient, entries: list[tuple[int, int, str]], cut: int, offset: int
) -> None:
    books = Books(client, register(client))
    ids: list[tuple[str, int, str]] = []
    for day, cents, status in entries:
        on = (START + timedelta(days=day)).isoformat()
        amount = f"{Decimal(abs(cents)).scaleb(-2):.2f}"
        txn = pay(books, on, amount, status) if cents > 0 else entry(books, on, amount, status)
        ids.append((txn, day, status))
    cleared = sum(c for d, c, s in entries if d <= cut and s != "pending")
    statement = Money.from_minor(cleared + offset, "AUD")
    on = (START + timedelta(days=cut)).isoformat()
    response = reconcile(books, books.bank, on, statement.to_json(), adjust=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["computed_balance"] == Money.from_minor(cleared, "AUD").to_json()
    assert body["difference"] == Money.from_minor(offset, "AUD").to_json()
    assert (body["adjustment_transaction_id"] is None) == (offset == 0)
    marked = [t for t, d, s in ids if d <= cut and s == "cleared"]
    assert body["reconciled_count"] == len(marked) + (offset != 0)
    for txn, day, status in ids:
        expected = "reconciled" if (day <= cut and status == "cleared") else status
        assert status_of(books, txn) == expected
    # Reconciling again at the same statement now matches without an adjustment.
    again = reconcile(books, books.bank, on, statement.to_json())
    assert again.status_code == 200, again.text
    assert again.json()["difference"] == "0.00"


def test_a_foreign_account_gets_an_adjustment_account_in_its_currency(client: TestClient) -> None:
    books = Books(client, register(client))
    usd = books.account("US bank", "asset", currency="USD")
    adjusted = reconcile(books, usd, "2025-07-31", "12.34", adjust=True)
    assert adjusted.status_code == 200, adjusted.text
    txn = client.get(
        f"/api/v1/transactions/{adjusted.json()['adjustment_transaction_id']}",
        headers=books.owner.headers,
    ).json()
    counter = next(p["account_id"] for p in txn["postings"] if p["account_id"] != usd)
    account = client.get(f"/api/v1/accounts/{counter}", headers=books.owner.headers).json()
    assert (account["name"], account["currency"]) == ("Reconciliation adjustments (USD)", "USD")
    assert {p["currency"] for p in txn["postings"]} == {"USD"}
