"""The recurring page and the dashboard's forecast: list with flags, confirm, dismiss and
edit inline over HTMX, the 3/6/12 months switch; CSRF and other tenants' ids refused."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fiscus.recurring.cadence import add_months
from tests.web.helpers import csrf_of, new_account


def api(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    token = client.cookies["fiscus_access"]
    response = client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def htmx_post(client: TestClient, path: str, data: dict[str, str] | None = None) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": client.cookies["fiscus_csrf"]}
    return client.post(path, data=data or {}, headers=headers)


def register(client: TestClient) -> None:
    """Sign up through the page, as a browser does (the session lands in cookies)."""
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


@pytest.fixture
def signed_in(client: TestClient) -> TestClient:
    register(client)
    return client


def _subscription(client: TestClient, price_rise: bool = False) -> None:
    bank = api(client, "POST", "/api/v1/accounts", json={"name": "Everyday", "type": "asset"})
    fun = api(client, "POST", "/api/v1/categories", json={"name": "Fun", "type": "expense"})
    today = date.fromisoformat(api(client, "GET", "/api/v1/balances/forecast")["start"])
    first = add_months(today.replace(day=1), -4, 9)
    for i in range(4):
        amount = "19.99" if price_rise and i == 3 else "15.99"
        api(
            client,
            "POST",
            "/api/v1/transactions",
            json={
                "date": add_months(first, i, 9).isoformat(),
                "description": "Streamflix",
                "payee": "STREAMFLIX 0423",
                "amount": amount,
                "type": "expense",
                "account_id": bank["id"],
                "category_id": fun["id"],
            },
        )


def _series_id(page: str) -> str:
    match = re.search(r'id="series-([0-9a-f-]{36})"', page)
    assert match, page
    return match.group(1)


def test_detect_confirm_edit_and_dismiss_on_the_page(signed_in: TestClient) -> None:
    _subscription(signed_in, price_rise=True)
    page = signed_in.get("/recurring")
    assert page.status_code == 200
    assert '<a href="/recurring" aria-current="page">Recurring</a>' in page.text
    assert "No suggestions" in page.text
    assert "style=" not in page.text  # the CSP forbids inline styles
    found = htmx_post(signed_in, "/recurring/detect")
    assert found.status_code == 200
    assert found.text.lstrip().startswith('<div id="recurring">')  # the block only
    assert "Found 1 series: 1 new" in found.text
    assert "Amount changed from -15.99" in found.text
    series = _series_id(found.text)
    confirmed = htmx_post(signed_in, f"/recurring/{series}/confirm")
    assert 'data-status="confirmed"' in confirmed.text
    refused = htmx_post(signed_in, f"/recurring/{series}/edit", {"expected_amount": "abc"})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    saved = htmx_post(
        signed_in,
        f"/recurring/{series}/edit",
        {"name": "Films", "expected_amount": "-21.00", "cadence": "monthly"},
    )
    assert saved.status_code == 200
    assert "-21.00 AUD" in saved.text
    detail = api(signed_in, "GET", f"/api/v1/recurring/{series}")
    assert (detail["name"], detail["expected_amount"], detail["edited"]) == (
        "Films",
        "-21.00",
        ["amount", "name"],
    )
    dismissed = htmx_post(signed_in, f"/recurring/{series}/dismiss")
    assert 'data-status="dismissed"' in dismissed.text


def test_the_forecast_switch_and_the_dashboard_chart(signed_in: TestClient) -> None:
    _subscription(signed_in)
    page = signed_in.get("/recurring")
    assert "next 3 months" in page.text
    block = signed_in.get("/recurring/forecast?months=12", headers={"HX-Request": "true"})
    assert block.status_code == 200
    assert block.text.lstrip().startswith('<div id="forecast"')
    assert "next 12 months" in block.text
    assert "next 6 months" in signed_in.get("/recurring?months=6").text
    plain = signed_in.get("/recurring/forecast?months=6", follow_redirects=False)
    assert plain.status_code == 303
    dashboard = signed_in.get("/")
    assert 'data-testid="dashboard-forecast"' in dashboard.text
    assert "Projected balance" in dashboard.text


def test_csrf_and_other_tenants_ids(signed_in: TestClient) -> None:
    _subscription(signed_in)
    series = _series_id(htmx_post(signed_in, "/recurring/detect").text)
    without = signed_in.post(f"/recurring/{series}/confirm", headers={"HX-Request": "true"})
    assert without.status_code == 403
    missing = htmx_post(signed_in, f"/recurring/{uuid.uuid4()}/confirm")
    assert missing.status_code == 404
    signed_in.cookies.clear()
    register(signed_in)
    theirs = htmx_post(signed_in, f"/recurring/{series}/dismiss")
    assert theirs.status_code == 404
    assert series not in signed_in.get("/recurring").text
