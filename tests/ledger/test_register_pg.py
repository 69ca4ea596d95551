"""The account register's PostgreSQL statement (`ledger/register_pg.py`) answers exactly
what the portable one does, on its generic plan and on custom plans, whichever walk its
gate picks: every entry with a leg on the account once, deleted ones left out, in the
same order, for any range (open ends too), offset, limit and cursor.

The books: 240 bank lines over 40 days (several a day, each with the same creation time
within its batch, so the entry id breaks ties), the bank in every entry (a dense walk),
groceries in one line in twelve (a sparse walk), a split with two legs on groceries, a
line entered on its own later, and a deleted entry on each account.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.pipelined import Read
from fiscus.db.session import bind_scope
from fiscus.ledger import register_pg
from fiscus.ledger import service as ledger_service
from fiscus.ledger.page_rows import sort_columns
from fiscus.ledger.register_page import register_page_read
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register
from tests.support.databases import MigratedDatabase

FIRST = date(2025, 3, 1)
DAYS = 40


@pytest.fixture
def books(client: TestClient, database: MigratedDatabase) -> Books:
    if database.backend != "postgres":
        pytest.skip("the statement is PostgreSQL's own; SQLite runs the portable one")
    return Books(client, register(client))


def _book(books: Books, session_factory: sessionmaker[Session]) -> None:
    owner = books.owner
    ctx = TenantContext(tenant_id=owner.tenant_id, user_id=owner.user_id, role="owner")
    entries = [
        ledger_service.BulkEntry(
            transaction_id=uuid.uuid4(),
            occurred_on=FIRST + timedelta(days=i % DAYS),
            description=f"Line {i}",
            payee=None,
            amount=-(i + 1) * 100,
            category_id=uuid.UUID(books.groceries if i % 12 == 0 else books.salary),
        )
        for i in range(240)
    ]
    with session_factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
        ledger_service.bulk_post(session, ctx, account_id=uuid.UUID(books.bank), entries=entries)
        session.commit()
    split = {
        "date": (FIRST + timedelta(days=5)).isoformat(),
        "description": "Two legs on groceries",
        "postings": [
            {"account_id": books.groceries, "amount": "5.00"},
            {"account_id": books.groceries, "amount": "7.00"},
            {"account_id": books.card, "amount": "-12.00"},
        ],
    }
    own = {
        "date": (FIRST + timedelta(days=9)).isoformat(),
        "description": "Entered on its own",
        "amount": "3.00",
        "type": "expense",
        "account_id": books.bank,
        "category_id": books.groceries,
    }
    for body in (split, own):
        assert books.post(body).status_code == 201
    for account in (books.bank, books.groceries):
        gone = books.client.get(
            "/api/v1/transactions",
            params={"account_id": account, "limit": 1},
            headers=books.owner.headers,
        ).json()["items"][0]["id"]
        deleted = books.client.delete(f"/api/v1/transactions/{gone}", headers=owner.headers)
        assert deleted.status_code in (200, 204)


def _rows(session: Session, statement: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(statement, params)]


def _gate(session: Session, read: Read, sort: str) -> bool:
    gate = register_pg.walk_gate(sort_columns(sort), "after_0" in read.params)
    return bool(session.execute(gate, dict(read.params)).scalar_one())


days = st.one_of(st.none(), st.integers(-3, DAYS + 3).map(lambda d: FIRST + timedelta(days=d)))


def test_the_statement_answers_as_the_portable_one(
    books: Books, session_factory: sessionmaker[Session]
) -> None:
    _book(books, session_factory)
    owner = books.owner
    accounts = {"bank": books.bank, "groceries": books.groceries, "savings": books.savings}
    walks: set[tuple[str, bool]] = set()

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        name=st.sampled_from(sorted(accounts)),
        sort=st.sampled_from(["-date", "date"]),
        first=days,
        last=days,
        offset=st.sampled_from([0, 0, 1, 7, 30]),
        limit=st.integers(1, 60),
        cursor=st.one_of(st.none(), st.integers(0, 40)),
        generic=st.booleans(),
    )
    def check(
        name: str,
        sort: str,
        first: date | None,
        last: date | None,
        offset: int,
        limit: int,
        cursor: int | None,
        generic: bool,
    ) -> None:
        account = uuid.UUID(accounts[name])
        with session_factory() as session:
            bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
            if generic:
                session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
            read = register_page_read(
                owner.tenant_id, account, sort, (first, last), offset=0, limit=100
            )
            after = None
            everything = _rows(session, read.statement, dict(read.params))
            if cursor is not None and cursor < len(everything):
                row = everything[cursor]  # the cursor of an entry: its date, creation, id
                after = (row[1], row[9], row[0])
            read = register_page_read(
                owner.tenant_id,
                account,
                sort,
                (first, last),
                offset=offset,
                limit=limit,
                after=after,
            )
            assert read.postgresql is not None
            assert read.generic
            expected = _rows(session, read.statement, dict(read.params))
            assert _rows(session, read.postgresql, dict(read.params)) == expected
            walks.add((name, _gate(session, read, sort)))

    check()
    # both walks were taken: the bank's page walks its entries, groceries' its legs
    assert ("bank", True) in walks
    assert ("groceries", False) in walks


def test_other_sorts_keep_the_portable_statement(books: Books) -> None:
    read = register_page_read(
        books.owner.tenant_id, uuid.UUID(books.bank), "amount", (None, None), offset=0, limit=5
    )
    assert read.postgresql is None
    assert not read.generic
