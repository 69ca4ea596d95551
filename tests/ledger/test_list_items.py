"""The list and the search render each entry exactly as `GET /transactions/{id}` does.

The list reads its page as Core rows (entries and postings in one statement), the single
entry as ORM instances: every field of every item, in order, must be the same.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ledger.test_transactions_api import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def get(books: Books, path: str, **params: Any) -> Any:
    response = books.client.get(path, params=params, headers=books.owner.headers)
    assert response.status_code == 200, response.text
    return response.json()


def entries(books: Books) -> list[str]:
    """A simple expense with every optional field, an income, a transfer, a split journal
    with memos, and a deleted entry."""
    bodies: list[dict[str, Any]] = [
        {
            "date": "2025-07-03",
            "description": "Weekly shop",
            "payee": "Woolworths",
            "notes": "with the receipt",
            "tags": ["Food", "weekly"],
            "status": "cleared",
            "amount": "84.20",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
        },
        {
            "date": "2025-07-01",
            "description": "Pay",
            "amount": "3000.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        },
        {
            "date": "2025-07-03",
            "description": "To savings",
            "amount": "500",
            "type": "transfer",
            "account_id": books.bank,
            "transfer_account_id": books.savings,
        },
        {
            "date": "2025-07-02",
            "description": "Split",
            "postings": [
                {"account_id": books.groceries, "amount": "60.00", "memo": "food"},
                {"account_id": books.card, "amount": "-20.00"},
                {"account_id": books.bank, "amount": "-40.00", "memo": "rest"},
            ],
        },
        {
            "date": "2025-07-04",
            "description": "Mistake",
            "amount": "1.00",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
        },
    ]
    ids = []
    for body in bodies:
        response = books.post(body)
        assert response.status_code == 201, response.text
        ids.append(str(response.json()["id"]))
    response = books.client.delete(f"/api/v1/transactions/{ids[-1]}", headers=books.owner.headers)
    assert response.status_code == 204, response.text
    return ids


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "amount"},
        {"sort": "payee"},
        {"date_from": "2025-07-02", "date_to": "2025-07-03", "sort": "description"},
        {"tag": "food"},
    ],
)
def test_list_items_are_the_single_entry_reads(books: Books, params: dict[str, Any]) -> None:
    entries(books)
    for query in (params, {**params, "account_id": books.bank}):
        page = get(books, "/api/v1/transactions", **query)
        assert page["items"], query
        for item in page["items"]:
            assert item == get(books, f"/api/v1/transactions/{item['id']}")
        assert page["total"] == len(page["items"])


def test_the_search_and_the_bin_render_entries_the_same(books: Books) -> None:
    ids = entries(books)
    found = get(books, "/api/v1/transactions/search", q="payee:woolworths")["items"]
    assert [item["id"] for item in found] == [ids[0]]
    assert found[0] == get(books, f"/api/v1/transactions/{ids[0]}")
    binned = get(books, "/api/v1/transactions", deleted="true", account_id=books.bank)["items"]
    assert [item["id"] for item in binned] == [ids[-1]]
    assert binned[0] == get(books, f"/api/v1/transactions/{ids[-1]}")
    assert binned[0]["deleted"] is True


def test_pages_split_no_entry_and_keep_each_ones_postings(books: Books) -> None:
    ids = entries(books)
    pages = [get(books, "/api/v1/transactions", limit=2, page=n)["items"] for n in (1, 2, 3)]
    listed = [item["id"] for page in pages for item in page]
    assert sorted(listed) == sorted(ids[:-1])
    split = next(item for page in pages for item in page if item["description"] == "Split")
    assert [p["memo"] for p in split["postings"]] == ["food", None, "rest"]
