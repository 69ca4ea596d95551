"""Reading a tenant's audit trail through the API, as a user with audit rights would."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account

LOGS = "/api/v1/audit/logs"


def audit_events(client: TestClient, account: Account, **filters: Any) -> list[dict[str, Any]]:
    """Every event of the account's current tenant matching `filters`, oldest first."""
    events: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get(
            LOGS, params={**filters, "page": page, "limit": 200}, headers=account.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        events.extend(body["items"])
        if page >= body["total_pages"]:
            return sorted(events, key=lambda e: e["seq"])
        page += 1


def actions(client: TestClient, account: Account) -> list[str]:
    return [e["action"] for e in audit_events(client, account)]


def verify(client: TestClient, account: Account) -> dict[str, Any]:
    response = client.get("/api/v1/audit/verify", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
