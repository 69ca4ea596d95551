"""No U+0000 in any text a request gives: a 422 naming the field, on both databases
(PostgreSQL's text cannot hold the character; without the check these were 500s)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.builders import register


def problem_fields(response: object) -> list[str]:
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "validation_error", body
    assert {e["code"] for e in body["errors"]} == {"string_nul"}
    return [e["field"] for e in body["errors"]]


def test_a_nul_in_a_json_field_is_refused_naming_the_field(client: TestClient) -> None:
    owner = register(client)
    body = {"name": "Every\u0000day", "type": "asset", "institution": "Bank\u0000"}
    response = client.post("/api/v1/accounts", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert sorted(problem_fields(response)) == ["institution", "name"]
    listed = client.get("/api/v1/accounts", headers=owner.headers).json()
    assert listed == []  # nothing was created


def test_a_nul_deep_in_a_json_body_names_its_path(client: TestClient) -> None:
    owner = register(client)
    account = client.post(
        "/api/v1/accounts", json={"name": "Everyday", "type": "asset"}, headers=owner.headers
    ).json()
    body = {
        "date": "2025-07-01",
        "description": "Split",
        "postings": [
            {"account_id": account["id"], "amount": "10.00"},
            {"account_id": account["id"], "amount": "-10.00", "memo": "a\u0000b"},
        ],
    }
    response = client.post("/api/v1/transactions", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == ["postings.1.memo"]


def test_a_nul_in_a_query_parameter_is_refused(client: TestClient) -> None:
    owner = register(client)
    response = client.get("/api/v1/transactions?q=wool%00worths", headers=owner.headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == ["q"]


def test_an_escaped_backslash_before_u0000_is_ordinary_text(client: TestClient) -> None:
    owner = register(client)
    raw = b'{"name": "C:\\\\u0000 folder", "type": "asset"}'  # the text C:\u0000 folder
    response = client.post(
        "/api/v1/accounts",
        content=raw,
        headers={**owner.headers, "content-type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "C:\\u0000 folder"


def test_a_nul_in_a_page_form_is_refused(client: TestClient) -> None:
    response = client.post(
        "/login",
        content=b"email=a%00%40example.com&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("text/html")  # the error page
    assert "Invalid input: email." in response.text
