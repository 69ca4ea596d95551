"""The /rules page over HTTP as a browser drives it: create, test inline, apply, reorder."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.ledger_helpers import api, create_account, post_form


def _entry(client: TestClient, bank: str, category: str, description: str) -> str:
    response = client.post(
        "/api/v1/transactions",
        json={"date": "2025-07-01", "description": description, "amount": "12.00",
              "type": "expense", "account_id": bank, "category_id": category},
        headers=api(client),
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _form(**values: str) -> dict[str, str]:
    return {"payee_op": "contains", "description_op": "contains", "enabled": "1", **values}


def test_create_test_and_apply_a_rule_from_the_page(signed_in: TestClient) -> None:
    client = signed_in
    bank = create_account(client, "Everyday")
    uncat = create_account(client, "Uncategorised expense", "expense", code="UNCAT-EXP")
    groceries = create_account(client, "Groceries", "expense")
    hit = _entry(client, bank, uncat, "EFTPOS WOOLWORTHS 1234")
    _entry(client, bank, uncat, "COLES 99")
    page = client.get("/rules")
    assert page.status_code == 200
    assert 'href="/rules" aria-current="page"' in page.text
    body = _form(name="Woolies", description_value="woolworths", set_category_id=groceries)
    tested = post_form(client, "/rules/test", body, hx=True)
    assert tested.status_code == 200, tested.text
    assert "1 transaction match; 1 would change" in tested.text
    assert "EFTPOS WOOLWORTHS 1234" in tested.text
    assert "COLES 99" not in tested.text
    assert client.get("/api/v1/rules", headers=api(client)).json()["total"] == 0
    created = post_form(client, "/rules", body, hx=True)
    assert created.status_code == 200
    assert "Created the rule “Woolies”" in created.text
    rule = client.get("/api/v1/rules", headers=api(client)).json()["items"][0]
    applied = post_form(client, f"/rules/{rule['id']}/apply", {}, hx=True)
    assert "1 transaction changed" in applied.text
    txn = client.get(f"/api/v1/transactions/{hit}", headers=api(client)).json()
    assert txn["simple"]["category_id"] == groceries


def test_a_bad_regex_is_shown_beside_its_field(signed_in: TestClient) -> None:
    client = signed_in
    groceries = create_account(client, "Groceries", "expense")
    body = _form(name="Bad", payee_op="regex", payee_value="(a+)+", set_category_id=groceries)
    refused = post_form(client, "/rules", body, hx=True)
    assert refused.status_code == 422
    assert 'id="f-payee_value-msg"' in refused.text
    assert "nested quantifiers" in refused.text
    tested = post_form(client, "/rules/test", body, hx=True)
    assert tested.status_code == 422
    assert "nested quantifiers" in tested.text


def test_up_and_down_reorder_the_rules(signed_in: TestClient) -> None:
    client = signed_in
    groceries = create_account(client, "Groceries", "expense")
    for name in ("first", "second"):
        post_form(
            client, "/rules", _form(name=name, payee_value=name, set_category_id=groceries), hx=True
        )
    rules = client.get("/api/v1/rules", headers=api(client)).json()["items"]
    post_form(client, f"/rules/{rules[1]['id']}/move", {"direction": "up"}, hx=True)
    names = [r["name"] for r in client.get("/api/v1/rules", headers=api(client)).json()["items"]]
    assert names == ["second", "first"]
    edit = client.get(f"/rules?edit={rules[0]['id']}")
    assert 'value="first"' in edit.text
    assert "Save rule" in edit.text
