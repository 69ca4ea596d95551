"""An account's recorded balances (anchors) and reconciliation, from its page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register
from tests.web.ledger_helpers import Chart, api, balance, household, post_form
from tests.web.test_account_pages import _viewer_of, post_txn

TODAY = date.today()  # UTC: never after the tenant's today (Australia/Sydney)
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


@pytest.fixture
def books(signed_in: TestClient) -> Chart:
    chart = household(signed_in)
    post_txn(
        signed_in,
        type="income",
        amount="1000",
        account_id=chart.checking,
        category_id=chart.salary,
        status="cleared",
        date=YESTERDAY,
        description="Pay",
    )
    post_txn(
        signed_in,
        type="expense",
        amount="40",
        account_id=chart.checking,
        category_id=chart.groceries,
        status="pending",
        date=YESTERDAY,
        description="Shop",
    )
    return chart


def anchors_of(client: TestClient, account_id: str) -> list[dict[str, str]]:
    response = client.get(f"/api/v1/accounts/{account_id}/anchors", headers=api(client))
    assert response.status_code == 200
    rows: list[dict[str, str]] = response.json()
    return rows


def statuses(client: TestClient, account_id: str) -> dict[str, str]:
    listed = client.get(
        "/api/v1/transactions", params={"account_id": account_id}, headers=api(client)
    ).json()
    return {t["description"]: t["status"] for t in listed["items"]}


def test_recording_a_balance_shows_how_it_compares(signed_in: TestClient, books: Chart) -> None:
    path = f"/accounts/{books.checking}/anchors"
    response = post_form(signed_in, path, {"date": YESTERDAY, "balance": "960.00"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/accounts/{books.checking}#anchors"
    post_form(signed_in, path, {"date": TODAY.isoformat(), "balance": "1000", "description": "x"})
    page = signed_in.get(f"/accounts/{books.checking}").text
    assert f"Recorded a balance of 1000 on {TODAY.isoformat()}." in page
    rows = dict(
        re.findall(
            r'<tr data-anchor="([\d-]+)">.*?data-testid="anchor-difference">([^<]+)<', page, re.S
        )
    )
    assert rows == {YESTERDAY: "matches", TODAY.isoformat(): "40.00"}


def test_anchor_errors_are_shown_beside_the_field(signed_in: TestClient, books: Chart) -> None:
    path = f"/accounts/{books.checking}/anchors"
    future = (TODAY + timedelta(days=5)).isoformat()
    cases = [
        ({"date": YESTERDAY, "balance": "12.345"}, "anchor-balance-msg", 422),
        ({"date": YESTERDAY, "balance": "ten"}, "anchor-balance-msg", 422),
        ({"date": future, "balance": "1"}, "anchor-date-msg", 422),
        ({"date": "", "balance": "1"}, "anchor-date-msg", 422),
    ]
    for data, message_id, status in cases:
        response = post_form(signed_in, path, data, hx=True)
        assert response.status_code == status, (data, response.text)
        text = response.text.lstrip()
        assert text.startswith('<form id="anchor-form"'), data
        assert f'id="{message_id}" class="field-error"' in text, data
    assert anchors_of(signed_in, books.checking) == []
    post_form(signed_in, path, {"date": YESTERDAY, "balance": "1"})
    again = post_form(signed_in, path, {"date": YESTERDAY, "balance": "2"}, hx=True)
    assert again.status_code == 409
    assert 'id="anchor-date-msg" class="field-error"' in again.text
    assert [a["balance"] for a in anchors_of(signed_in, books.checking)] == ["1.00"]


def test_deleting_a_recorded_balance(signed_in: TestClient, books: Chart) -> None:
    post_form(signed_in, f"/accounts/{books.checking}/anchors", {"date": YESTERDAY, "balance": "1"})
    (anchor,) = anchors_of(signed_in, books.checking)
    response = post_form(signed_in, f"/accounts/{books.checking}/anchors/{anchor['id']}/delete", {})
    assert response.status_code == 303
    assert anchors_of(signed_in, books.checking) == []
    assert "Deleted the recorded balance." in signed_in.get(f"/accounts/{books.checking}").text


def test_reconciling_a_matching_statement(signed_in: TestClient, books: Chart) -> None:
    page = signed_in.get(f"/accounts/{books.checking}").text
    assert 'data-testid="cleared-balance">1,000.00 <small>AUD' in page  # the pending shop is out
    response = post_form(
        signed_in,
        f"/accounts/{books.checking}/reconcile",
        {"date": TODAY.isoformat(), "statement_balance": "1000.00"},
    )
    assert response.status_code == 303
    page = signed_in.get(f"/accounts/{books.checking}").text
    assert f"Reconciled 1 transactions up to {TODAY.isoformat()}." in page
    assert statuses(signed_in, books.checking) == {"Pay": "reconciled", "Shop": "pending"}
    (anchor,) = anchors_of(signed_in, books.checking)
    assert anchor["source"] == "reconcile"
    assert anchor["balance"] == "1000.00"


def test_a_statement_that_differs_changes_nothing_unless_adjusted(
    signed_in: TestClient, books: Chart
) -> None:
    path = f"/accounts/{books.checking}/reconcile"
    fields = {"date": TODAY.isoformat(), "statement_balance": "990.00"}
    refused = post_form(signed_in, path, fields, hx=True)
    assert refused.status_code == 409
    text = refused.text.lstrip()
    assert text.startswith('<form id="reconcile-form"')
    assert 'class="form-error" role="alert"' in text
    assert "differs from the cleared balance" in text
    assert 'value="990.00"' in text
    assert statuses(signed_in, books.checking) == {"Pay": "cleared", "Shop": "pending"}
    assert anchors_of(signed_in, books.checking) == []
    assert balance(signed_in, books.checking) == "960.00"

    adjusted = post_form(signed_in, path, {**fields, "adjust": "1"})
    assert adjusted.status_code == 303
    page = signed_in.get(f"/accounts/{books.checking}").text
    assert "Posted an adjustment of -10.00 AUD." in page
    assert balance(signed_in, books.checking) == "950.00"
    assert statuses(signed_in, books.checking)["Pay"] == "reconciled"


def test_bad_reconcile_input_names_the_field(signed_in: TestClient, books: Chart) -> None:
    path = f"/accounts/{books.checking}/reconcile"
    response = post_form(signed_in, path, {"date": TODAY.isoformat(), "statement_balance": ""})
    assert response.status_code == 422
    assert "<html" in response.text  # without HTMX: the whole page, with the error
    assert 'id="reconcile-statement_balance-msg" class="field-error"' in response.text
    assert statuses(signed_in, books.checking)["Pay"] == "cleared"


def test_viewers_and_other_tenants_cannot_touch_anchors(
    page_client: TestClient, signed_in: TestClient, books: Chart
) -> None:
    fields = {"date": YESTERDAY, "balance": "1", "statement_balance": "1000"}
    viewer = _viewer_of(signed_in)
    page = viewer.get(f"/accounts/{books.checking}").text
    assert 'id="anchor-form"' not in page
    assert 'id="reconcile-form"' not in page
    for suffix in ("anchors", "reconcile"):
        assert post_form(viewer, f"/accounts/{books.checking}/{suffix}", fields).status_code == 403
    with TestClient(page_client.app, follow_redirects=False) as bob:
        register(bob, new_account())
        for suffix in ("anchors", "reconcile"):
            response = post_form(bob, f"/accounts/{books.checking}/{suffix}", fields)
            assert response.status_code == 404
    assert anchors_of(signed_in, books.checking) == []
    assert statuses(signed_in, books.checking)["Pay"] == "cleared"
