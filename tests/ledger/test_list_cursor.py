"""Keyset paging of the transaction list and search: `next_cursor` and `cursor=`.

Walking a list by its cursors gives exactly the entries, in exactly the order, that
walking it by page numbers gives, for every sort (ties on date and creation time, null
and mixed-case payees) and every shape (the whole list, an account register, a scan
filter, the search). A cursor holds a position, not an offset: an entry added before it
does not shift the page after it. A cursor that is not one, or was made for another
sort, is a 422 naming it.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from fiscus.core.errors import InvalidInput
from fiscus.ledger import list_cursor
from fiscus.ledger.page_rows import sort_columns
from fiscus.ledger.repository_transactions import SORTS
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

LIST = "/api/v1/transactions"
SEARCH = "/api/v1/transactions/search"
LIMIT = 3

PAYEES = ["apple", "Banana", None, "banana", "Apple", None, "cherry"]


class Paged:
    def __init__(self, client: TestClient) -> None:
        self.books = Books(client, register(client))

    def add_entries(self) -> None:
        """Fourteen expenses over four days (several on each: ties on the date, and
        within one batch on the creation time too), amounts with ties, null payees."""
        b = self.books
        entries = [
            {
                "date": f"2025-05-0{1 + n % 4}",
                "description": ["Shop", "shop", "Market"][n % 3],
                "payee": PAYEES[n % len(PAYEES)],
                "amount": ["5.00", "12.50", "5.00", "7.25"][n % 4],
                "type": "expense",
                "account_id": b.bank,
                "category_id": b.groceries,
            }
            for n in range(14)
        ]
        self.batch(entries)

    def batch(self, entries: list[dict[str, Any]]) -> list[str]:
        b = self.books
        response = b.client.post(
            f"{LIST}/batch", json={"entries": entries}, headers=b.owner.headers
        )
        assert response.status_code == 201, response.text
        return [str(e["id"]) for e in response.json()]

    def get(self, path: str, params: dict[str, Any]) -> Any:
        b = self.books
        return b.client.get(path, params=params, headers=b.owner.headers)

    def page(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        response = self.get(path, params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def by_pages(self, path: str, params: dict[str, Any]) -> list[str]:
        ids: list[str] = []
        for number in range(1, 20):
            body = self.page(path, {**params, "limit": LIMIT, "page": number})
            ids += [item["id"] for item in body["items"]]
            if not body["has_more"]:
                return ids
        raise AssertionError("more pages than entries")

    def by_cursors(self, path: str, params: dict[str, Any]) -> list[str]:
        body = self.page(path, {**params, "limit": LIMIT})
        ids = [item["id"] for item in body["items"]]
        while body["has_more"]:
            assert len(ids) < 100, "the cursor does not move on"
            cursor = body["next_cursor"]
            assert cursor is not None
            body = self.page(path, {**params, "limit": LIMIT, "cursor": cursor})
            assert body["page"] is None  # a page after a cursor has no number
            ids += [item["id"] for item in body["items"]]
        assert body["next_cursor"] is None  # none after the last page
        return ids


@pytest.fixture
def paged(client: TestClient) -> Paged:
    ledger = Paged(client)
    ledger.add_entries()
    return ledger


def shapes(books: Books) -> list[tuple[str, dict[str, Any]]]:
    return [
        (LIST, {}),  # the whole list
        (LIST, {"account_id": books.bank}),  # an account register (its own statement)
        (LIST, {"account_id": books.bank, "date_from": "2025-05-02"}),
        (LIST, {"q": "shop"}),  # a scan filter
        (LIST, {"category_id": books.groceries, "amount_max": "10.00"}),
        (SEARCH, {"q": "shop amount<10"}),
    ]


@pytest.mark.parametrize("sort", SORTS)
def test_walking_by_cursor_gives_what_walking_by_page_gives(paged: Paged, sort: str) -> None:
    for path, params in shapes(paged.books):
        query = {**params, "sort": sort}
        whole = [item["id"] for item in paged.page(path, {**query, "limit": 200})["items"]]
        assert len(whole) >= 2 * LIMIT, (path, query)  # several pages to walk
        assert paged.by_pages(path, query) == whole, (path, query)
        assert paged.by_cursors(path, query) == whole, (path, query)


def test_an_entry_added_before_the_cursor_does_not_shift_the_next_page(paged: Paged) -> None:
    first = paged.page(LIST, {"limit": LIMIT})
    second = paged.page(LIST, {"limit": LIMIT, "cursor": first["next_cursor"]})
    b = paged.books
    paged.batch(
        [
            {
                "date": "2025-06-01",  # newer than every entry: it sorts first
                "description": "Late",
                "amount": "1.00",
                "type": "expense",
                "account_id": b.bank,
                "category_id": b.groceries,
            }
        ]
    )
    again = paged.page(LIST, {"limit": LIMIT, "cursor": first["next_cursor"]})
    assert [i["id"] for i in again["items"]] == [i["id"] for i in second["items"]]
    by_number = paged.page(LIST, {"limit": LIMIT, "page": 2})  # the offset moved by one
    assert by_number["items"][0]["id"] == first["items"][-1]["id"]


def test_a_cursor_is_given_on_numbered_pages_and_continues_them(paged: Paged) -> None:
    second = paged.page(LIST, {"limit": LIMIT, "page": 2})
    third = paged.page(LIST, {"limit": LIMIT, "page": 3})
    after = paged.page(LIST, {"limit": LIMIT, "cursor": second["next_cursor"]})
    assert after["items"] == third["items"]
    assert after["total"] == third["total"] == 14  # the register's kept count still holds


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("path", [LIST, SEARCH])
def test_a_cursor_that_is_not_one_is_a_422_naming_it(paged: Paged, path: str) -> None:
    made = paged.page(LIST, {"limit": LIMIT})["next_cursor"]
    key = str(uuid.uuid4())
    forged = [
        "not base64 !",
        "",
        _cursor({"sort": "-date"}),  # type: ignore[arg-type]
        _cursor(["-date", "2025-05-01", "2025-05-01T00:00:00+00:00"]),  # a key short
        _cursor(["-date", 20250501, "2025-05-01T00:00:00+00:00", key]),  # a number for a date
        _cursor(["-date", "2025-13-01", "2025-05-01T00:00:00+00:00", key]),
        _cursor(["-date", "2025-05-01", "2025-05-01T00:00:00", key]),  # no time zone
        _cursor(["-date", "2025-05-01", "2025-05-01T00:00:00+00:00", "not-a-uuid"]),
        _cursor(["-date", None, "2025-05-01T00:00:00+00:00", key]),  # only a payee is null
        made[:-4],
    ]
    stamp = "2025-05-01T00:00:00+00:00"
    others = [
        (_cursor(["amount", "5", "2025-05-01", stamp, key]), "amount"),  # text for a number
        (_cursor(["amount", 2**63, "2025-05-01", stamp, key]), "amount"),  # beyond a BIGINT
        (_cursor(["description", "a\u0000b", "2025-05-01", stamp, key]), "description"),
        (_cursor(["x" * 50, "2025-05-01", stamp, key]), "-date"),  # no such sort
    ]
    params = {"q": "shop"} if path == SEARCH else {}
    cases = [(cursor, "-date") for cursor in forged] + others
    for cursor, sort in cases:
        response = paged.get(path, {**params, "cursor": cursor, "sort": sort})
        assert response.status_code == 422, (cursor, response.text)
        errors = response.json()["errors"]
        assert [e["field"] for e in errors] == ["cursor"], cursor
        assert "page 1" in errors[0]["message"]


def test_a_cursor_of_another_sort_or_beside_a_page_number_is_refused(paged: Paged) -> None:
    made = paged.page(LIST, {"limit": LIMIT})["next_cursor"]
    other = paged.get(LIST, {"cursor": made, "sort": "amount"})
    assert other.status_code == 422
    [error] = other.json()["errors"]
    assert error["field"] == "cursor"
    assert "'-date'" in error["message"]
    assert "'amount'" in error["message"]
    both = paged.get(LIST, {"cursor": made, "page": 2})
    assert both.status_code == 422
    assert [e["field"] for e in both.json()["errors"]] == ["page"]


def test_the_openapi_document_describes_the_cursor(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    page = spec["components"]["schemas"]["TransactionPage"]
    assert "next_cursor" in page["required"]
    for path in (LIST, SEARCH):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"cursor", "page", "sort"} <= names


stamps = st.datetimes(timezones=st.just(UTC))
KEYS = {
    date: st.dates(),
    datetime: stamps,
    uuid.UUID: st.uuids(),
    int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
    str: st.text(st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=500),
    bool: st.booleans(),
}


@st.composite
def sorted_keys(draw: st.DrawFn) -> tuple[str, tuple[Any, ...]]:
    sort = draw(st.sampled_from(SORTS))
    keys = []
    for key in sort_columns(sort):
        drawn = KEYS[key.kind]
        keys.append(draw(st.none() | drawn if key.kind is str and sort == "payee" else drawn))
    return sort, tuple(keys)


@given(sorted_keys())
def test_a_cursor_gives_back_the_keys_it_was_made_of(made: tuple[str, tuple[Any, ...]]) -> None:
    sort, keys = made
    cursor = list_cursor.encode(sort, keys)
    assert len(cursor) <= list_cursor.MAX_LENGTH
    assert list_cursor.decode(cursor, sort) == keys
    for other in SORTS:
        if other != sort:
            with pytest.raises(InvalidInput):
                list_cursor.decode(cursor, other)
