"""HTTP tests of /api/v1/recurring: detection, list, read, confirm, edit, dismiss."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from fiscus.recurring.cadence import add_months
from tests.recurring.helpers import Books
from tests.support.builders import add_member, register, switch


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client, "Alice"))


def _months_ago(today: date, months: int, day: int) -> date:
    return add_months(today.replace(day=1), -months, day)


def _next_day_of_month(today: date, day: int) -> date:
    """The first date after today on `day` of its month (day <= 28)."""
    return today.replace(day=day) if today.day < day else add_months(today.replace(day=1), 1, day)


def test_detection_finds_a_monthly_subscription_with_its_next_date(books: Books) -> None:
    today = books.today()
    due = _next_day_of_month(today, 10)  # the next payment, whatever day the test runs
    first = add_months(due, -5)
    books.monthly(first, 5, "15.99")
    books.spend(today.replace(day=1), "42.00", books.groceries, "Corner shop")
    result = books.detect()
    assert result == {"found": 1, "created": 1, "updated": 0, "skipped_dismissed": 0}
    (series,) = books.series()
    assert series["status"] == "suggested"
    assert series["cadence"] == "monthly"
    assert series["payee"] == "NETFLIX.COM 0423"
    assert series["expected_amount"] == "-15.99"
    assert series["expected_on"] == due.isoformat()
    assert series["last_seen_on"] == add_months(due, -1).isoformat()
    assert series["account_name"] == "Everyday"
    assert series["category_name"] == "Subscriptions"
    assert series["occurrences"] == 5
    assert series["flags"] == {"missed": False, "amount_changed": False, "previous_amount": None}


def test_a_price_rise_is_flagged_and_the_new_amount_expected(books: Books) -> None:
    today = books.today()
    first = _months_ago(today, 5, 3)
    ids = books.monthly(first, 4, "15.99")
    ids.append(books.spend(add_months(first, 4, 3), "18.99", books.subscriptions, "Netflix.com"))
    books.detect()
    (series,) = books.series()
    assert series["expected_amount"] == "-18.99"
    assert series["flags"]["amount_changed"] is True
    assert series["flags"]["previous_amount"] == "-15.99"
    detail = books.client.get(f"/api/v1/recurring/{series['id']}", headers=books.owner.headers)
    assert detail.status_code == 200
    history = detail.json()["history"]
    assert [h["transaction_id"] for h in history] == ids
    assert [h["amount"] for h in history] == ["-15.99"] * 4 + ["-18.99"]


def test_a_missed_payment_is_flagged(books: Books) -> None:
    today = books.today()
    books.monthly(_months_ago(today, 5, 5), 4, "9.99")  # none last month, nor this one
    books.detect()
    (series,) = books.series()
    assert series["expected_on"] == _months_ago(today, 1, 5).isoformat()
    assert series["flags"]["missed"] is True


def test_confirm_edit_and_dismiss(books: Books) -> None:
    today = books.today()
    books.monthly(_months_ago(today, 4, 12), 4, "15.99")
    books.detect()
    (series,) = books.series()
    url, headers = f"/api/v1/recurring/{series['id']}", books.owner.headers
    confirmed = books.client.post(f"{url}/confirm", headers=headers)
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    next_on = add_months(today, 1, 20).isoformat()
    edited = books.client.patch(
        url,
        json={"name": "Netflix", "expected_amount": "-17.50", "expected_on": next_on},
        headers=headers,
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["name"], body["expected_amount"], body["expected_on"]) == (
        "Netflix",
        "-17.50",
        next_on,
    )
    assert body["edited"] == ["amount", "name", "next_on"]
    assert books.series(status="confirmed")[0]["id"] == series["id"]
    dismissed = books.client.post(f"{url}/dismiss", headers=headers)
    assert dismissed.json()["status"] == "dismissed"
    assert books.series(status="confirmed") == []
    assert [s["id"] for s in books.series(status="dismissed")] == [series["id"]]
    events = books.client.get("/api/v1/audit/logs", params={"limit": 100}, headers=headers)
    assert events.status_code == 200, events.text
    actions = {e["action"] for e in events.json()["items"]}
    assert {"recurring.confirm", "recurring.update", "recurring.dismiss"} <= actions


def test_redetection_keeps_edits_and_never_resurrects_a_dismissed_series(books: Books) -> None:
    today = books.today()
    books.monthly(_months_ago(today, 4, 12), 4, "15.99")
    books.monthly(_months_ago(today, 4, 20), 4, "60.00", payee="Gym Direct Debit")
    books.detect()
    netflix, gym = sorted(books.series(), key=lambda s: s["payee"], reverse=True)
    assert "NETFLIX" in netflix["payee"]
    headers = books.owner.headers
    books.client.patch(
        f"/api/v1/recurring/{netflix['id']}",
        json={"name": "Films", "cadence": "monthly", "expected_amount": "-20.00"},
        headers=headers,
    )
    books.client.post(f"/api/v1/recurring/{gym['id']}/dismiss", headers=headers)
    books.monthly(add_months(_months_ago(today, 4, 12), 4, 12), 1, "16.99")
    books.monthly(add_months(_months_ago(today, 4, 20), 4, 20), 1, "60.00", "Gym Direct Debit")
    result = books.detect()
    assert result == {"found": 2, "created": 0, "updated": 1, "skipped_dismissed": 1}
    after = {s["id"]: s for s in books.series()}
    assert (after[netflix["id"]]["name"], after[netflix["id"]]["expected_amount"]) == (
        "Films",
        "-20.00",
    )
    assert after[netflix["id"]]["occurrences"] == 5  # refreshed all the same
    assert after[gym["id"]]["status"] == "dismissed"
    assert after[gym["id"]]["occurrences"] == 4  # left exactly as it was


def test_errors(books: Books) -> None:
    headers = books.owner.headers
    missing = f"/api/v1/recurring/{uuid.uuid4()}"
    for method, path in (
        ("GET", missing),
        ("PATCH", missing),
        ("POST", f"{missing}/confirm"),
        ("POST", f"{missing}/dismiss"),
    ):
        response = books.client.request(method, path, json={}, headers=headers)
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "recurring_series_not_found"
    assert (
        books.client.get("/api/v1/recurring", params={"status": "x"}, headers=headers).status_code
        == 422
    )
    today = books.today()
    books.monthly(_months_ago(today, 4, 12), 4, "15.99")
    books.detect()
    url = f"/api/v1/recurring/{books.series()[0]['id']}"
    for body, field in (
        ({"expected_amount": "abc"}, "expected_amount"),
        ({"expected_amount": "0"}, "expected_amount"),
        ({"expected_amount": "1.234"}, "expected_amount"),
        ({"cadence": "daily"}, "cadence"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"colour": "red"}, "colour"),
    ):
        response = books.client.patch(url, json=body, headers=headers)
        assert response.status_code == 422, body
        assert field in response.text, response.text


def test_a_viewer_can_read_but_not_change(client: TestClient, books: Books) -> None:
    today = books.today()
    books.monthly(_months_ago(today, 4, 12), 4, "15.99")
    books.detect()
    series_id = books.series()[0]["id"]
    viewer = register(client, "Vera")
    add_member(client, books.owner, books.owner.tenant_id, viewer, role="viewer")
    switch(client, viewer, books.owner.tenant_id)
    listed = client.get("/api/v1/recurring", headers=viewer.headers)
    assert listed.status_code == 200
    for path in ("/api/v1/recurring/detect", f"/api/v1/recurring/{series_id}/confirm"):
        assert client.post(path, headers=viewer.headers).status_code == 403
    patched = client.patch(
        f"/api/v1/recurring/{series_id}", json={"name": "x"}, headers=viewer.headers
    )
    assert patched.status_code == 403


def test_an_edited_next_date_holds_until_a_payment_reaches_it(books: Books) -> None:
    today = books.today()
    first = _months_ago(today, 5, 12)
    books.monthly(first, 4, "15.99")
    books.detect()
    (series,) = books.series()
    url, headers = f"/api/v1/recurring/{series['id']}", books.owner.headers
    detected_next = add_months(first, 4, 12)
    chosen = detected_next + timedelta(days=3)  # the bank now takes it on the 15th
    books.client.patch(url, json={"expected_on": chosen.isoformat()}, headers=headers)
    books.detect()  # nothing new: the user's date stays
    assert books.client.get(url, headers=headers).json()["expected_on"] == chosen.isoformat()
    books.spend(chosen, "15.99", books.subscriptions, "NETFLIX.COM 0423")
    books.detect()  # paid on the user's date: it moves on by a month, on the user's day
    after = books.client.get(url, headers=headers).json()
    assert after["expected_on"] == add_months(chosen, 1, 15).isoformat()
    assert after["occurrences"] == 5
    assert after["edited"] == ["next_on"]


def test_an_edited_cadence_counts_from_the_latest_payment(books: Books) -> None:
    today = books.today()
    first = _months_ago(today, 5, 12)
    books.monthly(first, 4, "15.99")
    books.detect()
    (series,) = books.series()
    url, headers = f"/api/v1/recurring/{series['id']}", books.owner.headers
    books.client.patch(url, json={"cadence": "quarterly"}, headers=headers)
    books.detect()
    after = books.client.get(url, headers=headers).json()
    assert after["cadence"] == "quarterly"
    assert after["expected_on"] == add_months(first, 3 + 3, 12).isoformat()
