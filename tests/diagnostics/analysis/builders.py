"""Trial balances for the analysis tests: rows as (number, name, net[, type])."""

from __future__ import annotations

from decimal import Decimal

from fiscus.diagnostics.trial_balance import TBRow, TrialBalance

Spec = tuple[str | None, str, str] | tuple[str | None, str, str, str | None]


def tb(*specs: Spec) -> TrialBalance:
    rows = []
    for i, spec in enumerate(specs):
        number, name, net = spec[0], spec[1], Decimal(spec[2])
        hint = spec[3] if len(spec) > 3 else None  # type: ignore[misc]
        debit, credit = (net, Decimal(0)) if net >= 0 else (Decimal(0), -net)
        rows.append(TBRow(i + 2, number, name, debit, credit, hint))
    return TrialBalance(rows=tuple(rows), sheet=None, source_rows=len(rows), excluded=())


def small_company() -> TrialBalance:
    """An AU Pty Ltd, MYOB numbering, no type column; balances."""
    return tb(
        ("1-1100", "Cash at Bank", "52340.17"),
        ("1-1200", "Trade Debtors", "38215.40"),
        ("1-1210", "Allowance for Doubtful Debts", "-1900.00"),
        ("1-1300", "Inventory", "24880.35"),
        ("1-2100", "Plant and Equipment", "96450.00"),
        ("1-2110", "Accumulated Depreciation", "-41230.55"),
        ("2-1100", "Trade Creditors", "-27310.62"),
        ("2-1200", "GST Payable", "-4411.08"),
        ("2-2100", "Bank Loan", "-60000.00"),
        ("3-1000", "Share Capital", "-100.00"),
        ("3-2000", "Retained Earnings", "-45127.33"),
        ("4-1000", "Sales", "-412660.90"),
        ("5-1000", "Cost of Goods Sold", "231704.12"),
        ("6-1000", "Wages", "98432.77"),
        ("6-2000", "Rent", "36000.00"),
        ("6-3000", "Interest Expense", "4870.10"),
        ("6-4000", "Depreciation", "9847.57"),
    )
