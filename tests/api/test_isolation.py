"""Two users in two tenants cannot see, change or learn of each other's anything.

Every API route is listed in ATTACKS; a test fails when a route exists that is not, so a
new endpoint cannot ship without its isolation check. Each attack is Bob (own tenant,
owner there) aiming at Alice's data. For ids in the path, Alice's id must answer exactly
as a random id does (404, same code); for collections, nothing of Alice's may appear.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from fiscus.recurring.cadence import add_months
from tests.support.builders import Account, register


@dataclass
class World:
    client: TestClient
    alice: Account
    bob: Account
    alice_job: uuid.UUID
    alice_category: uuid.UUID
    alice_transaction: uuid.UUID

    def alice_secrets(self) -> list[str]:
        return [
            str(self.alice.tenant_id),
            str(self.alice.user_id),
            self.alice.email,
            str(self.alice_job),
            str(self.alice_category),
            str(self.alice_transaction),
        ]


@pytest.fixture
def world(client: TestClient) -> World:
    alice = register(client, "Alice")
    bob = register(client, "Bob")
    job = client.post("/api/v1/audit/verify-jobs", headers=alice.headers)
    assert job.status_code == 202
    category = client.post(
        "/api/v1/categories",
        json={"name": "Alice's groceries", "type": "expense"},
        headers=alice.headers,
    )
    assert category.status_code == 201
    bank = client.post(
        "/api/v1/accounts", json={"name": "Alice's bank", "type": "asset"}, headers=alice.headers
    ).json()["id"]
    txn = client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-01",
            "description": "Alice's shop",
            "amount": "9.99",
            "type": "expense",
            "account_id": bank,
            "category_id": category.json()["id"],
        },
        headers=alice.headers,
    )
    assert txn.status_code == 201, txn.text
    return World(
        client,
        alice,
        bob,
        uuid.UUID(job.json()["id"]),
        uuid.UUID(category.json()["id"]),
        uuid.UUID(txn.json()["id"]),
    )


Attack = Callable[[World, str], httpx.Response]  # (world, id to use) -> response


def _by_id(method: str, template: str, body: dict[str, object] | None = None) -> Attack:
    def attack(w: World, target: str) -> httpx.Response:
        path = template.format(
            tenant=target,
            alice_tenant=w.alice.tenant_id,
            bob_tenant=w.bob.tenant_id,
            user=target,
            job=target,
            account=target,
        )
        return w.client.request(method, path, json=body, headers=w.bob.headers)

    return attack


def _alice_goal(w: World) -> str:
    """A spending limit of Alice's, already exceeded today (so it has raised an alert)."""
    goal = w.client.post(
        "/api/v1/goals",
        json={
            "kind": "spending_limit",
            "name": "Alice's limit",
            "account_id": str(w.alice_category),
            "amount": "1.00",
        },
        headers=w.alice.headers,
    )
    assert goal.status_code == 201, goal.text
    today = w.client.get(
        f"/api/v1/goals/{goal.json()['id']}/progress", headers=w.alice.headers
    ).json()["as_of"]
    bank = w.client.post(
        "/api/v1/accounts",
        json={"name": "Alice's wallet", "type": "asset"},
        headers=w.alice.headers,
    ).json()["id"]
    spend = w.client.post(
        "/api/v1/transactions",
        json={
            "date": today,
            "description": "Alice's treat",
            "amount": "2.00",
            "type": "expense",
            "account_id": bank,
            "category_id": str(w.alice_category),
        },
        headers=w.alice.headers,
    )
    assert spend.status_code == 201, spend.text
    return str(goal.json()["id"])


def _alice_notification(w: World) -> str:
    _alice_goal(w)
    items = w.client.get("/api/v1/notifications", headers=w.alice.headers).json()["items"]
    assert items, "Alice's goal raised no alert"
    return str(items[0]["id"])


def _without_alices_goal(w: World, request: Callable[[], httpx.Response]) -> httpx.Response:
    """Bob's `request`, answered after Alice has a goal and an alert, naming neither."""
    goal = _alice_goal(w)
    alert = w.client.get("/api/v1/notifications", headers=w.alice.headers).json()["items"][0]
    response = request()
    assert goal not in response.text
    assert alert["id"] not in response.text
    unread = w.client.get(
        "/api/v1/notifications", params={"unread": True}, headers=w.alice.headers
    ).json()["items"]
    assert [n["id"] for n in unread] == [alert["id"]]  # Bob read nothing of Alice's
    return response


def _bobs_category(w: World) -> str:
    return str(
        w.client.post(
            "/api/v1/categories",
            json={"name": "Bob's food", "type": "expense"},
            headers=w.bob.headers,
        ).json()["id"]
    )


def _alice_anchor(w: World) -> str:
    """An anchor of Alice's that disagrees with her books (so validation would list it)."""
    anchor = w.client.post(
        f"/api/v1/accounts/{w.alice_category}/anchors",
        json={"date": "2025-07-01", "balance": "1234.56", "description": "Alice's statement"},
        headers=w.alice.headers,
    )
    assert anchor.status_code == 201, anchor.text
    return str(anchor.json()["id"])


def _alice_rate(w: World) -> str:
    rate = w.client.post(
        "/api/v1/exchange-rates",
        json={"currency": "USD", "effective_on": "2025-07-01", "rate": "1.55"},
        headers=w.alice.headers,
    )
    assert rate.status_code == 201, rate.text
    return str(rate.json()["id"])


def _alice_import(w: World) -> str:
    """A committed import of Alice's: its one line, of zero, is in error, so it booked
    nothing (her chart stays as `_assert_alice_untouched` expects) but left presets."""
    bank = w.client.post(
        "/api/v1/accounts",
        json={"name": f"Alice's import {uuid.uuid4().hex[:6]}", "type": "asset"},
        headers=w.alice.headers,
    ).json()["id"]
    found = w.client.post(
        "/api/v1/imports",
        files={"file": ("alice.csv", b"Date,Description,Amount\n01/07/2025,Alice,0.00\n")},
        data={"account_id": bank},
        headers=w.alice.headers,
    )
    assert found.status_code == 201, found.text
    job = w.client.post(f"/api/v1/imports/{found.json()['id']}/commit", headers=w.alice.headers)
    assert job.status_code == 202, job.text
    assert w.client.get("/api/v1/imports/presets", headers=w.alice.headers).json()
    return str(found.json()["id"])


