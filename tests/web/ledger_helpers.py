"""Helpers of the ledger page tests: a chart built through the JSON API with the session's
own token, and form posts the way the browser sends them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient


def api(client: TestClient) -> dict[str, str]:
    """The JSON API's auth header, from the page session's access cookie."""
    return {"Authorization": f"Bearer {client.cookies['fiscus_access']}"}


def htmx(client: TestClient) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": client.cookies["fiscus_csrf"]}


def post_form(client: TestClient, path: str, data: dict[str, Any], *, hx: bool = False) -> Any:
    if hx:
        return client.post(path, data=data, headers=htmx(client))
    return client.post(path, data={**data, "csrf_token": client.cookies["fiscus_csrf"]})


def create_account(client: TestClient, name: str, type_: str = "asset", **extra: Any) -> str:
    response = client.post(
        "/api/v1/accounts", json={"name": name, "type": type_, **extra}, headers=api(client)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def balance(client: TestClient, account_id: str) -> str:
    response = client.get(f"/api/v1/accounts/{account_id}/balance", headers=api(client))
    assert response.status_code == 200, response.text
    return str(response.json()["balance"])


@dataclass(frozen=True)
class Chart:
    checking: str
    savings: str
    card: str
    groceries: str
    rent: str
    salary: str


def household(client: TestClient) -> Chart:
    """Three accounts and three categories of the household template."""
    applied = client.post("/api/v1/categories/templates/household/apply", headers=api(client))
    assert applied.status_code == 201, applied.text
    tree = client.get("/api/v1/categories", headers=api(client)).json()
    names = {node["name"]: node["id"] for node in walk(tree)}
    return Chart(
        checking=create_account(client, "Everyday", subtype="checking"),
        savings=create_account(client, "Savings", subtype="savings"),
        card=create_account(client, "Visa", "liability", subtype="credit_card"),
        groceries=names["Groceries"],
        rent=names["Rent"],
        salary=names["Salary and wages"],
    )


def walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node["children"]))
    return out


def category_names(client: TestClient) -> dict[str, str]:
    tree = client.get("/api/v1/categories", headers=api(client)).json()
    return {node["name"]: node["id"] for node in walk(tree)}


def expense(client: TestClient, chart: Chart, amount: str, **fields: Any) -> dict[str, Any]:
    body = {
        "type": "expense",
        "date": "2026-11-20",
        "description": "Groceries",
        "amount": amount,
        "account_id": chart.checking,
        "category_id": chart.groceries,
        "status": "cleared",
        **fields,
    }
    response = client.post("/api/v1/transactions", json=body, headers=api(client))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
