"""Which legs are on an Uncategorised category: answered from the accounts the write path
has just read, the rest read once, and never stale after an account's code changes."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.ledger import service
from fiscus.ledger.repository_writes import chart_accounts
from fiscus.ledger.schemas import AccountUpdate
from tests.support.builders import register


def _account(client: TestClient, headers: dict[str, str], name: str, **fields: str) -> uuid.UUID:
    body = {"name": name, "type": "expense", **fields}
    response = client.post("/api/v1/accounts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def test_read_accounts_need_no_query_unread_ones_are_read_and_an_update_is_seen(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    food = _account(client, alice.headers, "Food")
    uncat = _account(client, alice.headers, "Uncategorised expense", code="UNCAT-EXP")
    other = _account(client, alice.headers, "Fuel")
    ctx = TenantContext(tenant_id=alice.tenant_id, user_id=alice.user_id, role="owner")
    with session_factory() as session:
        bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
        chart_accounts(session, alice.tenant_id, [food, uncat])
        statements: list[str] = []
        event.listen(
            session.get_bind(), "before_cursor_execute", lambda *a: statements.append(a[2])
        )
        assert service.uncategorised_among(session, alice.tenant_id, {food, uncat}) == {uncat}
        assert statements == []  # both were read by the chart lookup
        assert service.uncategorised_among(session, alice.tenant_id, {other}) == frozenset()
        assert len(statements) == 1  # Fuel was not: read once
        service.update_account(session, ctx, uncat, AccountUpdate(code="FOOD-2"))
        assert service.uncategorised_among(session, alice.tenant_id, {uncat}) == frozenset()
        session.rollback()
