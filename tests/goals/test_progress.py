"""Progress of goals from the balance snapshots: periods, projections, budget vs actual."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.goals import service as goals_service
from tests.goals.helpers import Budget
from tests.support.builders import register


@pytest.fixture
def budget(client: TestClient) -> Budget:
    books = Budget(client, register(client))
    books.spend("2026-10-05", "100.00", books.groceries)
    books.spend("2026-10-20", "50.00", books.eating_out)
    books.spend("2026-11-03", "300.00", books.groceries)
    books.spend("2026-11-10", "150.00", books.eating_out, account=books.card)
    books.spend("2026-11-11", "1000.00", books.rent)  # another category: not food
    books.journal("2026-11-12", (books.groceries, "-20.00"), (books.bank, "20.00"))  # a refund
    return books


def test_spending_limit_progress_for_the_current_and_past_months(budget: Budget) -> None:
    goal = budget.goal(amount="500.00", period="monthly", starts_on="2026-01-01")
    body = budget.progress(goal["id"], periods=2, as_of="2026-11-15")
    assert body["as_of"] == "2026-11-15"
    assert body["current"] == {
        "start": "2026-11-01",
        "end": "2026-11-30",
        "spent": "430.00",  # children included, the refund's credit taken off
        "limit": "500.00",
        "remaining": "70.00",
        "percent": "0.8600",
        "status": "warning",
        "projected": "860.00",  # 430 in 15 days, over 30
    }
    october, september = body["past"]
    assert (october["start"], october["spent"], october["status"]) == ("2026-10-01", "150.00", "ok")
    assert (october["percent"], october["projected"]) == ("0.3000", None)
    assert (september["start"], september["end"], september["spent"]) == (
        "2026-09-01",
        "2026-09-30",
        "0.00",
    )
    assert body["target"] is None


def test_quarterly_and_yearly_limits_use_calendar_periods(budget: Budget) -> None:
    quarter = budget.goal(amount="500.00", period="quarterly", warn_percent=50)
    body = budget.progress(quarter["id"], as_of="2026-11-15", periods=1)
    current = body["current"]
    assert (current["start"], current["end"]) == ("2026-10-01", "2026-12-31")
    assert (current["spent"], current["remaining"], current["status"]) == (
        "580.00",
        "-80.00",
        "exceeded",
    )
    assert current["projected"] == "1160.00"  # 580 in 46 of 92 days
    assert body["past"][0]["start"] == "2026-07-01"
    year = budget.goal(amount="10000.00", period="yearly", account_id=budget.rent)
    current = budget.progress(year["id"], as_of="2026-11-15")["current"]
    assert (current["start"], current["end"], current["spent"]) == (
        "2026-01-01",
        "2026-12-31",
        "1000.00",
    )
    assert (current["percent"], current["status"]) == ("0.1000", "ok")


def test_deleting_a_transaction_lowers_the_spend(budget: Budget) -> None:
    goal = budget.goal(amount="500.00")
    extra = budget.spend("2026-11-14", "100.00", budget.groceries)
    assert budget.progress(goal["id"], as_of="2026-11-15")["current"]["spent"] == "530.00"
    budget.client.delete(f"/api/v1/transactions/{extra}", headers=budget.owner.headers)
    assert budget.progress(goal["id"], as_of="2026-11-15")["current"]["spent"] == "430.00"


def test_periods_is_bounded(budget: Budget) -> None:
    goal = budget.goal(amount="500.00")
    response = budget.client.get(
        f"/api/v1/goals/{goal['id']}/progress",
        params={"periods": 121},
        headers=budget.owner.headers,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["periods"]


def test_savings_target_progress_and_projection(client: TestClient) -> None:
    books = Budget(client, register(client))
    books.post(
        {
            "date": "2026-07-01",
            "description": "Pay",
            "amount": "5000.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        }
    )
    for day, amount in (("08-10", "500"), ("09-10", "500"), ("10-10", "500"), ("11-05", "200")):
        books.transfer(f"2026-{day}", amount, books.bank, books.savings)
    goal = books.goal(
        kind="savings_target",
        name="Holiday",
        account_id=books.savings,
        amount="5000.00",
        starts_on="2026-08-01",
        target_date="2027-04-30",
    )
    target = books.progress(goal["id"], as_of="2026-11-15")["target"]
    assert target == {
        "balance": "1700.00",
        "target": "5000.00",
        "starting": None,
        "percent": "0.3400",
        "remaining": "3300.00",
        "months_left": 6,  # Nov 15, Dec 15, ... Apr 15
        "monthly_needed": "550.00",
        "average_monthly_change": "500.00",  # Aug..Oct
        "projected": "4700.00",
        "on_track": False,
    }


def test_debt_payoff_progress(client: TestClient) -> None:
    books = Budget(client, register(client))
    books.transfer("2026-07-01", "1200.00", books.card, books.bank)  # a cash advance
    for month in ("08", "09", "10"):
        books.transfer(f"2026-{month}-01", "300.00", books.bank, books.card)
    goal = books.goal(
        kind="debt_payoff",
        name="Clear the card",
        account_id=books.card,
        amount="1200.00",
        starts_on="2026-07-01",
        target_date="2027-01-31",
    )
    target = books.progress(goal["id"], as_of="2026-11-15")["target"]
    assert target == {
        "balance": "300.00",
        "target": "0.00",
        "starting": "1200.00",
        "percent": "0.7500",
        "remaining": "300.00",
        "months_left": 3,
        "monthly_needed": "100.00",
        "average_monthly_change": "-300.00",
        "projected": "-600.00",
        "on_track": True,
    }


def _ctx(budget: Budget) -> TenantContext:
    return TenantContext(
        tenant_id=budget.owner.tenant_id, user_id=budget.owner.user_id, role="owner"
    )


def test_budget_vs_actual_prorates_partial_periods_by_day(
    budget: Budget, session_factory: Any
) -> None:
    food = budget.goal(amount="500.00", period="monthly")
    rent = budget.goal(name="Rent", account_id=budget.rent, amount="3000.00", period="quarterly")
    archived = budget.goal(name="Old", account_id=budget.rent, amount="1.00")
    budget.client.patch(
        f"/api/v1/goals/{archived['id']}", json={"is_archived": True}, headers=budget.owner.headers
    )
    with session_factory() as session:
        bind_scope(session, tenant_id=budget.owner.tenant_id, user_id=budget.owner.user_id)
        rows = goals_service.budget_vs_actual(
            session, _ctx(budget), date_from=date(2026, 10, 1), date_to=date(2026, 11, 15)
        )
    lines = {str(r.goal_id): r for r in rows}
    assert set(lines) == {food["id"], rent["id"]}
    line = lines[food["id"]]
    assert (line.category_name, line.period, line.currency) == ("Food", "monthly", "AUD")
    # October in full (500) + 15 of November's 30 days (250)
    assert (line.budget, line.actual, line.variance, line.percent) == (
        "750.00",
        "580.00",
        "170.00",
        "0.7733",
    )
    line = lines[rent["id"]]
    assert (line.budget, line.actual, line.variance) == ("1500.00", "1000.00", "500.00")  # 46/92


def test_budget_of_whole_periods_is_the_limit_times_their_number(
    client: TestClient, session_factory: Any
) -> None:
    books = Budget(client, register(client))
    books.goal(amount="123.45", period="monthly")
    with session_factory() as session:
        bind_scope(session, tenant_id=books.owner.tenant_id, user_id=None)
        (line,) = goals_service.budget_vs_actual(
            session, _ctx(books), date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)
        )
    assert (line.budget, line.actual, line.percent) == ("1481.40", "0.00", "0.0000")


def test_dashboard_progress_lists_the_current_period_of_active_goals(
    budget: Budget, session_factory: Any
) -> None:
    food = budget.goal(amount="500.00")
    savings = budget.goal(
        kind="savings_target", name="Rainy day", account_id=budget.savings, amount="100.00"
    )
    today = budget.progress(food["id"])["as_of"]
    budget.spend(today, "42.00", budget.groceries)
    with session_factory() as session:
        bind_scope(session, tenant_id=budget.owner.tenant_id, user_id=None)
        rows = goals_service.dashboard_progress(session, _ctx(budget))
    by_id = {str(r.goal.id): r for r in rows}
    assert set(by_id) == {food["id"], savings["id"]}
    current = by_id[food["id"]].current
    assert current is not None
    assert current.start <= date.fromisoformat(today) <= current.end
    assert current.spent == "42.00"
    assert by_id[savings["id"]].target is not None
    assert by_id[savings["id"]].target.balance == "0.00"  # type: ignore[union-attr]
