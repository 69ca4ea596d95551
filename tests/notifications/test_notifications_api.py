"""Notifications over HTTP: newest first, the unread filter, paging, marking read."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.goals.helpers import Budget
from tests.support.builders import add_member, register, switch


@pytest.fixture
def budget(client: TestClient) -> Budget:
    books = Budget(client, register(client))
    books.goal(amount="100.00", starts_on="2026-01-01")
    for month in ("07", "08", "09"):
        books.spend(f"2026-{month}-10", "150.00", books.groceries)  # one alert a month
    return books


def test_list_newest_first_paginated_and_unread_filter(budget: Budget) -> None:
    headers = budget.owner.headers
    page = budget.client.get("/api/v1/notifications", params={"limit": 2}, headers=headers).json()
    assert (page["total"], page["total_pages"], page["page"], page["limit"]) == (3, 2, 1, 2)
    titles = [n["title"] for n in page["items"]]
    assert titles == [
        "Food budget: over the limit for September 2026",
        "Food budget: over the limit for August 2026",
    ]
    second = budget.client.get(
        "/api/v1/notifications", params={"limit": 2, "page": 2}, headers=headers
    ).json()
    assert [n["title"] for n in second["items"]] == ["Food budget: over the limit for July 2026"]
    newest = page["items"][0]
    assert newest["read_at"] is None
    read = budget.client.post(f"/api/v1/notifications/{newest['id']}/read", headers=headers)
    assert read.status_code == 200, read.text
    assert read.json()["read_at"] is not None
    again = budget.client.post(f"/api/v1/notifications/{newest['id']}/read", headers=headers)
    assert again.json()["read_at"] == read.json()["read_at"]  # reading twice changes nothing
    unread = budget.notifications(unread=True)
    assert len(unread) == 2
    assert newest["id"] not in {n["id"] for n in unread}


def test_read_all_marks_every_unread_one_and_is_audited(budget: Budget) -> None:
    headers = budget.owner.headers
    marked = budget.client.post("/api/v1/notifications/read-all", headers=headers)
    assert marked.json() == {"marked": 3}
    assert budget.notifications(unread=True) == []
    assert len(budget.notifications()) == 3
    assert budget.client.post("/api/v1/notifications/read-all", headers=headers).json() == {
        "marked": 0
    }
    events = budget.client.get(
        "/api/v1/audit/logs", params={"resource_type": "notification"}, headers=headers
    ).json()["items"]
    assert [e["action"] for e in events] == ["notification.read_all"]


def test_an_unknown_notification_is_not_found(budget: Budget) -> None:
    response = budget.client.post(
        "/api/v1/notifications/00000000-0000-4000-8000-000000000000/read",
        headers=budget.owner.headers,
    )
    assert (response.status_code, response.json()["code"]) == (404, "notification_not_found")


def test_members_of_the_tenant_share_its_notifications(client: TestClient, budget: Budget) -> None:
    viewer = register(client)
    add_member(client, budget.owner, budget.owner.tenant_id, viewer, "viewer")
    switch(client, viewer, budget.owner.tenant_id)
    listed = client.get("/api/v1/notifications", headers=viewer.headers).json()
    assert listed["total"] == 3
    first = listed["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read", headers=viewer.headers).is_success
    assert len(budget.notifications(unread=True)) == 2
