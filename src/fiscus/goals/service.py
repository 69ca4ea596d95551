"""Goal use cases: create, read, list, update (archive), delete; progress and alerts.

A goal watches one account of the chart: a spending limit an expense category (children
included) per calendar period, a savings target an asset account, a debt payoff a
liability. Invariants kept here: the account exists in the tenant, is not archived and
has the type the kind needs; only spending limits have a period and only the other two
have a target date (a debt payoff must have one); amounts are positive and exact in the
account's currency. Every change is audited in the same transaction.

Progress, budget vs actual and the dashboard figures live in `service_progress`, the
alert listeners in `service_alerts` (registered with the ledger when this module is
imported); both are re-exported here so other domains only ever import this module.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput, NotFound
from fiscus.core.money import Money
from fiscus.goals import service_alerts
from fiscus.goals.models import Goal
from fiscus.goals.repository import GoalRepository
from fiscus.goals.schemas import GoalCreate, GoalUpdate
from fiscus.goals.service_progress import (
    GoalNotFound,
    budget_vs_actual,
    dashboard_progress,
    get_goal,
    goal_progress,
    goal_read,
)
from fiscus.ledger import balances
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account
from fiscus.tenancy import service as tenancy_service

__all__ = [
    "GoalNotFound",
    "budget_vs_actual",
    "create_goal",
    "dashboard_progress",
    "delete_goal",
    "get_goal",
    "goal_progress",
    "goal_read",
    "list_goals",
    "service_alerts",
    "update_goal",
]

ACCOUNT_TYPE = {"spending_limit": "expense", "savings_target": "asset", "debt_payoff": "liability"}
_NOT_NULL = ("name", "account_id", "amount", "starts_on", "warn_percent", "is_archived")


def _snapshot(goal: Goal) -> dict[str, Any]:
    return goal_read(goal).model_dump(mode="json", exclude={"created_at", "updated_at"})


def list_goals(
    session: Session,
    ctx: TenantContext,
    *,
    kind: str | None = None,
    include_archived: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Goal], int]:
    return GoalRepository(session, ctx.tenant_id).listed(
        kind=kind, include_archived=include_archived, offset=offset, limit=limit
    )


def create_goal(session: Session, ctx: TenantContext, data: GoalCreate) -> Goal:
    values = data.model_dump()
    values["starts_on"] = data.starts_on or tenancy_service.today(session, ctx.tenant_id)
    account = _account(session, ctx, data.account_id)
    goal = Goal(tenant_id=ctx.tenant_id, kind=data.kind, is_archived=False)
    _apply(session, ctx, goal, account, values)
    GoalRepository(session, ctx.tenant_id).add(goal)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="goal.create",
        resource_type="goal",
        resource_id=goal.id,
        after=_snapshot(goal),
    )
    return goal


def update_goal(session: Session, ctx: TenantContext, goal_id: uuid.UUID, data: GoalUpdate) -> Goal:
    goal = get_goal(session, ctx, goal_id)
    before = _snapshot(goal)
    changes = data.model_dump(include=data.model_fields_set)
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput("must not be null", field=name)
    if goal.kind == "spending_limit" and "period" in changes and changes["period"] is None:
        raise InvalidInput("must not be null for a spending limit", field="period")
    values: dict[str, Any] = {
        "name": goal.name,
        "account_id": goal.account_id,
        "amount": Money.from_minor(goal.amount, goal.currency).to_json(),
        "period": goal.period,
        "starts_on": goal.starts_on,
        "target_date": goal.target_date,
        "warn_percent": goal.warn_percent,
        **changes,
    }
    # An archived category keeps its goals editable; only moving a goal onto one is refused.
    unchanged = values["account_id"] == goal.account_id
    account = _account(session, ctx, values["account_id"], allow_archived=unchanged)
    _apply(session, ctx, goal, account, values)
    if "is_archived" in changes:
        goal.is_archived = changes["is_archived"]
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="goal.update",
        resource_type="goal",
        resource_id=goal.id,
        before=before,
        after=_snapshot(goal),
    )
    return goal


def delete_goal(session: Session, ctx: TenantContext, goal_id: uuid.UUID) -> None:
    goal = get_goal(session, ctx, goal_id)
    before = _snapshot(goal)
    session.delete(goal)
    session.flush()
    audit_service.record(
        session, ctx, action="goal.delete", resource_type="goal", resource_id=goal_id, before=before
    )


def _account(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, *, allow_archived: bool = False
) -> Account:
    try:
        account = ledger_service.get_account(session, ctx, account_id)
    except NotFound:
        raise InvalidInput("is not an account of this tenant", field="account_id") from None
    if account.is_archived and not allow_archived:
        raise InvalidInput("is archived", field="account_id")
    return account


def _apply(
    session: Session, ctx: TenantContext, goal: Goal, account: Account, values: dict[str, Any]
) -> None:
    """Check `values` against the goal's kind and `account`, then set them on `goal`."""
    kind = goal.kind
    wanted = ACCOUNT_TYPE[kind]
    if account.type != wanted:
        article = "an" if wanted[0] in "aeiou" else "a"
        raise InvalidInput(f"must be {article} {wanted} account for a {kind}", field="account_id")
    period = _period(kind, values.get("period"))
    starts_on: date = values["starts_on"]
    target_date: date | None = values.get("target_date")
    _check_target_date(kind, starts_on, target_date)
    goal.name = values["name"]
    goal.account_id = account.id
    goal.currency = account.currency
    goal.amount = _amount(session, ctx, kind, account, values.get("amount"))
    goal.period = period
    goal.starts_on = starts_on
    goal.target_date = target_date
    goal.warn_percent = values["warn_percent"]


def _period(kind: str, period: str | None) -> str | None:
    if kind == "spending_limit":
        return period or "monthly"
    if period is not None:
        raise InvalidInput("only spending limits have a period", field="period")
    return None


def _check_target_date(kind: str, starts_on: date, target_date: date | None) -> None:
    if kind == "spending_limit" and target_date is not None:
        raise InvalidInput("spending limits have a period, not a target date", field="target_date")
    if kind == "debt_payoff" and target_date is None:
        raise InvalidInput("is required for a debt payoff", field="target_date")
    if target_date is not None and target_date <= starts_on:
        raise InvalidInput("must be after starts_on", field="target_date")


def _amount(
    session: Session, ctx: TenantContext, kind: str, account: Account, text: str | None
) -> int:
    if text is None:
        if kind != "debt_payoff":
            raise InvalidInput("is required", field="amount")
        today = tenancy_service.today(session, ctx.tenant_id)
        debt = balances.balance_at(session, ctx, account, today)
        if debt.is_negative or debt.is_zero:
            raise InvalidInput(
                "is required: the liability owes nothing today, so send the starting debt",
                field="amount",
            )
        return debt.minor_units
    amount = Money.parse(text, account.currency, field="amount")
    if amount.is_negative or amount.is_zero:
        raise InvalidInput("must be a positive amount", field="amount")
    return amount.minor_units
