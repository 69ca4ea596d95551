"""The list's total for an account register (account + date range) is counted from the
postings' index alone; it must equal the rows the general query returns."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

DAY0 = date(2025, 1, 1)


@pytest.fixture
def books(client: TestClient) -> Books:
    books = Books(client, register(client))
    bank, savings, food = books.bank, books.savings, books.groceries
    for day, kind, counter in (
        (0, "expense", {"category_id": food}),
        (1, "income", {"category_id": books.salary}),
        (1, "transfer", {"transfer_account_id": savings}),
        (3, "expense", {"category_id": food}),
        (5, "transfer", {"transfer_account_id": savings}),
        (9, "expense", {"category_id": food}),
    ):
        body = {"date": str(DAY0 + timedelta(days=day)), "description": f"{kind} {day}"}
        body |= {"type": kind, "amount": "10.00", "account_id": bank, **counter}
        assert books.post(body).status_code == 201
    # one entry with two postings on the bank account: counted once
    journal = {
        "date": str(DAY0 + timedelta(days=3)),
        "description": "split",
        "postings": [
            {"account_id": bank, "amount": "5.00"},
            {"account_id": bank, "amount": "7.00"},
            {"account_id": savings, "amount": "-12.00"},
        ],
    }
    assert books.post(journal).status_code == 201
    deleted = books.post({**journal, "date": str(DAY0 + timedelta(days=5))}).json()["id"]
    gone = books.client.delete(f"/api/v1/transactions/{deleted}", headers=books.owner.headers)
    assert gone.status_code == 204
    return books


def page(books: Books, **params: Any) -> dict[str, Any]:
    response = books.client.get(
        "/api/v1/transactions", params={"limit": 200, **params}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_register_totals_count_each_live_entry_once(books: Books) -> None:
    assert page(books, account_id=books.bank)["total"] == 7
    assert page(books, account_id=books.savings)["total"] == 3
    in_range = page(books, account_id=books.bank, date_from="2025-01-02", date_to="2025-01-06")
    assert in_range["total"] == len(in_range["items"]) == 5
    bin_ = page(books, account_id=books.bank, deleted=True)
    assert bin_["total"] == len(bin_["items"]) == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(["bank", "savings", "groceries", "card"]),
    start=st.none() | st.integers(min_value=-1, max_value=10),
    length=st.none() | st.integers(min_value=0, max_value=10),
    page_number=st.integers(min_value=1, max_value=3),
)
def test_register_total_equals_the_rows_listed(
    books: Books, which: str, start: int | None, length: int | None, page_number: int
) -> None:
    params: dict[str, Any] = {"account_id": getattr(books, which)}
    if start is not None:
        params["date_from"] = str(DAY0 + timedelta(days=start))
    if length is not None:
        params["date_to"] = str(DAY0 + timedelta(days=(start or 0) + length))
    everything = page(books, **params)
    assert everything["total"] == len(everything["items"])
    paged = page(books, **params, limit=2, page=page_number)
    assert paged["total"] == everything["total"]
    assert paged["total_pages"] == (everything["total"] + 1) // 2


def test_register_totals_follow_edits_deletes_and_a_merge(books: Books) -> None:
    """Totals come from per-day entry counts: date moves, deletes, restores and a merge
    (with an entry posting to both categories on one day) must keep them exact."""
    headers = books.owner.headers
    dining = books.account("Dining", "expense")
    split = {
        "date": str(DAY0 + timedelta(days=3)),
        "description": "both categories",
        "postings": [
            {"account_id": books.groceries, "amount": "4.00"},
            {"account_id": dining, "amount": "6.00"},
            {"account_id": books.bank, "amount": "-10.00"},
        ],
    }
    both = books.post(split).json()["id"]
    moved = books.post({**split, "description": "moved"}).json()["id"]
    patch = {"date": str(DAY0 + timedelta(days=40))}
    edit = books.client.patch(f"/api/v1/transactions/{moved}", json=patch, headers=headers)
    assert edit.status_code == 200, edit.text
    for verb, path in (("DELETE", ""), ("POST", "/restore"), ("DELETE", "")):
        answer = books.client.request(verb, f"/api/v1/transactions/{both}{path}", headers=headers)
        assert answer.status_code < 300, answer.text
    assert books.client.post(f"/api/v1/transactions/{both}/restore", headers=headers).is_success
    merge = {"source_id": dining, "target_id": books.groceries}
    merged = books.client.post("/api/v1/categories/merge", json=merge, headers=headers)
    assert merged.status_code == 200, merged.text
    for account in (books.bank, books.savings, books.groceries, books.card):
        for params in ({}, {"date_from": "2025-01-04"}, {"date_to": "2025-01-03"}):
            listed = page(books, account_id=account, **params)
            assert listed["total"] == len(listed["items"]), (account, params)
    assert page(books, account_id=books.groceries)["total"] == 5  # 3 expenses + 2 splits
