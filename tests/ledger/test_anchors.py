"""Balance anchors over HTTP: computed balance and difference, one per day, validation."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.core.money import Money
from tests.ledger.test_balance_reads import earn, spend
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

START = date(2024, 1, 1)


def anchor(books: Books, account: str, on: str, balance: str, **extra: Any) -> Any:
    return books.client.post(
        f"/api/v1/accounts/{account}/anchors",
        json={"date": on, "balance": balance, **extra},
        headers=books.owner.headers,
    )


def anchors(books: Books, account: str) -> list[dict[str, Any]]:
    response = books.client.get(f"/api/v1/accounts/{account}/anchors", headers=books.owner.headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def validate(books: Books) -> Any:
    response = books.client.get("/api/v1/balances/validate", headers=books.owner.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_anchor_shows_its_computed_balance_and_difference(client: TestClient) -> None:
    books = Books(client, register(client))
    earn(books, "2025-07-01", "100.00")
    spend(books, "2025-07-05", "30.00", account=books.card)
    created = anchor(books, books.bank, "2025-07-02", "120.50", description="June statement")
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in ("date", "balance", "computed_balance", "difference")} == {
        "date": "2025-07-02",
        "balance": "120.50",
        "computed_balance": "100.00",
        "difference": "20.50",  # the anchor minus the books: what the books are missing
    }
    assert (body["source"], body["description"], body["currency"]) == (
        "manual",
        "June statement",
        "AUD",
    )
    card = anchor(books, books.card, "2025-07-31", "30.00").json()  # debt, natural sign
    assert (card["computed_balance"], card["difference"]) == ("30.00", "0.00")
    earn(books, "2025-06-30", "20.50")  # the missing entry, back-dated
    listed = anchors(books, books.bank)
    assert [(a["date"], a["computed_balance"], a["difference"]) for a in listed] == [
        ("2025-07-02", "120.50", "0.00")
    ]


def test_anchor_input_is_exact_and_one_per_day(client: TestClient) -> None:
    books = Books(client, register(client))
    assert anchor(books, books.bank, "2025-07-02", "1.00").status_code == 201
    duplicate = anchor(books, books.bank, "2025-07-02", "2.00")
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "anchor_exists"
    assert anchor(books, books.savings, "2025-07-02", "2.00").status_code == 201
    for balance, on, field in (
        ("1.001", "2025-07-03", "balance"),
        ("1,000.00", "2025-07-03", "balance"),
        ("1.00", "2999-01-01", "date"),
        ("1.00", "2025-02-30", "date"),
    ):
        response = anchor(books, books.bank, on, balance)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert anchor(books, books.bank, "2025-07-03", "-5.00").status_code == 201  # overdrawn
    assert anchor(books, str(uuid.uuid4()), "2025-07-03", "1.00").status_code == 404
    assert [a["balance"] for a in anchors(books, books.bank)] == ["1.00", "-5.00"]


def test_delete_an_anchor_only_through_its_own_account(client: TestClient) -> None:
    books = Books(client, register(client))
    made = anchor(books, books.bank, "2025-07-02", "1.00").json()["id"]
    wrong = client.delete(
        f"/api/v1/accounts/{books.savings}/anchors/{made}", headers=books.owner.headers
    )
    assert wrong.status_code == 404
    assert wrong.json()["code"] == "anchor_not_found"
    path = f"/api/v1/accounts/{books.bank}/anchors/{made}"
    assert client.delete(path, headers=books.owner.headers).status_code == 204
    assert client.delete(path, headers=books.owner.headers).status_code == 404
    assert anchors(books, books.bank) == []
    log = client.get(
        "/api/v1/audit/logs",
        params={"resource_type": "balance_anchor"},
        headers=books.owner.headers,
    ).json()["items"]
    assert sorted(e["action"] for e in log) == ["balance_anchor.create", "balance_anchor.delete"]


def test_validate_lists_only_the_anchors_that_differ(client: TestClient) -> None:
    books = Books(client, register(client))
    earn(books, "2025-07-01", "100.00")
    anchor(books, books.bank, "2025-07-01", "100.00")
    anchor(books, books.bank, "2025-08-01", "90.00")
    anchor(books, books.salary, "2025-07-31", "100.00")
    report = validate(books)
    assert (report["checked"], report["mismatched"]) == (3, 1)
    assert [
        {k: i[k] for k in ("account_name", "date", "expected", "computed", "difference")}
        for i in report["items"]
    ] == [
        {
            "account_name": "Everyday",
            "date": "2025-08-01",
            "expected": "90.00",
            "computed": "100.00",
            "difference": "-10.00",
        }
    ]
    spend(books, "2025-07-20", "10.00")
    assert validate(books) == {"checked": 3, "mismatched": 0, "items": []}


def test_validation_reads_many_anchors_in_chunks(client: TestClient) -> None:
    books = Books(client, register(client))
    earn(books, "2024-01-01", "1.00")
    for i in range(230):  # more than two statements' worth of points
        on = (START + timedelta(days=i)).isoformat()
        assert anchor(books, books.bank, on, "1.00" if i % 100 else "2.00").status_code == 201
    report = validate(books)
    assert (report["checked"], report["mismatched"]) == (230, 3)
    assert [i["date"] for i in report["items"]] == ["2024-01-01", "2024-04-10", "2024-07-19"]


def test_validation_reads_anchors_in_many_months_and_accounts(client: TestClient) -> None:
    books = Books(client, register(client))
    earn(books, "2010-01-15", "5.00")
    spend(books, "2010-01-20", "2.00", account=books.card)
    expected = []
    for i in range(170):  # more (account, month) ranges than one statement reads
        on = date(2010 + i // 12, i % 12 + 1, 10 + i % 15)
        account, truth = (books.bank, "5.00") if i % 2 else (books.card, "2.00")
        if on.isoformat() < "2010-01-20" and account == books.card:
            truth = "0.00"
        if on.isoformat() < "2010-01-15":
            truth = "0.00"
        claim = truth if i % 7 else "1.00"
        assert anchor(books, account, on.isoformat(), claim).status_code == 201
        if claim != truth:
            expected.append((on.isoformat(), claim, truth))
    report = validate(books)
    assert report["checked"] == 170
    got = sorted((i["date"], i["expected"], i["computed"]) for i in report["items"])
    assert got == sorted(expected)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(-(10**6), 10**6)), max_size=8),
    st.lists(st.tuples(st.integers(0, 420), st.integers(-(10**4), 10**4)), min_size=1, max_size=6),
)
def test_validation_equals_a_recomputation(
    client: TestClient, entries: list[tuple[int, int]], claims: list[tuple[int, int]]
) -> None:
    books = Books(client, register(client))
    for day, cents in entries:
        if cents:
            on = (START + timedelta(days=day)).isoformat()
            amount = f"{Decimal(abs(cents)).scaleb(-2):.2f}"
            (earn if cents > 0 else spend)(books, on, amount)
    expected: dict[str, str] = {}
    for day, cents in dict(claims).items():
        claimed = (START + timedelta(days=day)).isoformat()
        anchor(books, books.bank, claimed, f"{Decimal(cents).scaleb(-2):.2f}")
        truth = sum(c for d, c in entries if d <= day)
        if truth != cents:
            expected[claimed] = Money.from_minor(cents - truth, "AUD").to_json()
    report = validate(books)
    assert report["checked"] == len(dict(claims))
    assert {i["date"]: i["difference"] for i in report["items"]} == expected
