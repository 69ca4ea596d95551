"""PATCH /api/v1/transactions/{id}: metadata in place, money fields rebuild the postings."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text

from tests.ledger.test_balances import balance
from tests.ledger.test_transactions_api import Books, amounts
from tests.support.builders import register
from tests.support.databases import MigratedDatabase


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def shop(books: Books, **fields: Any) -> dict[str, Any]:
    body = {
        "date": "2025-07-03",
        "description": "Weekly shop",
        "payee": "Woolworths",
        "amount": "84.20",
        "type": "expense",
        "account_id": books.bank,
        "category_id": books.groceries,
        **fields,
    }
    response = books.post(body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def patch(books: Books, txn: dict[str, Any], **changes: Any) -> Any:
    return books.client.patch(
        f"/api/v1/transactions/{txn['id']}", json=changes, headers=books.owner.headers
    )


def audit(books: Books, txn: dict[str, Any]) -> list[dict[str, Any]]:
    response = books.client.get(
        "/api/v1/audit/logs",
        params={"action": "transaction.update", "resource_id": txn["id"]},
        headers=books.owner.headers,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_metadata_changes_in_place_and_is_audited(books: Books) -> None:
    txn = shop(books, tags=["food"])
    response = patch(
        books, txn, description="Big shop", payee=None, notes="receipt in drawer", tags=["Home"]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["description"], body["payee"], body["notes"], body["tags"]) == (
        "Big shop",
        None,
        "receipt in drawer",
        ["home"],
    )
    assert [p["id"] for p in body["postings"]] == [p["id"] for p in txn["postings"]]
    [event] = audit(books, txn)
    assert (event["before"]["description"], event["after"]["description"]) == (
        "Weekly shop",
        "Big shop",
    )
    assert event["after"]["tags"] == ["home"]
    assert patch(books, txn, description="Big shop", amount="84.20").status_code == 200
    assert len(audit(books, txn)) == 1  # nothing changed, nothing recorded


def test_amount_and_category_changes_rebuild_the_postings_and_balances(books: Books) -> None:
    txn = shop(books)
    household = books.account("Household", "expense")
    response = patch(books, txn, amount="90.00", category_id=household)
    assert response.status_code == 200, response.text
    body = response.json()
    assert amounts(body) == {household: "90.00", books.bank: "-90.00"}
    assert body["simple"]["category_id"] == household
    assert balance(books, books.bank, "2025-07-31") == "-90.00"
    assert balance(books, books.groceries, "2025-07-31") == "0.00"
    assert balance(books, household, "2025-07-31") == "90.00"
    [event] = audit(books, txn)
    assert event["before"]["postings"][0]["amount"] == "84.20"
    assert event["after"]["postings"][0]["amount"] == "90.00"


def test_a_back_dated_date_change_moves_the_balance_across_months(books: Books) -> None:
    txn = shop(books)
    response = patch(books, txn, date="2024-12-30")
    assert response.status_code == 200, response.text
    assert response.json()["date"] == "2024-12-30"
    assert [p["id"] for p in response.json()["postings"]] == [p["id"] for p in txn["postings"]]
    assert balance(books, books.bank, "2024-12-29") == "0.00"
    assert balance(books, books.bank, "2024-12-30") == "-84.20"
    assert balance(books, books.bank, "2025-07-02") == "-84.20"
    assert balance(books, books.bank, "2025-07-31") == "-84.20"
    patch(books, txn, date="2025-08-15", amount="10.00")
    assert balance(books, books.bank, "2025-08-14") == "0.00"
    assert balance(books, books.bank, "2025-08-15") == "-10.00"


def test_changing_the_type_re_derives_the_kind(books: Books) -> None:
    txn = shop(books)
    to_transfer = patch(books, txn, type="transfer", transfer_account_id=books.savings)
    assert to_transfer.status_code == 200, to_transfer.text
    assert to_transfer.json()["kind"] == "transfer"
    assert amounts(to_transfer.json()) == {books.savings: "84.20", books.bank: "-84.20"}
    missing = patch(books, txn, type="income")
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["category_id"]
    income = patch(books, txn, type="income", category_id=books.salary)
    assert income.json()["kind"] == "income"
    assert amounts(income.json()) == {books.bank: "84.20", books.salary: "-84.20"}
    wrong_kind = patch(books, txn, type="expense")  # the salary category is income
    assert [e["field"] for e in wrong_kind.json()["errors"]] == ["category_id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"description": None}, "description"),
        ({"date": None}, "date"),
        ({"tags": None}, "tags"),
        ({"category_id": "BANK"}, "category_id"),
        ({"account_id": "GROCERIES"}, "account_id"),
        ({"amount": "2.00", "postings": []}, "postings"),
        ({"kind": "journal"}, "kind"),
    ],
)
def test_bad_edits_name_the_field_and_change_nothing(
    books: Books, changes: dict[str, Any], field: str
) -> None:
    txn = shop(books)
    aliases = {"BANK": books.bank, "GROCERIES": books.groceries}
    changes = {k: aliases.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    response = patch(books, txn, **changes)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    again = books.client.get(f"/api/v1/transactions/{txn['id']}", headers=books.owner.headers)
    assert again.json()["postings"] == txn["postings"]
    assert again.json()["description"] == txn["description"]


def test_journal_entries_take_a_full_replacement_postings_list(books: Books) -> None:
    household = books.account("Household", "expense")
    split = books.post(
        {
            "date": "2025-07-05",
            "description": "Supermarket, split",
            "postings": [
                {"account_id": books.groceries, "amount": "60.00"},
                {"account_id": household, "amount": "24.50"},
                {"account_id": books.card, "amount": "-84.50"},
            ],
        }
    ).json()
    simple_field = patch(books, split, amount="5.00")
    assert simple_field.status_code == 422
    assert simple_field.json()["errors"][0]["field"] == "amount"
    unbalanced = patch(
        books,
        split,
        postings=[
            {"account_id": books.groceries, "amount": "50.00"},
            {"account_id": books.card, "amount": "-84.50"},
        ],
    )
    assert unbalanced.status_code == 422
    assert unbalanced.json()["code"] == "unbalanced"
    assert balance(books, books.card, "2025-07-31") == "84.50"
    replaced = patch(
        books,
        split,
        postings=[
            {"account_id": books.groceries, "amount": "50.00", "memo": "food"},
            {"account_id": books.card, "amount": "-50.00"},
        ],
    )
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["kind"] == "expense"  # two legs of the expense shape now
    assert body["simple"]["amount"] == "50.00"
    assert balance(books, household, "2025-07-31") == "0.00"
    assert balance(books, books.card, "2025-07-31") == "50.00"


def test_a_simple_entry_can_become_a_split(books: Books) -> None:
    txn = shop(books)
    household = books.account("Household", "expense")
    response = patch(
        books,
        txn,
        postings=[
            {"account_id": books.groceries, "amount": "60.00"},
            {"account_id": household, "amount": "24.20"},
            {"account_id": books.bank, "amount": "-84.20"},
        ],
    )
    assert response.status_code == 200, response.text
    assert (response.json()["kind"], response.json()["simple"]) == ("journal", None)
    assert balance(books, books.groceries, "2025-07-31") == "60.00"


def test_a_reconciled_entrys_money_fields_are_refused_until_its_status_goes_back(
    books: Books,
) -> None:
    txn = shop(books, status="reconciled")
    household = books.account("Household", "expense")
    for changes in ({"amount": "1.00"}, {"date": "2025-07-04"}, {"category_id": household}):
        refused = patch(books, txn, **changes)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "transaction_reconciled"
    same_in_one_go = patch(books, txn, status="cleared", amount="1.00")
    assert same_in_one_go.status_code == 409
    assert patch(books, txn, notes="fine").status_code == 200  # metadata is fine
    assert patch(books, txn, amount="84.20").status_code == 200  # no actual change
    assert patch(books, txn, status="cleared").json()["status"] == "cleared"
    changed = patch(books, txn, amount="1.00")
    assert changed.status_code == 200, changed.text
    assert balance(books, books.bank, "2025-07-31") == "-1.00"


def test_deleted_and_missing_entries_cannot_be_edited(books: Books) -> None:
    txn = shop(books)
    books.client.delete(f"/api/v1/transactions/{txn['id']}", headers=books.owner.headers)
    response = patch(books, txn, description="x")
    assert response.status_code == 409
    assert response.json()["code"] == "transaction_deleted"
    missing = patch(books, {"id": "00000000-0000-4000-8000-000000000000"}, description="x")
    assert missing.status_code == 404
    assert missing.json()["code"] == "transaction_not_found"


def test_an_archived_account_cannot_be_edited_into_an_entry(books: Books) -> None:
    txn = shop(books)
    old = books.account("Old category", "expense")
    books.client.patch(
        f"/api/v1/accounts/{old}", json={"is_archived": True}, headers=books.owner.headers
    )
    response = patch(books, txn, category_id=old)
    assert response.status_code == 422
    assert "archived" in response.json()["errors"][0]["message"]


def test_edited_entries_still_pass_the_postgres_balance_trigger(
    database: MigratedDatabase, books: Books, connection: Connection
) -> None:
    if database.backend != "postgres":
        pytest.skip("the deferred balance trigger is a PostgreSQL backstop")
    txn = shop(books)
    patch(books, txn, amount="12.00", date="2025-01-01")
    patch(
        books,
        txn,
        postings=[
            {"account_id": books.groceries, "amount": "7.00"},
            {"account_id": books.salary, "amount": "5.00"},
            {"account_id": books.bank, "amount": "-12.00"},
        ],
    )
    connection.execute(text("SET CONSTRAINTS posting_balances IMMEDIATE"))  # raises if not
