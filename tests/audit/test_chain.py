"""Every change is audited in its own transaction, on a gapless per-tenant hash chain."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fiscus.audit.chain import GENESIS_HASH, canonical_json, link_hash
from fiscus.audit.service import HASHED_FIELDS
from fiscus.tenancy import service as tenancy_service
from tests.audit.helpers import actions, audit_events, verify
from tests.support.builders import PASSWORD, Account, add_member, create_tenant, register, switch

REGISTER_ACTIONS = ["tenant.create", "member.add", "user.register"]


def login(client: TestClient, account: Account) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    account.adopt(response.json())


def test_register_records_tenant_membership_and_user_in_one_request(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "password": PASSWORD, "name": "Ada"},
        headers={"X-Request-ID": "req-register-0001", "User-Agent": "fiscus-tests/1.0"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    user_id, tenant_id = body["user"]["id"], body["tenant"]["id"]
    ada = Account(
        "ada@example.com",
        PASSWORD,
        uuid.UUID(user_id),
        uuid.UUID(tenant_id),
        body["access_token"],
        body["refresh_token"],
    )

    events = audit_events(client, ada)

    assert [e["action"] for e in events] == REGISTER_ACTIONS
    tenant_created, owner_added, registered = events
    assert (tenant_created["resource_type"], tenant_created["resource_id"]) == ("tenant", tenant_id)
    assert tenant_created["after"]["name"] == "Ada"
    assert tenant_created["after"]["kind"] == "personal"
    assert owner_added["after"] == {"user_id": user_id, "role": "owner"}
    assert registered["after"] == {"email": "ada@example.com", "name": "Ada"}
    for event in events:
        assert event["actor_user_id"] == user_id
        assert event["request_id"] == "req-register-0001"
        assert event["user_agent"] == "fiscus-tests/1.0"
        assert event["ip"] == "testclient"


def test_personal_session_actions_are_audited(client: TestClient) -> None:
    alice = register(client, "Alice")
    login(client, alice)
    response = client.post(
        "/api/v1/auth/change-password",
        json={"current_password": PASSWORD, "new_password": "a much better passphrase"},
        headers=alice.headers,
    )
    assert response.status_code == 204, response.text
    alice.password = "a much better passphrase"
    assert client.post("/api/v1/auth/logout", headers=alice.headers).status_code == 204
    login(client, alice)
    assert client.post("/api/v1/auth/logout-all", headers=alice.headers).status_code == 200
    login(client, alice)

    assert actions(client, alice) == [
        *REGISTER_ACTIONS,
        "auth.login",
        "user.change_password",
        "auth.logout",
        "auth.login",
        "auth.logout_all",
        "auth.login",
    ]


def test_tenant_member_and_job_actions_are_audited_in_the_tenant_acted_on(
    client: TestClient,
) -> None:
    alice, bob = register(client, "Alice"), register(client, "Bob")
    acme = create_tenant(client, alice, "Acme")
    switch(client, alice, acme)
    path = f"/api/v1/tenants/{acme}"
    assert client.patch(path, json={"name": "Acme Two"}, headers=alice.headers).status_code == 200
    add_member(client, alice, acme, bob, "viewer")
    member = f"{path}/members/{bob.user_id}"
    response = client.patch(member, json={"role": "accountant"}, headers=alice.headers)
    assert response.status_code == 200, response.text
    assert client.delete(member, headers=alice.headers).status_code == 204
    job = client.post("/api/v1/audit/verify-jobs", headers=alice.headers)
    assert job.status_code == 202, job.text

    events = audit_events(client, alice)

    assert [e["action"] for e in events] == [
        "tenant.create",
        "member.add",
        "auth.switch_tenant",
        "tenant.update",
        "member.add",
        "member.change_role",
        "member.remove",
        "job.enqueue",
    ]
    by_action = {e["action"]: e for e in events}
    update = by_action["tenant.update"]
    assert (update["before"]["name"], update["after"]["name"]) == ("Acme", "Acme Two")
    change = by_action["member.change_role"]
    assert (change["before"], change["after"]) == ({"role": "viewer"}, {"role": "accountant"})
    assert by_action["member.remove"]["resource_id"] == str(bob.user_id)
    assert by_action["job.enqueue"]["resource_id"] == job.json()["id"]
    assert {e["actor_user_id"] for e in events} == {str(alice.user_id)}
    # Nothing done in Acme leaks into Alice's personal chain.
    switch(client, alice, _personal_tenant(client, alice))
    assert actions(client, alice) == [*REGISTER_ACTIONS, "auth.switch_tenant"]


def _personal_tenant(client: TestClient, account: Account) -> uuid.UUID:
    tenants = client.get("/api/v1/tenants", headers=account.headers).json()
    return uuid.UUID(next(t["id"] for t in tenants if t["kind"] == "personal"))


@pytest.mark.parametrize(
    "invite",
    [
        {"email": "nobody@example.com", "role": "member"},  # no such user: 404
        {"email": "nobody@example.com", "role": "emperor"},  # not a role: 422
    ],
)
def test_a_failed_request_leaves_no_event(client: TestClient, invite: dict[str, str]) -> None:
    alice = register(client, "Alice")
    before = audit_events(client, alice)

    response = client.post(
        f"/api/v1/tenants/{alice.tenant_id}/members", json=invite, headers=alice.headers
    )

    assert response.status_code in (404, 422)
    assert audit_events(client, alice) == before
    assert verify(client, alice)["valid"] is True


def test_change_and_its_event_roll_back_together(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    path = f"/api/v1/tenants/{alice.tenant_id}"

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("boom after the audit event was written")

    with monkeypatch.context() as patch:
        # tenant_read runs after update_tenant has changed the row and recorded the event.
        patch.setattr(tenancy_service, "tenant_read", fail)
        response = client.patch(path, json={"name": "Half Done"}, headers=alice.headers)
    assert response.status_code == 500

    assert client.get(path, headers=alice.headers).json()["name"] == "Alice"
    assert actions(client, alice) == REGISTER_ACTIONS
    # The rolled-back event did not use up a seq: the next one follows without a gap.
    assert client.patch(path, json={"name": "Done"}, headers=alice.headers).status_code == 200
    assert [e["seq"] for e in audit_events(client, alice)] == [1, 2, 3, 4]
    assert verify(client, alice) | {"reason": None} == {
        "valid": True,
        "events_checked": 4,
        "first_broken_seq": None,
        "reason": None,
    }


def test_seq_is_gapless_and_each_event_links_to_the_previous_hash(client: TestClient) -> None:
    alice = register(client, "Alice")
    for name in ("One", "Two", "Three", "Four"):
        response = client.patch(
            f"/api/v1/tenants/{alice.tenant_id}", json={"name": name}, headers=alice.headers
        )
        assert response.status_code == 200

    events = audit_events(client, alice)

    assert [e["seq"] for e in events] == list(range(1, 8))
    assert events[0]["prev_hash"] == GENESIS_HASH
    for previous, event in itertools.pairwise(events):
        assert event["prev_hash"] == previous["hash"]
    assert len({e["hash"] for e in events}) == len(events)
    assert verify(client, alice) == {
        "valid": True,
        "events_checked": 7,
        "first_broken_seq": None,
        "reason": None,
    }


def test_each_hash_covers_the_event_content_and_the_previous_hash(client: TestClient) -> None:
    alice = register(client, "Alice")

    for event in audit_events(client, alice):
        fields = {name: event.get(name) for name in HASHED_FIELDS}
        fields["tenant_id"] = str(alice.tenant_id)  # not in the API's view of an event
        fields["occurred_at"] = datetime.fromisoformat(event["occurred_at"])
        for name in ("before", "after"):
            fields[name] = None if event[name] is None else canonical_json(event[name])
        assert link_hash(fields, event["prev_hash"]) == event["hash"]
        assert link_hash({**fields, "action": "x"}, event["prev_hash"]) != event["hash"]
        assert link_hash(fields, GENESIS_HASH[:-1] + "1") != event["hash"]


def test_chains_are_per_tenant_and_independent(client: TestClient) -> None:
    alice, bob = register(client, "Alice"), register(client, "Bob")
    for name in ("A1", "A2", "A3"):
        path = f"/api/v1/tenants/{alice.tenant_id}"
        assert client.patch(path, json={"name": name}, headers=alice.headers).status_code == 200

    alice_events, bob_events = audit_events(client, alice), audit_events(client, bob)

    assert [e["seq"] for e in alice_events] == [1, 2, 3, 4, 5, 6]
    assert [e["seq"] for e in bob_events] == [1, 2, 3]
    assert bob_events[0]["prev_hash"] == alice_events[0]["prev_hash"] == GENESIS_HASH
    assert {e["actor_user_id"] for e in bob_events} == {str(bob.user_id)}
    assert not {e["id"] for e in alice_events} & {e["id"] for e in bob_events}
    assert verify(client, alice)["events_checked"] == 6
    assert verify(client, bob)["events_checked"] == 3
