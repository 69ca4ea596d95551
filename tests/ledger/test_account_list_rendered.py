"""The account list rendered once per version of the tenant's accounts (`web/rendered.py`).

On an app with its own engine and committed data (the `live` fixture), so on PostgreSQL
the asyncio pool answers and rendered bodies are kept; on SQLite every request reads and
renders, and the same assertions hold.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from fiscus.db.session import bind_scope, unit_of_work
from fiscus.ledger.models import Account
from fiscus.web.rendered import MAX_BODY_BYTES, RenderedBodies
from tests.ledger.test_pipelined_reads import RoundTrips, books
from tests.support.builders import Account as Member
from tests.support.builders import add_member, register


def listed(client: TestClient, who: Member, query: str = "") -> Any:
    response = client.get(f"/api/v1/accounts{query}", headers=who.headers)
    assert response.status_code == 200, response.text
    return response


def names(client: TestClient, who: Member, query: str = "") -> dict[str, str]:
    return {a["id"]: a["name"] for a in listed(client, who, query).json()}


def test_every_change_to_an_account_shows_in_the_next_list(live: TestClient) -> None:
    owner = register(live)
    ids = books(live, owner)
    assert names(live, owner)[ids["bank"]] == "Everyday"
    assert names(live, owner)[ids["bank"]] == "Everyday"  # served again, unchanged

    def patch(account: str, body: dict[str, Any]) -> None:
        response = live.patch(f"/api/v1/accounts/{account}", json=body, headers=owner.headers)
        assert response.status_code == 200, response.text

    patch(ids["bank"], {"name": "Everyday account"})
    assert names(live, owner)[ids["bank"]] == "Everyday account"
    patch(ids["card"], {"display_order": 7})
    card = next(a for a in listed(live, owner).json() if a["id"] == ids["card"])
    assert card["display_order"] == 7
    patch(ids["pay"], {"is_archived": True})
    assert ids["pay"] not in names(live, owner)
    assert ids["pay"] in names(live, owner, "?include_archived=true")

    created = live.post(
        "/api/v1/accounts", json={"name": "Savings", "type": "asset"}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    new_id = created.json()["id"]
    assert names(live, owner)[new_id] == "Savings"
    deleted = live.delete(f"/api/v1/accounts/{new_id}", headers=owner.headers)
    assert deleted.status_code == 204, deleted.text
    assert new_id not in names(live, owner)


def test_a_change_made_outside_this_app_shows_in_the_next_list(live: TestClient) -> None:
    """Nothing is invalidated by hand: another process's write (here straight SQL, as
    another server or a migration would) is seen like the app's own."""
    owner = register(live)
    ids = books(live, owner)
    assert names(live, owner)[ids["food"]] == "Food"
    factory = live.app.state.session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=None)
        food = uuid.UUID(ids["food"])
        changed = session.execute(
            update(Account).where(Account.id == food).values(name="Groceries")
        )
        assert changed.rowcount == 1  # type: ignore[attr-defined]
    assert names(live, owner)[ids["food"]] == "Groceries"


def test_a_current_body_costs_one_round_trip_and_a_changed_one_two(live: TestClient) -> None:
    owner = register(live)
    ids = books(live, owner)
    trips = RoundTrips(live)
    first = listed(live, owner).content
    trips.check(units=1, sqlite_statements=2)  # nothing kept yet: version and rows together

    trips = RoundTrips(live)
    assert listed(live, owner).content == first
    trips.check(units=1, sqlite_statements=2)  # the version alone, the body kept

    renamed = live.patch(
        f"/api/v1/accounts/{ids['bank']}", json={"name": "Renamed"}, headers=owner.headers
    )
    assert renamed.status_code == 200, renamed.text
    trips = RoundTrips(live)
    again = listed(live, owner).content
    # A body was kept (else one trip would have read version and rows together), its
    # version moved: the rows read again in a second trip.
    trips.check(units=2, sqlite_statements=2)
    assert again != first
    assert b'"Renamed"' in again


def test_a_kept_body_is_served_only_to_a_live_member_of_its_tenant(live: TestClient) -> None:
    owner, member, stranger = register(live), register(live), register(live)
    ids = books(live, owner)
    kept = listed(live, owner).content
    assert listed(live, owner).content == kept

    theirs = listed(live, stranger).json()
    assert not {a["id"] for a in theirs} & set(ids.values())

    add_member(live, owner, owner.tenant_id, member, "viewer")
    switched = live.post(
        "/api/v1/auth/switch-tenant",
        json={"tenant_id": str(owner.tenant_id)},
        headers=member.headers,
    )
    assert switched.status_code == 200, switched.text
    member.adopt(switched.json())
    assert listed(live, member).content == kept  # a viewer of the tenant reads it

    removed = live.delete(
        f"/api/v1/tenants/{owner.tenant_id}/members/{member.user_id}", headers=owner.headers
    )
    assert removed.status_code == 204
    assert live.get("/api/v1/accounts", headers=member.headers).status_code == 401
    assert live.post("/api/v1/auth/logout", headers=owner.headers).status_code == 204
    assert live.get("/api/v1/accounts", headers=owner.headers).status_code == 401
    forged = {"Authorization": f"Bearer {owner.access_token[:-4]}AAAA"}
    assert live.get("/api/v1/accounts", headers=forged).status_code == 401


def test_the_bodies_kept_are_bounded_least_recently_used_first() -> None:
    bodies = RenderedBodies(max_bodies=2)
    bodies.put(("a",), "v1", b"[1]")
    bodies.put(("b",), "v1", b"[2]")
    assert bodies.get(("a",)) == ("v1", b"[1]")  # a is now the most recently used
    bodies.put(("c",), "v1", b"[3]")
    assert bodies.get(("b",)) is None
    assert bodies.get(("a",)) == ("v1", b"[1]")
    assert bodies.get(("c",)) == ("v1", b"[3]")

    bodies.put(("a",), "v2", b"x" * (MAX_BODY_BYTES + 1))  # too large: rendered every time
    assert bodies.get(("a",)) is None
    assert len(bodies) == 1
