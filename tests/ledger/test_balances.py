"""Balances: natural sign, balance at a date, and snapshots that always equal a full sum."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, func, select, text

from fiscus.core.money import Money
from fiscus.db.session import bind_scope
from fiscus.ledger.balances import raw_balances_at
from fiscus.ledger.models import BalanceMonth, ExchangeRate
from fiscus.ledger.rates import MissingRate, RateBook
from fiscus.ledger.repository_balances import BalanceRepository
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

START = date(2024, 1, 1)


def balance(books: Books, account: str, on: str | None = None) -> str:
    params = {"date": on} if on else {}
    response = books.client.get(
        f"/api/v1/accounts/{account}/balance", params=params, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    return str(response.json()["balance"])


def test_balances_use_each_accounts_natural_sign(client: TestClient) -> None:
    books = Books(client, register(client))
    books.post(
        {
            "date": "2025-07-01",
            "description": "Pay",
            "amount": "3000.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    )
    books.post(
        {
            "date": "2025-07-03",
            "description": "Shop",
            "amount": "84.20",
            "type": "expense",
            "account_id": books.card,
            "category_id": books.groceries,
        }
    )
    on = "2025-07-31"
    assert balance(books, books.bank, on) == "3000.00"  # asset with money in it
    assert balance(books, books.card, on) == "84.20"  # credit card with debt on it
    assert balance(books, books.salary, on) == "3000.00"  # income earned
    assert balance(books, books.groceries, on) == "84.20"  # expense spent
    body = client.get(
        f"/api/v1/accounts/{books.bank}/balance",
        params={"date": "2025-06-30"},
        headers=books.owner.headers,
    ).json()
    assert body == {
        "account_id": books.bank,
        "date": "2025-06-30",
        "balance": "0.00",
        "currency": "AUD",
    }


def test_back_dated_entries_and_deletes_move_later_balances(client: TestClient) -> None:
    books = Books(client, register(client))
    books.post(
        {
            "date": "2025-03-10",
            "description": "Pay",
            "amount": "100.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    )
    assert balance(books, books.bank, "2025-12-31") == "100.00"
    early = books.post(
        {
            "date": "2024-11-02",
            "description": "Old pay",
            "amount": "50.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    ).json()
    assert balance(books, books.bank, "2024-11-01") == "0.00"
    assert balance(books, books.bank, "2024-11-02") == "50.00"
    assert balance(books, books.bank, "2025-12-31") == "150.00"
    books.client.delete(f"/api/v1/transactions/{early['id']}", headers=books.owner.headers)
    books.client.delete(f"/api/v1/transactions/{early['id']}", headers=books.owner.headers)
    assert balance(books, books.bank, "2025-12-31") == "100.00"  # deleted once, counted once
    books.client.post(f"/api/v1/transactions/{early['id']}/restore", headers=books.owner.headers)
    assert balance(books, books.bank, "2025-12-31") == "150.00"


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.integers(0, 800),
            st.integers(1, 10**7),
            st.sampled_from(["expense", "income", "transfer", "dining"]),
        ),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("restore"), st.integers(0, 50)),
        st.tuples(  # a date (often back-dated), an amount and/or a type change
            st.just("edit"),
            st.integers(0, 50),
            st.none() | st.integers(-40, 800),
            st.none() | st.integers(1, 10**7),
            st.none() | st.sampled_from(["expense", "income", "transfer"]),
        ),
        st.tuples(st.just("move"), st.integers(0, 50), st.integers(-40, 800)),  # date only
        st.tuples(st.just("split"), st.integers(0, 50), st.integers(0, 800)),
        st.tuples(st.just("merge")),
    ),
    min_size=1,
    max_size=15,
)


class Story:
    """Random creates, edits, splits, deletes, restores and one category merge, through
    the API; every answer must be one the API documents for that action."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.dining = books.account("Dining", "expense")
        self.expense_categories = [books.groceries, self.dining]
        self.created: list[str] = []
        self.dates: dict[str, int] = {}  # entry -> its day offset, as far as we moved it
        self.moves: list[int] = []  # the day offsets each date change left and reached

    def accounts(self) -> list[str]:
        b = self.books
        return [b.bank, b.card, b.savings, b.salary, *self.expense_categories]

    def counterpart(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        if kind == "transfer":
            return {**body, "type": kind, "transfer_account_id": self.books.card}
        if kind == "income":
            return {**body, "type": kind, "category_id": self.books.salary}
        category = self.expense_categories[-1 if kind == "dining" else 0]
        return {**body, "type": "expense", "category_id": category}

    def run(self, op: tuple[Any, ...]) -> None:
        if op[0] == "create":
            _, offset, cents, kind = op
            body = {"date": _day(offset), "description": "gen", "amount": _amount(cents)}
            body = self.counterpart(kind, {**body, "account_id": self.books.bank})
            self.created.append(self.books.post(body).json()["id"])
            self.dates[self.created[-1]] = offset
        elif op[0] == "merge":
            if len(self.expense_categories) == 2:
                source, target = self.expense_categories
                response = self.books.client.post(
                    "/api/v1/categories/merge",
                    json={"source_id": source, "target_id": target},
                    headers=self.books.owner.headers,
                )
                assert response.status_code == 200, response.text
                self.expense_categories = [target]
        elif self.created:
            self.change(op, self.created[op[1] % len(self.created)])

    def change(self, op: tuple[Any, ...], target: str) -> None:
        path, headers = f"/api/v1/transactions/{target}", self.books.owner.headers
        if op[0] in ("delete", "restore"):
            method = "DELETE" if op[0] == "delete" else "POST"
            suffix = "" if op[0] == "delete" else "/restore"
            assert self.books.client.request(method, path + suffix, headers=headers).is_success
            return
        if op[0] == "move":
            body = {"date": _day(op[2])}
        elif op[0] == "edit":
            _, _, offset, cents, kind = op
            body: dict[str, Any] = {} if offset is None else {"date": _day(offset)}
            body |= {} if cents is None else {"amount": _amount(cents)}
            body = body if kind is None else self.counterpart(kind, body)
        else:  # a split: the entry becomes a three-leg journal entry on another day
            body = {"date": _day(op[2]), "postings": self.split(op[2])}
        response = self.books.client.patch(path, json=body, headers=headers)
        # 409: the entry is deleted; 422: simple fields sent to a journal entry
        assert response.status_code in (200, 409, 422), response.text
        if response.status_code == 200 and "date" in body:
            new = (date.fromisoformat(body["date"]) - START).days
            self.moves += [self.dates[target], new]
            self.dates[target] = new

    def split(self, cents: int) -> list[dict[str, Any]]:
        first, last = self.expense_categories[0], self.expense_categories[-1]
        return [
            {"account_id": first, "amount": _amount(cents + 1)},
            {"account_id": last, "amount": _amount(2 * cents + 1)},
            {"account_id": self.books.card, "amount": "-" + _amount(3 * cents + 2)},
        ]


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _amount(cents: int) -> str:
    return str(Money.from_minor(cents, "AUD").to_json())


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations, st.lists(st.integers(-45, 830), min_size=1, max_size=6))
def test_balance_from_snapshots_equals_a_full_recomputation(
    client: TestClient, connection: Connection, ops: list[tuple[Any, ...]], cuts: list[int]
) -> None:
    story = Story(Books(client, register(client)))
    for op in ops:
        story.run(op)
    # 830: after every date; and the days date changes left and reached, where a moved
    # entry must count on one side and not the other
    for cut in {*cuts, 830, *story.moves[-4:]}:
        on = START + timedelta(days=cut)
        for account in story.accounts():
            expected = _naive(connection, story.books, account, on)
            assert balance(story.books, account, on.isoformat()) == expected


