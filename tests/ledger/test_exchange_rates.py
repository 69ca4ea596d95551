"""The exchange-rate API: validated, one per currency and day, audited, used by the summary."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import Account, add_member, register, switch


def add(client: TestClient, owner: Account, **body: str) -> Any:
    payload = {"currency": "USD", "effective_on": "2025-07-01", "rate": "1.5", **body}
    return client.post("/api/v1/exchange-rates", json=payload, headers=owner.headers)


def actions(client: TestClient, owner: Account) -> list[str]:
    response = client.get(
        "/api/v1/audit/logs", params={"resource_type": "exchange_rate"}, headers=owner.headers
    )
    return sorted(e["action"] for e in response.json()["items"])


def test_add_list_filter_and_delete_a_rate(client: TestClient) -> None:
    owner = register(client)
    first = add(client, owner, rate="1.523400")
    assert first.status_code == 201, first.text
    assert {k: first.json()[k] for k in ("currency", "effective_on", "rate")} == {
        "currency": "USD",
        "effective_on": "2025-07-01",
        "rate": "1.5234",
    }
    add(client, owner, effective_on="2025-08-01", rate="100")
    add(client, owner, currency="EUR", rate="0.000000000001")
    add(client, owner, currency="GBP", rate="98765.4321")  # a double on SQLite, read back exact
    add(client, owner, currency="JPY", rate="123456789012.123")  # 15 significant digits
    listed = client.get("/api/v1/exchange-rates", headers=owner.headers).json()
    assert [(r["currency"], r["effective_on"], r["rate"]) for r in listed["items"]] == [
        ("EUR", "2025-07-01", "0.000000000001"),
        ("GBP", "2025-07-01", "98765.4321"),
        ("JPY", "2025-07-01", "123456789012.123"),
        ("USD", "2025-08-01", "100"),
        ("USD", "2025-07-01", "1.5234"),
    ]
    assert listed["total"] == 5
    only = client.get(
        "/api/v1/exchange-rates", params={"currency": "EUR"}, headers=owner.headers
    ).json()
    assert [r["currency"] for r in only["items"]] == ["EUR"]
    gone = client.delete(f"/api/v1/exchange-rates/{first.json()['id']}", headers=owner.headers)
    assert gone.status_code == 204
    again = client.delete(f"/api/v1/exchange-rates/{first.json()['id']}", headers=owner.headers)
    assert again.status_code == 404
    assert again.json()["code"] == "exchange_rate_not_found"
    assert client.get("/api/v1/exchange-rates", headers=owner.headers).json()["total"] == 4
    assert actions(client, owner) == ["exchange_rate.create"] * 5 + ["exchange_rate.delete"]


def test_one_rate_per_currency_and_day(client: TestClient) -> None:
    owner = register(client)
    assert add(client, owner).status_code == 201
    duplicate = add(client, owner, rate="1.7")
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "exchange_rate_exists"
    assert add(client, owner, currency="EUR").status_code == 201  # another currency is fine


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "AUD"}, "currency"),  # the tenant's base currency
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"rate": "0"}, "rate"),
        ({"rate": "-1.5"}, "rate"),
        ({"rate": "1.5e3"}, "rate"),
        ({"rate": "1.0000000000001"}, "rate"),  # 13 decimals
        ({"rate": "1234567890123"}, "rate"),  # 13 integer digits
        ({"rate": "1234567890.123456"}, "rate"),  # 16 significant digits
        ({"rate": "abc"}, "rate"),
        ({"effective_on": "2025-02-30"}, "effective_on"),
    ],
)
def test_invalid_rates_name_the_field(client: TestClient, body: dict[str, str], field: str) -> None:
    owner = register(client)
    response = add(client, owner, **body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert client.get("/api/v1/exchange-rates", headers=owner.headers).json()["total"] == 0


def test_viewers_may_read_rates_but_not_change_them(client: TestClient) -> None:
    owner = register(client)
    viewer = register(client)
    add_member(client, owner, owner.tenant_id, viewer, "viewer")
    switch(client, viewer, owner.tenant_id)
    rate = add(client, owner).json()["id"]
    assert client.get("/api/v1/exchange-rates", headers=viewer.headers).json()["total"] == 1
    assert add(client, viewer, currency="EUR").status_code == 403
    denied = client.delete(f"/api/v1/exchange-rates/{rate}", headers=viewer.headers)
    assert denied.status_code == 403
    assert (
        client.delete(f"/api/v1/exchange-rates/{uuid.uuid4()}", headers=owner.headers).status_code
        == 404
    )


def test_the_summary_uses_the_rates_of_the_api(client: TestClient) -> None:
    owner = register(client)

    def account(name: str, type_: str) -> str:
        body = {"name": name, "type": type_, "currency": "USD"}
        return str(client.post("/api/v1/accounts", json=body, headers=owner.headers).json()["id"])

    bank, equity = account("US bank", "asset"), account("US equity", "equity")
    client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-01",
            "description": "Opening",
            "postings": [
                {"account_id": bank, "amount": "10.00"},
                {"account_id": equity, "amount": "-10.00"},
            ],
        },
        headers=owner.headers,
    )
    url = "/api/v1/balances/summary"
    before = client.get(url, params={"date": "2025-07-02"}, headers=owner.headers).json()
    assert (before["net_worth"], before["missing_rates"]) == ("0.00", ["USD"])
    add(client, owner, rate="1.55")
    after = client.get(url, params={"date": "2025-07-02"}, headers=owner.headers).json()
    assert (after["net_worth"], after["missing_rates"]) == ("15.50", [])
