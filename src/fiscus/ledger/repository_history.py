"""Snapshot reads for balance history and many balances at once. Tenant-scoped; never
commits. Reads only `balance_day` and `balance_month`, never the postings."""

from __future__ import annotations

import calendar
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, or_, select

from fiscus.ledger.models import BalanceDay, BalanceMonth
from fiscus.ledger.repository_balances import BalanceRepository

# Accounts, and (account, month) ranges, per statement (SQLite allows 999 parameters).
_CHUNK = 500
_RANGES = 150


class BalanceHistoryRepository(BalanceRepository):
    def day_deltas(self, account_id: uuid.UUID, start: date, end: date) -> list[tuple[date, int]]:
        """The account's non-zero day rows from `start` to `end`, both included."""
        query = (
            select(BalanceDay.day, BalanceDay.delta)
            .where(
                BalanceDay.tenant_id == self.tenant_id,
                BalanceDay.account_id == account_id,
                BalanceDay.day >= start,
                BalanceDay.day <= end,
                BalanceDay.delta != 0,
            )
            .order_by(BalanceDay.day)
        )
        return [(day, int(delta)) for day, delta in self.session.execute(query)]

    def month_deltas(
        self, account_id: uuid.UUID, first: date, last: date
    ) -> list[tuple[date, int]]:
        """The account's non-zero month rows whose first day is in `first`..`last`."""
        query = (
            select(BalanceMonth.month, BalanceMonth.delta)
            .where(
                BalanceMonth.tenant_id == self.tenant_id,
                BalanceMonth.account_id == account_id,
                BalanceMonth.month >= first,
                BalanceMonth.month <= last,
                BalanceMonth.delta != 0,
            )
            .order_by(BalanceMonth.month)
        )
        return [(month, int(delta)) for month, delta in self.session.execute(query)]

    def raw_balances_of(self, points: Sequence[tuple[uuid.UUID, date]]) -> list[int]:
        """Debits minus credits of each (account, date), in order.

        Two kinds of read, whatever the number of points: every month row of the accounts
        involved up to the last month (about twelve a year each), and the day rows of the
        months the points fall in. The sums are then prefix sums in Python.
        """
        if not points:
            return []
        accounts = sorted({account for account, _ in points})
        last = max(on for _, on in points).replace(day=1)
        months = self._months_of(accounts, last)
        days = self._days_of(sorted({(account, on.replace(day=1)) for account, on in points}))
        result: list[int] = []
        for account, on in points:
            first = on.replace(day=1)
            rows = months.get(account, [])
            before = sum(delta for month, delta in rows if month < first)
            within = sum(delta for day, delta in days.get((account, first), []) if day <= on)
            result.append(before + within)
        return result

    def _months_of(
        self, accounts: list[uuid.UUID], last: date
    ) -> dict[uuid.UUID, list[tuple[date, int]]]:
        rows: dict[uuid.UUID, list[tuple[date, int]]] = defaultdict(list)
        for start in range(0, len(accounts), _CHUNK):
            query = select(BalanceMonth.account_id, BalanceMonth.month, BalanceMonth.delta).where(
                BalanceMonth.tenant_id == self.tenant_id,
                BalanceMonth.account_id.in_(accounts[start : start + _CHUNK]),
                BalanceMonth.month <= last,
            )
            for account, month, delta in self.session.execute(query):
                rows[account].append((month, int(delta)))
        return rows

    def _days_of(
        self, months: list[tuple[uuid.UUID, date]]
    ) -> dict[tuple[uuid.UUID, date], list[tuple[date, int]]]:
        """Day rows of each (account, first day of a month), the whole month."""
        rows: dict[tuple[uuid.UUID, date], list[tuple[date, int]]] = defaultdict(list)
        for start in range(0, len(months), _RANGES):
            ranges = [
                and_(
                    BalanceDay.account_id == account,
                    BalanceDay.day >= first,
                    BalanceDay.day <= month_end(first),
                )
                for account, first in months[start : start + _RANGES]
            ]
            query = select(BalanceDay.account_id, BalanceDay.day, BalanceDay.delta).where(
                BalanceDay.tenant_id == self.tenant_id, or_(*ranges)
            )
            for account, day, delta in self.session.execute(query):
                rows[(account, day.replace(day=1))].append((day, int(delta)))
        return rows


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
