"""Invariants of the reports after random books (hypothesis), on both databases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.helpers import Ledger

START = date(2024, 5, 1)
BALANCE_SHEET = ["Bank", "Savings", "Card", "Loan", "House"]
CATEGORIES = {"income": ["Salary", "Gifts"], "expense": ["Food", "Groceries", "Fuel"]}

entry = st.one_of(
    st.tuples(
        st.sampled_from(["income", "expense"]),
        st.integers(0, 500),
        st.integers(1, 10**6),
        st.sampled_from(BALANCE_SHEET),
        st.integers(0, 2),
    ),
    st.tuples(
        st.just("transfer"),
        st.integers(0, 500),
        st.integers(1, 10**6),
        st.sampled_from(BALANCE_SHEET),
        st.sampled_from(BALANCE_SHEET),
    ),
)


def _books(client: TestClient) -> Ledger:
    books = Ledger(client)
    books.account("Bank", "asset", subtype="checking")
    books.account("Savings", "asset", subtype="savings")
    books.account("House", "asset", subtype="property")
    books.account("Card", "liability", subtype="credit_card")
    books.account("Loan", "liability", subtype="loan")
    books.account("Salary", "income")
    books.account("Gifts", "income")
    books.account("Food", "expense")
    books.account("Groceries", "expense", parent="Food")
    books.account("Fuel", "expense")
    return books


def _post(books: Ledger, op: tuple[Any, ...]) -> None:
    kind, offset, cents, account, other = op
    on = (START + timedelta(days=offset)).isoformat()
    amount = str(Decimal(cents).scaleb(-2))
    if kind == "transfer":
        if account != other:
            books.simple(on, "transfer", amount, account, other)
    else:
        books.simple(on, kind, amount, account, CATEGORIES[kind][other % len(CATEGORIES[kind])])


def d(text: str) -> Decimal:
    return Decimal(text)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(entry, min_size=1, max_size=10), st.integers(0, 520), st.integers(0, 200))
def test_statements_balance_and_agree_with_each_other(
    client: TestClient, ops: list[tuple[Any, ...]], cut: int, length: int
) -> None:
    books = _books(client)
    for op in ops:
        _post(books, op)
    as_of = START + timedelta(days=cut)
    sheet = books.report("balance-sheet", as_of=as_of.isoformat(), compare="previous_year")
    assert sheet["assets"]["total"]["amount"] == sheet["liabilities_and_equity"]["amount"]
    assert (
        sheet["assets"]["total"]["compare_amount"]
        == sheet["liabilities_and_equity"]["compare_amount"]
    )
    assert "Exchange differences" not in [line["name"] for line in sheet["equity"]["lines"]]
    # Current-year earnings are the income statement's net profit, year to date.
    year = books.report("income-statement", to=as_of.isoformat())
    current = next(x for x in sheet["equity"]["lines"] if x["name"] == "Current-year earnings")
    assert current["amount"] == year["net_profit"]["amount"]

    start = as_of - timedelta(days=length)
    period = {"from": start.isoformat(), "to": as_of.isoformat()}
    flow = books.report("cash-flow", **period)
    moved = (
        d(flow["inflows"]["total"])
        - d(flow["outflows"]["total"])
        + d(flow["transfers_in"]["total"])
        - d(flow["transfers_out"]["total"])
    )
    assert moved == d(flow["closing"]) - d(flow["opening"])
    assert flow["exchange_effect"] == "0.00"
    spending = books.report("spending-by-category", **period)
    statement = books.report("income-statement", **period)
    assert spending["total"] == statement["expenses"]["total"]["amount"]
    worth = books.report("net-worth", **period)
    assets = d(sheet["assets"]["total"]["amount"])
    liabilities = d(sheet["liabilities"]["total"]["amount"])
    assert d(worth["points"][-1]["net_worth"]) == assets - liabilities
