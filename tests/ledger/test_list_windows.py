"""`has_more`, `total` and `count=exact` of the transaction list and search.

The list reads one entry more than the page (`has_more`). `total` is exact where the
ledger keeps a count (the whole list, a date range, the bin by dates, an account
register, a category with its sub-categories), and for a filter that only a visit of
every match could count it is null — except on the last page, which knows how many came
before it and its own. `count=exact` counts every match.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

LIMIT = 3
LIST = "/api/v1/transactions"
SEARCH = "/api/v1/transactions/search"

# Each matches exactly the "corner shop" entries (and none of the others), through a
# filter the ledger keeps no count for.
SCAN_FILTERS: list[tuple[str, dict[str, str]]] = [
    (LIST, {"q": "corner"}),
    (LIST, {"tag": "snack"}),
    (LIST, {"status": "pending"}),
    (LIST, {"type": "expense"}),
    (LIST, {"amount_max": "5.00"}),
    (LIST, {"q": "corner", "status": "pending", "date_from": "2025-01-01"}),
    (LIST, {"account_id": "{bank}", "q": "shop"}),
    (SEARCH, {"q": "payee:corner"}),
    (SEARCH, {"q": "tag:snack amount<10"}),
    (SEARCH, {"q": "shop status:pending"}),
]


class Ledger:
    def __init__(self, client: TestClient) -> None:
        self.books = Books(client, register(client))
        self.snacks = self.books.account("Snacks", "expense", parent_id=self.books.groceries)

    def add(self, matching: int, others: int = 2) -> list[str]:
        """`matching` corner-shop expenses (pending, tagged, 5.00, on Snacks) on distinct
        days, and `others` salary entries (cleared, 900.00); the matching entries' ids."""
        b = self.books
        entries: list[dict[str, Any]] = [
            {
                "date": f"2025-03-{n + 1:02d}",
                "description": "Corner shop",
                "payee": "Corner",
                "tags": ["snack"],
                "status": "pending",
                "amount": "5.00",
                "type": "expense",
                "account_id": b.bank,
                "category_id": self.snacks,
            }
            for n in range(matching)
        ]
        entries += [
            {
                "date": f"2025-04-{n + 1:02d}",
                "description": "Pay",
                "status": "cleared",
                "amount": "900.00",
                "type": "income",
                "account_id": b.bank,
                "category_id": b.salary,
            }
            for n in range(others)
        ]
        if not entries:
            return []
        response = b.client.post(
            f"{LIST}/batch", json={"entries": entries}, headers=b.owner.headers
        )
        assert response.status_code == 201, response.text
        return [str(e["id"]) for e in response.json()[:matching]]

    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        filled = {
            k: v.format(bank=self.books.bank) if isinstance(v, str) else v
            for k, v in params.items()
        }
        response = self.books.client.get(path, params=filled, headers=self.books.owner.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def ledger(client: TestClient) -> Ledger:
    return Ledger(client)


def pages_of(matching: int) -> int:
    return (matching + LIMIT - 1) // LIMIT


@pytest.mark.parametrize("matching", [0, LIMIT, LIMIT + 1, 2 * LIMIT, 2 * LIMIT + 1])
def test_has_more_and_total_at_the_page_boundaries(ledger: Ledger, matching: int) -> None:
    ids = ledger.add(matching)
    for path, params in SCAN_FILTERS:
        seen: list[str] = []
        for page in range(1, pages_of(matching) + 2):  # every page and one beyond the end
            body = ledger.get(path, {**params, "limit": LIMIT, "page": page})
            items = [item["id"] for item in body["items"]]
            seen += items
            more = page * LIMIT < matching
            last = not more and (bool(items) or page == 1)
            context = (path, params, matching, page)
            assert len(items) == max(0, min(LIMIT, matching - (page - 1) * LIMIT)), context
            assert body["has_more"] is more, context
            assert body["total"] == (matching if last else None), context
            assert body["total_pages"] == (pages_of(matching) if last else None), context
            exact = ledger.get(path, {**params, "limit": LIMIT, "page": page, "count": "exact"})
            assert [item["id"] for item in exact["items"]] == items, context
            assert (exact["total"], exact["total_pages"]) == (matching, pages_of(matching))
            assert exact["has_more"] is more, context
        assert sorted(seen) == sorted(ids), (path, params)  # no entry twice, none left out


def test_a_scan_filter_has_no_total_before_its_last_page(ledger: Ledger) -> None:
    ledger.add(2 * LIMIT + 1)
    for path, params in SCAN_FILTERS:
        first = ledger.get(path, {**params, "limit": LIMIT})
        assert (first["total"], first["total_pages"], first["has_more"]) == (None, None, True)
        assert len(first["items"]) == LIMIT


def kept_cases(ledger: Ledger) -> list[tuple[dict[str, Any], int]]:
    """Filters the ledger keeps a count for, and how many entries each matches."""
    b = ledger.books
    return [
        ({}, 9),  # the whole list
        ({"date_from": "2025-03-02", "date_to": "2025-04-01"}, 7),  # a date range
        ({"date_to": "2025-03-05"}, 5),
        ({"account_id": b.bank}, 9),  # an account register
        ({"account_id": b.bank, "date_from": "2025-03-04"}, 6),
        ({"account_id": b.salary}, 2),
        ({"category_id": b.groceries}, 7),  # a category and its sub-categories
        ({"category_id": b.groceries, "date_from": "2025-03-07"}, 1),
        ({"deleted": "true"}, 1),  # the bin
        ({"deleted": "true", "date_from": "2025-03-01", "date_to": "2025-03-31"}, 1),
    ]


def test_kept_counts_give_an_exact_total_on_every_page(ledger: Ledger) -> None:
    ids = ledger.add(8)
    b = ledger.books
    gone = b.client.delete(f"{LIST}/{ids[-1]}", headers=b.owner.headers)  # 2025-03-08
    assert gone.status_code == 204
    for params, expected in kept_cases(ledger):
        for page in range(1, pages_of(expected) + 2):
            for count in ({}, {"count": "exact"}):
                body = ledger.get(LIST, {**params, **count, "limit": LIMIT, "page": page})
                context = (params, count, page)
                assert body["total"] == expected, context
                assert body["total_pages"] == pages_of(expected), context
                assert body["has_more"] is (page * LIMIT < expected), context
    whole = ledger.get(LIST, {"limit": 200})
    assert (whole["total"], len(whole["items"]), whole["has_more"]) == (9, 9, False)


@pytest.mark.parametrize("path", [LIST, SEARCH])
@pytest.mark.parametrize("value", ["", "exac", "EXACT", "estimate", "true"])
def test_an_unknown_count_is_a_422_naming_the_parameter(
    ledger: Ledger, path: str, value: str
) -> None:
    b = ledger.books
    response = b.client.get(path, params={"q": "corner", "count": value}, headers=b.owner.headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["detail"] == "Invalid input: count."
    assert [e["field"] for e in body["errors"]] == ["count"]
    assert "'exact'" in body["errors"][0]["message"]


def test_the_openapi_document_describes_the_page(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    page = spec["components"]["schemas"]["TransactionPage"]
    assert set(page["required"]) >= {"items", "total", "total_pages", "has_more"}
    assert page["properties"]["has_more"]["type"] == "boolean"
    assert {t.get("type") for t in page["properties"]["total"]["anyOf"]} == {"integer", "null"}
    for path in (LIST, SEARCH):
        get = spec["paths"][path]["get"]
        ok = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].endswith("/TransactionPage")
        [count] = [p for p in get["parameters"] if p["name"] == "count"]
        assert {s.get("const", s.get("enum", [None])[0]) for s in count["schema"]["anyOf"]} >= {
            "exact"
        }
        assert "slow" in count["description"]
