"""Sums the other parts need: signed nets by category, lead sheet and subtype, and the
figures (positive in their normal direction) the benchmarks and ratios use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fiscus.diagnostics.analysis.types import AccountResult, Totals

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Figures:
    """Balances made positive in their normal direction (a credit-normal total is the
    negated net), contra accounts included in their class."""

    cash: Decimal
    receivables: Decimal
    inventory: Decimal
    current_assets: Decimal
    total_assets: Decimal
    payables: Decimal
    current_liabilities: Decimal
    long_term_debt: Decimal
    total_liabilities: Decimal
    equity: Decimal  # closing: equity accounts plus the current-year result
    revenue: Decimal  # operating revenue
    other_income: Decimal
    cost_of_sales: Decimal
    operating_expenses: Decimal
    finance_costs: Decimal
    income_tax: Decimal
    has: frozenset[str]  # which categories/lead sheets have any account

    @property
    def gross_profit(self) -> Decimal:
        return self.revenue - self.cost_of_sales

    @property
    def ebit(self) -> Decimal:
        return self.gross_profit - self.operating_expenses

    @property
    def pre_tax_profit(self) -> Decimal:
        return self.ebit + self.other_income - self.finance_costs

    @property
    def net_profit(self) -> Decimal:
        return self.pre_tax_profit - self.income_tax


def sum_up(accounts: Sequence[AccountResult]) -> tuple[Totals, Figures]:
    by_category: dict[str, Decimal] = {}
    by_lead: dict[str, Decimal] = {}
    by_sub: dict[tuple[str, str], Decimal] = {}
    for a in accounts:
        c = a.classification
        by_category[c.category] = by_category.get(c.category, ZERO) + a.net
        by_lead[a.lead_sheet] = by_lead.get(a.lead_sheet, ZERO) + a.net
        key = (c.category, c.subtype)
        by_sub[key] = by_sub.get(key, ZERO) + a.net
    return from_sums(by_category, by_lead, by_sub)


def from_sums(
    by_category: dict[str, Decimal],
    by_lead: dict[str, Decimal],
    by_sub: dict[tuple[str, str], Decimal],
) -> tuple[Totals, Figures]:
    """Totals and figures from the nets summed by category, lead sheet and subtype
    (each dict in the order its keys first appear among the accounts)."""
    cat = by_category.get
    result = -(cat("revenue", ZERO) + cat("expense", ZERO))
    totals = Totals(by_category=by_category, by_lead_sheet=by_lead, current_year_result=result)
    sub = by_sub.get
    figures = Figures(
        cash=by_lead.get("A", ZERO),
        receivables=by_lead.get("B", ZERO),
        inventory=by_lead.get("C", ZERO),
        current_assets=sub(("asset", "current"), ZERO),
        total_assets=cat("asset", ZERO),
        payables=-by_lead.get("H", ZERO),
        current_liabilities=-sub(("liability", "current"), ZERO),
        long_term_debt=-sub(("liability", "non_current"), ZERO),
        total_liabilities=-cat("liability", ZERO),
        equity=-cat("equity", ZERO) + result,
        revenue=-sub(("revenue", "operating"), ZERO),
        other_income=-sub(("revenue", "other_income"), ZERO),
        cost_of_sales=sub(("expense", "cost_of_sales"), ZERO),
        operating_expenses=sub(("expense", "operating"), ZERO),
        finance_costs=sub(("expense", "finance_cost"), ZERO),
        income_tax=sub(("expense", "income_tax"), ZERO),
        has=frozenset(by_category) | frozenset(by_lead),
    )
    return totals, figures