def _naive(connection: Connection, books: Books, account: str, on: date) -> str:
    """The slow truth: SUM over every live posting of the account whose entry is dated up
    to the date (the entry's date, not the copy on the posting the snapshots are built from)."""
    sqlite = connection.dialect.name == "sqlite"
    if not sqlite:
        connection.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"),
            {"t": str(books.owner.tenant_id)},
        )
    raw = connection.execute(
        text(
            "SELECT coalesce(sum(p.amount), 0) FROM posting p "
            "JOIN ledger_transaction t ON t.id = p.transaction_id "
            "WHERE p.account_id = :a AND t.occurred_on <= :d AND t.deleted_at IS NULL"
        ),
        {"a": account.replace("-", "") if sqlite else account, "d": on},
    ).scalar_one()
    natural = -int(raw) if account in (books.card, books.salary) else int(raw)
    return Money.from_minor(natural, "AUD").to_json()


def test_all_balances_at_a_date_read_in_one_query_match_each_account(
    client: TestClient, session_factory: Any
) -> None:
    books = Books(client, register(client))
    for day, amount in (("2025-06-30", "10.00"), ("2025-07-01", "2.50"), ("2025-07-02", "4.00")):
        books.post(
            {
                "date": day,
                "description": "Shop",
                "amount": amount,
                "type": "expense",
                "account_id": books.bank,
                "category_id": books.groceries,
            }
        )
    with session_factory() as session:
        bind_scope(session, tenant_id=books.owner.tenant_id, user_id=None)
        raw = raw_balances_at(session, books.owner.tenant_id, date(2025, 7, 1))
    assert raw == {uuid.UUID(books.groceries): 1250, uuid.UUID(books.bank): -1250}


