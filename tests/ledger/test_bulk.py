"""POST /api/v1/transactions/bulk: all or nothing, naming the entries in the way."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ledger.test_balances import balance
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def entry(books: Books, type_: str = "expense", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "2025-07-03",
        "description": f"A {type_}",
        "amount": "10.00",
        "type": type_,
        "account_id": books.bank,
    }
    if type_ == "transfer":
        body["transfer_account_id"] = books.savings
    else:
        body["category_id"] = books.groceries if type_ == "expense" else books.salary
    response = books.post({**body, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def bulk(books: Books, action: str, ids: list[str], **fields: Any) -> Any:
    return books.client.post(
        "/api/v1/transactions/bulk",
        json={"action": action, "ids": ids, **fields},
        headers=books.owner.headers,
    )


def read(books: Books, txn: dict[str, Any]) -> dict[str, Any]:
    response = books.client.get(f"/api/v1/transactions/{txn['id']}", headers=books.owner.headers)
    return dict(response.json())


def audit_count(books: Books, action: str) -> int:
    response = books.client.get(
        "/api/v1/audit/logs", params={"action": action, "limit": 200}, headers=books.owner.headers
    )
    return int(response.json()["total"])


def test_categorise_moves_the_category_leg_and_the_balances(books: Books) -> None:
    dining = books.account("Dining", "expense")
    a, b = entry(books), entry(books, amount="5.50")
    already = entry(books, category_id=dining)
    before = audit_count(books, "transaction.update")
    response = bulk(books, "categorise", [a["id"], b["id"], already["id"]], category_id=dining)
    assert response.status_code == 200, response.text
    assert response.json() == {"action": "categorise", "requested": 3, "changed": 2, "unchanged": 1}
    assert {read(books, t)["simple"]["category_id"] for t in (a, b, already)} == {dining}
    assert balance(books, dining, "2025-07-31") == "25.50"
    assert balance(books, books.groceries, "2025-07-31") == "0.00"
    assert balance(books, books.bank, "2025-07-31") == "-25.50"
    assert audit_count(books, "transaction.update") == before + 2


def test_categorise_refuses_transfers_journals_and_the_wrong_kind_naming_them(
    books: Books,
) -> None:
    dining = books.account("Dining", "expense")
    fine = entry(books)
    transfer = entry(books, "transfer")
    income = entry(books, "income")
    journal = books.post(
        {
            "date": "2025-07-05",
            "description": "Split",
            "postings": [
                {"account_id": books.groceries, "amount": "6.00"},
                {"account_id": dining, "amount": "4.00"},
                {"account_id": books.bank, "amount": "-10.00"},
            ],
        }
    ).json()
    ids = [fine["id"], transfer["id"], income["id"], journal["id"]]
    response = bulk(books, "categorise", ids, category_id=dining)
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "bulk_refused"
    for refused in ids[1:]:
        assert refused in body["detail"]
    assert fine["id"] not in body["detail"]
    assert read(books, fine)["simple"]["category_id"] == books.groceries  # nothing changed
    assert balance(books, dining, "2025-07-31") == "4.00"


def test_an_unknown_id_changes_nothing_and_is_named(books: Books) -> None:
    a = entry(books)
    stranger = str(uuid.uuid4())
    response = bulk(books, "delete", [a["id"], stranger])
    assert response.status_code == 404, response.text
    assert stranger in response.json()["detail"]
    assert a["id"] not in response.json()["detail"]
    assert read(books, a)["deleted"] is False


def test_another_tenants_id_answers_like_an_unknown_one(client: TestClient, books: Books) -> None:
    alices = entry(books)
    bob = register(client)
    random_id = str(uuid.uuid4())
    answers = [
        client.post(
            "/api/v1/transactions/bulk",
            json={"action": "delete", "ids": [target]},
            headers=bob.headers,
        )
        for target in (alices["id"], random_id)
    ]
    theirs, missing = answers
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["code"] == missing.json()["code"]
    assert theirs.json()["detail"].replace(alices["id"], random_id) == missing.json()["detail"]
    assert read(books, alices)["deleted"] is False


def test_tag_untag_and_set_status(books: Books) -> None:
    a, b = entry(books, tags=["food"]), entry(books)
    ids = [a["id"], b["id"]]
    tagged = bulk(books, "tag", ids, tags=["Holiday", "food"])
    assert tagged.json()["changed"] == 2
    assert read(books, a)["tags"] == ["food", "holiday"]
    assert read(books, b)["tags"] == ["food", "holiday"]
    untagged = bulk(books, "untag", ids, tags=["FOOD"])
    assert (untagged.json()["changed"], read(books, a)["tags"]) == (2, ["holiday"])
    assert bulk(books, "untag", ids, tags=["food"]).json()["unchanged"] == 2
    status = bulk(books, "set_status", [*ids, a["id"]], status="cleared")
    assert status.json() == {"action": "set_status", "requested": 2, "changed": 2, "unchanged": 0}
    assert read(books, b)["status"] == "cleared"


def test_delete_and_restore_in_bulk_move_the_balances(books: Books) -> None:
    a, b = entry(books), entry(books, amount="5.00")
    deleted = bulk(books, "delete", [a["id"], b["id"]])
    assert deleted.json()["changed"] == 2
    assert balance(books, books.bank, "2025-07-31") == "0.00"
    again = bulk(books, "delete", [a["id"]])
    assert again.json() == {"action": "delete", "requested": 1, "changed": 0, "unchanged": 1}
    refused = bulk(books, "tag", [a["id"]], tags=["x"])
    assert refused.status_code == 409
    assert "deleted" in refused.json()["detail"]
    bulk(books, "restore", [a["id"], b["id"]])
    assert balance(books, books.bank, "2025-07-31") == "-15.00"


def test_reconciled_entries_keep_their_category(books: Books) -> None:
    dining = books.account("Dining", "expense")
    reconciled = entry(books, status="reconciled")
    response = bulk(books, "categorise", [reconciled["id"]], category_id=dining)
    assert response.status_code == 409
    assert "reconciled" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "categorise"}, "category_id"),
        ({"action": "categorise", "category_id": "BANK"}, "category_id"),
        ({"action": "tag"}, "tags"),
        ({"action": "set_status"}, "status"),
        ({"action": "set_status", "status": "done"}, "status"),
        ({"action": "paint"}, "action"),
        ({"action": "delete", "ids": []}, "ids"),
    ],
)
def test_bad_requests_name_the_field(books: Books, body: dict[str, Any], field: str) -> None:
    a = entry(books)
    payload = {"ids": [a["id"]], **{k: books.bank if v == "BANK" else v for k, v in body.items()}}
    response = books.client.post(
        "/api/v1/transactions/bulk", json=payload, headers=books.owner.headers
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
