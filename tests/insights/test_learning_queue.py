"""Learning is queued by writes and caught up by reads: a write only records which entries
may teach something; the model a user can observe is always the caught-up one."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text

from tests.insights.helpers import Books
from tests.support.builders import register


def queued(connection: Connection, tenant_id: uuid.UUID) -> set[str]:
    if connection.dialect.name == "postgresql":  # row-level security: the tenant's rows only
        connection.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
        )
    rows = connection.execute(
        text("SELECT transaction_id FROM insights_pending WHERE tenant_id = :t"),
        {"t": tenant_id.hex if connection.dialect.name == "sqlite" else tenant_id},
    )
    return {str(uuid.UUID(str(r[0]))) for r in rows}


def _examples(connection: Connection, tenant_id: uuid.UUID) -> int:
    count = connection.execute(
        text("SELECT count(*) FROM insights_example WHERE tenant_id = :t"),
        {"t": tenant_id.hex if connection.dialect.name == "sqlite" else tenant_id},
    )
    return int(count.scalar_one())


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client, "Alice"))


def test_a_categorised_entry_is_queued_not_learned_in_its_own_request(
    books: Books, connection: Connection
) -> None:
    tenant = books.owner.tenant_id
    txn = books.entry("EFTPOS WOOLWORTHS 1234 SYDNEY", books.groceries)
    assert queued(connection, tenant) == {txn}
    assert _examples(connection, tenant) == 0
    assert books.model()["examples"] == 1  # the read caught the model up
    assert queued(connection, tenant) == set()
    assert _examples(connection, tenant) == 1


def test_a_bank_line_on_uncategorised_is_not_queued(books: Books, connection: Connection) -> None:
    books.imported("EFTPOS SOMEWHERE 12")
    assert queued(connection, books.owner.tenant_id) == set()


def test_a_learned_entry_moved_to_uncategorised_is_queued_and_unlearned(
    books: Books, connection: Connection
) -> None:
    tenant = books.owner.tenant_id
    txn = books.entry("BUNNINGS 7781 TEMPE", books.home)
    assert books.model()["examples"] == 1
    response = books.client.patch(
        f"/api/v1/transactions/{txn}",
        json={"category_id": books.uncat_expense},
        headers=books.owner.headers,
    )
    assert response.status_code == 200, response.text
    assert queued(connection, tenant) == {txn}  # it was learned: it must be unlearned
    assert books.model()["examples"] == 0
    assert _examples(connection, tenant) == 0


def test_a_failed_write_queues_nothing(books: Books, connection: Connection) -> None:
    response = books.client.post(
        "/api/v1/transactions",
        json={
            "date": "2026-03-01",
            "description": "nowhere",
            "amount": "5.00",
            "type": "expense",
            "account_id": books.bank,
            "category_id": str(uuid.uuid4()),
        },
        headers=books.owner.headers,
    )
    assert response.status_code in (404, 422), response.text
    assert queued(connection, books.owner.tenant_id) == set()
