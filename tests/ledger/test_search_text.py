"""The text filter looks in one text made of the description, payee and notes (migration
0020's trigram index covers that expression): the entries it finds are exactly those with
the word in one of the three columns — never a match that spans two of them."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from fiscus.db.session import make_engine
from fiscus.ledger.repository_transactions import TransactionFilters, TransactionRepository
from fiscus.ledger.search import parse
from fiscus.tenancy.models import Tenant
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register
from tests.support.databases import MigratedDatabase

SEARCH = "/api/v1/transactions/search"
TEXTS = ("description", "payee", "notes")

# ASCII (SQLite folds only ASCII case), both cases, the LIKE wildcards and escape, space,
# and the separator of the searched text itself.
_ALPHABET = "abAB0 %_/\x1f"
_texts = st.text(_ALPHABET, min_size=1, max_size=8).filter(lambda t: t.strip())
_optional = st.none() | st.text(_ALPHABET, max_size=8)
_entries = st.lists(st.tuples(_texts, _optional, _optional), min_size=1, max_size=5)
_needles = st.text(_ALPHABET, min_size=1, max_size=4).filter(lambda t: t.strip())


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _post(books: Books, day: date, description: str, payee: str | None, notes: str | None) -> Any:
    body = {
        "date": day.isoformat(),
        "description": description,
        "payee": payee,
        "notes": notes,
        "type": "expense",
        "amount": "1.00",
        "account_id": books.bank,
        "category_id": books.groceries,
    }
    made = books.post(body)
    assert made.status_code == 201, made.text
    return made.json()


def _found(books: Books, q: str) -> set[str]:
    response = books.client.get(SEARCH, params={"q": q, "limit": 100}, headers=books.owner.headers)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def _has(value: str | None, needle: str) -> bool:
    return value is not None and needle in value.lower()


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def test_a_word_is_found_in_each_text_and_not_across_two(books: Books) -> None:
    day = date(2025, 5, 1)
    only = {
        "description": _post(books, day, "Morning coffee", None, None)["id"],
        "payee": _post(books, day, "Card 1234", "Bean Roasters", None)["id"],
        "notes": _post(books, day, "Card 5678", "Kiosk", "oat latte")["id"],
    }
    split = _post(books, day, "abc", "def", "ghi")["id"]
    on = "date:2025-05-01"
    assert _found(books, f"coffee {on}") == {only["description"]}
    assert _found(books, f"ROAST {on}") == {only["payee"]}
    assert _found(books, f"latte {on}") == {only["notes"]}
    assert _found(books, f"card {on}") == {only["payee"], only["notes"]}
    assert _found(books, f"payee:bean {on}") == {only["payee"]}
    assert _found(books, f"description:bean {on}") == set()
    assert _found(books, f"notes:oat {on}") == {only["notes"]}
    # the texts are searched one by one: nothing spans the end of one and the next
    assert _found(books, f"{_quoted('c' + chr(31) + 'd')} {on}") == set()
    assert _found(books, f"{_quoted('f' + chr(31) + 'g')} {on}") == set()
    assert _found(books, f"{_quoted('cd')} {on}") == set()
    assert _found(books, f"{_quoted('c%d')} {on}") == set()
    assert _found(books, f"bcd {on}") == set()
    assert _found(books, f"ab {on}") == {split}
    listed = books.client.get(
        "/api/v1/transactions",
        params={"q": "ROAST", "date_from": "2025-05-01", "date_to": "2025-05-01"},
        headers=books.owner.headers,
    )
    assert {item["id"] for item in listed.json()["items"]} == {only["payee"]}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=_entries, needle=_needles)
def test_the_filter_finds_exactly_the_entries_with_the_word_in_a_column(
    client: TestClient, entries: list[tuple[str, str | None, str | None]], needle: str
) -> None:
    books = _shared_books(client)
    day = date(2024, 1, 1) + timedelta(days=next(_days))
    stored = [_post(books, day, *texts) for texts in entries]
    on = f"date:{day.isoformat()}"
    word = parse(_quoted(needle)).words[0]  # as the parser reads it (trimmed, lowered)
    expected = {e["id"] for e in stored if any(_has(e[column], word) for column in TEXTS)}
    assert _found(books, f"{_quoted(needle)} {on}") == expected
    for column in TEXTS:
        expected = {e["id"] for e in stored if _has(e[column], word)}
        assert _found(books, f"{column}:{_quoted(needle)} {on}") == expected


_days = itertools.count()
_books: dict[int, Books] = {}


def _shared_books(client: TestClient) -> Books:
    """One tenant for all examples of a run (each example books on a day of its own)."""
    if id(client) not in _books:
        _books.clear()
        _books[id(client)] = Books(client, register(client))
    return _books[id(client)]


@pytest.fixture(scope="module")
def big_books(committed: MigratedDatabase) -> uuid.UUID:
    """A tenant with 100,000 entries, committed and analysed (PostgreSQL only)."""
    if committed.backend != "postgres":
        pytest.skip("the trigram index is PostgreSQL's")
    owner = make_engine(committed.admin_url)
    with Session(owner) as session, session.begin():
        tenant = Tenant(
            name="Big",
            kind="personal",
            base_currency="AUD",
            timezone="UTC",
            locale="en",
            fiscal_year_start_month=1,
            fiscal_year_start_day=1,
        )
        session.add(tenant)
        session.flush()
        tenant_id = tenant.id
        session.execute(
            text(
                "INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, payee,"
                " status, kind, tags, amount, currency, created_at, updated_at)"
                " SELECT gen_random_uuid(), :tenant, DATE '2025-01-01' + (i % 365),"
                " 'EFTPOS SHOP ' || i, 'Shop', 'cleared', 'expense', '', 100, 'AUD', now(), now()"
                " FROM generate_series(1, 100000) AS i"
            ),
            {"tenant": tenant_id},
        )
    with owner.connect() as connection:
        connection.execute(text("ANALYZE ledger_transaction"))
        connection.commit()
    owner.dispose()
    return tenant_id


@pytest.mark.parametrize(
    "filters",
    [
        TransactionFilters(words=("woolworths",)),
        TransactionFilters(payee=("woolworths",)),
        TransactionFilters(notes=("receipt",), description=("rent",)),
    ],
)
def test_the_text_filter_uses_the_trigram_index_under_row_level_security(
    committed: MigratedDatabase, big_books: uuid.UUID, filters: TransactionFilters
) -> None:
    engine = make_engine(committed.app_url)  # the app role: row-level security applies
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(
                text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(big_books)}
            )
            # the point is that the index *can* serve the filter (the plan may prefer a scan)
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            repo = TransactionRepository(Session(bind=connection), big_books)
            compiled = repo._filtered(filters).compile(dialect=connection.dialect)
            explain = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
            plan = "\n".join(row[0] for row in explain)
    finally:
        engine.dispose()
    assert "ix_ledger_transaction_search_trgm" in plan, plan
