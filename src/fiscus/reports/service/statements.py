"""Income statement and balance sheet, each with an optional comparative column.

Income statement: every income and expense account's figure for the period (balance at
the end minus the balance the day before the start), in the account tree, where a
parent's line includes its children; net profit = total income - total expenses.

Balance sheet: assets, liabilities and equity at a date. Equity also carries the
earnings that no closing entry has moved into it: "Retained earnings" (income less
expenses before the current financial year) and "Current-year earnings" (since its
start), so assets = liabilities + equity. Converting accounts of other currencies
rounds each account on its own; what that leaves over is shown as "Exchange
differences" (zero, so not shown, when the books hold one currency).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.money import Money, sum_money
from fiscus.ledger.balances import CREDIT_NORMAL
from fiscus.ledger.models import Account
from fiscus.reports.dates import previous_period, previous_year, shift_months
from fiscus.reports.schemas import (
    BalanceSheetRead,
    Compare,
    IncomeStatementRead,
    StatementLine,
    StatementSection,
)
from fiscus.reports.service.common import (
    Books,
    figure,
    load_books,
    resolve_period,
    rolled_up,
    tree_order,
)

Amounts = dict[uuid.UUID, Money]  # natural-sign amounts in the base currency


def income_statement(
    session: Session,
    ctx: TenantContext,
    *,
    date_from: date | None,
    date_to: date | None,
    compare: Compare = "none",
) -> IncomeStatementRead:
    books = load_books(session, ctx)
    start, end = resolve_period(books, date_from, date_to)
    earlier = None
    if compare == "previous_period":
        earlier = previous_period(start, end)
    elif compare == "previous_year":
        earlier = previous_year(start, end)
    now = _period_amounts(books, start, end)
    before = _period_amounts(books, *earlier) if earlier else None
    income = _section(books, "income", "Income", now, before)
    expenses = _section(books, "expense", "Expenses", now, before)
    c = books.currency
    net = _total(income, c) - _total(expenses, c)
    net_before = None
    if before is not None:
        net_before = _total(income, c, compared=True) - _total(expenses, c, compared=True)
    return IncomeStatementRead(
        date_from=start,
        date_to=end,
        currency=books.currency,
        compare=compare,
        compare_from=earlier[0] if earlier else None,
        compare_to=earlier[1] if earlier else None,
        income=income,
        expenses=expenses,
        net_profit=figure(net, net_before),
    )


def balance_sheet(
    session: Session, ctx: TenantContext, *, as_of: date | None, compare: Compare = "none"
) -> BalanceSheetRead:
    books = load_books(session, ctx)
    on = as_of or books.today
    earlier = None
    if compare == "previous_period":
        earlier = shift_months(on, -1)
    elif compare == "previous_year":
        earlier = shift_months(on, -12)
    now = _position(books, on)
    before = _position(books, earlier) if earlier else None
    assets = _section(books, "asset", "Assets", now, before)
    liabilities = _section(books, "liability", "Liabilities", now, before)
    equity = _section(books, "equity", "Equity", now, before, extra=_earnings_lines(books))
    c = books.currency
    total = _total(liabilities, c) + _total(equity, c)
    total_before = None
    if before is not None:
        total_before = _total(liabilities, c, compared=True) + _total(equity, c, compared=True)
    return BalanceSheetRead(
        as_of=on,
        currency=books.currency,
        compare=compare,
        compare_as_of=earlier,
        assets=assets,
        liabilities=liabilities,
        equity=equity,
        liabilities_and_equity=figure(total, total_before),
    )


def _natural(books: Books, account: Account, raw: int, on: date) -> Money:
    amount = books.to_base(account, raw, on)
    return -amount if account.type in CREDIT_NORMAL else amount


def _period_amounts(books: Books, start: date, end: date) -> Amounts:
    raw = books.raw_between(start, end)
    return {
        a.id: _natural(books, a, raw.get(a.id, 0), end) for a in books.of_types("income", "expense")
    }


# Keys of the lines of equity that are not accounts (the earnings not yet closed into it).
RETAINED = uuid.UUID(int=1)
CURRENT = uuid.UUID(int=2)
EXCHANGE = uuid.UUID(int=3)


def _position(books: Books, on: date) -> Amounts:
    """Every balance-sheet account at `on`, plus the equity lines that make it balance."""
    raw = books.raw_at(on)
    amounts = {
        a.id: _natural(books, a, raw.get(a.id, 0), on)
        for a in books.of_types("asset", "liability", "equity")
    }
    year_start = books.financial_year_start(on)
    # Income less expenses (credit-normal: -(debits - credits)), before and in the year.
    retained = _earnings(books, books.raw_at(year_start - timedelta(days=1)), on)
    current = _earnings(books, books.raw_between(year_start, on), on)
    amounts[RETAINED], amounts[CURRENT] = retained, current

    def total(kind: str) -> Money:
        ids = [a.id for a in books.of_types(kind)]
        return sum_money((amounts[i] for i in ids), books.currency)

    equity = total("equity") + retained + current
    amounts[EXCHANGE] = total("asset") - total("liability") - equity
    return amounts


def _earnings(books: Books, raw: dict[uuid.UUID, int], on: date) -> Money:
    parts = (-books.to_base(a, raw.get(a.id, 0), on) for a in books.of_types("income", "expense"))
    return sum_money(parts, books.currency)


def _earnings_lines(books: Books) -> list[tuple[uuid.UUID, str]]:
    return [
        (RETAINED, "Retained earnings"),
        (CURRENT, "Current-year earnings"),
        (EXCHANGE, "Exchange differences"),
    ]


def _section(
    books: Books,
    kind: str,
    name: str,
    now: Amounts,
    before: Amounts | None,
    *,
    extra: list[tuple[uuid.UUID, str]] | None = None,
) -> StatementSection:
    ordered = tree_order(books.of_types(kind))
    totals = rolled_up(ordered, now, books.currency)
    totals_before = rolled_up(ordered, before, books.currency) if before is not None else None
    lines: list[StatementLine] = []
    for account, depth in ordered:
        amount = totals[account.id]
        compare = totals_before[account.id] if totals_before is not None else None
        if amount.is_zero and (compare is None or compare.is_zero):
            continue  # neither period has anything on this account or below it
        lines.append(_line(account.id, account.code, account.name, depth, amount, compare))
    top = [a.id for a, depth in ordered if depth == 0]
    total = sum_money((totals[i] for i in top), books.currency)
    total_before = None
    if totals_before is not None:
        total_before = sum_money((totals_before[i] for i in top), books.currency)
    for key, label in extra or []:
        amount, compare = now[key], before[key] if before is not None else None
        total = total + amount
        if total_before is not None and compare is not None:
            total_before = total_before + compare
        if key == EXCHANGE and amount.is_zero and (compare is None or compare.is_zero):
            continue
        lines.append(_line(None, None, label, 0, amount, compare))
    return StatementSection(key=kind, name=name, lines=lines, total=figure(total, total_before))


def _line(
    account_id: uuid.UUID | None,
    code: str | None,
    name: str,
    depth: int,
    amount: Money,
    compare: Money | None,
) -> StatementLine:
    base = figure(amount, compare)
    return StatementLine(
        account_id=account_id, code=code, name=name, depth=depth, **base.model_dump()
    )


def _total(section: StatementSection, currency: str, *, compared: bool = False) -> Money:
    """A section's total, or its comparative total."""
    text = section.total.compare_amount if compared else section.total.amount
    return Money(Decimal(text or "0"), currency)