def _bob_imports_into(w: World, account_id: str) -> httpx.Response:
    return w.client.post(
        "/api/v1/imports",
        files={"file": ("bob.csv", b"Date,Description,Amount\n01/07/2025,Bob,1.00\n")},
        data={"account_id": account_id},
        headers=w.bob.headers,
    )


def _bob_exports(w: World, kind: str) -> httpx.Response:
    """Exports store nothing and read nothing: Bob's own analysis, posted back, is all an
    export can show."""
    analysis = w.client.post(
        "/api/v1/diagnostics/trial-balance",
        files={"file": ("tb.csv", b"Account No,Account Name,Debit,Credit\n1,Cash,1,\n2,Loan,,1\n")},
        headers=w.bob.headers,
    )
    assert analysis.status_code == 200, analysis.text
    return w.client.post(
        f"/api/v1/diagnostics/export/{kind}", json=analysis.json(), headers=w.bob.headers
    )


def _bob_sees_none_of(w: World, alice_id: str, path: str) -> httpx.Response:
    response = w.client.get(path, headers=w.bob.headers)
    assert alice_id not in response.text
    return response


def _delete_alices_anchor(w: World, target: str) -> httpx.Response:
    """Through an account of Bob's own: the anchor itself must be out of his reach."""
    bank = w.client.post(
        "/api/v1/accounts",
        json={"name": f"Bob's bank {uuid.uuid4().hex[:8]}", "type": "asset"},
        headers=w.bob.headers,
    ).json()["id"]
    return w.client.delete(f"/api/v1/accounts/{bank}/anchors/{target}", headers=w.bob.headers)


def _alice_rule(w: World) -> str:
    """A rule of Alice's naming her category, matching her entry."""
    rule = w.client.post(
        "/api/v1/rules",
        json={
            "name": "Alice's rule",
            "conditions": {"description": {"op": "contains", "value": "alice"}},
            "actions": {"set_category_id": str(w.alice_category), "add_tags": ["alice"]},
        },
        headers=w.alice.headers,
    )
    assert rule.status_code == 201, rule.text
    return str(rule.json()["id"])


def _bobs_rule(w: World) -> str:
    """A rule of Bob's that would match Alice's entry, were it his ("Alice's shop")."""
    rule = w.client.post(
        "/api/v1/rules",
        json={
            "name": f"Bob's rule {uuid.uuid4().hex[:6]}",
            "conditions": {"description": {"op": "contains", "value": "alice"}},
            "actions": {"set_category_id": _bobs_category(w), "rename_payee": "Bob"},
        },
        headers=w.bob.headers,
    )
    assert rule.status_code == 201, rule.text
    return str(rule.json()["id"])


def _without_alices_rule(w: World, request: Callable[[], httpx.Response]) -> httpx.Response:
    """Bob's `request`, answered after Alice has a rule, naming nothing of hers."""
    rule = _alice_rule(w)
    response = request()
    assert rule not in response.text
    return response


def _by_rule_read(w: World) -> httpx.Response:
    return w.client.get(f"/api/v1/rules/{_bobs_rule(w)}", headers=w.bob.headers)


def _bobs_rules_apply(w: World) -> httpx.Response:
    _bobs_rule(w)
    response = _without_alices_rule(
        w, lambda: w.client.post("/api/v1/rules/apply", json={}, headers=w.bob.headers)
    )
    assert response.json()["matched"] == 0, response.text
    return response


def _bobs_rule_preview(w: World) -> httpx.Response:
    body = {
        "name": "Bob's look",
        "conditions": {"description": {"op": "contains", "value": "alice"}},
        "actions": {"set_category_id": _bobs_category(w)},
    }
    response = w.client.post("/api/v1/rules/preview", json=body, headers=w.bob.headers)
    assert response.json()["matched"] == 0, response.text
    return response


def _alice_series(w: World) -> str:
    """A monthly subscription of Alice's, detected (so it is a suggested series)."""
    bank = w.client.post(
        "/api/v1/accounts",
        json={"name": f"Alice's card {uuid.uuid4().hex[:6]}", "type": "asset"},
        headers=w.alice.headers,
    ).json()["id"]
    this_month = date.today().replace(day=15)
    for months_ago in (4, 3, 2, 1):  # recent: a series that ended long ago is not reported
        response = w.client.post(
            "/api/v1/transactions",
            json={
                "date": add_months(this_month, -months_ago).isoformat(),
                "description": "Alice's stream",
                "payee": "Alice's stream",
                "amount": "12.99",
                "type": "expense",
                "account_id": bank,
                "category_id": str(w.alice_category),
            },
            headers=w.alice.headers,
        )
        assert response.status_code == 201, response.text
    assert w.client.post("/api/v1/recurring/detect", headers=w.alice.headers).json()["created"]
    items = w.client.get("/api/v1/recurring", headers=w.alice.headers).json()["items"]
    return str(items[0]["id"])


def _bob_misses_alices_series(w: World, request: Callable[[], httpx.Response]) -> httpx.Response:
    """Bob's `request`, answered after Alice has a series; it names none of hers and
    leaves her series as it was."""
    series = _alice_series(w)
    response = request()
    assert series not in response.text
    assert "Alice's stream" not in response.text
    mine = w.client.get(f"/api/v1/recurring/{series}", headers=w.alice.headers).json()
    assert (mine["status"], mine["name"], mine["occurrences"]) == ("suggested", "Alice's stream", 4)
    return response


def _alice_suggestion(w: World) -> str:
    """An imported-looking entry of Alice's queued for review with a suggestion (her
    Uncategorised category archived afterwards, so her category list stays as it was)."""
    h = w.alice.headers
    assert (
        w.client.patch("/api/v1/insights/model", json={"auto_apply": False}, headers=h)
    ).status_code == 200
    uncat = w.client.post(
        "/api/v1/categories",
        json={"name": "Uncategorised expense", "type": "expense", "code": "UNCAT-EXP"},
        headers=h,
    ).json()["id"]
    bank = w.client.post(
        "/api/v1/accounts", json={"name": "Alice's import bank", "type": "asset"}, headers=h
    ).json()["id"]
    txn = w.client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-02",
            "description": "Alice's shop again",
            "amount": "9.99",
            "type": "expense",
            "account_id": bank,
            "category_id": uncat,
        },
        headers=h,
    ).json()["id"]
    done = w.client.post("/api/v1/insights/categorise", json={"transaction_ids": [txn]}, headers=h)
    assert done.json()["queued"] == 1, done.text
    archived = w.client.patch(f"/api/v1/categories/{uncat}", json={"is_archived": True}, headers=h)
    assert archived.status_code == 200, archived.text
    return str(txn)


