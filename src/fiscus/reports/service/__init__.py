"""Report use cases: each builds one report from the balance snapshots (read-only)."""

from fiscus.reports.service.budget import budget_vs_actual
from fiscus.reports.service.cash_flow import cash_flow
from fiscus.reports.service.spending import net_worth, spending_by_category
from fiscus.reports.service.statements import balance_sheet, income_statement
from fiscus.reports.service.trial_balance import trial_balance

__all__ = [
    "balance_sheet",
    "budget_vs_actual",
    "cash_flow",
    "income_statement",
    "net_worth",
    "spending_by_category",
    "trial_balance",
]
