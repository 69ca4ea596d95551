"""The goals page: progress bars and status, an HTMX create form with errors beside the
fields, archive, restore and delete; CSRF and other tenants' ids refused."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register


def api(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """The JSON API with the browser session's own access token."""
    token = client.cookies["fiscus_access"]
    response = client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def htmx_post(client: TestClient, path: str, data: dict[str, str]) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": client.cookies["fiscus_csrf"]}
    return client.post(path, data=data, headers=headers)


def books(client: TestClient) -> tuple[str, str]:
    food = api(client, "POST", "/api/v1/categories", json={"name": "Food", "type": "expense"})
    bank = api(client, "POST", "/api/v1/accounts", json={"name": "Everyday", "type": "asset"})
    return food["id"], bank["id"]


def test_an_empty_page_offers_the_form(signed_in: TestClient) -> None:
    page = signed_in.get("/goals")
    assert page.status_code == 200
    assert "No goals yet" in page.text
    assert '<a href="/goals" aria-current="page">Goals</a>' in page.text
    assert 'id="goal-form"' in page.text
    assert "style=" not in page.text  # the CSP forbids inline styles


def test_create_shows_errors_beside_the_fields_then_the_goal(signed_in: TestClient) -> None:
    food, bank = books(signed_in)
    refused = htmx_post(
        signed_in,
        "/goals",
        {"kind": "spending_limit", "name": "Food", "account_id": food, "amount": "1.234"},
    )
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<div id="goals">')  # the block only
    assert "Amount" in refused.text
    assert 'id="f-amount-msg" class="field-error"' in refused.text
    assert 'name="amount" type="text" value="1.234"' in refused.text  # what was typed stays
    wrong_account = htmx_post(
        signed_in,
        "/goals",
        {"kind": "spending_limit", "name": "Food", "account_id": bank, "amount": "100"},
    )
    assert wrong_account.status_code == 422
    assert "must be an expense account for a spending_limit" in wrong_account.text
    assert 'id="f-account_id-msg" class="field-error"' in wrong_account.text
    created = htmx_post(
        signed_in,
        "/goals",
        {
            "kind": "spending_limit",
            "name": "Food budget",
            "account_id": food,
            "amount": "100.00",
            "period": "monthly",
            "warn_percent": "80",
            "target_date": "",
        },
    )
    assert created.status_code == 200, created.text
    assert "Created the goal “Food budget”." in created.text
    assert 'data-testid="goal-card"' in created.text
    assert "Spent 0.00 of 100.00 AUD" in created.text


def test_spending_moves_the_bar_and_the_status(signed_in: TestClient) -> None:
    food, bank = books(signed_in)
    goal = api(
        signed_in,
        "POST",
        "/api/v1/goals",
        json={"kind": "spending_limit", "name": "Food", "account_id": food, "amount": "100.00"},
    )
    today = api(signed_in, "GET", f"/api/v1/goals/{goal['id']}/progress")["as_of"]
    api(
        signed_in,
        "POST",
        "/api/v1/transactions",
        json={
            "date": today,
            "description": "Shop",
            "amount": "85.00",
            "type": "expense",
            "account_id": bank,
            "category_id": food,
        },
    )
    page = signed_in.get("/goals").text
    bar = re.search(r"<progress [^>]*>", page)
    assert bar is not None
    assert 'value="85.00" max="100.00"' in bar.group(0)
    assert "goal-bar-warning" in bar.group(0)
    assert 'data-testid="goal-status">Warning</span>' in page
    assert "85 % used" in page
    assert 'data-testid="goal-alert"><strong>Food: 80 % of the limit for' in page
    assert "Alerts (1 unread)" in page
    read = htmx_post(signed_in, "/goals/alerts/read", {})
    assert "Marked 1 alert read." in read.text
    assert 'data-testid="goal-alert"' not in read.text
    assert api(signed_in, "GET", "/api/v1/notifications", params={"unread": True})["total"] == 0


def test_archive_restore_and_delete(signed_in: TestClient) -> None:
    food, _ = books(signed_in)
    goal = api(
        signed_in,
        "POST",
        "/api/v1/goals",
        json={"kind": "spending_limit", "name": "Food", "account_id": food, "amount": "100.00"},
    )
    archived = htmx_post(signed_in, f"/goals/{goal['id']}/archive", {"archived": "1"})
    assert archived.status_code == 200
    assert 'data-testid="goal-card"' not in archived.text
    assert "Archived goals (1)" in archived.text
    restored = htmx_post(signed_in, f"/goals/{goal['id']}/archive", {"archived": "0"})
    assert 'data-testid="goal-card"' in restored.text
    plain = signed_in.post(
        f"/goals/{goal['id']}/delete", data={"csrf_token": signed_in.cookies["fiscus_csrf"]}
    )
    assert (plain.status_code, plain.headers["location"]) == (303, "/goals")
    assert api(signed_in, "GET", "/api/v1/goals")["total"] == 0


def test_a_post_without_the_csrf_token_is_refused(signed_in: TestClient) -> None:
    food, _ = books(signed_in)
    response = signed_in.post(
        "/goals", data={"kind": "spending_limit", "name": "x", "account_id": food, "amount": "1"}
    )
    assert response.status_code == 403
    assert api(signed_in, "GET", "/api/v1/goals")["total"] == 0


def test_another_tenants_goal_is_not_found(page_client: TestClient) -> None:
    register(page_client, new_account())
    food, _ = books(page_client)
    goal = api(
        page_client,
        "POST",
        "/api/v1/goals",
        json={"kind": "spending_limit", "name": "Mine", "account_id": food, "amount": "5.00"},
    )
    page_client.cookies.clear()
    register(page_client, new_account())
    response = htmx_post(page_client, f"/goals/{goal['id']}/delete", {})
    assert response.status_code == 404