def test_rate_book_converts_at_the_rate_in_effect_and_names_a_missing_one(
    client: TestClient, session_factory: Any
) -> None:
    owner = register(client)
    with session_factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=None)
        for on, rate in ((date(2025, 1, 1), "1.50"), (date(2025, 7, 1), "1.60")):
            session.add(
                ExchangeRate(
                    tenant_id=owner.tenant_id, currency="USD", effective_on=on, rate=Decimal(rate)
                )
            )
        session.flush()
        book = RateBook(session, owner.tenant_id, "AUD")
        ten = Money.parse("10.00", "USD")
        assert book.to_base(ten, date(2025, 6, 30)) == Money.parse("15.00", "AUD")
        assert book.to_base(ten, date(2025, 7, 1)) == Money.parse("16.00", "AUD")
        assert book.to_base(Money.parse("3.00", "AUD"), date(2000, 1, 1)).to_json() == "3.00"
        with pytest.raises(MissingRate, match="USD→AUD exchange rate on or before 2024-12-31"):
            book.to_base(ten, date(2024, 12, 31))
        session.rollback()


def test_snapshot_upserts_of_more_account_days_than_one_statement_can_bind(
    client: TestClient, session_factory: Any
) -> None:
    """A bulk change touching ~15k account-days (an import re-categorised by rules) is
    more bound parameters than PostgreSQL (65,535) or SQLite allows in one statement."""
    books = Books(client, register(client))
    days = [START + timedelta(days=i) for i in range(15_000)]
    account = uuid.UUID(books.bank)
    with session_factory() as session:
        bind_scope(session, tenant_id=books.owner.tenant_id, user_id=None)
        repo = BalanceRepository(session, books.owner.tenant_id)
        repo.add_deltas((account, day, 1, 1) for day in days)
        session.flush()
        raw = raw_balances_at(session, books.owner.tenant_id, days[-1])
        months = session.execute(
            select(func.count()).select_from(BalanceMonth).where(BalanceMonth.account_id == account)
        ).scalar_one()
    assert raw[account] == 15_000
    assert months == len({day.replace(day=1) for day in days})
