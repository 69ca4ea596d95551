"""A large queue is one batch row (`insights_pending_batch`): taken with the per-entry
rows, each entry once, the tenant's only; a large write learns through it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.insights import learning
from fiscus.insights.models import InsightsPending, InsightsPendingBatch
from fiscus.insights.repository import InsightsRepository
from fiscus.insights.repository_pending import BATCH_FROM, PendingRepository
from fiscus.ledger import service as ledger_service
from tests.insights.helpers import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client, "Alice"))


def _rows(session: Session, model: type[InsightsPending] | type[InsightsPendingBatch]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_large_queue_is_one_row_and_every_entry_is_taken_once(
    books: Books, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice, bob = books.owner.tenant_id, register(client, "Bob").tenant_id
    many = [uuid.uuid4() for _ in range(BATCH_FROM)]
    few = [many[0], uuid.uuid4()]  # one also in the batch
    with session_factory() as session:
        bind_scope(session, tenant_id=alice, user_id=None)
        queue = PendingRepository(session, alice)
        queue.queue(many)
        queue.queue(few)
        queue.queue([*many[-3:], *(uuid.uuid4() for _ in range(BATCH_FROM))])  # overlaps
        assert (_rows(session, InsightsPending), _rows(session, InsightsPendingBatch)) == (2, 2)
        bind_scope(session, tenant_id=bob, user_id=None)
        assert PendingRepository(session, bob).take() == []  # not Bob's to take
        bind_scope(session, tenant_id=alice, user_id=None)
        taken = queue.take()
        assert len(taken) == len(set(taken)) == 2 * BATCH_FROM + 1
        assert set(many) | set(few) <= set(taken)
        assert queue.take() == []
        assert (_rows(session, InsightsPending), _rows(session, InsightsPendingBatch)) == (0, 0)


def test_a_large_write_is_queued_in_one_batch_and_learned_from_it(
    books: Books, session_factory: sessionmaker[Session]
) -> None:
    tenant = books.owner.tenant_id
    ctx = TenantContext(tenant_id=tenant, user_id=books.owner.user_id, role="owner")
    entries = [
        ledger_service.BulkEntry(
            transaction_id=uuid.uuid4(),
            occurred_on=date(2026, 3, 1 + n % 28),
            description=f"EFTPOS WOOLWORTHS {n}",
            payee=None,
            amount=-(100 + n),
            category_id=uuid.UUID(books.groceries),
        )
        for n in range(BATCH_FROM + 200)
    ]
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=ctx.user_id)
        ledger_service.bulk_post(session, ctx, account_id=uuid.UUID(books.bank), entries=entries)
        session.commit()  # queued as the unit of work ends
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=None)
        assert (_rows(session, InsightsPending), _rows(session, InsightsPendingBatch)) == (0, 1)
        assert learning.catch_up(session, tenant) == len(entries)
        assert InsightsRepository(session, tenant).example_count() == len(entries)
        assert _rows(session, InsightsPendingBatch) == 0
