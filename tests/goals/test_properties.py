"""Invariants of goal figures: spending from snapshots equals a naive sum of the postings,
and the budget of a range is exact for whole periods and pro rata by day otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.goals import periods as p
from fiscus.goals import service as goals_service
from fiscus.goals.models import Goal
from fiscus.goals.service_progress import budgeted
from tests.goals.helpers import Budget
from tests.support.builders import register

START = date(2025, 6, 1)

entries = st.lists(
    st.tuples(
        st.sampled_from(["food", "groceries", "eating_out", "rent"]),
        st.integers(0, 420),  # days after START
        st.integers(1, 10**6),  # cents
        st.booleans(),  # a refund (credit on the category) instead of a purchase
    ),
    min_size=1,
    max_size=10,
)


def _cents(value: int) -> str:
    return f"{Decimal(value) / 100:.2f}"


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries, st.sets(st.integers(0, 9), max_size=3), st.integers(0, 450), st.integers(0, 420))
def test_spending_from_snapshots_equals_a_naive_sum(
    client: TestClient,
    session_factory: Any,
    story: list[tuple[str, int, int, bool]],
    deleted: set[int],
    as_of_offset: int,
    span: int,
) -> None:
    books = Budget(client, register(client))
    live: list[tuple[str, date, int]] = []
    for index, (category, offset, cents, refund) in enumerate(story):
        day = START + timedelta(days=offset)
        account = getattr(books, category)
        if refund:
            entry = books.journal(
                day.isoformat(), (account, f"-{_cents(cents)}"), (books.bank, _cents(cents))
            )
        else:
            entry = books.spend(day.isoformat(), _cents(cents), account)
        if index in deleted:
            books.client.delete(f"/api/v1/transactions/{entry}", headers=books.owner.headers)
        else:
            live.append((category, day, -cents if refund else cents))
    food = {"food", "groceries", "eating_out"}

    def naive(first: date, last: date) -> int:
        return sum(c for name, day, c in live if name in food and first <= day <= last)

    goal = books.goal(amount="1.00", period="monthly", starts_on="2025-01-01")
    as_of = START + timedelta(days=as_of_offset)
    body = books.progress(goal["id"], periods=15, as_of=as_of.isoformat())
    for row in [body["current"], *body["past"]]:
        first, last = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
        assert row["spent"] == _cents(naive(first, last)), (first, last)
    date_from = START + timedelta(days=min(as_of_offset, 420))
    date_to = date_from + timedelta(days=span)
    with session_factory() as session:
        bind_scope(session, tenant_id=books.owner.tenant_id, user_id=None)
        ctx = TenantContext(tenant_id=books.owner.tenant_id, user_id=None, role="owner")
        (line,) = goals_service.budget_vs_actual(session, ctx, date_from=date_from, date_to=date_to)
    assert line.actual == _cents(naive(date_from, date_to))


lengths = st.sampled_from(["monthly", "quarterly", "yearly"])
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(lengths, st.integers(1, 10**9), days, st.integers(0, 40))
def test_whole_periods_budget_the_limit_times_their_number(
    length: str, amount: int, day: date, count: int
) -> None:
    goal = Goal(amount=amount, period=length, currency="AUD")
    first = p.period_of(length, day)
    last = p.shift(length, first, count)
    assert budgeted(goal, first[0], last[1]) == amount * (count + 1)


@given(lengths, st.integers(1, 10**9), days, st.integers(0, 1500))
def test_partial_periods_are_pro_rata_by_day(
    length: str, amount: int, first: date, span: int
) -> None:
    goal = Goal(amount=amount, period=length, currency="AUD")
    last = first + timedelta(days=span)
    covering = p.covering(length, first, last)
    shares = (Decimal(amount * p.overlap_days(c, first, last)) / p.days(c) for c in covering)
    exact = sum(shares, Decimal(0))
    budget = budgeted(goal, first, last)
    assert abs(budget - exact) <= Decimal(len(covering)) / 2  # half a minor unit per period
    assert budget <= amount * len(covering)