def _alices_insights(w: World) -> tuple[object, object]:
    h = w.alice.headers
    queue = w.client.get("/api/v1/insights/review", headers=h).json()
    model = w.client.get("/api/v1/insights/model", headers=h).json()
    return [(i["transaction_id"], i["status"]) for i in queue["items"]], model


def _bob_misses_alices_suggestion(
    w: World, request: Callable[[str], httpx.Response]
) -> httpx.Response:
    """Bob's `request` (given Alice's queued entry), answered naming nothing of hers and
    leaving her queue and model as they were."""
    txn = _alice_suggestion(w)
    before = _alices_insights(w)
    assert before[0] == [(txn, "queued")]
    response = request(txn)
    assert txn not in response.text
    assert "Alice" not in response.text
    assert _alices_insights(w) == before
    return response


def _bob_decides_on(w: World, target: str) -> httpx.Response:
    response = w.client.post(
        f"/api/v1/insights/review/{target}", json={"action": "confirm"}, headers=w.bob.headers
    )
    queue = w.client.get("/api/v1/insights/review", headers=w.alice.headers).json()["items"]
    assert [i["status"] for i in queue] == ["queued"]
    return response


def _alice_return(w: World) -> str:
    """A draft tax return of Alice's, calculated (so it has a stored assessment)."""
    made = w.client.post(
        "/api/v1/tax/returns",
        json={
            "person": {"name": "Alice Example", "user_id": str(w.alice.user_id)},
            "year": "2024-25",
            "data": {"income": {"interest": {"gross": "123.45"}}},
        },
        headers=w.alice.headers,
    )
    assert made.status_code == 201, made.text
    calculated = w.client.post(
        f"/api/v1/tax/returns/{made.json()['id']}/calculate", headers=w.alice.headers
    )
    assert calculated.status_code == 200, calculated.text
    return str(made.json()["id"])


def _bob_misses_alices_return(w: World, request: Callable[[], httpx.Response]) -> httpx.Response:
    """Bob's `request`, answered after Alice has a return; it names nothing of hers and
    leaves her return as it was."""
    mine = _alice_return(w)
    before = w.client.get(f"/api/v1/tax/returns/{mine}", headers=w.alice.headers).json()
    response = request()
    assert mine not in response.text
    assert "123.45" not in response.text
    after = w.client.get(f"/api/v1/tax/returns/{mine}", headers=w.alice.headers).json()
    assert after == before
    return response


ALICE_TB = (
    b"Account No,Account Name,Debit,Credit\n1000,Alice's cash,100.00,\n"
    b"3000,Alice's capital,,100.00\n"
)
ALICE_PRACTICE = {"materiality": {"amount": "1234.56"}, "confidence_threshold": 0.7}


def _alice_client(w: World) -> str:
    """A client of Alice's practice with one analysis in its history, and her practice
    settings set."""
    created = w.client.post(
        "/api/v1/clients",
        json={"name": "Alice's client", "industry": "Alice's trade"},
        headers=w.alice.headers,
    )
    assert created.status_code == 201, created.text
    client_id = str(created.json()["id"])
    analysed = w.client.post(
        "/api/v1/diagnostics/trial-balance",
        files={"file": ("alice-tb.csv", ALICE_TB)},
        data={"client_id": client_id},
        headers=w.alice.headers,
    )
    assert analysed.status_code == 200, analysed.text
    put = w.client.put("/api/v1/settings", json=ALICE_PRACTICE, headers=w.alice.headers)
    assert put.status_code == 200, put.text
    return client_id


def _assert_alices_practice_untouched(w: World, client_id: str) -> None:
    mine = w.client.get(f"/api/v1/clients/{client_id}", headers=w.alice.headers).json()
    assert (mine["name"], mine["industry"], mine["analysis_count"]) == (
        "Alice's client",
        "Alice's trade",
        1,
    )
    settings = w.client.get("/api/v1/settings", headers=w.alice.headers).json()
    assert (settings["materiality"], settings["confidence_threshold"]) == (
        ALICE_PRACTICE["materiality"],
        0.7,
    )


def _on_alices_client(method: str, suffix: str = "", body: object = None) -> Attack:
    def attack(w: World, target: str) -> httpx.Response:
        response = w.client.request(
            method, f"/api/v1/clients/{target}{suffix}", json=body, headers=w.bob.headers
        )
        for alice_client in w.client.get("/api/v1/clients", headers=w.alice.headers).json()[
            "items"
        ]:
            _assert_alices_practice_untouched(w, alice_client["id"])
        return response

    return attack


def _on_alices_history(w: World, target: str, clear: bool) -> httpx.Response:
    if clear:
        response = w.client.post(
            "/api/v1/activity/clear", json={"client_id": target}, headers=w.bob.headers
        )
    else:
        response = w.client.get(
            "/api/v1/activity/history", params={"client_id": target}, headers=w.bob.headers
        )
    for alice_client in w.client.get("/api/v1/clients", headers=w.alice.headers).json()["items"]:
        _assert_alices_practice_untouched(w, alice_client["id"])
    return response


def _bob_misses_alices_practice(w: World, request: Callable[[], httpx.Response]) -> httpx.Response:
    """Bob's `request`, answered after Alice has a client, history and settings; it names
    none of them and leaves them as they were."""
    client_id = _alice_client(w)
    response = request()
    for secret in (client_id, "Alice's client", "Alice's trade", "1234.56", "Alice's cash"):
        assert secret not in response.text, secret
    _assert_alices_practice_untouched(w, client_id)
    return response


