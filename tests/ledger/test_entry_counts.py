"""The total of a list filtered by dates alone (or not at all) comes from per-day entry
counts kept by database triggers (migration 0015); it must stay equal to the entries the
general query lists, whatever creates, deletes, restores, re-dates, bulk actions and
category merges did before, and one tenant's entries never count for another."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

DAY0 = date(2025, 3, 1)
DAYS = 12


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def _day(offset: int) -> str:
    return str(DAY0 + timedelta(days=offset))


def listed(books: Books, **params: Any) -> tuple[int, int]:
    """(total, entries listed) of one page big enough to hold every entry."""
    response = books.client.get(
        "/api/v1/transactions", params={"limit": 200, **params}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return body["total"], len(body["items"])


class Ledger:
    """Drives the API and remembers the entry ids it made."""

    def __init__(self, books: Books) -> None:
        self.books, self.ids = books, list[str]()

    def create(self, day: int) -> None:
        body = {"date": _day(day), "description": f"shop {day}", "type": "expense"}
        body |= {"amount": "3.00", "account_id": self.books.bank}
        body |= {"category_id": self.books.groceries}
        response = self.books.post(body)
        assert response.status_code == 201, response.text
        self.ids.append(response.json()["id"])

    def pick(self, index: int) -> str | None:
        return self.ids[index % len(self.ids)] if self.ids else None

    def call(self, method: str, path: str, **body: Any) -> None:
        kwargs: dict[str, Any] = {"json": body} if body else {}
        response = self.books.client.request(
            method, path, headers=self.books.owner.headers, **kwargs
        )
        # a refused action (e.g. the status of a deleted entry) must leave the counts alone
        assert response.status_code < 300 or response.status_code == 409, response.text

    def apply(self, op: str, index: int, day: int) -> None:
        target = self.pick(index)
        if op == "create" or target is None:
            self.create(day)
        elif op == "delete":
            self.call("POST", "/api/v1/transactions/bulk", action="delete", ids=[target])
        elif op == "restore":
            self.call("POST", "/api/v1/transactions/bulk", action="restore", ids=[target])
        elif op == "redate":
            self.redate(target, day)
        elif op == "status":
            body = {"action": "set_status", "ids": [target], "status": "cleared"}
            self.call("POST", "/api/v1/transactions/bulk", **body)
        else:
            self.merge_a_new_category(day)

    def redate(self, target: str, day: int) -> None:
        response = self.books.client.patch(
            f"/api/v1/transactions/{target}",
            json={"date": _day(day)},
            headers=self.books.owner.headers,
        )
        # a deleted entry cannot be edited; that refusal must leave the counts alone too
        assert response.status_code in (200, 404, 409, 422), response.text

    def merge_a_new_category(self, day: int) -> None:
        source = self.books.account(f"Dining {len(self.ids)}", "expense")
        body = {"date": _day(day), "description": "dinner", "type": "expense"}
        body |= {"amount": "9.00", "account_id": self.books.bank, "category_id": source}
        response = self.books.post(body)
        assert response.status_code == 201, response.text
        self.ids.append(response.json()["id"])
        merge = {"source_id": source, "target_id": self.books.groceries}
        self.call("POST", "/api/v1/categories/merge", **merge)


def check_totals(books: Books, first: int, length: int) -> None:
    for params in (
        {},
        {"deleted": "true"},
        {"date_from": _day(first)},
        {"date_to": _day(first)},
        {"date_from": _day(first), "date_to": _day(first + length)},
        {"date_from": _day(first), "date_to": _day(first + length), "deleted": "true"},
    ):
        total, items = listed(books, **params)
        assert total == items, params


OPS = st.sampled_from(["create", "create", "delete", "restore", "redate", "status", "merge"])


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(OPS, st.integers(0, 50), st.integers(0, DAYS - 1)), min_size=1, max_size=8
    ),
    first=st.integers(0, DAYS - 1),
    length=st.integers(0, DAYS),
)
def test_date_only_totals_equal_the_entries_listed(
    books: Books, steps: list[tuple[str, int, int]], first: int, length: int
) -> None:
    ledger = Ledger(books)
    for op, index, day in steps:
        ledger.apply(op, index, day)
        check_totals(books, first, length)


def test_the_counts_are_per_tenant(client: TestClient, books: Books) -> None:
    mine = Ledger(books)
    for day in (0, 0, 3):
        mine.create(day)
    theirs = Ledger(Books(client, register(client, "Bob")))
    for day in (0, 1, 2, 3):
        theirs.create(day)
    theirs.apply("delete", 0, 0)
    assert listed(books) == (3, 3)
    assert listed(books, deleted="true") == (0, 0)
    assert listed(theirs.books) == (3, 3)
    assert listed(theirs.books, deleted="true") == (1, 1)
    assert listed(books, date_from=_day(1), date_to=_day(3)) == (1, 1)
