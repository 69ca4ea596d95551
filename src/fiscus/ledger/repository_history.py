"""Snapshot reads for balance history and many balances at once. Tenant-scoped; never
commits. Reads only `balance_day` and `balance_month`, never the postings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all

from fiscus.ledger.models import BalanceDay, BalanceMonth
from fiscus.ledger.repository_balances import BalanceRepository

# Points per statement when many balances are read at once (SQLite allows 999 parameters).
_CHUNK = 100


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
        """Debits minus credits of each (account, date), in order: one statement per
        hundred points, each point two indexed sums over the snapshots."""
        result: list[int] = []
        for start in range(0, len(points), _CHUNK):
            chunk = points[start : start + _CHUNK]
            parts = [self._point(i, a, on) for i, (a, on) in enumerate(chunk)]
            query = parts[0] if len(parts) == 1 else union_all(*parts)
            totals: dict[int, Any] = {int(i): raw for i, raw in self.session.execute(query)}
            result.extend(int(totals[i] or 0) for i in range(len(chunk)))
        return result

    def _point(self, index: int, account_id: uuid.UUID, on: date) -> Select[tuple[int, Any]]:
        first = on.replace(day=1)
        months = select(func.coalesce(func.sum(BalanceMonth.delta), 0)).where(
            BalanceMonth.tenant_id == self.tenant_id,
            BalanceMonth.account_id == account_id,
            BalanceMonth.month < first,
        )
        days = select(func.coalesce(func.sum(BalanceDay.delta), 0)).where(
            BalanceDay.tenant_id == self.tenant_id,
            BalanceDay.account_id == account_id,
            BalanceDay.day >= first,
            BalanceDay.day <= on,
        )
        return select(
            literal(index).label("i"),
            (months.scalar_subquery() + days.scalar_subquery()).label("raw"),
        )
