"""Learning is queued by writes and caught up by reads: a write only records which entries
may teach something; the model a user can observe is always the caught-up one."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.insights import learning
from fiscus.insights.repository import InsightsRepository
from fiscus.ledger import transactions as ledger_transactions
from fiscus.ledger import transactions_edit as edit_service
from fiscus.ledger.schemas_transactions import SimpleTransactionCreate, TransactionUpdate
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


def test_a_new_entry_is_queued_by_the_write_statement_itself(
    books: Books, connection: Connection
) -> None:
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        # the test's savepoints, and the scope (sent with BEGIN outside tests)
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "SELECT set_config")):
            sent.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    try:
        txn = books.entry("EFTPOS COLES 0455", books.groceries)
    finally:
        event.remove(connection, "before_cursor_execute", note)
    assert queued(connection, books.owner.tenant_id) == {txn}
    queueing = [s for s in sent if "insights_pending" in s]
    assert len(queueing) == 1
    if connection.dialect.name == "postgresql":
        assert "INSERT INTO ledger_transaction" in queueing[0]  # a CTE of the write
        # authentication, chart (+ goals), the write (+ queue), the audit link
        assert len(sent) == 4, sent


def test_an_entry_queued_by_its_write_and_changed_later_in_the_unit_of_work_is_learned_as_it_ends(
    books: Books, session_factory: sessionmaker[Session]
) -> None:
    tenant = books.owner.tenant_id
    ctx = TenantContext(tenant_id=tenant, user_id=books.owner.user_id, role="owner")
    form = SimpleTransactionCreate(
        date=date(2026, 3, 2),
        description="BUNNINGS 7781 TEMPE",
        amount="12.00",
        type="expense",
        account_id=uuid.UUID(books.bank),
        category_id=uuid.UUID(books.home),
    )
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=books.owner.user_id)
        moved, _ = ledger_transactions.create_simple(session, ctx, form, key=None)
        learning.catch_up(session, tenant)  # learned (and the queue taken) mid-way
        later, _ = ledger_transactions.create_simple(session, ctx, form, key=None)
        for txn in (moved, later):  # both end on another category
            change = TransactionUpdate(category_id=uuid.UUID(books.fuel))
            edit_service.update_transaction(session, ctx, txn.id, change)
        session.commit()
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=None)
        learning.catch_up(session, tenant)
        examples = InsightsRepository(session, tenant).examples([moved.id, later.id])
        assert {e.category_id for e in examples.values()} == {uuid.UUID(books.fuel)}
        assert len(examples) == 2
