"""Goals over HTTP: create, read, list, change, archive, delete, and every refusal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.goals.helpers import Budget
from tests.support.builders import add_member, register


@pytest.fixture
def budget(client: TestClient) -> Budget:
    return Budget(client, register(client))


def test_a_spending_limit_is_created_read_listed_changed_and_deleted(budget: Budget) -> None:
    goal = budget.goal(amount="600.00", period="quarterly", starts_on="2026-01-01")
    assert goal["kind"] == "spending_limit"
    assert (goal["amount"], goal["currency"], goal["period"]) == ("600.00", "AUD", "quarterly")
    assert (goal["warn_percent"], goal["is_archived"], goal["target_date"]) == (80, False, None)
    headers = budget.owner.headers
    url = f"/api/v1/goals/{goal['id']}"
    assert budget.client.get(url, headers=headers).json() == goal
    listed = budget.client.get("/api/v1/goals", headers=headers).json()
    assert (listed["total"], [g["id"] for g in listed["items"]]) == (1, [goal["id"]])
    changed = budget.client.patch(url, json={"amount": "650", "warn_percent": 90}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["amount"], changed.json()["warn_percent"]) == ("650.00", 90)
    assert budget.client.delete(url, headers=headers).status_code == 204
    missing = budget.client.get(url, headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "goal_not_found")


def test_archived_goals_leave_the_list_unless_asked_for(budget: Budget) -> None:
    goal = budget.goal(amount="100.00")
    headers = budget.owner.headers
    archived = budget.client.patch(
        f"/api/v1/goals/{goal['id']}", json={"is_archived": True}, headers=headers
    )
    assert archived.json()["is_archived"] is True
    assert budget.client.get("/api/v1/goals", headers=headers).json()["total"] == 0
    every = budget.client.get("/api/v1/goals", params={"include_archived": True}, headers=headers)
    assert [g["id"] for g in every.json()["items"]] == [goal["id"]]


def test_savings_and_debt_goals(budget: Budget) -> None:
    savings = budget.goal(
        kind="savings_target",
        name="Holiday",
        account_id=budget.savings,
        amount="5000.00",
        target_date="2027-12-31",
    )
    assert (savings["period"], savings["target_date"]) == (None, "2027-12-31")
    budget.transfer("2026-01-10", "1200.00", budget.card, budget.bank)  # 1200 of debt
    debt = budget.goal(
        kind="debt_payoff", name="Clear the card", account_id=budget.card, target_date="2030-06-30"
    )
    assert debt["amount"] == "1200.00"  # the starting debt, recorded from today's balance


def _error(response: Any) -> tuple[int, str]:
    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json().get("errors", [])]
    assert len(fields) == 1, response.text
    return response.status_code, fields[0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"account_id": "bank"}, "account_id"),  # a spending limit needs an expense category
        ({"account_id": "salary"}, "account_id"),
        ({"kind": "savings_target", "account_id": "food", "amount": "1.00"}, "account_id"),
        ({"kind": "debt_payoff", "account_id": "savings", "amount": "1.00"}, "account_id"),
        ({"kind": "savings_target", "account_id": "savings", "period": "monthly"}, "period"),
        ({"period": "weekly"}, "period"),
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "1.234"}, "amount"),  # more decimals than AUD has
        ({"amount": "1e3"}, "amount"),
        ({}, "amount"),  # a spending limit needs its limit
        ({"warn_percent": 0}, "warn_percent"),
        ({"warn_percent": 101}, "warn_percent"),
        ({"target_date": "2027-01-01"}, "target_date"),  # spending limits have periods
        ({"kind": "debt_payoff", "account_id": "card", "amount": "10.00"}, "target_date"),
        (
            {
                "kind": "savings_target",
                "account_id": "savings",
                "amount": "10.00",
                "starts_on": "2026-05-01",
                "target_date": "2026-04-30",
            },
            "target_date",
        ),
        ({"kind": "debt_payoff", "account_id": "card", "target_date": "2030-01-01"}, "amount"),
        ({"kind": "holiday"}, "kind"),
        ({"name": "  "}, "name"),
        ({"account_id": "random"}, "account_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_goals_are_refused_naming_the_field(
    budget: Budget, fields: dict[str, Any], field: str
) -> None:
    fields = dict(fields)  # shared by the SQLite and PostgreSQL runs
    names = {"bank", "salary", "food", "savings", "card"}
    if fields.get("account_id") in names:
        fields["account_id"] = getattr(budget, fields["account_id"])
    elif fields.get("account_id") == "random":
        fields["account_id"] = "00000000-0000-4000-8000-000000000000"
    if "amount" not in fields and field != "amount" and fields.get("kind") != "debt_payoff":
        fields["amount"] = "100.00"
    assert _error(budget.create_goal(**fields))[1] == field
    assert budget.client.get("/api/v1/goals", headers=budget.owner.headers).json()["total"] == 0


def test_patch_rechecks_the_whole_goal(budget: Budget) -> None:
    goal = budget.goal(amount="100.00")
    url = f"/api/v1/goals/{goal['id']}"
    headers = budget.owner.headers
    for body, field in (
        ({"account_id": budget.bank}, "account_id"),
        ({"amount": None}, "amount"),
        ({"period": None}, "period"),
        ({"target_date": "2030-01-01"}, "target_date"),
        ({"amount": "0.001"}, "amount"),
    ):
        assert _error(budget.client.patch(url, json=body, headers=headers))[1] == field
    assert budget.client.get(url, headers=headers).json() == goal


def test_another_tenants_category_is_no_account_of_ours(client: TestClient) -> None:
    alice, bob = Budget(client, register(client)), register(client)
    response = client.post(
        "/api/v1/goals",
        json={"kind": "spending_limit", "name": "x", "account_id": alice.food, "amount": "1.00"},
        headers=bob.headers,
    )
    assert _error(response)[1] == "account_id"


def test_goal_changes_are_audited(budget: Budget) -> None:
    goal = budget.goal(amount="100.00")
    headers = budget.owner.headers
    budget.client.patch(f"/api/v1/goals/{goal['id']}", json={"amount": "120.00"}, headers=headers)
    budget.client.delete(f"/api/v1/goals/{goal['id']}", headers=headers)
    events = budget.client.get(
        "/api/v1/audit/logs", params={"resource_type": "goal"}, headers=headers
    ).json()["items"]
    actions = sorted(e["action"] for e in events)
    assert actions == ["goal.create", "goal.delete", "goal.update"]
    update = next(e for e in events if e["action"] == "goal.update")
    assert (update["before"]["amount"], update["after"]["amount"]) == ("100.00", "120.00")


def test_viewers_read_goals_but_cannot_change_them(client: TestClient) -> None:
    budget = Budget(client, register(client))
    goal = budget.goal(amount="100.00")
    viewer = register(client)
    add_member(client, budget.owner, budget.owner.tenant_id, viewer, "viewer")
    from tests.support.builders import switch

    switch(client, viewer, budget.owner.tenant_id)
    assert client.get(f"/api/v1/goals/{goal['id']}", headers=viewer.headers).status_code == 200
    denied = client.patch(f"/api/v1/goals/{goal['id']}", json={"name": "x"}, headers=viewer.headers)
    assert denied.status_code == 403


def test_goals_of_an_archived_category_stay_editable_but_none_move_onto_one(
    budget: Budget,
) -> None:
    goal = budget.goal(amount="100.00")
    headers = budget.owner.headers
    archived = budget.client.patch(
        f"/api/v1/accounts/{budget.rent}", json={"is_archived": True}, headers=headers
    )
    assert archived.status_code == 200, archived.text
    moved = budget.client.patch(
        f"/api/v1/goals/{goal['id']}", json={"account_id": budget.rent}, headers=headers
    )
    assert _error(moved)[1] == "account_id"
    budget.client.patch(
        f"/api/v1/accounts/{budget.food}", json={"is_archived": True}, headers=headers
    )
    renamed = budget.client.patch(
        f"/api/v1/goals/{goal['id']}", json={"name": "Old food"}, headers=headers
    )
    assert renamed.status_code == 200, renamed.text
    assert _error(budget.create_goal(amount="5.00"))[1] == "account_id"  # Food is archived now
