"""GET /api/v1/audit/logs and /export: filters, paging, roles, safe exports, redaction."""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from fiscus.audit import service as audit_service
from fiscus.audit.chain import REDACTED, redact
from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope, unit_of_work
from tests.audit.helpers import LOGS, audit_events, verify
from tests.support.builders import PASSWORD, Account, add_member, create_tenant, register, switch

EXPORT = "/api/v1/audit/export"
COLUMNS = [
    "id",
    "seq",
    "occurred_at",
    "actor_user_id",
    "action",
    "resource_type",
    "resource_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "request_id",
    "prev_hash",
    "hash",
]


def rename(client: TestClient, account: Account, name: str, **headers: str) -> None:
    response = client.patch(
        f"/api/v1/tenants/{account.tenant_id}",
        json={"name": name},
        headers={**account.headers, **headers},
    )
    assert response.status_code == 200, response.text


def team(client: TestClient, *roles: str) -> tuple[Account, dict[str, Account]]:
    """Alice owns the business tenant Acme; one member per role has switched into it."""
    alice = register(client, "Alice")
    acme = create_tenant(client, alice, "Acme")
    switch(client, alice, acme)
    members = {}
    for role in roles:
        member = register(client, role.title())
        add_member(client, alice, acme, member, role)
        switch(client, member, acme)
        members[role] = member
    return alice, members


# Filters and paging


def test_filters_by_user_action_and_resource_type(client: TestClient) -> None:
    alice, members = team(client, "accountant")
    bob = members["accountant"]
    everything = audit_events(client, alice)

    def only(**criteria: str) -> list[dict[str, Any]]:
        return [e for e in everything if all(e[k] == v for k, v in criteria.items())]

    bobs = audit_events(client, alice, user_id=str(bob.user_id))
    assert bobs == only(actor_user_id=str(bob.user_id))
    assert [e["action"] for e in bobs] == ["auth.switch_tenant"]
    added = audit_events(client, alice, action="member.add")
    assert [e["after"]["role"] for e in added] == ["owner", "accountant"]
    tenant_events = audit_events(client, alice, resource_type="tenant")
    assert tenant_events == only(resource_type="tenant")
    assert 0 < len(tenant_events) < len(everything)
    assert audit_events(client, alice, action="no.such.action") == []


def test_filters_by_date_range(client: TestClient) -> None:
    alice, _ = team(client)
    everything = audit_events(client, alice)
    days = sorted({datetime.fromisoformat(e["occurred_at"]).date() for e in everything})
    first, last = days[0], days[-1]
    after, before = last + timedelta(days=1), first - timedelta(days=1)

    assert audit_events(client, alice, date_from=str(first), date_to=str(last)) == everything
    assert audit_events(client, alice, date_to=str(last)) == everything  # date_to is inclusive
    assert audit_events(client, alice, date_from=str(after)) == []
    assert audit_events(client, alice, date_to=str(before)) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_from"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "2026-02-30"}, "date_to"),
        ({"user_id": "not-a-uuid"}, "user_id"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"page": 0}, "page"),
    ],
)
def test_bad_query_is_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    alice = register(client)

    response = client.get(LOGS, params=params, headers=alice.headers)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_pages_through_newest_first_in_the_list_envelope(client: TestClient) -> None:
    alice = register(client, "Alice")
    for number in range(4):
        rename(client, alice, f"Name {number}")  # 3 + 4 = 7 events
    seen: list[int] = []

    for page in (1, 2, 3):
        body = client.get(LOGS, params={"page": page, "limit": 3}, headers=alice.headers).json()
        assert set(body) == {"items", "page", "limit", "total", "total_pages"}
        assert (body["page"], body["limit"], body["total"], body["total_pages"]) == (
            page,
            3,
            7,
            math.ceil(7 / 3),
        )
        seen += [e["seq"] for e in body["items"]]

    assert seen == [7, 6, 5, 4, 3, 2, 1]
    past_the_end = client.get(LOGS, params={"page": 4, "limit": 3}, headers=alice.headers).json()
    assert (past_the_end["items"], past_the_end["total"]) == ([], 7)
    default = client.get(LOGS, headers=alice.headers).json()
    assert (default["page"], default["limit"], len(default["items"])) == (1, 50, 7)


# Roles


@pytest.mark.parametrize("role", ["viewer", "member"])
def test_roles_without_audit_rights_are_forbidden(client: TestClient, role: str) -> None:
    _, members = team(client, role)
    member = members[role]

    for method, path in [
        ("GET", LOGS),
        ("GET", EXPORT),
        ("GET", "/api/v1/audit/verify"),
        ("POST", "/api/v1/audit/verify-jobs"),
    ]:
        response = client.request(method, path, headers=member.headers)
        assert response.status_code == 403, (method, path)
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("role", ["accountant", "admin", "owner"])
def test_accountants_admins_and_owners_read_the_trail(client: TestClient, role: str) -> None:
    alice, members = team(client, *([] if role == "owner" else [role]))
    reader = members.get(role, alice)

    logs = client.get(LOGS, headers=reader.headers)
    assert logs.status_code == 200
    assert {"tenant.create", "member.add", "auth.switch_tenant"} <= {
        e["action"] for e in logs.json()["items"]
    }
    assert client.get(EXPORT, headers=reader.headers).status_code == 200
    assert verify(client, reader)["valid"] is True


