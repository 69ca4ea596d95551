"""Balances as the accounts pages and the dashboard show them.

Presentation only: the figures come from `ledger.balance_reads` (the balance summary
and balance history the JSON API serves), read from the snapshots. An account in a
currency without a rate in effect shows in its own currency, is left out of the base
totals, and the page says which currencies lack a rate.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.money import Money
from fiscus.ledger import balance_reads, service
from fiscus.ledger.models import Account
from fiscus.ledger.postings import BALANCE_SHEET
from fiscus.ledger.schemas_balances import AccountBalance, Interval
from fiscus.ledger.views_common import TYPE_LABELS

INTERVALS: dict[Interval, str] = {"month": "Monthly", "week": "Weekly", "day": "Daily"}


@dataclass(frozen=True, slots=True)
class Line:
    account: Account
    balance: Money  # natural sign, the account's currency
    base: Money | None  # in the base currency; None when no rate is in effect


@dataclass(frozen=True, slots=True)
class Group:
    type: str
    label: str
    lines: list[Line]
    total: Money  # base currency, of the lines that have a base value


@dataclass(frozen=True, slots=True)
class Overview:
    on: date
    base_currency: str
    groups: list[Group]  # balance-sheet types with at least one live account, in order
    archived: list[Line]
    net_worth: Money  # assets minus liabilities, base currency
    missing_rates: list[str]

    @property
    def has_accounts(self) -> bool:
        return bool(self.groups or self.archived)


def overview(session: Session, ctx: TenantContext, on: date) -> Overview:
    """Every balance-sheet account's balance on `on`, grouped by type, and net worth."""
    summary = balance_reads.balance_summary(session, ctx, on)
    base = summary.base_currency
    rows = {row.id: row for row in summary.accounts}
    accounts = service.list_accounts(session, ctx, types=BALANCE_SHEET, include_archived=True)
    lines = [_line(account, rows.get(account.id), base) for account in accounts]
    live = [line for line in lines if not line.account.is_archived]
    totals = summary.totals.model_dump()
    groups = [
        Group(kind, TYPE_LABELS[kind], members, Money.parse(totals[kind], base))
        for kind in BALANCE_SHEET
        if (members := [line for line in live if line.account.type == kind])
    ]
    return Overview(
        on=on,
        base_currency=base,
        groups=groups,
        archived=[line for line in lines if line.account.is_archived],
        net_worth=Money.parse(summary.net_worth, base),
        missing_rates=summary.missing_rates,
    )


def _line(account: Account, row: AccountBalance | None, base: str) -> Line:
    """An archived account with nothing in it is not in the summary: its balance is zero."""
    if row is None:
        zero = Money.zero(account.currency)
        return Line(account, zero, Money.zero(base))
    in_base = None if row.base_balance is None else Money.parse(row.base_balance, base)
    return Line(account, Money.parse(row.balance, row.currency), in_base)


def month_ends(today: date, count: int = 12) -> list[date]:
    """The last day of each of the `count - 1` months before this one, then `today`."""
    ends: list[date] = []
    year, month = today.year, today.month
    for _ in range(count - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        ends.append(date(year, month, calendar.monthrange(year, month)[1]))
    return [*reversed(ends), today]


def net_worth_series(
    session: Session, ctx: TenantContext, today: date, months: int = 12
) -> list[tuple[str, Decimal]]:
    """Net worth (base currency) at each month end of the last `months` months."""
    points = []
    for on in month_ends(today, months):
        summary = balance_reads.balance_summary(session, ctx, on)
        points.append((on.strftime("%b %Y"), Decimal(summary.net_worth)))
    return points


def history_series(
    session: Session, ctx: TenantContext, account: Account, interval: Interval
) -> list[tuple[str, Decimal]]:
    """The account's balance (natural sign) at the end of each interval: the last 30
    days, 12 weeks or 12 months up to the tenant's today."""
    history = balance_reads.balance_history(
        session, ctx, account.id, start=None, end=None, interval=interval
    )
    label = "%b %Y" if interval == "month" else "%d %b"
    return [(point.date.strftime(label), Decimal(point.balance)) for point in history.points]
