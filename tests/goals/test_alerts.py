"""Budget alerts: notifications recorded when spending crosses a goal's thresholds."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from fiscus.db.session import bind_scope
from fiscus.goals import service_alerts
from fiscus.goals.models import Goal
from fiscus.ledger import events, repository_writes
from fiscus.ledger.models import Posting
from tests.goals.helpers import Budget
from tests.support.builders import register


@pytest.fixture
def budget(client: TestClient) -> Budget:
    return Budget(client, register(client))


def kinds(budget: Budget) -> list[tuple[str, str, str]]:
    """(kind, level, title) of the tenant's notifications, oldest first."""
    items = budget.notifications(limit=200)
    return [(n["kind"], n["level"], n["title"]) for n in reversed(items)]


def test_warning_then_exceeded_once_per_goal_period_and_level(budget: Budget) -> None:
    goal = budget.goal(name="Food", amount="100.00", starts_on="2026-01-01")
    budget.spend("2026-10-02", "50.00", budget.groceries)
    assert kinds(budget) == []
    budget.spend("2026-10-03", "30.00", budget.eating_out)  # 80 %: a child category counts
    budget.spend("2026-10-04", "5.00", budget.groceries)
    assert kinds(budget) == [
        ("goal.warning", "warning", "Food: 80 % of the limit for October 2026")
    ]
    budget.spend("2026-10-05", "20.00", budget.food)  # 105 %
    budget.spend("2026-10-06", "10.00", budget.food)
    assert kinds(budget)[1:] == [
        ("goal.exceeded", "danger", "Food: over the limit for October 2026")
    ]
    budget.spend("2026-11-01", "150.00", budget.groceries)  # straight past both: one alert
    assert kinds(budget)[2:] == [
        ("goal.exceeded", "danger", "Food: over the limit for November 2026")
    ]
    alert = budget.notifications()[0]
    assert (alert["subject_type"], alert["subject_id"]) == ("goal", goal["id"])
    assert alert["body"] == "Spent 150.00 AUD of the 100.00 AUD limit."


def test_no_alert_below_the_threshold_outside_the_goal_or_from_a_refund(budget: Budget) -> None:
    budget.goal(amount="100.00", starts_on="2026-01-01", warn_percent=90)
    budget.spend("2026-10-02", "89.99", budget.groceries)
    budget.spend("2026-10-02", "500.00", budget.rent)  # another category
    budget.spend("2026-09-30", "50.00", budget.groceries)  # another month
    assert kinds(budget) == []
    budget.journal("2026-10-03", (budget.groceries, "-50.00"), (budget.bank, "50.00"))
    budget.spend("2026-10-04", "50.00", budget.groceries)  # back to 89.99 after the refund
    assert kinds(budget) == []


def test_archived_goals_and_periods_before_the_start_raise_nothing(budget: Budget) -> None:
    archived = budget.goal(amount="10.00", starts_on="2026-01-01")
    budget.client.patch(
        f"/api/v1/goals/{archived['id']}", json={"is_archived": True}, headers=budget.owner.headers
    )
    budget.goal(amount="10.00", starts_on="2026-11-01", name="New")
    budget.spend("2026-10-15", "50.00", budget.groceries)
    assert kinds(budget) == []
    budget.spend("2026-11-15", "50.00", budget.groceries)
    assert [k for k, _, _ in kinds(budget)] == ["goal.exceeded"]


def test_quarterly_alerts_name_the_quarter(budget: Budget) -> None:
    budget.goal(
        name="Rent",
        account_id=budget.rent,
        amount="3000.00",
        period="quarterly",
        starts_on="2026-01-01",
    )
    for month, amount in (("07", "1000.00"), ("08", "1500.00"), ("09", "600.00")):
        budget.spend(f"2026-{month}-01", amount, budget.rent)  # 33 %, 83 %, 103 %
    assert [t for _, _, t in kinds(budget)] == [
        "Rent: 80 % of the limit for Q3 2026",
        "Rent: over the limit for Q3 2026",
    ]


def test_a_deleted_and_restored_entry_does_not_alert_twice(budget: Budget) -> None:
    budget.goal(amount="100.00", starts_on="2026-01-01")
    entry = budget.spend("2026-10-02", "120.00", budget.groceries)
    headers = budget.owner.headers
    budget.client.delete(f"/api/v1/transactions/{entry}", headers=headers)
    budget.client.post(f"/api/v1/transactions/{entry}/restore", headers=headers)
    assert [k for k, _, _ in kinds(budget)] == ["goal.exceeded"]


