"""Budget vs actual: every active spending limit's budget for the period against spending.

The figures come from the goals domain (`goals.service.budget_vs_actual`: a limit's
budget is its amount for every goal period the range covers in full, pro rata by days
for a period covered in part; actual is the spending of the category and its children).
This report puts them in the base currency (converted at the rate on the period's last
day when a category has another currency), adds the percentage used and the totals.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.money import Money, sum_money
from fiscus.goals import service as goals_service
from fiscus.reports.schemas import BudgetRow, BudgetVsActualRead
from fiscus.reports.service.common import Books, load_books, resolve_period


def budget_vs_actual(
    session: Session, ctx: TenantContext, *, date_from: date | None, date_to: date | None
) -> BudgetVsActualRead:
    books = load_books(session, ctx)
    start, end = resolve_period(books, date_from, date_to)
    lines = goals_service.budget_vs_actual(session, ctx, date_from=start, date_to=end)
    rows: list[BudgetRow] = []
    budgets: list[Money] = []
    actuals: list[Money] = []
    for line in lines:
        budget = _base(books, line.budget, line.currency, end)
        actual = _base(books, line.actual, line.currency, end)
        budgets.append(budget)
        actuals.append(actual)
        rows.append(
            BudgetRow(
                goal_id=line.goal_id,
                goal_name=line.goal_name,
                category_id=line.category_id,
                category_name=line.category_name,
                period=str(line.period),
                budget=budget.to_json(),
                actual=actual.to_json(),
                variance=(budget - actual).to_json(),
                used_percent=_percent(actual, budget),
            )
        )
    rows.sort(key=lambda r: (r.category_name.lower(), r.goal_name.lower()))
    total_budget = sum_money(budgets, books.currency)
    total_actual = sum_money(actuals, books.currency)
    return BudgetVsActualRead(
        date_from=start,
        date_to=end,
        currency=books.currency,
        rows=rows,
        total_budget=total_budget.to_json(),
        total_actual=total_actual.to_json(),
        total_variance=(total_budget - total_actual).to_json(),
    )


def _base(books: Books, text: str, currency: str, on: date) -> Money:
    return books.rates.to_base(Money.parse(text, currency), on)


def _percent(actual: Money, budget: Money) -> str | None:
    if budget.is_zero:
        return None
    ratio = actual.amount * 100 / budget.amount
    return format(ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