def _bob_names_a_client_like_alices(w: World) -> httpx.Response:
    """A client name is unique per practice only: Bob may use the name Alice uses."""
    client_id = _alice_client(w)
    response = w.client.post(
        "/api/v1/clients", json={"name": "Alice's client"}, headers=w.bob.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["id"] != client_id
    assert response.json()["analysis_count"] == 0
    _assert_alices_practice_untouched(w, client_id)
    return response


def _bobs_books_analysed(w: World) -> httpx.Response:
    bank = w.client.post(
        "/api/v1/accounts", json={"name": "Bob's bank", "type": "asset"}, headers=w.bob.headers
    ).json()["id"]
    spent = w.client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-01",
            "description": "Bob's shop",
            "amount": "5.00",
            "type": "expense",
            "account_id": bank,
            "category_id": _bobs_category(w),
        },
        headers=w.bob.headers,
    )
    assert spent.status_code == 201, spent.text
    response = w.client.post(
        "/api/v1/diagnostics/ledger", params={"as_of": "2025-12-31"}, headers=w.bob.headers
    )
    assert response.status_code == 200, response.text
    assert {a["name"] for a in response.json()["accounts"]} == {"Bob's bank", "Bob's food"}
    return response


# Routes whose path carries an id of Alice's: (attack, how to get Alice's id).
BY_ID: dict[tuple[str, str], tuple[Attack, Callable[[World], str]]] = {
    **{
        (method, f"/api/v1/clients/{{client_id}}{suffix}"): (
            _on_alices_client(method, suffix, body),
            _alice_client,
        )
        for method, suffix, body in (
            ("GET", "", None),
            ("PATCH", "", {"name": "Pwned", "materiality": None}),
            ("DELETE", "", None),
            ("GET", "/trends", None),
        )
    },
    ("GET", "/api/v1/activity/history"): (
        lambda w, target: _on_alices_history(w, target, clear=False),
        _alice_client,
    ),
    ("POST", "/api/v1/activity/clear"): (
        lambda w, target: _on_alices_history(w, target, clear=True),
        _alice_client,
    ),
    ("GET", "/api/v1/tenants/{tenant_id}"): (
        _by_id("GET", "/api/v1/tenants/{tenant}"),
        lambda w: str(w.alice.tenant_id),
    ),
    ("PATCH", "/api/v1/tenants/{tenant_id}"): (
        _by_id("PATCH", "/api/v1/tenants/{tenant}", {"name": "Pwned"}),
        lambda w: str(w.alice.tenant_id),
    ),
    ("GET", "/api/v1/tenants/{tenant_id}/members"): (
        _by_id("GET", "/api/v1/tenants/{tenant}/members"),
        lambda w: str(w.alice.tenant_id),
    ),
    ("POST", "/api/v1/tenants/{tenant_id}/members"): (
        _by_id("POST", "/api/v1/tenants/{tenant}/members", {"email": "x@example.com"}),
        lambda w: str(w.alice.tenant_id),
    ),
    ("PATCH", "/api/v1/tenants/{tenant_id}/members/{user_id}"): (
        _by_id("PATCH", "/api/v1/tenants/{bob_tenant}/members/{user}", {"role": "viewer"}),
        lambda w: str(w.alice.user_id),
    ),
    ("DELETE", "/api/v1/tenants/{tenant_id}/members/{user_id}"): (
        _by_id("DELETE", "/api/v1/tenants/{alice_tenant}/members/{user}"),
        lambda w: str(w.alice.user_id),
    ),
    ("GET", "/api/v1/jobs/{job_id}"): (
        _by_id("GET", "/api/v1/jobs/{job}"),
        lambda w: str(w.alice_job),
    ),
    **{
        (method, f"/api/v1/{kind}/{{{param}}}"): (
            _by_id(method, f"/api/v1/{kind}/{{account}}", body),
            lambda w: str(w.alice_category),
        )
        for kind, param in (("accounts", "account_id"), ("categories", "category_id"))
        for method, body in (("GET", None), ("PATCH", {"name": "Pwned"}), ("DELETE", None))
    },
    ("POST", "/api/v1/categories/merge"): (
        lambda w, target: w.client.post(
            "/api/v1/categories/merge",
            json={
                "source_id": target,
                "target_id": w.client.post(
                    "/api/v1/categories",
                    json={"name": f"Bob's {uuid.uuid4().hex[:6]}", "type": "expense"},
                    headers=w.bob.headers,
                ).json()["id"],
            },
            headers=w.bob.headers,
        ),
        lambda w: str(w.alice_category),
    ),
    ("GET", "/api/v1/accounts/{account_id}/balance"): (
        _by_id("GET", "/api/v1/accounts/{account}/balance"),
        lambda w: str(w.alice_category),
    ),
    ("GET", "/api/v1/transactions/{transaction_id}"): (
        _by_id("GET", "/api/v1/transactions/{account}"),
        lambda w: str(w.alice_transaction),
    ),
    ("DELETE", "/api/v1/transactions/{transaction_id}"): (
        _by_id("DELETE", "/api/v1/transactions/{account}"),
        lambda w: str(w.alice_transaction),
    ),
    ("PATCH", "/api/v1/transactions/{transaction_id}"): (
        _by_id("PATCH", "/api/v1/transactions/{account}", {"amount": "1.00"}),
        lambda w: str(w.alice_transaction),
    ),
    ("POST", "/api/v1/transactions/{transaction_id}/restore"): (
        _by_id("POST", "/api/v1/transactions/{account}/restore"),
        lambda w: str(w.alice_transaction),
    ),
    **{
        (method, f"/api/v1/goals/{{goal_id}}{suffix}"): (
            _by_id(method, f"/api/v1/goals/{{account}}{suffix}", body),
            _alice_goal,
        )
        for method, suffix, body in (
            ("GET", "", None),
            ("PATCH", "", {"name": "Pwned"}),
            ("DELETE", "", None),
            ("GET", "/progress", None),
        )
    },
    **{
        (method, f"/api/v1/recurring/{{series_id}}{suffix}"): (
            _by_id(method, f"/api/v1/recurring/{{account}}{suffix}", body),
            _alice_series,
        )
        for method, suffix, body in (
            ("GET", "", None),
            ("PATCH", "", {"name": "Pwned"}),
            ("POST", "/confirm", None),
            ("POST", "/dismiss", None),
        )
    },
    ("POST", "/api/v1/notifications/{notification_id}/read"): (
        _by_id("POST", "/api/v1/notifications/{account}/read"),
        _alice_notification,
    ),
    ("GET", "/api/v1/accounts/{account_id}/balance-history"): (
        _by_id("GET", "/api/v1/accounts/{account}/balance-history"),
        lambda w: str(w.alice_category),
    ),
    ("GET", "/api/v1/accounts/{account_id}/anchors"): (
        _by_id("GET", "/api/v1/accounts/{account}/anchors"),
        lambda w: str(w.alice_category),
    ),
    ("POST", "/api/v1/accounts/{account_id}/anchors"): (
        _by_id(
            "POST", "/api/v1/accounts/{account}/anchors", {"date": "2025-07-01", "balance": "1.00"}
        ),
        lambda w: str(w.alice_category),
    ),
    ("DELETE", "/api/v1/accounts/{account_id}/anchors/{anchor_id}"): (
        _delete_alices_anchor,
        _alice_anchor,
    ),
    ("POST", "/api/v1/accounts/{account_id}/reconcile"): (
        _by_id(
            "POST",
            "/api/v1/accounts/{account}/reconcile",
            {"date": "2025-07-01", "statement_balance": "9.99", "adjust": True},
        ),
        lambda w: str(w.alice_category),
    ),
    ("DELETE", "/api/v1/exchange-rates/{rate_id}"): (
        _by_id("DELETE", "/api/v1/exchange-rates/{account}"),
        _alice_rate,
    ),
    **{
        (method, f"/api/v1/imports/{{import_id}}{suffix}"): (
            _by_id(method, f"/api/v1/imports/{{account}}{suffix}", body),
            _alice_import,
        )
        for method, suffix, body in (
            ("GET", "", None),
            ("PUT", "/mapping", {"invert_sign": True}),
            ("POST", "/commit", {}),
            ("POST", "/undo", None),
        )
    },
    ("POST", "/api/v1/imports"): (_bob_imports_into, lambda w: str(w.alice_category)),
    # Diagnostics store no file; a client id of Alice's (clients are per practice
    # tenant) must be the same 404 as one that does not exist.
    ("POST", "/api/v1/diagnostics/trial-balance"): (
        lambda w, target: w.client.post(
            "/api/v1/diagnostics/trial-balance",
            files={"file": ("tb.csv", b"Account No,Account Name,Debit,Credit\n1,Cash,1,\n")},
            data={"client_id": target},
            headers=w.bob.headers,
        ),
        _alice_client,
    ),
    ("POST", "/api/v1/diagnostics/flux"): (
        lambda w, target: w.client.post(
            "/api/v1/diagnostics/flux",
            files={
                "current": ("cur.csv", b"Account No,Account Name,Debit,Credit\n1,Cash,2,\n"),
                "prior": ("pri.csv", b"Account No,Account Name,Debit,Credit\n1,Cash,1,\n"),
            },
            data={"client_id": target},
            headers=w.bob.headers,
        ),
        lambda w: str(w.alice.tenant_id),
    ),
    ("POST", "/api/v1/auth/switch-tenant"): (
        lambda w, target: w.client.post(
            "/api/v1/auth/switch-tenant", json={"tenant_id": target}, headers=w.bob.headers
        ),
        lambda w: str(w.alice.tenant_id),
    ),
    ("POST", "/api/v1/auth/login"): (
        lambda w, target: w.client.post(
            "/api/v1/auth/login",
            json={"email": w.bob.email, "password": w.bob.password, "tenant_id": target},
        ),
        lambda w: str(w.alice.tenant_id),
    ),
    **{
        (method, f"/api/v1/rules/{{rule_id}}{suffix}"): (
            _by_id(method, f"/api/v1/rules/{{account}}{suffix}", body),
            _alice_rule,
        )
        for method, suffix, body in (
            ("GET", "", None),
            ("PATCH", "", {"name": "Pwned", "enabled": False}),
            ("DELETE", "", None),
            ("POST", "/preview", None),
        )
    },
    ("POST", "/api/v1/rules/apply"): (
        lambda w, target: w.client.post(
            "/api/v1/rules/apply", json={"rule_id": target}, headers=w.bob.headers
        ),
        _alice_rule,
    ),
    ("GET", "/api/v1/insights/suggestions/{transaction_id}"): (
        _by_id("GET", "/api/v1/insights/suggestions/{account}"),
        _alice_suggestion,
    ),
    ("POST", "/api/v1/insights/review/{transaction_id}"): (_bob_decides_on, _alice_suggestion),
    **{
        (method, f"/api/v1/tax/returns/{{return_id}}{suffix}"): (
            _by_id(method, f"/api/v1/tax/returns/{{account}}{suffix}", body),
            _alice_return,
        )
        for method, suffix, body in (
            ("GET", "", None),
            ("PUT", "", {"dependants": 3}),
            ("PATCH", "", {"dependants": 3}),
            ("DELETE", "", None),
            ("POST", "/calculate", None),
            ("POST", "/status", {"status": "ready"}),
            (
                "POST",
                "/lodge",
                {"confirm": True, "reference": "BOB-1", "lodged_on": "2025-09-15"},
            ),
            ("POST", "/amend", None),
            ("GET", "/diff", None),
            ("GET", "/summary.pdf", None),
            ("POST", "/prefill", None),
            (
                "POST",
                "/prefill/decisions",
                {"decisions": [{"key": "income.interest.gross", "action": "accept"}]},
            ),
        )
    },
}