def test_a_tenant_without_goals_pays_one_query(budget: Budget, session_factory: Any) -> None:
    statements: list[str] = []
    posting = Posting(
        tenant_id=budget.owner.tenant_id,
        account_id=uuid.UUID(budget.groceries),
        amount=100,
        currency="AUD",
        occurred_on=date(2026, 10, 1),
    )
    with session_factory() as session:
        bind_scope(session, tenant_id=budget.owner.tenant_id, user_id=None)
        session.connection()  # begin (and scope the transaction) before counting
        listen = event.listens_for(session.get_bind(), "before_cursor_execute")
        hook = listen(lambda *args: statements.append(str(args[2])))
        try:
            service_alerts.postings_applied(session, budget.owner.tenant_id, [posting], 1)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", hook)
    assert len(statements) == 1
    assert "goal" in statements[0]


@pytest.mark.parametrize("with_goal", [False, True])
def test_the_write_s_chart_lookup_answers_the_goals_question(
    budget: Budget, session_factory: Any, with_goal: bool
) -> None:
    """After the chart lookup of a write, the listener asks nothing more when the tenant
    has no spending limit, and reads on (and alerts) when it has one."""
    if with_goal:
        budget.goal(amount="1.00", starts_on="2026-01-01")
    tenant_id = budget.owner.tenant_id
    statements: list[str] = []
    posting = Posting(
        tenant_id=tenant_id,
        account_id=uuid.UUID(budget.groceries),
        amount=100,
        currency="AUD",
        occurred_on=date(2026, 10, 1),
    )
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        chart = repository_writes.chart_accounts(session, tenant_id, [posting.account_id])
        assert list(chart) == [posting.account_id]
        listen = event.listens_for(session.get_bind(), "before_cursor_execute")
        hook = listen(lambda *args: statements.append(str(args[2])))
        try:
            service_alerts.postings_applied(session, tenant_id, [posting], 1)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", hook)
        session.rollback()
    if with_goal:
        # the active goals are read (once: not asked first whether there are any), then
        # the chart and the snapshots
        assert sum("FROM goal" in s for s in statements) == 1
    else:
        assert statements == []


def test_an_archived_goal_is_no_spending_limit_for_the_probe(
    budget: Budget, session_factory: Any
) -> None:
    goal = budget.goal(amount="1.00", starts_on="2026-01-01")
    archived = budget.client.patch(
        f"/api/v1/goals/{goal['id']}", json={"is_archived": True}, headers=budget.owner.headers
    )
    assert archived.status_code == 200, archived.text
    tenant_id = budget.owner.tenant_id
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        repository_writes.chart_accounts(session, tenant_id, [uuid.UUID(budget.groceries)])
        assert session.info["fiscus.goals.has_spending_limits"][1:] == (tenant_id, False)
        session.rollback()


def test_goals_follow_a_replaced_category(budget: Budget, session_factory: Any) -> None:
    goal = budget.goal(amount="100.00", account_id=budget.groceries)
    other = budget.goal(amount="100.00", account_id=budget.rent, name="Rent")
    with session_factory() as session:
        bind_scope(session, tenant_id=budget.owner.tenant_id, user_id=None)
        events.account_replaced(
            session, budget.owner.tenant_id, uuid.UUID(budget.groceries), uuid.UUID(budget.food)
        )
        session.commit()
        moved = session.get(Goal, uuid.UUID(goal["id"]))
        assert moved is not None
        assert str(moved.account_id) == budget.food
    url = "/api/v1/goals/{}"
    headers = budget.owner.headers
    assert budget.client.get(url.format(goal["id"]), headers=headers).json()["account_id"] == (
        budget.food
    )
    assert budget.client.get(url.format(other["id"]), headers=headers).json()["account_id"] == (
        budget.rent
    )


def test_a_category_a_goal_watches_cannot_be_deleted(budget: Budget) -> None:
    goal = budget.goal(amount="100.00", account_id=budget.eating_out)
    headers = budget.owner.headers
    refused = budget.client.delete(f"/api/v1/categories/{budget.eating_out}", headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "account_has_goals")
    assert budget.client.get(f"/api/v1/categories/{budget.eating_out}", headers=headers).is_success
    budget.client.delete(f"/api/v1/goals/{goal['id']}", headers=headers)
    deleted = budget.client.delete(f"/api/v1/categories/{budget.eating_out}", headers=headers)
    assert deleted.status_code == 204, deleted.text
