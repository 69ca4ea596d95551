"""Rules over HTTP: CRUD and order, validation naming fields, preview, apply."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.rules.helpers import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client, "Alice"))


def _groceries(books: Books, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Woolworths is groceries",
        "conditions": {"payee": {"op": "contains", "value": "woolworths"}},
        "actions": {"set_category_id": books.groceries},
        **extra,
    }


def test_a_rule_reads_back_as_written_and_lists_in_order(books: Books) -> None:
    first = books.rule(**_groceries(books))
    second = books.rule(
        name="Big coffee",
        stop_processing=True,
        conditions={
            "description": {"op": "regex", "value": r"^sq \*.*coffee"},
            "amount_min": "4.50",
            "amount_max": "20",
            "sign": "out",
            "account_id": books.bank,
            "date_from": "2025-01-01",
            "date_to": "2025-12-31",
            "category": "uncategorised",
        },
        actions={"set_category_id": books.coffee, "add_tags": ["Cafe"], "rename_payee": "Cafe"},
    )
    assert second["conditions"]["amount_min"] == "4.50"
    assert second["conditions"]["amount_max"] == "20.00"
    assert second["conditions"]["category"] == "uncategorised"
    assert second["actions"]["add_tags"] == ["cafe"]
    listed = books.client.get("/api/v1/rules", headers=books.owner.headers).json()
    assert [r["id"] for r in listed["items"]] == [first["id"], second["id"]]
    assert [r["position"] for r in listed["items"]] == [0, 1]
    assert listed["total"] == 2


def test_reorder_moves_rules_and_needs_every_rule_once(books: Books) -> None:
    a, b, c = (books.rule(**_groceries(books, name=n))["id"] for n in "abc")
    client, headers = books.client, books.owner.headers
    moved = client.post("/api/v1/rules/reorder", json={"ids": [c, a, b]}, headers=headers)
    assert moved.status_code == 200, moved.text
    assert [r["name"] for r in client.get("/api/v1/rules", headers=headers).json()["items"]] == [
        "c",
        "a",
        "b",
    ]
    partial = client.post("/api/v1/rules/reorder", json={"ids": [c, a]}, headers=headers)
    assert partial.status_code == 422
    assert partial.json()["code"] == "invalid_order"
    assert b in partial.json()["detail"]
    up = client.patch(f"/api/v1/rules/{b}", json={"position": 0}, headers=headers)
    assert up.json()["position"] == 0
    assert client.delete(f"/api/v1/rules/{c}", headers=headers).status_code == 204
    items = client.get("/api/v1/rules", headers=headers).json()["items"]
    assert [(r["name"], r["position"]) for r in items] == [("b", 0), ("a", 1)]


@pytest.mark.parametrize(
    ("conditions", "actions", "field", "code"),
    [
        (
            {"payee": {"op": "regex", "value": "wool(worths"}},
            None,
            "conditions.payee.value",
            "invalid_regex",
        ),
        (
            {"description": {"op": "regex", "value": "(a+)+$"}},
            None,
            "conditions.description.value",
            "invalid_regex",
        ),
        (
            {"description": {"op": "regex", "value": "(x|xx)*y"}},
            None,
            "conditions.description.value",
            "invalid_regex",
        ),
        (
            {"payee": {"op": "regex", "value": r"(\w)\1"}},
            None,
            "conditions.payee.value",
            "invalid_regex",
        ),
        (
            {"payee": {"op": "regex", "value": ".*a.*b.*c"}},
            None,
            "conditions.payee.value",
            "invalid_regex",
        ),
        ({"amount_min": "5", "amount_max": "1"}, None, "conditions.amount_min", "invalid_rule"),
        ({"amount_min": "-5"}, None, "conditions.amount_min", "invalid_rule"),
        ({"amount_max": "1.234"}, None, "conditions.amount_max", None),
        (
            {"date_from": "2025-02-01", "date_to": "2025-01-01"},
            None,
            "conditions.date_from",
            "invalid_rule",
        ),
        ({}, {}, "actions", "invalid_rule"),
        ({}, "salary-as-transfer", "actions.transfer_account_id", "invalid_rule"),
        ({}, "bank-as-category", "actions.set_category_id", "invalid_rule"),
        ({"account_id": "groceries"}, None, "conditions.account_id", "invalid_rule"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(
    books: Books, conditions: dict[str, Any], actions: Any, field: str, code: str | None
) -> None:
    named = {"groceries": books.groceries}
    conditions = {k: named.get(v, v) if isinstance(v, str) else v for k, v in conditions.items()}
    body_actions = {
        None: {"set_category_id": books.groceries},
        "salary-as-transfer": {"transfer_account_id": books.salary},
        "bank-as-category": {"set_category_id": books.bank},
    }.get(actions, actions) if not isinstance(actions, dict) else actions  # fmt: skip
    body = {"name": "bad", "conditions": conditions, "actions": body_actions}
    for path in ("/api/v1/rules", "/api/v1/rules/preview"):
        response = books.client.post(path, json=body, headers=books.owner.headers)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert field in str(problem), problem
        if code:
            assert problem["code"] == code
    assert books.client.get("/api/v1/rules", headers=books.owner.headers).json()["total"] == 0


def test_preview_shows_what_would_change_and_changes_nothing(books: Books) -> None:
    hits = [books.entry(f"EFTPOS WOOLWORTHS {n}", "-10.00", payee="Woolworths") for n in range(3)]
    books.entry("COLES 1234", "-5.00", payee="Coles")
    books.entry("WOOLWORTHS REFUND", "2.00", payee="Woolworths")  # income: category skipped
    already = books.entry("WOOLWORTHS", "-1.00", payee="Woolworths", category=books.groceries)
    rule = books.rule(**_groceries(books))
    for path, body in (
        (f"/api/v1/rules/{rule['id']}/preview", None),
        ("/api/v1/rules/preview", _groceries(books)),
    ):
        response = books.client.post(
            path, json=body, params={"limit": 2}, headers=books.owner.headers
        )
        assert response.status_code == 200, response.text
        preview = response.json()
        assert preview["total"] == 3
        assert preview["matched"] == 5
        assert len(preview["items"]) == 2
        item = preview["items"][0]
        assert item["transaction_id"] in hits
        assert item["amount"] == "-10.00"
        assert item["before"]["category_name"] == "Uncategorised expense"
        assert item["after"]["category_name"] == "Groceries"
    assert books.txn(hits[0])["simple"]["category_id"] == books.uncat_expense
    assert books.txn(already)["simple"]["category_id"] == books.groceries
    assert books.balance(books.groceries) == "1.00"


def test_apply_changes_categories_balances_and_leaves_an_audit_trail(books: Books) -> None:
    hits = [books.entry("EFTPOS WOOLWORTHS", "-10.00", payee="Woolworths") for _ in range(3)]
    other = books.entry("COLES", "-5.00", payee="Coles")
    books.rule(
        **_groceries(books, actions={"set_category_id": books.groceries, "add_tags": ["food"]})
    )
    response = books.client.post("/api/v1/rules/apply", json={}, headers=books.owner.headers)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["changed"] == 3
    assert result["categorised"] == 3
    assert result["tagged"] == 3
    for hit in hits:
        txn = books.txn(hit)
        assert txn["simple"]["category_id"] == books.groceries
        assert txn["tags"] == ["food"]
    assert books.txn(other)["simple"]["category_id"] == books.uncat_expense
    assert books.balance(books.groceries) == "30.00"
    assert books.balance(books.uncat_expense) == "5.00"
    assert books.balance(books.bank) == "-35.00"
    logs = books.client.get(
        "/api/v1/audit/logs", params={"limit": 200}, headers=books.owner.headers
    ).json()["items"]
    actions = [e["action"] for e in logs]
    assert "rule.apply" in actions
    assert "transaction.bulk_update" in actions
    again = books.client.post("/api/v1/rules/apply", json={}, headers=books.owner.headers)
    assert again.json()["changed"] == 0  # applying twice changes nothing more


def test_rules_run_in_order_and_stop_processing_ends_the_run(books: Books) -> None:
    txn = books.entry("SQ *BLUE BOTTLE COFFEE", "-6.00", payee="BLUE BOTTLE")
    books.rule(
        name="coffee, and stop",
        stop_processing=True,
        conditions={"description": {"op": "regex", "value": r"coffee$"}},
        actions={"set_category_id": books.coffee, "rename_payee": "Blue Bottle"},
    )
    books.rule(
        name="never reached",
        conditions={"payee": {"op": "contains", "value": "blue"}},
        actions={"set_category_id": books.groceries, "add_tags": ["late"]},
    )
    result = books.client.post("/api/v1/rules/apply", json={}, headers=books.owner.headers).json()
    assert result["changed"] == 1
    entry = books.txn(txn)
    assert entry["simple"]["category_id"] == books.coffee
    assert entry["payee"] == "Blue Bottle"
    assert entry["tags"] == []
    second = books.client.get("/api/v1/rules", headers=books.owner.headers).json()["items"][1]
    books.client.patch(
        f"/api/v1/rules/{second['id']}", json={"position": 0}, headers=books.owner.headers
    )
    books.client.post("/api/v1/rules/apply", json={}, headers=books.owner.headers)
    entry = books.txn(txn)  # now the second rule runs first, then the first overrides it
    assert entry["tags"] == ["late"]
    assert entry["simple"]["category_id"] == books.coffee


def test_apply_one_rule_on_a_filter_and_conditions_on_amount_sign_date(books: Books) -> None:
    small = books.entry("TRANSFER", "-50.00", day="2025-07-01")
    big = books.entry("TRANSFER", "-500.00", day="2025-07-02")
    late = books.entry("TRANSFER", "-60.00", day="2025-08-01")
    money_in = books.entry("TRANSFER", "60.00", day="2025-07-03")
    rule = books.rule(
        name="savings",
        enabled=False,
        conditions={
            "amount_max": "100",
            "sign": "out",
            "description": {"op": "contains", "value": "transfer"},
        },
        actions={"transfer_account_id": books.savings},
    )
    assert (
        books.client.post("/api/v1/rules/apply", json={}, headers=books.owner.headers).json()[
            "changed"
        ]
        == 0
    )  # a disabled rule does not run with the others
    response = books.client.post(
        "/api/v1/rules/apply",
        json={"rule_id": rule["id"], "date_to": "2025-07-31"},
        headers=books.owner.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["transferred"] == 1
    moved = books.txn(small)
    assert moved["kind"] == "transfer"
    assert moved["simple"]["account_id"] == books.bank
    assert moved["simple"]["transfer_account_id"] == books.savings
    for untouched in (big, late, money_in):
        assert books.txn(untouched)["kind"] in ("expense", "income")
    assert books.balance(books.savings) == "50.00"
    assert books.balance(books.uncat_expense) == "560.00"


def test_money_in_marked_as_transfer_comes_from_the_account(books: Books) -> None:
    txn = books.entry("FROM SAVINGS", "75.00")
    books.rule(
        name="from savings",
        conditions={"description": {"op": "contains", "value": "from savings"}},
        actions={"transfer_account_id": books.savings},
    )
    books.client.post("/api/v1/rules/apply", json={}, headers=books.owner.headers)
    entry = books.txn(txn)
    assert entry["simple"]["account_id"] == books.savings
    assert entry["simple"]["transfer_account_id"] == books.bank
    assert books.balance(books.bank) == "75.00"
    assert books.balance(books.savings) == "-75.00"


def test_a_category_named_by_a_rule_follows_a_merge_and_cannot_be_deleted(books: Books) -> None:
    rule = books.rule(**_groceries(books))
    client, headers = books.client, books.owner.headers
    refused = client.delete(f"/api/v1/categories/{books.groceries}", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "account_has_rules"
    merged = client.post(
        "/api/v1/categories/merge",
        json={"source_id": books.groceries, "target_id": books.coffee},
        headers=headers,
    )
    assert merged.status_code == 200, merged.text
    read = client.get(f"/api/v1/rules/{rule['id']}", headers=headers).json()
    assert read["actions"]["set_category_id"] == books.coffee


def test_unknown_rule_is_404(books: Books) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    for method, path in (
        ("GET", f"/api/v1/rules/{missing}"),
        ("PATCH", f"/api/v1/rules/{missing}"),
        ("DELETE", f"/api/v1/rules/{missing}"),
        ("POST", f"/api/v1/rules/{missing}/preview"),
    ):
        response = books.client.request(method, path, json={}, headers=books.owner.headers)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["code"] == "rule_not_found"
    applied = books.client.post(
        "/api/v1/rules/apply", json={"rule_id": missing}, headers=books.owner.headers
    )
    assert applied.status_code == 404


def test_apply_on_one_account_and_a_rule_on_an_account_touch_only_its_entries(
    books: Books,
) -> None:
    # Both scans filter by the entry's account (an exists over its postings): that once
    # answered 500 for any account given.
    on_bank = books.entry("WOOLWORTHS 1", "-10.00", payee="WOOLWORTHS")
    body = {
        "date": "2025-07-01",
        "description": "WOOLWORTHS 2",
        "payee": "WOOLWORTHS",
        "amount": "20.00",
        "type": "expense",
        "account_id": books.savings,
        "category_id": books.uncat_expense,
    }
    made = books.client.post("/api/v1/transactions", json=body, headers=books.owner.headers)
    assert made.status_code == 201, made.text
    on_savings = str(made.json()["id"])
    books.rule(**_groceries(books))
    response = books.client.post(
        "/api/v1/rules/apply", json={"account_id": books.bank}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["categorised"] == 1
    assert books.txn(on_bank)["simple"]["category_id"] == books.groceries
    assert books.txn(on_savings)["simple"]["category_id"] == books.uncat_expense
    rule = books.rule(
        name="savings spending is coffee",
        conditions={"account_id": books.savings},
        actions={"set_category_id": books.coffee},
    )
    response = books.client.post(
        "/api/v1/rules/apply", json={"rule_id": rule["id"]}, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    assert books.txn(on_savings)["simple"]["category_id"] == books.coffee
    assert books.txn(on_bank)["simple"]["category_id"] == books.groceries
