"""Category merge and delete with reassignment: postings, snapshots and children move."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection

from tests.ledger.test_balances import _naive, balance
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def spend(books: Books, category: str, amount: str, day: str) -> str:
    response = books.post(
        {
            "date": day,
            "description": "Shop",
            "amount": amount,
            "type": "expense",
            "account_id": books.bank,
            "category_id": category,
        }
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def merge(books: Books, source: str, target: str) -> Any:
    return books.client.post(
        "/api/v1/categories/merge",
        json={"source_id": source, "target_id": target},
        headers=books.owner.headers,
    )


def tree(books: Books) -> dict[str, list[str]]:
    roots = books.client.get("/api/v1/categories", headers=books.owner.headers).json()
    shape: dict[str, list[str]] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            shape[node["name"]] = [c["name"] for c in node["children"]]
            walk(node["children"])

    walk(roots)
    return shape


def test_merge_moves_postings_snapshots_and_children_then_deletes_the_source(
    books: Books, connection: Connection
) -> None:
    food = books.account("Food", "expense")
    snacks = books.account("Snacks", "expense", parent_id=books.groceries)
    spend(books, books.groceries, "10.00", "2024-12-31")
    spend(books, books.groceries, "2.50", "2025-07-01")
    spend(books, food, "7.00", "2025-07-01")
    gone = spend(books, books.groceries, "100.00", "2025-03-03")
    books.client.delete(f"/api/v1/transactions/{gone}", headers=books.owner.headers)

    response = merge(books, books.groceries, food)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "source_id": books.groceries,
        "target_id": food,
        "postings_moved": 3,
        "children_moved": 1,
    }
    missing = books.client.get(f"/api/v1/categories/{books.groceries}", headers=books.owner.headers)
    assert missing.status_code == 404
    assert tree(books)["Food"] == ["Snacks"]
    for day, expected in (
        ("2024-12-31", "10.00"),
        ("2025-06-30", "10.00"),
        ("2025-07-01", "19.50"),
    ):
        assert balance(books, food, day) == expected
        assert _naive(connection, books, food, date.fromisoformat(day)) == expected
    books.client.post(f"/api/v1/transactions/{gone}/restore", headers=books.owner.headers)
    restored = books.client.get(f"/api/v1/transactions/{gone}", headers=books.owner.headers)
    assert restored.json()["simple"]["category_id"] == food
    assert balance(books, food, "2025-07-01") == "119.50"
    events = books.client.get(
        "/api/v1/audit/logs", params={"action": "category.merge"}, headers=books.owner.headers
    ).json()["items"]
    assert [e["resource_id"] for e in events] == [books.groceries]
    moved = books.client.get(f"/api/v1/categories/{snacks}", headers=books.owner.headers)
    assert moved.json()["parent_id"] == food


def test_a_goal_on_the_source_follows_it_to_the_target(books: Books) -> None:
    food = books.account("Food", "expense")
    goal = books.client.post(
        "/api/v1/goals",
        json={
            "kind": "spending_limit",
            "name": "Groceries budget",
            "account_id": books.groceries,
            "amount": "500.00",
        },
        headers=books.owner.headers,
    )
    assert goal.status_code == 201, goal.text
    assert merge(books, books.groceries, food).status_code == 200
    after = books.client.get(f"/api/v1/goals/{goal.json()['id']}", headers=books.owner.headers)
    assert after.json()["account_id"] == food


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("SOURCE", "another category"),
        ("SALARY", "expense category"),
        ("USD", "AUD"),
        ("ARCHIVED", "archived"),
        ("CHILD", "sub-category"),
    ],
)
def test_merges_that_cannot_be_are_422_naming_the_target(
    books: Books, target: str, message: str
) -> None:
    aliases = {
        "SOURCE": books.groceries,
        "SALARY": books.salary,
        "USD": books.account("US food", "expense", currency="USD"),
        "ARCHIVED": books.account("Old", "expense", is_archived=True),
        "CHILD": books.account("Child", "expense", parent_id=books.groceries),
    }
    spend(books, books.groceries, "1.00", "2025-07-01")
    response = merge(books, books.groceries, aliases[target])
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "target_id"
    assert message in error["message"]
    assert balance(books, books.groceries, "2025-07-01") == "1.00"


def test_a_name_clash_among_the_children_is_refused(books: Books) -> None:
    food = books.account("Food", "expense")
    books.account("Snacks", "expense", parent_id=food)
    books.account("Snacks", "expense", parent_id=books.groceries)
    response = merge(books, books.groceries, food)
    assert response.status_code == 409
    assert "Snacks" in response.json()["detail"]
    assert "Groceries" in tree(books)


def test_unknown_or_other_tenants_categories_are_404(client: TestClient, books: Books) -> None:
    other = Books(client, register(client))
    for source, target in ((other.groceries, books.groceries), (books.groceries, other.groceries)):
        response = merge(books, source, target)
        assert response.status_code == 404
        assert response.json()["code"] == "category_not_found"
    assert merge(books, books.bank, books.groceries).status_code == 404  # an asset


def test_delete_with_postings_needs_reassign_to(books: Books) -> None:
    food = books.account("Food", "expense")
    entry = spend(books, books.groceries, "4.00", "2025-07-01")
    refused = books.client.delete(
        f"/api/v1/categories/{books.groceries}", headers=books.owner.headers
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "category_in_use"
    assert "reassign_to" in refused.json()["detail"]
    deleted = books.client.delete(
        f"/api/v1/categories/{books.groceries}",
        params={"reassign_to": food},
        headers=books.owner.headers,
    )
    assert deleted.status_code == 204, deleted.text
    moved = books.client.get(f"/api/v1/transactions/{entry}", headers=books.owner.headers)
    assert moved.json()["simple"]["category_id"] == food
    assert balance(books, food, "2025-07-01") == "4.00"
    [event] = books.client.get(
        "/api/v1/audit/logs", params={"action": "category.delete"}, headers=books.owner.headers
    ).json()["items"]
    assert event["after"]["reassigned_to"] == food
    unused = books.account("Unused", "expense")
    plain = books.client.delete(f"/api/v1/categories/{unused}", headers=books.owner.headers)
    assert plain.status_code == 204


def test_reassigning_to_another_tenants_category_answers_like_a_random_one(
    client: TestClient, books: Books
) -> None:
    other = Books(client, register(client))
    answers = [
        books.client.delete(
            f"/api/v1/categories/{books.groceries}",
            params={"reassign_to": target},
            headers=books.owner.headers,
        )
        for target in (other.groceries, str(uuid.uuid4()))
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json()["detail"] == answers[1].json()["detail"]
    assert "Groceries" in tree(books)