# Reports of Bob's books over a period holding Alice's entry: nothing of hers may show.
REPORT_ATTACKS: dict[str, dict[str, str]] = {
    "trial-balance": {"as_of": "2025-12-31"},
    "income-statement": {"from": "2025-01-01", "to": "2025-12-31", "compare": "previous_year"},
    "balance-sheet": {"as_of": "2025-12-31", "compare": "previous_period"},
    "cash-flow": {"from": "2025-01-01", "to": "2025-12-31"},
    "spending-by-category": {"from": "2025-01-01", "to": "2025-12-31"},
    "net-worth": {"from": "2025-01-01", "to": "2025-12-31"},
    "budget-vs-actual": {"from": "2025-01-01", "to": "2025-12-31"},
}


def _bobs_export(w: World) -> httpx.Response:
    """Bob exports his books: his own entry is there, nothing of Alice's; an OFX of
    Alice's account id (a category) answers like a random id, not as a category."""
    bank, food = (
        w.client.post(
            "/api/v1/accounts", json={"name": name, "type": kind}, headers=w.bob.headers
        ).json()["id"]
        for name, kind in (("Bob's bank", "asset"), ("Bob's food", "expense"))
    )
    mine = w.client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-01",
            "description": "Bob's shop",
            "amount": "1.00",
            "type": "expense",
            "account_id": bank,
            "category_id": food,
        },
        headers=w.bob.headers,
    ).json()["id"]
    for target in (str(w.alice_category), str(uuid.uuid4())):
        ofx = w.client.get(
            "/api/v1/exports/transactions",
            params={"format": "ofx", "account_id": target},
            headers=w.bob.headers,
        )
        assert (ofx.status_code, ofx.json()["code"]) == (404, "account_not_found")
    export = w.client.get(
        "/api/v1/exports/transactions", params={"format": "csv"}, headers=w.bob.headers
    )
    assert mine in export.text
    return export


