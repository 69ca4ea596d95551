"""Balance history and the balance summary over HTTP, checked against recomputation."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.money import Money
from fiscus.db.session import bind_scope
from fiscus.ledger.balance_reads import MAX_POINTS, interval_ends
from fiscus.ledger.models import ExchangeRate
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register

START = date(2024, 1, 1)


def history(books: Books, account: str, **params: str) -> Any:
    return books.client.get(
        f"/api/v1/accounts/{account}/balance-history", params=params, headers=books.owner.headers
    )


def spend(books: Books, on: str, amount: str, account: str | None = None) -> str:
    response = books.post(
        {
            "date": on,
            "description": "Shop",
            "amount": amount,
            "type": "expense",
            "account_id": account or books.bank,
            "category_id": books.groceries,
        }
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def earn(books: Books, on: str, amount: str) -> str:
    response = books.post(
        {
            "date": on,
            "description": "Pay",
            "amount": amount,
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_history_by_day_week_and_month_ends_each_interval(client: TestClient) -> None:
    books = Books(client, register(client))
    earn(books, "2025-06-15", "1000.00")  # before the range: the opening balance
    spend(books, "2025-07-02", "10.00")
    spend(books, "2025-07-06", "5.50")  # a Sunday
    spend(books, "2025-08-20", "100.00")
    spend(books, "2025-09-03", "1.00")  # after the range
    spend(books, "2025-07-09", "7.00", account=books.card)

    daily = history(books, books.bank, **{"from": "2025-07-01", "to": "2025-07-03"})
    assert daily.status_code == 200, daily.text
    assert daily.json() == {
        "account_id": books.bank,
        "currency": "AUD",
        "interval": "day",
        "points": [
            {"date": "2025-07-01", "balance": "1000.00"},
            {"date": "2025-07-02", "balance": "990.00"},
            {"date": "2025-07-03", "balance": "990.00"},
        ],
    }
    weekly = history(
        books, books.bank, **{"from": "2025-07-02", "to": "2025-07-16"}, interval="week"
    )
    assert weekly.json()["points"] == [
        {"date": "2025-07-06", "balance": "984.50"},  # first week cut short: starts Wednesday
        {"date": "2025-07-13", "balance": "984.50"},
        {"date": "2025-07-16", "balance": "984.50"},  # the last point is `to`
    ]
    monthly = history(
        books, books.bank, **{"from": "2025-06-20", "to": "2025-08-25"}, interval="month"
    )
    assert monthly.json()["points"] == [
        {"date": "2025-06-30", "balance": "1000.00"},
        {"date": "2025-07-31", "balance": "984.50"},
        {"date": "2025-08-25", "balance": "884.50"},
    ]
    card = history(books, books.card, **{"from": "2025-07-08", "to": "2025-07-09"})
    assert [p["balance"] for p in card.json()["points"]] == ["0.00", "7.00"]  # debt is positive


def test_history_validates_its_range_and_hides_other_tenants(client: TestClient) -> None:
    books = Books(client, register(client))
    backwards = history(books, books.bank, **{"from": "2025-07-02", "to": "2025-07-01"})
    assert backwards.status_code == 422
    assert [e["field"] for e in backwards.json()["errors"]] == ["from"]
    too_long = history(books, books.bank, **{"from": "2020-01-01", "to": "2025-07-01"})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "from"
    assert str(MAX_POINTS) in too_long.json()["detail"]
    assert (
        history(
            books, books.bank, **{"from": "2020-01-01", "to": "2025-07-01"}, interval="month"
        ).status_code
        == 200
    )
    bad_interval = history(books, books.bank, interval="year")
    assert bad_interval.status_code == 422
    assert bad_interval.json()["errors"][0]["field"] == "interval"
    assert history(books, str(uuid.uuid4())).status_code == 404
    other = Books(client, register(client))
    response = history(other, books.bank)
    assert response.status_code == 404
    assert response.json()["code"] == "account_not_found"


def test_history_defaults_to_the_last_thirty_days(client: TestClient) -> None:
    books = Books(client, register(client))
    points = history(books, books.bank).json()["points"]
    assert len(points) == 30
    assert date.fromisoformat(points[-1]["date"]) - date.fromisoformat(points[0]["date"]) == (
        timedelta(days=29)
    )
    months = history(books, books.bank, interval="month").json()["points"]
    assert len(months) == 12
    assert months[0]["date"].endswith(("28", "29", "30", "31"))


@given(
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    st.integers(0, 400),
    st.sampled_from(["day", "week", "month"]),
)
def test_interval_ends_partition_the_range(start: date, length: int, interval: Any) -> None:
    end = start + timedelta(days=length)
    ends = interval_ends(start, end, interval)
    assert ends[-1] == end
    assert ends == sorted(set(ends))
    for previous, stop in zip([start - timedelta(days=1), *ends], ends, strict=False):
        first = previous + timedelta(days=1)  # each interval starts the day after the last
        if interval == "day":
            assert stop == first
        elif interval == "week":
            assert stop.isocalendar()[:2] == first.isocalendar()[:2]
            assert stop.weekday() == 6 or stop == end
        else:
            assert (stop.year, stop.month) == (first.year, first.month)
            assert (stop + timedelta(days=1)).day == 1 or stop == end


operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 500), st.integers(1, 10**6), st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    operations,
    st.integers(-20, 520),
    st.integers(0, 400),
    st.sampled_from(["day", "week", "month"]),
)
def test_history_equals_a_recomputation_of_every_point(
    client: TestClient, ops: list[tuple[Any, ...]], offset: int, length: int, interval: Any
) -> None:
    books = Books(client, register(client))
    live: dict[str, tuple[date, int]] = {}  # transaction id -> (date, cents on the bank)
    created: list[str] = []
    for op in ops:
        if op[0] == "create":
            _, day, cents, income = op
            on = (START + timedelta(days=day)).isoformat()
            amount = f"{Decimal(cents).scaleb(-2):.2f}"
            txn = earn(books, on, amount) if income else spend(books, on, amount)
            live[txn] = (START + timedelta(days=day), cents if income else -cents)
            created.append(txn)
        elif created:
            target = created[op[1] % len(created)]
            books.client.delete(f"/api/v1/transactions/{target}", headers=books.owner.headers)
            live.pop(target, None)
    start = START + timedelta(days=offset)
    end = start + timedelta(days=length if interval != "day" else min(length, 200))
    response = history(
        books, books.bank, **{"from": start.isoformat(), "to": end.isoformat()}, interval=interval
    )
    assert response.status_code == 200, response.text
    points = response.json()["points"]
    assert [p["date"] for p in points] == [
        d.isoformat() for d in interval_ends(start, end, interval)
    ]
    for point in points:
        cut = date.fromisoformat(point["date"])
        expected = sum(cents for on, cents in live.values() if on <= cut)
        assert point["balance"] == Money.from_minor(expected, "AUD").to_json(), point


def add_rate(
    factory: sessionmaker[Session], tenant: uuid.UUID, currency: str, on: str, rate: str
) -> None:
    with factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=None)
        session.add(
            ExchangeRate(
                tenant_id=tenant,
                currency=currency,
                effective_on=date.fromisoformat(on),
                rate=Decimal(rate),
            )
        )
        session.commit()


def opening(books: Books, account: str, equity: str, amount: str, on: str = "2025-07-01") -> None:
    response = books.post(
        {
            "date": on,
            "description": "Opening balance",
            "postings": [
                {"account_id": account, "amount": amount},
                {"account_id": equity, "amount": str(-Decimal(amount))},
            ],
        }
    )
    assert response.status_code == 201, response.text


def summary(books: Books, on: str | None = None) -> Any:
    params = {"date": on} if on else {}
    response = books.client.get(
        "/api/v1/balances/summary", params=params, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_summary_converts_to_base_and_survives_a_missing_rate(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    books = Books(client, register(client))
    usd = books.account("US account", "asset", currency="USD")
    usd_equity = books.account("USD equity", "equity", currency="USD")
    eur = books.account("Euro account", "asset", currency="EUR")
    eur_equity = books.account("EUR equity", "equity", currency="EUR")
    opening(books, usd, usd_equity, "100.00")
    opening(books, eur, eur_equity, "50.00")
    earn(books, "2025-07-01", "1000.00")
    spend(books, "2025-07-02", "200.00", account=books.card)
    add_rate(session_factory, books.owner.tenant_id, "USD", "2025-01-01", "1.5")
    add_rate(session_factory, books.owner.tenant_id, "USD", "2025-08-01", "1.6")

    body = summary(books, "2025-07-31")
    rows = {r["name"]: r for r in body["accounts"]}
    assert rows["US account"]["balance"] == "100.00"
    assert rows["US account"]["base_balance"] == "150.00"  # the rate in effect on the date
    assert rows["USD equity"]["base_balance"] == "150.00"
    assert rows["Euro account"]["base_balance"] is None
    assert body["missing_rates"] == ["EUR"]
    assert rows["Visa"] == {
        "id": books.card,
        "name": "Visa",
        "type": "liability",
        "subtype": "credit_card",
        "currency": "AUD",
        "balance": "200.00",
        "base_balance": "200.00",
        "is_hidden": False,
        "is_archived": False,
    }
    assert body["totals"] == {
        "asset": "1150.00",  # 1000 AUD + 150 (USD); the euros have no rate
        "liability": "200.00",
        "equity": "150.00",
        "income": "1000.00",
        "expense": "200.00",
    }
    assert body["net_worth"] == "950.00"
    assert body["base_currency"] == "AUD"
    assert body["date"] == "2025-07-31"
    assert summary(books, "2025-08-01")["totals"]["asset"] == "1160.00"
    assert summary(books, "2025-06-30")["missing_rates"] == []  # nothing to convert yet


def test_summary_shows_hidden_accounts_and_archived_ones_only_with_a_balance(
    client: TestClient,
) -> None:
    books = Books(client, register(client))
    hidden = books.account("Hidden jar", "asset", is_hidden=True)
    empty = books.account("Closed account", "asset")
    spend(books, "2025-07-02", "20.00", account=hidden)
    for account in (hidden, empty):
        response = client.patch(
            f"/api/v1/accounts/{account}", json={"is_archived": True}, headers=books.owner.headers
        )
        assert response.status_code == 200, response.text
    rows = {r["name"]: r for r in summary(books, "2025-07-31")["accounts"]}
    assert "Closed account" not in rows
    assert rows["Hidden jar"]["is_archived"]
    assert rows["Hidden jar"]["is_hidden"]
    assert rows["Hidden jar"]["balance"] == "-20.00"
    assert summary(books, "2025-07-31")["net_worth"] == "-20.00"
    assert {"Everyday", "Savings", "Visa", "Groceries", "Salary"} <= set(rows)


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday"])
def test_summary_refuses_a_bad_date(client: TestClient, value: str) -> None:
    owner = register(client)
    response = client.get("/api/v1/balances/summary", params={"date": value}, headers=owner.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date"


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["asset", "liability", "income", "expense"]),
            st.sampled_from(["AUD", "USD", "EUR"]),
            st.integers(-(10**7), 10**7),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["1.5", "0.6543", "1.23456789"]),
)
def test_summary_totals_are_the_sums_of_its_rows(
    client: TestClient,
    session_factory: sessionmaker[Session],
    legs: list[tuple[str, str, int]],
    usd_rate: str,
) -> None:
    books = Books(client, register(client))
    add_rate(session_factory, books.owner.tenant_id, "USD", "2025-01-01", usd_rate)
    equity = {c: books.account(f"Equity {c}", "equity", currency=c) for c in ("USD", "EUR")}
    equity["AUD"] = books.account("Equity AUD", "equity")
    for i, (type_, currency, cents) in enumerate(legs):
        account = books.account(f"Account {i}", type_, currency=currency)
        if cents:
            opening(books, account, equity[currency], f"{Decimal(cents).scaleb(-2):.2f}")
    body = summary(books, "2025-12-31")
    totals = dict.fromkeys(["asset", "liability", "equity", "income", "expense"], Decimal(0))
    missing: set[str] = set()
    for row in body["accounts"]:
        natural = Decimal(row["balance"])
        if row["currency"] == "AUD" or natural == 0:
            expected: Decimal | None = natural
        elif row["currency"] == "USD":
            expected = Money(natural * Decimal(usd_rate), "AUD").amount
        else:
            expected = None
            missing.add(row["currency"])
        assert row["base_balance"] == (None if expected is None else f"{expected:.2f}"), row
        if expected is not None:
            totals[row["type"]] += expected
    assert body["totals"] == {t: f"{v:.2f}" for t, v in totals.items()}
    assert body["net_worth"] == f"{totals['asset'] - totals['liability']:.2f}"
    assert body["missing_rates"] == sorted(missing)
