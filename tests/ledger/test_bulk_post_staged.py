"""`bulk_post` tells its caller once the entries are handed to the database: on
PostgreSQL after they are copied to the stage and before any is booked, so a caller
overlapping its own Python with the booking (`imports/overlap.alongside`) starts it
when only the database's work is left; on SQLite once they are written."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Transaction
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register
from tests.support.databases import MigratedDatabase


def test_staged_is_told_once_with_the_rows_handed_over(
    client: TestClient, database: MigratedDatabase, session_factory: sessionmaker[Session]
) -> None:
    books = Books(client, register(client))
    owner = books.owner
    ctx = TenantContext(tenant_id=owner.tenant_id, user_id=owner.user_id, role="owner")
    entries = [
        ledger_service.BulkEntry(
            transaction_id=uuid.uuid4(),
            occurred_on=date(2025, 7, 1 + i),
            description=f"Line {i}",
            payee=None,
            amount=-(i + 1) * 100,
            category_id=uuid.UUID(books.groceries),
        )
        for i in range(5)
    ]
    ids = [e.transaction_id for e in entries]
    seen: list[tuple[int, int]] = []  # (rows staged, entries booked) when told
    with session_factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)

        def staged() -> None:
            booked = session.scalar(
                select(func.count()).select_from(Transaction).where(Transaction.id.in_(ids))
            )
            stage = (
                session.execute(text("SELECT count(*) FROM bulk_post_stage")).scalar_one()
                if database.backend == "postgres"
                else 0
            )
            seen.append((int(stage), int(booked or 0)))

        ledger_service.bulk_post(
            session, ctx, account_id=uuid.UUID(books.bank), entries=entries, staged=staged
        )
        session.commit()
    assert seen == [(5, 0)] if database.backend == "postgres" else seen == [(0, 5)]