def _bobs_bulk_tag(w: World) -> httpx.Response:
    """Bob tags his own entry in bulk (his id of Alice's answers like a random one: see
    tests/ledger/test_bulk.py, since the refusal names the ids it was given)."""
    bank, food = (
        w.client.post(
            "/api/v1/accounts", json={"name": name, "type": kind}, headers=w.bob.headers
        ).json()["id"]
        for name, kind in (("Bob's bank", "asset"), ("Bob's food", "expense"))
    )
    txn = w.client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-01",
            "description": "Bob's shop",
            "amount": "1.00",
            "type": "expense",
            "account_id": bank,
            "category_id": food,
        },
        headers=w.bob.headers,
    ).json()["id"]
    return w.client.post(
        "/api/v1/transactions/bulk",
        json={"action": "tag", "ids": [txn], "tags": ["mine"]},
        headers=w.bob.headers,
    )


def _bobs_batch(w: World) -> httpx.Response:
    """Bob's batch naming Alice's category is refused as if it did not exist (and writes
    nothing); his batch on his own chart is what he gets back, without a trace of hers."""
    bank, food = (
        w.client.post(
            "/api/v1/accounts", json={"name": name, "type": kind}, headers=w.bob.headers
        ).json()["id"]
        for name, kind in (("Bob's batch bank", "asset"), ("Bob's batch food", "expense"))
    )
    entry = {"date": "2025-07-02", "description": "Bob's", "amount": "2.00", "type": "expense"}
    refused = w.client.post(
        "/api/v1/transactions/batch",
        json={"entries": [{**entry, "account_id": bank, "category_id": str(w.alice_category)}]},
        headers=w.bob.headers,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "entries.0.category_id"
    return w.client.post(
        "/api/v1/transactions/batch",
        json={"entries": [{**entry, "account_id": bank, "category_id": food}]},
        headers=w.bob.headers,
    )


# Routes without an id of Alice's: Bob's answer must contain nothing of hers.
COLLECTIONS: dict[tuple[str, str], Callable[[World], httpx.Response]] = {
    ("GET", "/api/v1/clients"): lambda w: _bob_misses_alices_practice(
        w, lambda: w.client.get("/api/v1/clients", headers=w.bob.headers)
    ),
    ("POST", "/api/v1/clients"): _bob_names_a_client_like_alices,
    ("GET", "/api/v1/activity/history"): lambda w: _bob_misses_alices_practice(
        w, lambda: w.client.get("/api/v1/activity/history", headers=w.bob.headers)
    ),
    ("POST", "/api/v1/activity/clear"): lambda w: _bob_misses_alices_practice(
        w, lambda: w.client.post("/api/v1/activity/clear", headers=w.bob.headers)
    ),
    ("GET", "/api/v1/dashboard/stats"): lambda w: _bob_misses_alices_practice(
        w, lambda: w.client.get("/api/v1/dashboard/stats", headers=w.bob.headers)
    ),
    ("GET", "/api/v1/settings"): lambda w: _bob_misses_alices_practice(
        w, lambda: w.client.get("/api/v1/settings", headers=w.bob.headers)
    ),
    ("PUT", "/api/v1/settings"): lambda w: _bob_misses_alices_practice(
        w,
        lambda: w.client.put(
            "/api/v1/settings", json={"confidence_threshold": 0.9}, headers=w.bob.headers
        ),
    ),
    ("POST", "/api/v1/diagnostics/ledger"): lambda w: _bob_misses_alices_practice(
        w, lambda: _bobs_books_analysed(w)
    ),
    ("GET", "/api/v1/imports"): lambda w: _bob_sees_none_of(w, _alice_import(w), "/api/v1/imports"),
    ("GET", "/api/v1/imports/presets"): lambda w: _bob_sees_none_of(
        w, _alice_import(w), "/api/v1/imports/presets"
    ),
    ("GET", "/api/v1/tenants"): lambda w: w.client.get("/api/v1/tenants", headers=w.bob.headers),
    ("POST", "/api/v1/tenants"): lambda w: w.client.post(
        "/api/v1/tenants", json={"name": "Bob Co"}, headers=w.bob.headers
    ),
    ("GET", "/api/v1/auth/me"): lambda w: w.client.get("/api/v1/auth/me", headers=w.bob.headers),
    ("GET", "/api/v1/jobs"): lambda w: w.client.get("/api/v1/jobs", headers=w.bob.headers),
    ("GET", "/api/v1/audit/logs"): lambda w: w.client.get(
        "/api/v1/audit/logs", params={"limit": 200}, headers=w.bob.headers
    ),
    ("GET", "/api/v1/audit/export"): lambda w: w.client.get(
        "/api/v1/audit/export", params={"format": "json"}, headers=w.bob.headers
    ),
    ("GET", "/api/v1/audit/verify"): lambda w: w.client.get(
        "/api/v1/audit/verify", headers=w.bob.headers
    ),
    ("POST", "/api/v1/audit/verify-jobs"): lambda w: w.client.post(
        "/api/v1/audit/verify-jobs", headers=w.bob.headers
    ),
    ("GET", "/api/v1/accounts"): lambda w: w.client.get("/api/v1/accounts", headers=w.bob.headers),
    ("POST", "/api/v1/accounts"): lambda w: w.client.post(
        "/api/v1/accounts", json={"name": "Bob's bank", "type": "asset"}, headers=w.bob.headers
    ),
    ("GET", "/api/v1/categories"): lambda w: w.client.get(
        "/api/v1/categories", params={"include_archived": True}, headers=w.bob.headers
    ),
    ("POST", "/api/v1/categories"): lambda w: w.client.post(
        "/api/v1/categories",
        json={"name": "Alice's groceries", "type": "expense"},
        headers=w.bob.headers,
    ),
    ("GET", "/api/v1/categories/templates"): lambda w: w.client.get(
        "/api/v1/categories/templates", headers=w.bob.headers
    ),
    ("POST", "/api/v1/categories/templates/{key}/apply"): lambda w: w.client.post(
        "/api/v1/categories/templates/household/apply", headers=w.bob.headers
    ),
    ("GET", "/api/v1/transactions"): lambda w: w.client.get(
        "/api/v1/transactions", params={"q": "Alice"}, headers=w.bob.headers
    ),
    ("POST", "/api/v1/transactions/bulk"): _bobs_bulk_tag,
    ("POST", "/api/v1/transactions/batch"): _bobs_batch,
    ("GET", "/api/v1/exports/transactions"): _bobs_export,
    ("GET", "/api/v1/transactions/search"): lambda w: w.client.get(
        "/api/v1/transactions/search",
        params={"q": 'Alice amount<100 category:"Alice\'s groceries"'},
        headers=w.bob.headers,
    ),
    ("POST", "/api/v1/transactions"): lambda w: w.client.post(
        "/api/v1/transactions",
        json={
            "date": "2025-07-01",
            "description": "Bob's",
            "postings": [
                {
                    "account_id": w.client.post(
                        "/api/v1/accounts",
                        json={"name": "B1", "type": "asset"},
                        headers=w.bob.headers,
                    ).json()["id"],
                    "amount": "1.00",
                },
                {
                    "account_id": w.client.post(
                        "/api/v1/accounts",
                        json={"name": "B2", "type": "equity"},
                        headers=w.bob.headers,
                    ).json()["id"],
                    "amount": "-1.00",
                },
            ],
        },
        headers=w.bob.headers,
    ),
    ("GET", "/api/v1/goals"): lambda w: _without_alices_goal(
        w,
        lambda: w.client.get(
            "/api/v1/goals", params={"include_archived": True}, headers=w.bob.headers
        ),
    ),
    ("POST", "/api/v1/goals"): lambda w: _without_alices_goal(
        w,
        lambda: w.client.post(
            "/api/v1/goals",
            json={
                "kind": "spending_limit",
                "name": "Bob's limit",
                "account_id": _bobs_category(w),
                "amount": "5.00",
            },
            headers=w.bob.headers,
        ),
    ),
    ("GET", "/api/v1/notifications"): lambda w: _without_alices_goal(
        w, lambda: w.client.get("/api/v1/notifications", headers=w.bob.headers)
    ),
    ("POST", "/api/v1/notifications/read-all"): lambda w: _without_alices_goal(
        w, lambda: w.client.post("/api/v1/notifications/read-all", headers=w.bob.headers)
    ),
    ("GET", "/api/v1/recurring"): lambda w: _bob_misses_alices_series(
        w, lambda: w.client.get("/api/v1/recurring", headers=w.bob.headers)
    ),
    ("POST", "/api/v1/recurring/detect"): lambda w: _bob_misses_alices_series(
        w, lambda: w.client.post("/api/v1/recurring/detect", headers=w.bob.headers)
    ),
    ("GET", "/api/v1/balances/forecast"): lambda w: _bob_misses_alices_series(
        w,
        lambda: w.client.get(
            "/api/v1/balances/forecast", params={"months": 12}, headers=w.bob.headers
        ),
    ),
    ("GET", "/api/v1/balances/summary"): lambda w: w.client.get(
        "/api/v1/balances/summary", params={"date": "2025-12-31"}, headers=w.bob.headers
    ),
    ("GET", "/api/v1/balances/validate"): lambda w: _bob_sees_none_of(
        w, _alice_anchor(w), "/api/v1/balances/validate"
    ),
    ("GET", "/api/v1/exchange-rates"): lambda w: _bob_sees_none_of(
        w, _alice_rate(w), "/api/v1/exchange-rates?currency=USD"
    ),
    ("POST", "/api/v1/exchange-rates"): lambda w: w.client.post(
        "/api/v1/exchange-rates",
        json={"currency": "USD", "effective_on": "2025-07-01", "rate": "1.60"},
        headers=w.bob.headers,
    ),
    ("POST", "/api/v1/auth/register"): lambda w: w.client.post(
        "/api/v1/auth/register",
        json={"email": "carol@example.com", "password": w.bob.password, "name": "Carol"},
    ),
    ("POST", "/api/v1/auth/refresh"): lambda w: w.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": w.bob.refresh_token}
    ),
    ("POST", "/api/v1/auth/change-password"): lambda w: w.client.post(
        "/api/v1/auth/change-password",
        json={"current_password": w.bob.password, "new_password": "a brand new passphrase"},
        headers=w.bob.headers,
    ),
    ("POST", "/api/v1/auth/logout"): lambda w: w.client.post(
        "/api/v1/auth/logout", headers=w.bob.headers
    ),
    ("POST", "/api/v1/auth/logout-all"): lambda w: w.client.post(
        "/api/v1/auth/logout-all", headers=w.bob.headers
    ),
    ("GET", "/api/v1/rules"): lambda w: _without_alices_rule(
        w, lambda: w.client.get("/api/v1/rules", headers=w.bob.headers)
    ),
    ("POST", "/api/v1/rules"): lambda w: _without_alices_rule(w, lambda: _by_rule_read(w)),
    ("POST", "/api/v1/rules/reorder"): lambda w: _without_alices_rule(
        w,
        lambda: w.client.post(
            "/api/v1/rules/reorder",
            json={"ids": [_bobs_rule(w)]},
            headers=w.bob.headers,
        ),
    ),
    ("POST", "/api/v1/rules/preview"): _bobs_rule_preview,
    ("POST", "/api/v1/rules/apply"): _bobs_rules_apply,
    ("GET", "/api/v1/insights/review"): lambda w: _bob_misses_alices_suggestion(
        w, lambda txn: w.client.get("/api/v1/insights/review", headers=w.bob.headers)
    ),
    ("POST", "/api/v1/insights/categorise"): lambda w: _bob_misses_alices_suggestion(
        w,
        lambda txn: w.client.post(
            "/api/v1/insights/categorise",
            json={"transaction_ids": [txn, str(w.alice_transaction)]},
            headers=w.bob.headers,
        ),
    ),
    ("POST", "/api/v1/insights/train"): lambda w: _bob_misses_alices_suggestion(
        w, lambda txn: w.client.post("/api/v1/insights/train", headers=w.bob.headers)
    ),
    ("GET", "/api/v1/insights/model"): lambda w: _bob_misses_alices_suggestion(
        w, lambda txn: w.client.get("/api/v1/insights/model", headers=w.bob.headers)
    ),
    ("PATCH", "/api/v1/insights/model"): lambda w: _bob_misses_alices_suggestion(
        w,
        lambda txn: w.client.patch(
            "/api/v1/insights/model",
            json={"auto_apply": True, "auto_threshold": 0.1},
            headers=w.bob.headers,
        ),
    ),
    # Tax calculators: no tenant data (nothing is read or stored); Bob's answers must
    # still carry nothing of Alice's.
    ("POST", "/api/v1/tax/calculate"): lambda w: w.client.post(
        "/api/v1/tax/calculate",
        json={"year": "2024-25", "residency": "resident", "taxable_income": "85000"},
        headers=w.bob.headers,
    ),
    ("GET", "/api/v1/tax/years"): lambda w: w.client.get(
        "/api/v1/tax/years", headers=w.bob.headers
    ),
    ("GET", "/api/v1/tax/brackets"): lambda w: w.client.get(
        "/api/v1/tax/brackets", params={"year": "2024-25"}, headers=w.bob.headers
    ),
    ("POST", "/api/v1/tax/work-from-home"): lambda w: w.client.post(
        "/api/v1/tax/work-from-home",
        json={"year": "2024-25", "method": "fixed_rate", "hours": "10"},
        headers=w.bob.headers,
    ),
    ("GET", "/api/v1/tax/returns"): lambda w: _bob_misses_alices_return(
        w, lambda: w.client.get("/api/v1/tax/returns", headers=w.bob.headers)
    ),
    # Same person name and year as Alice's: uniqueness is per tenant, so Bob's is made.
    ("POST", "/api/v1/tax/returns"): lambda w: _bob_misses_alices_return(
        w,
        lambda: w.client.post(
            "/api/v1/tax/returns",
            json={"person": {"name": "Alice Example"}, "year": "2024-25"},
            headers=w.bob.headers,
        ),
    ),
    ("POST", "/api/v1/tax/estimate"): lambda w: w.client.post(
        "/api/v1/tax/estimate", json={"year": "2024-25", "salary": "85000"}, headers=w.bob.headers
    ),
    ("POST", "/api/v1/diagnostics/inspect-workbook"): lambda w: w.client.post(
        "/api/v1/diagnostics/inspect-workbook",
        files={"file": ("tb.csv", b"Account No,Account Name,Debit,Credit\n1,Bob's cash,1,\n")},
        headers=w.bob.headers,
    ),
    # Journal-entry testing stores nothing and reads no tenant data: Bob's answer is
    # about his own file only.
    ("POST", "/api/v1/diagnostics/journal-entries"): lambda w: w.client.post(
        "/api/v1/diagnostics/journal-entries",
        files={
            "file": (
                "gl.csv",
                b"Journal No,Date,Account,Description,Debit,Credit\n"
                b"1,03/03/2025,1100,Bob's sale,5.00,\n1,03/03/2025,4000,Bob's sale,,5.00\n",
            )
        },
        headers=w.bob.headers,
    ),
    **{
        ("POST", f"/api/v1/diagnostics/export/{kind}"): (
            lambda w, kind=kind: _bob_exports(w, kind)  # type: ignore[misc]
        )
        for kind in ("pdf", "excel", "leadsheets", "csv")
    },
    **{
        ("GET", f"/api/v1/reports/{report}"): (
            lambda w, report=report, params=params: w.client.get(  # type: ignore[misc]
                f"/api/v1/reports/{report}", params=params, headers=w.bob.headers
            )
        )
        for report, params in REPORT_ATTACKS.items()
    },
}


