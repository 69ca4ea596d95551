"""Categories: the income and expense accounts served as a tree, and templates."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.builders import register


def test_categories_form_a_tree(client: TestClient) -> None:
    owner = register(client)

    def add(name: str, type_: str = "expense", parent: str | None = None) -> str:
        body = {"name": name, "type": type_, "parent_id": parent}
        response = client.post("/api/v1/categories", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    food = add("Food")
    add("Groceries", parent=food)
    add("Salary", "income")
    client.post("/api/v1/accounts", json={"name": "Bank", "type": "asset"}, headers=owner.headers)
    tree = client.get("/api/v1/categories", headers=owner.headers).json()
    assert [(n["name"], [c["name"] for c in n["children"]]) for n in tree] == [
        ("Food", ["Groceries"]),
        ("Salary", []),
    ]
    not_category = client.post(
        "/api/v1/categories", json={"name": "Cash", "type": "asset"}, headers=owner.headers
    )
    assert not_category.status_code == 422


def test_a_non_category_account_is_not_a_category(client: TestClient) -> None:
    owner = register(client)
    bank = client.post(
        "/api/v1/accounts", json={"name": "Bank", "type": "asset"}, headers=owner.headers
    ).json()
    response = client.get(f"/api/v1/categories/{bank['id']}", headers=owner.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "category_not_found"


def test_templates_are_listed_and_applied_once(client: TestClient) -> None:
    owner = register(client)
    templates = client.get("/api/v1/categories/templates", headers=owner.headers).json()
    assert {t["key"] for t in templates} == {"household", "au_sole_trader"}
    household = next(t for t in templates if t["key"] == "household")
    applied = client.post("/api/v1/categories/templates/household/apply", headers=owner.headers)
    assert applied.status_code == 201
    assert applied.json()["created"] == household["categories"]
    tree = client.get("/api/v1/categories", headers=owner.headers).json()
    names = {n["name"] for n in tree}
    assert {"Salary and wages", "Food", "Work-related"} <= names
    work = next(n for n in tree if n["name"] == "Work-related")
    assert {c["tax_label"] for c in work["children"]} >= {"ind.d1_car", "ind.d4_self_education"}
    again = client.post("/api/v1/categories/templates/au_sole_trader/apply", headers=owner.headers)
    assert again.status_code == 409
    assert again.json()["code"] == "categories_exist"
    unknown = client.post("/api/v1/categories/templates/nope/apply", headers=owner.headers)
    assert unknown.status_code == 404
