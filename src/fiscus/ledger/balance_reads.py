"""Balance reads: one account's history over a range, and every account at a date.

Both read only the snapshots. History is the balance the day before the range (months,
then days of that month) plus the running deltas inside it: day rows for `day` and
`week`, month rows for the whole months of a `month` history and day rows for its
partial first and last months. The summary is one grouped read of every account's
balance, converted to the base currency with the RateBook.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money
from fiscus.ledger import balances, service
from fiscus.ledger.models import ACCOUNT_TYPES, Account
from fiscus.ledger.rates import MissingRate, RateBook
from fiscus.ledger.repository_history import BalanceHistoryRepository, month_end
from fiscus.ledger.schemas_balances import (
    AccountBalance,
    BalanceHistory,
    BalanceSummary,
    HistoryPoint,
    Interval,
    TypeTotals,
)
from fiscus.tenancy import service as tenancy_service

MAX_POINTS = 1000
_DAY = timedelta(days=1)


def interval_ends(start: date, end: date, interval: Interval) -> list[date]:
    """The last day of each interval from `start` to `end`, the last one cut at `end`.

    Weeks are ISO weeks (Monday to Sunday), months calendar months; the first interval
    starts at `start` even when that is mid-week or mid-month. More than MAX_POINTS is
    refused (422 naming `from`) before anything is read.
    """
    if start > end:
        raise InvalidInput("must be on or before 'to'", field="from")
    ends: list[date] = []
    cursor = start
    while True:
        if interval == "day":
            stop = cursor
        elif interval == "week":
            stop = cursor + timedelta(days=min(6 - cursor.weekday(), (end - cursor).days))
        else:
            stop = min(month_end(cursor), end)
        ends.append(stop)
        if len(ends) > MAX_POINTS:
            raise InvalidInput(
                f"the range holds more than {MAX_POINTS} {interval}s; "
                "shorten it or choose a longer interval",
                field="from",
            )
        if stop == end:
            return ends
        cursor = stop + _DAY


def default_start(end: date, interval: Interval) -> date:
    """The start of a default history: 30 days, 12 weeks or 12 months up to `end`."""
    try:
        if interval == "day":
            return end - timedelta(days=29)
        if interval == "week":
            return end - timedelta(days=end.weekday() + 7 * 11)
        months = end.year * 12 + end.month - 1 - 11
        return date(months // 12, months % 12 + 1, 1)
    except (OverflowError, ValueError):
        return date.min


def balance_history(
    session: Session,
    ctx: TenantContext,
    account_id: uuid.UUID,
    *,
    start: date | None,
    end: date | None,
    interval: Interval,
) -> BalanceHistory:
    """End-of-interval balances of one account, in its natural sign. `end` defaults to
    the tenant's today, `start` to twelve intervals (thirty days) before it."""
    account = service.get_account(session, ctx, account_id)
    end = end or tenancy_service.today(session, ctx.tenant_id)
    start = start or default_start(end, interval)
    ends = interval_ends(start, end, interval)
    repo = BalanceHistoryRepository(session, ctx.tenant_id)
    running = repo.raw_balance(account.id, start - _DAY) if start > date.min else 0
    deltas = _month_deltas(repo, account, start, end) if interval == "month" else None
    if deltas is None:
        deltas = repo.day_deltas(account.id, start, end)
    points: list[HistoryPoint] = []
    i = 0
    for stop in ends:
        while i < len(deltas) and deltas[i][0] <= stop:
            running += deltas[i][1]
            i += 1
        points.append(HistoryPoint(date=stop, balance=balances.natural(account, running).to_json()))
    return BalanceHistory(
        account_id=account.id, currency=account.currency, interval=interval, points=points
    )


def _month_deltas(
    repo: BalanceHistoryRepository, account: Account, start: date, end: date
) -> list[tuple[date, int]] | None:
    """Deltas dated inside `start`..`end` from month rows for whole months and day rows for
    the partial months at either end; None when the range holds no whole month."""
    first_full = start if start.day == 1 else _next_month(start)
    last_full = end.replace(day=1) if end == month_end(end) else _previous_month(end)
    if first_full is None or last_full is None or first_full > last_full:
        return None
    deltas: list[tuple[date, int]] = []
    if start < first_full:
        deltas += repo.day_deltas(account.id, start, first_full - _DAY)
    deltas += repo.month_deltas(account.id, first_full, last_full)
    if month_end(last_full) < end:
        deltas += repo.day_deltas(account.id, month_end(last_full) + _DAY, end)
    return deltas


def _next_month(day: date) -> date | None:
    """The first day of the month after `day`'s (None past the calendar's end)."""
    last = month_end(day)
    return None if last == date.max else last + _DAY


def _previous_month(day: date) -> date | None:
    """The first day of the month before `day`'s (None before the calendar's start)."""
    first = day.replace(day=1)
    return None if first == date.min else (first - _DAY).replace(day=1)


def balance_summary(session: Session, ctx: TenantContext, on: date) -> BalanceSummary:
    """Every account's balance at `on`, in its currency and the base currency.

    Archived accounts appear (flagged) only when their balance is not zero; hidden ones
    always do (hiding is about lists, not about what is owned). An account whose currency
    has no rate in effect gets a null base figure, is left out of the totals, and its
    currency is listed in `missing_rates`.
    """
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    raw = balances.raw_balances_at(session, ctx.tenant_id, on)
    book = RateBook(session, ctx.tenant_id, base)
    totals = dict.fromkeys(ACCOUNT_TYPES, 0)
    missing: set[str] = set()
    rows: list[AccountBalance] = []
    for account in service.list_accounts(session, ctx, include_archived=True):
        money = balances.natural(account, raw.get(account.id, 0))
        if account.is_archived and money.is_zero:
            continue
        in_base = _to_base(book, money, on)
        if in_base is None:
            missing.add(account.currency)
        else:
            totals[account.type] += in_base.minor_units
        rows.append(_row(account, money, in_base))
    as_text = {t: Money.from_minor(v, base).to_json() for t, v in totals.items()}
    net_worth = Money.from_minor(totals["asset"] - totals["liability"], base)
    return BalanceSummary(
        date=on,
        base_currency=base,
        accounts=rows,
        totals=TypeTotals(**as_text),
        net_worth=net_worth.to_json(),
        missing_rates=sorted(missing),
    )


def _to_base(book: RateBook, money: Money, on: date) -> Money | None:
    if money.is_zero:
        return Money.zero(book.base_currency)  # nothing to convert: no rate needed
    try:
        return book.to_base(money, on)
    except MissingRate:
        return None


def _row(account: Account, money: Money, in_base: Money | None) -> AccountBalance:
    return AccountBalance(
        id=account.id,
        name=account.name,
        type=account.type,
        subtype=account.subtype,
        currency=account.currency,
        balance=money.to_json(),
        base_balance=None if in_base is None else in_base.to_json(),
        is_hidden=account.is_hidden,
        is_archived=account.is_archived,
    )