def api_routes(client: TestClient) -> set[tuple[str, str]]:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/")
        for method in operations
    }


def test_every_api_route_has_an_isolation_check(client: TestClient) -> None:
    assert api_routes(client) == set(BY_ID) | set(COLLECTIONS)


@pytest.mark.parametrize("route", sorted(BY_ID), ids=lambda r: f"{r[0]} {r[1]}")
def test_another_tenants_id_answers_like_a_missing_one(
    world: World, route: tuple[str, str]
) -> None:
    attack, alice_id = BY_ID[route]
    theirs = attack(world, alice_id(world))
    missing = attack(world, str(uuid.uuid4()))
    assert theirs.status_code == missing.status_code == 404, theirs.text
    assert theirs.json()["code"] == missing.json()["code"]
    assert theirs.json()["detail"] == missing.json()["detail"]
    _assert_alice_untouched(world)


@pytest.mark.parametrize("route", sorted(COLLECTIONS), ids=lambda r: f"{r[0]} {r[1]}")
def test_collections_show_nothing_of_another_tenant(world: World, route: tuple[str, str]) -> None:
    response = COLLECTIONS[route](world)
    assert response.status_code < 400, response.text
    for secret in world.alice_secrets():
        assert secret not in response.text
    _assert_alice_untouched(world)


def _assert_alice_untouched(w: World) -> None:
    tenant = w.client.get(f"/api/v1/tenants/{w.alice.tenant_id}", headers=w.alice.headers).json()
    assert tenant["name"] == "Alice"
    members = w.client.get(
        f"/api/v1/tenants/{w.alice.tenant_id}/members", headers=w.alice.headers
    ).json()
    assert [m["email"] for m in members] == [w.alice.email]
    categories = w.client.get("/api/v1/categories", headers=w.alice.headers).json()
    assert [c["name"] for c in categories] == ["Alice's groceries"]
    txn = w.client.get(
        f"/api/v1/transactions/{w.alice_transaction}", headers=w.alice.headers
    ).json()
    assert (txn["deleted"], txn["simple"]["amount"]) == (False, "9.99")
    verify = w.client.get("/api/v1/audit/verify", headers=w.alice.headers).json()
    assert verify["valid"] is True
