"""The review page over HTTP: the queue and its decisions over HTMX, a plain form post,
CSRF, a viewer, and another tenant's id."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import csrf_of, new_account


def api(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    token = client.cookies["fiscus_access"]
    response = client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def htmx_post(client: TestClient, path: str, data: dict[str, str] | None = None) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": client.cookies["fiscus_csrf"]}
    return client.post(path, data=data or {}, headers=headers)


@pytest.fixture
def books(client: TestClient) -> dict[str, str]:
    """Signed in through the page; hand-filed groceries and two pet-shop lines queued."""
    account = new_account()
    response = client.post(
        "/register",
        data={
            "name": account.name,
            "email": account.email,
            "password": account.password,
            "csrf_token": csrf_of(client, "/register"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    ids = {
        "bank": api(client, "POST", "/api/v1/accounts", json={"name": "Bank", "type": "asset"}),
        "groceries": api(
            client, "POST", "/api/v1/categories", json={"name": "Groceries", "type": "expense"}
        ),
        "pets": api(client, "POST", "/api/v1/categories", json={"name": "Pets", "type": "expense"}),
        "uncat": api(
            client,
            "POST",
            "/api/v1/categories",
            json={"name": "Uncategorised expense", "type": "expense", "code": "UNCAT-EXP"},
        ),
    }
    found = {k: v["id"] for k, v in ids.items()}
    lines = [("EFTPOS WOOLWORTHS 1", "groceries"), ("EFTPOS COLES 2", "groceries")]
    lines += [("PETBARN 12 ALEXANDRIA", "uncat"), ("PETBARN 99 ROZELLE", "uncat")]
    for day, (text, category) in enumerate(lines, start=1):
        txn = api(
            client,
            "POST",
            "/api/v1/transactions",
            json={
                "date": f"2026-03-0{day}",
                "description": text,
                "amount": "30.00",
                "type": "expense",
                "account_id": found["bank"],
                "category_id": found[category],
            },
        )
        found[text] = txn["id"]
    api(client, "PATCH", "/api/v1/insights/model", json={"auto_threshold": 1.0})
    assert htmx_post(client, "/review/categorise").status_code == 200
    return found


def test_the_queue_shows_each_entry_with_its_suggestion(
    client: TestClient, books: dict[str, str]
) -> None:
    page = client.get("/review")
    assert page.status_code == 200
    assert page.text.count('data-testid="review-item"') == 2
    assert "PETBARN 99 ROZELLE" in page.text
    assert 'aria-current="page">Review' in page.text


def test_a_correction_over_htmx_answers_with_the_block(
    client: TestClient, books: dict[str, str]
) -> None:
    first = books["PETBARN 12 ALEXANDRIA"]
    response = htmx_post(
        client, f"/review/{first}", {"action": "correct", "category_id": books["pets"]}
    )
    assert response.status_code == 200, response.text
    assert "<html" not in response.text  # the block, not the page
    assert "Filed “PETBARN 12 ALEXANDRIA” under Pets." in response.text
    assert response.text.count('data-testid="review-item"') == 1
    txn = api(client, "GET", f"/api/v1/transactions/{first}")
    assert txn["simple"]["category_id"] == books["pets"]


def test_a_plain_form_post_redirects_back(client: TestClient, books: dict[str, str]) -> None:
    second = books["PETBARN 99 ROZELLE"]
    response = client.post(
        f"/review/{second}",
        data={"action": "confirm", "csrf_token": client.cookies["fiscus_csrf"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/review"


def test_refused_decisions(client: TestClient, books: dict[str, str]) -> None:
    first = books["PETBARN 12 ALEXANDRIA"]
    no_csrf = client.post(f"/review/{first}", data={"action": "confirm"})
    assert no_csrf.status_code == 403
    missing = htmx_post(client, f"/review/{uuid.uuid4()}", {"action": "confirm"})
    assert missing.status_code == 404
    assert "no suggestion awaiting a decision" in missing.text
    bad = htmx_post(client, f"/review/{first}", {"action": "correct"})
    assert bad.status_code == 422
    assert "required to correct" in bad.text
    still = api(client, "GET", f"/api/v1/transactions/{first}")
    assert still["simple"]["category_id"] == books["uncat"]
