"""Spending by category and net worth over time, from the balance snapshots.

Spending: each expense category's own figure for the period (its postings, not its
children's: every category is its own row, named with its path), largest first, with its
share of the total. A category with refunds exceeding purchases shows a negative amount.

Net worth: assets minus liabilities at the end of every interval of the period (the last
one cut at the period's end), each in base currency at that day's rates.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money, sum_money
from fiscus.reports.dates import Interval, count_intervals, interval_ends, shift_months
from fiscus.reports.schemas import NetWorthPoint, NetWorthRead, SpendingRead, SpendingRow
from fiscus.reports.service.common import Books, load_books, path_name, resolve_period

MAX_POINTS = 400


def spending_by_category(
    session: Session, ctx: TenantContext, *, date_from: date | None, date_to: date | None
) -> SpendingRead:
    books = load_books(session, ctx)
    start, end = resolve_period(books, date_from, date_to)
    raw = books.raw_between(start, end)
    amounts = [
        (a, books.to_base(a, raw.get(a.id, 0), end))
        for a in books.of_types("expense")
        if raw.get(a.id, 0)
    ]
    amounts.sort(key=lambda item: (-item[1].amount, path_name(books, item[0]).lower()))
    total = sum_money((m for _, m in amounts), books.currency)
    rows = [
        SpendingRow(
            account_id=a.id,
            code=a.code,
            name=path_name(books, a),
            amount=m.to_json(),
            share=_share(m, total),
        )
        for a, m in amounts
    ]
    return SpendingRead(
        date_from=start, date_to=end, currency=books.currency, rows=rows, total=total.to_json()
    )


def _share(amount: Money, total: Money) -> str | None:
    if total.is_zero:
        return None
    ratio = amount.amount * 100 / total.amount
    return format(ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def net_worth(
    session: Session,
    ctx: TenantContext,
    *,
    date_from: date | None,
    date_to: date | None,
    interval: Interval = "month",
) -> NetWorthRead:
    books = load_books(session, ctx)
    end = date_to or books.today
    # Default: the twelve months up to and including `end`'s month.
    start = date_from or shift_months(end, -11).replace(day=1)
    start, end = resolve_period(books, start, end)
    if count_intervals(start, end, interval) > MAX_POINTS:
        raise InvalidInput(
            f"gives more than {MAX_POINTS} points; choose a longer interval or a shorter period",
            field="interval",
        )
    points = [_point(books, on) for on in interval_ends(start, end, interval)]
    return NetWorthRead(
        date_from=start, date_to=end, currency=books.currency, interval=interval, points=points
    )


def _point(books: Books, on: date) -> NetWorthPoint:
    raw = books.raw_at(on)
    assets = sum_money(
        (books.to_base(a, raw.get(a.id, 0), on) for a in books.of_types("asset")), books.currency
    )
    liabilities = sum_money(
        (-books.to_base(a, raw.get(a.id, 0), on) for a in books.of_types("liability")),
        books.currency,
    )
    return NetWorthPoint(
        date=on,
        assets=assets.to_json(),
        liabilities=liabilities.to_json(),
        net_worth=(assets - liabilities).to_json(),
    )
