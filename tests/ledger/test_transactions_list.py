"""GET /api/v1/transactions: category (with children) and amount filters, and sorting."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ledger.test_transactions_api import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def expense(books: Books, description: str, amount: str, category: str, **fields: Any) -> str:
    response = books.post(
        {
            "date": "2025-07-03",
            "description": description,
            "amount": amount,
            "type": "expense",
            "account_id": books.bank,
            "category_id": category,
            **fields,
        }
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def listed(books: Books, **params: Any) -> list[str]:
    response = books.client.get("/api/v1/transactions", params=params, headers=books.owner.headers)
    assert response.status_code == 200, response.text
    return [t["description"] for t in response.json()["items"]]


def test_a_category_filter_takes_in_its_children(books: Books) -> None:
    food = books.account("Food", "expense")
    dining = books.account("Dining out", "expense", parent_id=food)
    cafes = books.account("Cafes", "expense", parent_id=dining)
    expense(books, "Market", "5.00", food)
    expense(books, "Bistro", "40.00", dining)
    expense(books, "Flat white", "4.50", cafes)
    expense(books, "Supermarket", "80.00", books.groceries)
    assert sorted(listed(books, category_id=food)) == ["Bistro", "Flat white", "Market"]
    assert sorted(listed(books, category_id=dining)) == ["Bistro", "Flat white"]
    assert listed(books, category_id=cafes) == ["Flat white"]
    assert listed(books, category_id="00000000-0000-4000-8000-000000000000") == []


def test_amount_bounds_are_inclusive_and_follow_edits(books: Books) -> None:
    expense(books, "Small", "9.99", books.groceries)
    ten = expense(books, "Ten", "10.00", books.groceries)
    expense(books, "Big", "250.00", books.groceries)
    assert sorted(listed(books, amount_min="10")) == ["Big", "Ten"]
    assert sorted(listed(books, amount_max="10.00")) == ["Small", "Ten"]
    assert listed(books, amount_min="10", amount_max="10") == ["Ten"]
    books.client.patch(
        f"/api/v1/transactions/{ten}", json={"amount": "300.00"}, headers=books.owner.headers
    )
    assert sorted(listed(books, amount_min="251")) == ["Ten"]


def test_a_split_counts_its_gross_amount(books: Books) -> None:
    household = books.account("Household", "expense")
    books.post(
        {
            "date": "2025-07-05",
            "description": "Split",
            "postings": [
                {"account_id": books.groceries, "amount": "60.00"},
                {"account_id": household, "amount": "24.50"},
                {"account_id": books.card, "amount": "-84.50"},
            ],
        }
    )
    assert listed(books, amount_min="84.50", amount_max="84.50") == ["Split"]


def test_amount_bounds_mean_the_same_in_a_currency_without_cents(books: Books) -> None:
    yen_bank = books.account("Tokyo account", "asset", currency="JPY")
    yen_food = books.account("Tokyo food", "expense", currency="JPY")
    books.post(
        {
            "date": "2025-07-05",
            "description": "Ramen",
            "amount": "5000",
            "type": "expense",
            "account_id": yen_bank,
            "category_id": yen_food,
        }
    )
    expense(books, "Lunch", "60.00", books.groceries)
    assert listed(books, amount_min="100") == ["Ramen"]
    assert listed(books, amount_max="100") == ["Lunch"]
    assert listed(books, amount_min="4999.50", amount_max="5000") == ["Ramen"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"amount_min": "ten"}, "amount_min"),
        ({"amount_max": "1.001"}, "amount_max"),
        ({"amount_min": "-5"}, "amount_min"),
        ({"sort": "colour"}, "sort"),
        ({"category_id": "food"}, "category_id"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_parameter(
    books: Books, params: dict[str, str], field: str
) -> None:
    response = books.client.get("/api/v1/transactions", params=params, headers=books.owner.headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_sort_orders(books: Books) -> None:
    for description, amount, day, payee in (
        ("banana", "30.00", "2025-07-02", "Coles"),
        ("Apple", "5.00", "2025-07-03", None),
        ("cherry", "100.00", "2025-07-01", "aldi"),
    ):
        expense(books, description, amount, books.groceries, date=day, payee=payee)
    assert listed(books) == ["Apple", "banana", "cherry"]  # newest first
    assert listed(books, sort="date") == ["cherry", "banana", "Apple"]
    assert listed(books, sort="amount") == ["Apple", "banana", "cherry"]
    assert listed(books, sort="-amount") == ["cherry", "banana", "Apple"]
    assert listed(books, sort="description") == ["Apple", "banana", "cherry"]
    assert listed(books, sort="payee") == ["cherry", "banana", "Apple"]  # no payee last
    page_two = books.client.get(
        "/api/v1/transactions",
        params={"sort": "amount", "limit": 2, "page": 2},
        headers=books.owner.headers,
    ).json()
    assert ([t["description"] for t in page_two["items"]], page_two["total"]) == (["cherry"], 3)
