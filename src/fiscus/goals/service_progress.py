"""Progress of goals: spending per period, savings and debt trajectories, budget vs actual.

All figures come from the ledger's balance snapshots (see `spending`), never from a scan
of postings. Percentages are fractions with four decimals ('0.8420' is 84.2 %).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput, NotFound
from fiscus.core.money import Money
from fiscus.goals import periods as p
from fiscus.goals.models import Goal
from fiscus.goals.repository import GoalRepository
from fiscus.goals.schemas import (
    BudgetLine,
    GoalProgress,
    GoalRead,
    PeriodProgress,
    Status,
    TargetProgress,
)
from fiscus.goals.spending import ExpenseTree, Snapshots, expense_tree
from fiscus.ledger import balances
from fiscus.ledger import service as ledger_service
from fiscus.tenancy import service as tenancy_service

MAX_PAST_PERIODS = 120
AVERAGE_MONTHS = 3  # the "recent" pace of a savings or debt goal


class GoalNotFound(NotFound):
    """The goal does not exist."""

    code = "goal_not_found"


def goal_read(goal: Goal) -> GoalRead:
    return GoalRead.model_validate(
        {
            **{c: getattr(goal, c) for c in GoalRead.model_fields if c != "amount"},
            "amount": Money.from_minor(goal.amount, goal.currency).to_json(),
        }
    )


def get_goal(session: Session, ctx: TenantContext, goal_id: uuid.UUID) -> Goal:
    goal = GoalRepository(session, ctx.tenant_id).get(goal_id)
    if goal is None:
        raise GoalNotFound()
    return goal


def status_of(goal: Goal, spent: int) -> Status:
    """'exceeded' from 100 % of the limit, 'warning' from `warn_percent`, else 'ok'."""
    if spent >= goal.amount:
        return "exceeded"
    if spent * 100 >= goal.warn_percent * goal.amount:
        return "warning"
    return "ok"


def goal_progress(
    session: Session,
    ctx: TenantContext,
    goal_id: uuid.UUID,
    *,
    past: int = 0,
    as_of: date | None = None,
) -> GoalProgress:
    """The goal's progress on `as_of` (default the tenant's today), with `past` earlier
    periods for a spending limit."""
    if not 0 <= past <= MAX_PAST_PERIODS:
        raise InvalidInput(f"must be between 0 and {MAX_PAST_PERIODS}", field="periods")
    goal = get_goal(session, ctx, goal_id)
    today = as_of or tenancy_service.today(session, ctx.tenant_id)
    snapshots = Snapshots(session, ctx.tenant_id)
    tree = expense_tree(session, ctx) if goal.kind == "spending_limit" else None
    return _progress(session, ctx, goal, today, past, snapshots, tree)


def dashboard_progress(session: Session, ctx: TenantContext) -> list[GoalProgress]:
    """Current-period progress of every goal that is not archived (for the dashboard)."""
    goals = GoalRepository(session, ctx.tenant_id).active()
    if not goals:
        return []
    today = tenancy_service.today(session, ctx.tenant_id)
    snapshots = Snapshots(session, ctx.tenant_id)
    tree = expense_tree(session, ctx) if any(g.kind == "spending_limit" for g in goals) else None
    return [_progress(session, ctx, g, today, 0, snapshots, tree) for g in goals]


def _progress(
    session: Session,
    ctx: TenantContext,
    goal: Goal,
    today: date,
    past: int,
    snapshots: Snapshots,
    tree: ExpenseTree | None,
) -> GoalProgress:
    result = GoalProgress(goal=goal_read(goal), as_of=today)
    if goal.kind == "spending_limit":
        assert tree is not None
        assert goal.period is not None
        accounts = tree.subtree(goal.account_id, goal.currency)
        recent = p.recent(goal.period, today, past)
        rows = [
            period_progress(goal, snapshots.spent(accounts, *period), period) for period in recent
        ]
        current = rows[0]
        current.projected = _projected(goal, current, recent[0], today)
        result.current, result.past = current, rows[1:]
    else:
        result.target = _target_progress(session, ctx, goal, today)
    return result


def period_progress(goal: Goal, spent: int, period: p.Period) -> PeriodProgress:
    def money(units: int) -> str:
        return Money.from_minor(units, goal.currency).to_json()

    return PeriodProgress(
        start=period[0],
        end=period[1],
        spent=money(spent),
        limit=money(goal.amount),
        remaining=money(goal.amount - spent),
        percent=p.fraction(spent, goal.amount),
        status=status_of(goal, spent),
    )


def _projected(goal: Goal, current: PeriodProgress, period: p.Period, today: date) -> str:
    """Linear: what was spent so far, at the same pace per day, over the whole period."""
    spent = Money.parse(current.spent, goal.currency).minor_units
    elapsed = min(max((today - period[0]).days + 1, 1), p.days(period))
    projected = p.divide(spent * p.days(period), elapsed)
    return Money.from_minor(projected, goal.currency).to_json()


def _target_progress(
    session: Session, ctx: TenantContext, goal: Goal, today: date
) -> TargetProgress:
    account = ledger_service.get_account(session, ctx, goal.account_id)
    balance = balances.balance_at(session, ctx, account, today).minor_units
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    earlier_end = p.shift("monthly", (first, first), -AVERAGE_MONTHS)[0] - timedelta(days=1)
    change = (
        balances.balance_at(session, ctx, account, last_month_end).minor_units
        - balances.balance_at(session, ctx, account, earlier_end).minor_units
    )
    average = p.divide(change, AVERAGE_MONTHS)
    debt = goal.kind == "debt_payoff"
    target = 0 if debt else goal.amount
    remaining = max(balance, 0) if debt else max(goal.amount - balance, 0)
    done = goal.amount - balance if debt else balance
    months = p.months_until(today, goal.target_date) if goal.target_date else None
    needed = None if months is None else (p.ceil_divide(remaining, months) if months else remaining)
    projected = None if months is None else balance + average * months
    reached = balance <= 0 if debt else balance >= goal.amount
    on_track: bool | None = True if reached else None
    if not reached and projected is not None:
        on_track = projected <= 0 if debt else projected >= goal.amount

    def money(units: int) -> str:
        return Money.from_minor(units, goal.currency).to_json()

    def maybe(units: int | None) -> str | None:
        return None if units is None else money(units)

    return TargetProgress(
        balance=money(balance),
        target=money(target),
        starting=money(goal.amount) if debt else None,
        percent=p.fraction(done, goal.amount),
        remaining=money(remaining),
        months_left=months,
        monthly_needed=maybe(needed),
        average_monthly_change=money(average),
        projected=maybe(projected),
        on_track=on_track,
    )


def budget_vs_actual(
    session: Session, ctx: TenantContext, *, date_from: date, date_to: date
) -> list[BudgetLine]:
    """One row per active spending limit over `date_from..date_to` (inclusive).

    The budget is the limit of every goal period the range covers in full, plus, for a
    period the range covers only in part (at either end), the limit pro rata by days
    (rounded half-up to the minor unit). Actual is the spending in the range itself.
    """
    if date_to < date_from:
        raise InvalidInput("must not be before date_from", field="date_to")
    goals = GoalRepository(session, ctx.tenant_id).active("spending_limit")
    if not goals:
        return []
    tree = expense_tree(session, ctx)
    snapshots = Snapshots(session, ctx.tenant_id)
    return [_budget_line(g, tree, snapshots, date_from, date_to) for g in goals]


def budgeted(goal: Goal, date_from: date, date_to: date) -> int:
    assert goal.period is not None
    total = 0
    for period in p.covering(goal.period, date_from, date_to):
        covered = p.overlap_days(period, date_from, date_to)
        whole = p.days(period)
        total += goal.amount if covered == whole else p.divide(goal.amount * covered, whole)
    return total


def _budget_line(
    goal: Goal, tree: ExpenseTree, snapshots: Snapshots, date_from: date, date_to: date
) -> BudgetLine:
    assert goal.period is not None
    budget = budgeted(goal, date_from, date_to)
    actual = snapshots.spent(tree.subtree(goal.account_id, goal.currency), date_from, date_to)
    category = tree.accounts.get(goal.account_id)

    def money(units: int) -> str:
        return Money.from_minor(units, goal.currency).to_json()

    return BudgetLine(
        goal_id=goal.id,
        goal_name=goal.name,
        category_id=goal.account_id,
        category_name=category.name if category else "",
        period=goal.period,
        currency=goal.currency,
        budget=money(budget),
        actual=money(actual),
        variance=money(budget - actual),
        percent=p.fraction(actual, budget),
    )
