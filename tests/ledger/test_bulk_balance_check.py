"""The database's balance invariant after migration 0019 (PostgreSQL only).

Bulk booking inserts postings through `ledger_insert_postings`, which checks every entry
it wrote once, set-based, instead of the deferred per-posting trigger at COMMIT. Every
other write of the app role is still checked by the trigger: a single posting inserted,
updated or deleted by hand is refused at commit when its entry no longer balances.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.ledger import service as ledger_service
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register
from tests.support.databases import MigratedDatabase

_CALL = text(
    "SELECT ledger_insert_postings(CAST(:tenant AS uuid), CAST(:txns AS uuid[]),"
    " CAST(:accounts AS uuid[]), CAST(:positions AS integer[]), CAST(:amounts AS bigint[]),"
    " 'AUD', CAST(:days AS date[]))"
)


@pytest.fixture
def books(client: TestClient, database: MigratedDatabase) -> Books:
    if database.backend != "postgres":
        pytest.skip("the balance checks in the database are PostgreSQL's")
    return Books(client, register(client))


def _as_tenant(connection: Connection, books: Books) -> None:
    connection.execute(
        text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(books.owner.tenant_id)}
    )


def _entry(connection: Connection, books: Books) -> uuid.UUID:
    """A transaction row with no postings yet (as bulk booking writes them first)."""
    txn = uuid.uuid4()
    connection.execute(
        text(
            "INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, status,"
            " kind, tags, amount, currency, created_at, updated_at) VALUES (:id, :tenant,"
            " '2025-07-01', 'Shop', 'cleared', 'expense', '', 500, 'AUD', now(), now())"
        ),
        {"id": txn, "tenant": books.owner.tenant_id},
    )
    return txn


def _insert(connection: Connection, books: Books, legs: list[tuple[Any, ...]], **over: Any) -> Any:
    params = {
        "tenant": books.owner.tenant_id,
        "txns": [leg[0] for leg in legs],
        "accounts": [uuid.UUID(leg[1]) for leg in legs],
        "positions": list(range(len(legs))),
        "amounts": [leg[2] for leg in legs],
        "days": ["2025-07-01"] * len(legs),
        **over,
    }
    return connection.execute(_CALL, params).scalar()


def _check_now(connection: Connection) -> None:
    connection.execute(text("SET CONSTRAINTS posting_balances IMMEDIATE"))
    connection.execute(text("SET CONSTRAINTS posting_balances DEFERRED"))


def test_balanced_bulk_postings_go_in_and_need_no_check_at_commit(
    books: Books, connection: Connection
) -> None:
    _as_tenant(connection, books)
    first, second = _entry(connection, books), _entry(connection, books)
    legs = [
        (first, books.groceries, 500),
        (first, books.bank, -500),
        (second, books.groceries, 250),
        (second, books.bank, -250),
    ]
    assert _insert(connection, books, legs) == 4
    _check_now(connection)  # nothing unbalanced queued
    total = connection.execute(
        text("SELECT sum(amount) FROM posting WHERE transaction_id IN (:a, :b)"),
        {"a": first, "b": second},
    ).scalar()
    assert total == 0


def test_an_unbalanced_bulk_insert_is_refused_at_once(books: Books, connection: Connection) -> None:
    _as_tenant(connection, books)
    txn = _entry(connection, books)
    legs = [(txn, books.groceries, 500), (txn, books.bank, -499)]
    with pytest.raises(DBAPIError, match="does not balance in AUD"), connection.begin_nested():
        _insert(connection, books, legs)
    count = connection.execute(
        text("SELECT count(*) FROM posting WHERE transaction_id = :t"), {"t": txn}
    ).scalar()
    assert count == 0


def test_the_entries_existing_postings_count_in_the_bulk_check(
    books: Books, connection: Connection
) -> None:
    created = books.post(
        {
            "date": "2025-07-03",
            "description": "Shop",
            "amount": "5.00",
            "type": "expense",
            "account_id": books.bank,
            "category_id": books.groceries,
        }
    ).json()
    _as_tenant(connection, books)
    txn = uuid.UUID(created["id"])
    with pytest.raises(DBAPIError, match="does not balance"), connection.begin_nested():
        _insert(connection, books, [(txn, books.groceries, 100)])


def test_the_bulk_function_refuses_another_tenant(
    books: Books, client: TestClient, connection: Connection
) -> None:
    bob = register(client, "Bob")
    _as_tenant(connection, books)
    txn = _entry(connection, books)
    legs = [(txn, books.groceries, 500), (txn, books.bank, -500)]
    with pytest.raises(DBAPIError, match="current tenant"), connection.begin_nested():
        _insert(connection, books, legs, tenant=bob.tenant_id)


def test_an_unbalanced_single_posting_by_hand_is_still_refused_at_commit(
    books: Books, connection: Connection
) -> None:
    _as_tenant(connection, books)
    txn = _entry(connection, books)
    connection.execute(
        text(
            "INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount,"
            " currency, occurred_on) VALUES (gen_random_uuid(), :tenant, :txn, :account, 0,"
            " 500, 'AUD', '2025-07-01')"
        ),
        {"tenant": books.owner.tenant_id, "txn": txn, "account": books.groceries},
    )
    with pytest.raises(DBAPIError, match="does not balance"):
        connection.execute(text("SET CONSTRAINTS posting_balances IMMEDIATE"))


def test_bulk_postings_edited_later_are_checked_again(books: Books, connection: Connection) -> None:
    _as_tenant(connection, books)
    txn = _entry(connection, books)
    _insert(connection, books, [(txn, books.groceries, 500), (txn, books.bank, -500)])
    _check_now(connection)
    connection.execute(
        text("UPDATE posting SET amount = amount + 1 WHERE transaction_id = :t AND position = 0"),
        {"t": txn},
    )
    with pytest.raises(DBAPIError, match="does not balance"):
        connection.execute(text("SET CONSTRAINTS posting_balances IMMEDIATE"))


def test_bulk_post_books_balanced_entries_with_their_tags(
    books: Books, connection: Connection, session_factory: Any
) -> None:
    owner = books.owner
    ctx = TenantContext(tenant_id=owner.tenant_id, user_id=owner.user_id, role="owner")
    ids = [uuid.uuid4() for _ in range(3)]
    with session_factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
        entries = [
            ledger_service.BulkEntry(
                transaction_id=txn,
                occurred_on=date(2025, 7, 1),
                description=f"Line {i}",
                payee=None,
                amount=-(i + 1) * 100,
                category_id=uuid.UUID(books.groceries),
                tags=",bulk,",
            )
            for i, txn in enumerate(ids)
        ]
        ledger_service.bulk_post(session, ctx, account_id=uuid.UUID(books.bank), entries=entries)
        count = session.execute(
            text("SELECT count(*) FROM posting WHERE transaction_id = ANY(:ids)"), {"ids": ids}
        ).scalar()
        assert count == 6
        session.execute(text("SET CONSTRAINTS posting_balances IMMEDIATE"))
        session.commit()
    response = books.client.get(f"/api/v1/transactions/{ids[2]}", headers=owner.headers)
    assert response.json()["tags"] == ["bulk"]
    assert response.json()["simple"]["amount"] == "3.00"
