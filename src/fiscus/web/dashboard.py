"""What the dashboard shows: balances by type and net worth, a net-worth chart over the
last twelve months, the ten most recent transactions, and goal progress.

Composed from the ledger (and goals) through the same reads their pages and the JSON
API use; nothing is computed here but layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.goals import service as goals_service
from fiscus.goals.schemas import GoalProgress
from fiscus.ledger import service as ledger_service
from fiscus.ledger import transactions as txn_service
from fiscus.ledger.postings import CATEGORY_TYPES
from fiscus.ledger.repository_transactions import TransactionFilters
from fiscus.ledger.templates import TEMPLATES
from fiscus.ledger.views_balances import Overview, net_worth_series, overview
from fiscus.ledger.views_common import load_chart
from fiscus.ledger.views_txn_forms import Row, present
from fiscus.recurring import service as recurring_service
from fiscus.recurring.chart import forecast_chart
from fiscus.tenancy import service as tenancy_service
from fiscus.web import charts

RECENT = 10
_PERIODS = {"monthly": "this month", "quarterly": "this quarter", "yearly": "this year"}


@dataclass(frozen=True, slots=True)
class GoalLine:
    """One goal's current progress as a bar: `value` of `max`, and a sentence."""

    id: str
    name: str
    value: str
    max: str
    status: str  # ok | warning | exceeded (spending) or ok | behind (targets)
    percent: str  # "86 %"
    summary: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    overview: Overview
    net_worth_chart: Markup | None  # None until there is an account
    recent: list[Row]
    has_categories: bool
    templates: list[tuple[str, str, str]]  # key, name, description (for the start panel)
    goals: list[GoalLine]
    forecast_chart: Markup | None = None  # the next three months, once there is an account

    @property
    def is_new(self) -> bool:
        return not (self.overview.has_accounts and self.has_categories)


def load(session: Session, ctx: TenantContext) -> Dashboard:
    today = tenancy_service.today(session, ctx.tenant_id)
    summary = overview(session, ctx, today)
    chart = None
    if summary.has_accounts:
        series = charts.Series("Net worth", net_worth_series(session, ctx, today))
        title = f"Net worth ({summary.base_currency}), last 12 months"
        chart = charts.line_chart([series], title=title)
    rows, _ = txn_service.list_transactions(
        session, ctx, TransactionFilters(), page=1, limit=RECENT
    )
    names = load_chart(session, ctx) if rows else None
    categories = ledger_service.list_accounts(session, ctx, types=CATEGORY_TYPES)
    return Dashboard(
        overview=summary,
        net_worth_chart=chart,
        recent=[present(t, p, names, None) for t, p in rows] if names else [],
        has_categories=bool(categories),
        templates=[(t.key, t.name, t.description) for t in TEMPLATES.values()],
        goals=[goal_line(p) for p in goals_service.dashboard_progress(session, ctx)],
        forecast_chart=_forecast(session, ctx) if summary.has_accounts else None,
    )


def _forecast(session: Session, ctx: TenantContext) -> Markup:
    return forecast_chart(recurring_service.forecast(session, ctx, months=3))


def goal_line(progress: GoalProgress) -> GoalLine:
    goal = progress.goal
    if progress.current is not None:  # a spending limit
        current = progress.current
        spent = max(Decimal(current.spent), Decimal(0))
        when = _PERIODS.get(goal.period or "", "this period")
        return GoalLine(
            str(goal.id),
            goal.name,
            str(min(spent, Decimal(current.limit))),
            current.limit,
            current.status,
            _percent(current.percent),
            f"{_money(current.spent)} of {_money(current.limit)} {goal.currency} spent {when}",
        )
    target = progress.target
    assert target is not None  # a savings target or a debt payoff
    done = min(max(Decimal(target.percent), Decimal(0)), Decimal(1))
    if goal.kind == "savings_target":
        summary = f"{_money(target.balance)} of {_money(target.target)} {goal.currency} saved"
    else:
        summary = f"{_money(target.balance)} {goal.currency} still owed"
    return GoalLine(
        str(goal.id),
        goal.name,
        str(done * 100),
        "100",
        "behind" if target.on_track is False else "ok",
        _percent(target.percent),
        summary,
    )


def _percent(fraction: str) -> str:
    return f"{(Decimal(fraction) * 100).quantize(Decimal(1))} %"


def _money(text: str) -> str:
    return f"{Decimal(text):,}"