def test_logs_require_authentication(client: TestClient) -> None:
    assert client.get(LOGS).status_code == 401


# Exports

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-1+1", "@SUM(1,2)"]


def test_csv_export_is_an_attachment_with_formulas_defused(client: TestClient) -> None:
    alice = register(client, '=HYPERLINK("http://evil.example","me")')
    for number, formula in enumerate(FORMULAS):
        rename(client, alice, f"Name {number}", **{"User-Agent": formula})
    rename(client, alice, "Final", **{"X-Request-ID": "-----injected-id"})

    response = client.get(EXPORT, params={"format": "csv"}, headers=alice.headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="audit-')
    assert disposition.endswith('.csv"')
    header, *rows = list(csv.reader(io.StringIO(response.text)))
    assert header == COLUMNS
    assert [int(r[COLUMNS.index("seq")]) for r in rows] == list(range(1, 9))
    agents = [r[COLUMNS.index("user_agent")] for r in rows[3:7]]
    assert agents == ["'" + formula for formula in FORMULAS]
    assert rows[-1][COLUMNS.index("request_id")] == "'-----injected-id"
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    registered = json.loads(rows[2][COLUMNS.index("after")])
    assert registered["name"] == '=HYPERLINK("http://evil.example","me")'


def test_json_export_keeps_values_verbatim_and_applies_filters(client: TestClient) -> None:
    alice = register(client, "Alice")
    rename(client, alice, "Renamed", **{"User-Agent": FORMULAS[0]})

    response = client.get(
        EXPORT, params={"format": "json", "action": "tenant.update"}, headers=alice.headers
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="audit-')
    assert disposition.endswith('.json"')
    [event] = response.json()
    assert (event["action"], event["user_agent"]) == ("tenant.update", FORMULAS[0])
    assert event["after"]["name"] == "Renamed"
    assert list(event) == COLUMNS


def test_unknown_export_format_is_422(client: TestClient) -> None:
    alice = register(client)
    response = client.get(EXPORT, params={"format": "xml"}, headers=alice.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


# Secrets


def test_password_change_is_audited_without_the_password(client: TestClient) -> None:
    alice = register(client, "Alice")
    new_password = "Tr0ub4dor & 3 more words"
    response = client.post(
        "/api/v1/auth/change-password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=alice.headers,
    )
    assert response.status_code == 204

    [event] = audit_events(client, alice, action="user.change_password")
    assert event["after"] == {"password": REDACTED}
    assert event["before"] is None
    for fmt in ("json", "csv"):
        exported = client.get(EXPORT, params={"format": fmt}, headers=alice.headers).text
        assert new_password not in exported
        assert PASSWORD not in exported
        assert "user.change_password" in exported


def test_recorded_secrets_are_redacted_at_any_depth_and_still_chained(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    ctx = TenantContext(tenant_id=alice.tenant_id, user_id=alice.user_id, role="owner")
    with unit_of_work(session_factory) as session:
        bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
        audit_service.record(
            session,
            ctx,
            action="test.secrets",
            resource_type="test",
            before={"Password": "hunter2", "note": "kept"},
            after={"api": {"refresh_token": "rt-123", "items": [{"client_secret": "s3"}]}},
        )

    [event] = audit_events(client, alice, action="test.secrets")

    assert event["before"] == {"Password": REDACTED, "note": "kept"}
    assert event["after"] == {
        "api": {"refresh_token": REDACTED, "items": [{"client_secret": REDACTED}]}
    }
    assert verify(client, alice)["valid"] is True


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "new_password",
        "Password",
        "token",
        "access_token",
        "REFRESH_TOKEN",
        "secret",
        "client_secret",
        "password_hash",
        "api_key",
        "otp",
        "totp_code",
    ],
)
def test_redact_hides_keys_that_name_secrets(key: str) -> None:
    assert redact({key: "value", "name": "Alice"}) == {key: REDACTED, "name": "Alice"}


def test_redact_walks_nested_values_and_leaves_the_input_alone() -> None:
    when, tenant = date(2026, 7, 1), uuid.uuid4()
    value = {
        "user": {"email": "a@example.com", "password": "pw"},
        "sessions": [{"token": "t1", "id": 1}, ("x", {"secret": "s"})],
        "on": when,
        "tenant": tenant,
        "count": 3,
        "nothing": None,
        "tokenised_name": "redacted too: the key names a token",
    }
    original = json.dumps(value, default=str)

    assert redact(value) == {
        "user": {"email": "a@example.com", "password": REDACTED},
        "sessions": [{"token": REDACTED, "id": 1}, ["x", {"secret": REDACTED}]],
        "on": when,
        "tenant": tenant,
        "count": 3,
        "nothing": None,
        "tokenised_name": REDACTED,
    }
    assert json.dumps(value, default=str) == original
    assert redact("password") == "password"  # only keys name secrets, not values
    assert redact([{"otp": 123456}]) == [{"otp": REDACTED}]
