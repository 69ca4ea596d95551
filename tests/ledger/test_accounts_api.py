"""The chart of accounts over HTTP: create, read, update, archive, delete, validation."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import Account, add_member, create_tenant, register, switch


def create(client: TestClient, who: Account, **fields: Any) -> dict[str, Any]:
    body = {"name": "Everyday", "type": "asset", "subtype": "checking", **fields}
    response = client.post("/api/v1/accounts", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_and_read_an_account_with_every_field(client: TestClient) -> None:
    owner = register(client)
    card = create(
        client,
        owner,
        name="Visa",
        type="liability",
        subtype="credit_card",
        code="2-1100",
        institution="Big Bank",
        last_four="4242",
        credit_limit="5000.00",
        opened_on="2024-03-01",
        display_order=3,
        colour="#aa3300",
        icon="credit-card",
    )
    assert card["currency"] == "AUD"  # the tenant's base currency
    assert card["credit_limit"] == "5000.00"
    fetched = client.get(f"/api/v1/accounts/{card['id']}", headers=owner.headers).json()
    assert fetched == card
    listed = client.get("/api/v1/accounts", headers=owner.headers).json()
    assert [a["name"] for a in listed] == ["Visa"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "cash"}, "type"),
        ({"subtype": "wallet"}, "subtype"),
        ({"currency": "aud"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"last_four": "42"}, "last_four"),
        ({"colour": "red"}, "colour"),
        ({"credit_limit": "12.345"}, "credit_limit"),
        ({"credit_limit": "-5.00"}, "credit_limit"),
        ({"credit_limit": "1e3"}, "credit_limit"),
        ({"name": ""}, "name"),
        ({"parent_id": str(uuid.uuid4())}, "parent_id"),
    ],
)
def test_invalid_fields_are_named_and_nothing_is_created(
    client: TestClient, fields: dict[str, Any], field: str
) -> None:
    owner = register(client)
    body = {"name": "Everyday", "type": "asset", **fields}
    response = client.post("/api/v1/accounts", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert client.get("/api/v1/accounts", headers=owner.headers).json() == []


def test_codes_are_unique_per_tenant_and_names_per_parent(client: TestClient) -> None:
    owner, other = register(client), register(client)
    create(client, owner, code="1-1100")
    clash = client.post(
        "/api/v1/accounts",
        json={"name": "Savings", "type": "asset", "code": "1-1100"},
        headers=owner.headers,
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "duplicate_code"
    same_name = client.post(
        "/api/v1/accounts", json={"name": "everyday", "type": "asset"}, headers=owner.headers
    )
    assert same_name.json()["code"] == "duplicate_name"
    create(client, other, code="1-1100")  # another tenant may use the same code


def test_parents_must_have_the_same_type_and_no_cycles(client: TestClient) -> None:
    owner = register(client)
    bank = create(client, owner, name="Bank accounts")
    child = create(client, owner, name="Offset", parent_id=bank["id"])
    loan = create(client, owner, name="Home loan", type="liability", subtype="loan")
    wrong_type = client.post(
        "/api/v1/accounts",
        json={"name": "X", "type": "liability", "parent_id": bank["id"]},
        headers=owner.headers,
    )
    assert wrong_type.status_code == 422
    assert wrong_type.json()["code"] == "invalid_parent"
    cycle = client.patch(
        f"/api/v1/accounts/{bank['id']}", json={"parent_id": child["id"]}, headers=owner.headers
    )
    assert cycle.status_code == 422
    assert cycle.json()["errors"][0]["field"] == "parent_id"
    itself = client.patch(
        f"/api/v1/accounts/{bank['id']}", json={"parent_id": bank["id"]}, headers=owner.headers
    )
    assert itself.status_code == 422
    assert loan["parent_id"] is None


def test_update_archive_and_clear_fields(client: TestClient) -> None:
    owner = register(client)
    account = create(client, owner, institution="Big Bank", colour="#112233")
    updated = client.patch(
        f"/api/v1/accounts/{account['id']}",
        json={"name": "Bills", "institution": None, "is_archived": True},
        headers=owner.headers,
    ).json()
    assert (updated["name"], updated["institution"], updated["colour"]) == (
        "Bills",
        None,
        "#112233",
    )
    assert client.get("/api/v1/accounts", headers=owner.headers).json() == []
    archived = client.get(
        "/api/v1/accounts", params={"include_archived": True}, headers=owner.headers
    ).json()
    assert [a["name"] for a in archived] == ["Bills"]
    null_name = client.patch(
        f"/api/v1/accounts/{account['id']}", json={"name": None}, headers=owner.headers
    )
    assert null_name.status_code == 422


def test_delete_refuses_an_account_with_children(client: TestClient) -> None:
    owner = register(client)
    parent = create(client, owner, name="Bank accounts")
    create(client, owner, name="Offset", parent_id=parent["id"])
    refused = client.delete(f"/api/v1/accounts/{parent['id']}", headers=owner.headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "account_in_use"
    leaf = create(client, owner, name="Spare")
    assert client.delete(f"/api/v1/accounts/{leaf['id']}", headers=owner.headers).status_code == 204
    gone = client.get(f"/api/v1/accounts/{leaf['id']}", headers=owner.headers)
    assert gone.status_code == 404


def test_filter_by_type(client: TestClient) -> None:
    owner = register(client)
    create(client, owner, name="Everyday")
    create(client, owner, name="Visa", type="liability", subtype="credit_card")
    liabilities = client.get(
        "/api/v1/accounts", params={"type": "liability"}, headers=owner.headers
    ).json()
    assert [a["name"] for a in liabilities] == ["Visa"]


def test_viewers_read_but_do_not_change(client: TestClient) -> None:
    owner, viewer = register(client), register(client)
    tenant = create_tenant(client, owner)
    switch(client, owner, tenant)
    account = create(client, owner)
    add_member(client, owner, tenant, viewer, "viewer")
    switch(client, viewer, tenant)
    assert client.get("/api/v1/accounts", headers=viewer.headers).status_code == 200
    denied = client.patch(
        f"/api/v1/accounts/{account['id']}", json={"name": "X"}, headers=viewer.headers
    )
    assert denied.status_code == 403
    assert (
        client.post(
            "/api/v1/accounts", json={"name": "Y", "type": "asset"}, headers=viewer.headers
        ).status_code
        == 403
    )


def test_changes_are_audited(client: TestClient) -> None:
    owner = register(client)
    account = create(client, owner)
    client.patch(f"/api/v1/accounts/{account['id']}", json={"name": "Bills"}, headers=owner.headers)
    events = client.get(
        "/api/v1/audit/logs", params={"resource_type": "account"}, headers=owner.headers
    ).json()["items"]
    assert [e["action"] for e in events] == ["account.update", "account.create"]
    assert events[0]["before"]["name"] == "Everyday"
    assert events[0]["after"]["name"] == "Bills"


def test_the_list_answers_each_account_exactly_as_its_own_read(client: TestClient) -> None:
    # The list is built from column rows and the single read from an ORM object: the
    # two must render every field alike (credit limit, dates, timestamps, flags).
    owner = register(client)
    create(
        client,
        owner,
        name="Visa",
        type="liability",
        subtype="credit_card",
        credit_limit="5000.00",
        opened_on="2024-03-01",
        last_four="4242",
        colour="#aa3300",
    )
    create(client, owner, name="Cash", subtype="cash", display_order=2, icon="wallet")
    listed = client.get("/api/v1/accounts", headers=owner.headers).json()
    assert len(listed) >= 2
    for row in listed:
        single = client.get(f"/api/v1/accounts/{row['id']}", headers=owner.headers).json()
        assert row == single


def test_an_update_that_breaks_a_rule_is_refused_and_changes_nothing(client: TestClient) -> None:
    # The rules are checked before anything is written: the checks' own reads must not
    # flush the half-applied change first (that had answered 500 from the constraint).
    owner, other = register(client), register(client)
    create(client, owner, name="Savings", code="1-1200")
    everyday = create(client, owner, code="1-1100", colour="#112233")
    theirs = create(client, other, name="Theirs")
    path = f"/api/v1/accounts/{everyday['id']}"
    clash = client.patch(path, json={"code": "1-1200", "colour": "#000000"}, headers=owner.headers)
    assert clash.status_code == 409, clash.text
    assert clash.json()["errors"][0]["field"] == "code"
    for parent in (str(uuid.uuid4()), theirs["id"]):  # another tenant's: as if none
        moved = client.patch(path, json={"parent_id": parent}, headers=owner.headers)
        assert moved.status_code == 422, moved.text
        assert moved.json()["code"] == "invalid_parent"
        assert moved.json()["errors"][0]["field"] == "parent_id"
    assert client.get(path, headers=owner.headers).json() == everyday


def test_a_category_moved_under_no_such_category_is_refused(client: TestClient) -> None:
    owner = register(client)
    body = {"name": "Groceries", "type": "expense"}
    made = client.post("/api/v1/categories", json=body, headers=owner.headers)
    assert made.status_code == 201, made.text
    path = f"/api/v1/categories/{made.json()['id']}"
    moved = client.patch(path, json={"parent_id": str(uuid.uuid4())}, headers=owner.headers)
    assert moved.status_code == 422, moved.text
    assert moved.json()["errors"][0]["field"] == "parent_id"
    assert client.get(path, headers=owner.headers).json()["parent_id"] is None
