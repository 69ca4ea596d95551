"""Queries of the balance snapshots. Tenant-scoped; never commits.

Writes are upserts that add a delta (`INSERT ... ON CONFLICT DO UPDATE SET delta =
delta + excluded.delta`), so concurrent postings to one account never lose an update.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Date, Select, Uuid, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Account, BalanceDay, BalanceMonth


def _account_balance_statement() -> Select[Any]:
    """One account's type, currency and sum of postings up to `on`, in one Core read.

    Built once at import (its cache key is memoised): the balance endpoint's hot path,
    without hydrating an `Account` or a second round trip for the snapshots.
    """
    accounts, months, days = Account.__table__.c, BalanceMonth.__table__.c, BalanceDay.__table__.c
    tenant: BindParameter[Any] = bindparam("tenant_id", type_=Uuid())
    account: BindParameter[Any] = bindparam("account_id", type_=Uuid())
    first: BindParameter[Any] = bindparam("first", type_=Date())
    month_sum = select(func.coalesce(func.sum(months.delta), 0)).where(
        months.tenant_id == tenant, months.account_id == account, months.month < first
    )
    day_sum = select(func.coalesce(func.sum(days.delta), 0)).where(
        days.tenant_id == tenant,
        days.account_id == account,
        days.day >= first,
        days.day <= bindparam("on", type_=Date()),
    )
    raw = month_sum.scalar_subquery() + day_sum.scalar_subquery()
    return select(accounts.type, accounts.currency, raw).where(
        accounts.tenant_id == tenant, accounts.id == account
    )


_ACCOUNT_BALANCE = _account_balance_statement()


class BalanceRepository(TenantRepository):
    def add_deltas(self, deltas: Iterable[tuple[uuid.UUID, date, int]]) -> None:
        days: dict[tuple[uuid.UUID, date], int] = {}
        months: dict[tuple[uuid.UUID, date], int] = {}
        for account_id, day, amount in deltas:
            days[(account_id, day)] = days.get((account_id, day), 0) + amount
            first = day.replace(day=1)
            months[(account_id, first)] = months.get((account_id, first), 0) + amount
        self._upsert(BalanceDay, "day", days)
        self._upsert(BalanceMonth, "month", months)

    def _upsert(self, model: Any, key: str, deltas: dict[tuple[uuid.UUID, date], int]) -> None:
        rows = [
            {"tenant_id": self.tenant_id, "account_id": a, key: d, "delta": v}
            for (a, d), v in sorted(deltas.items())
            if v
        ]
        if not rows:
            return
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(model).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "account_id", key],
            set_={"delta": model.delta + statement.excluded.delta},
        )
        self.session.execute(statement)

    def move_account(self, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
        """Add every snapshot of `source_id` to `target_id`, then drop the source's rows
        (its postings are moving to the target in the same transaction)."""
        days = self.session.execute(
            select(BalanceDay.day, BalanceDay.delta).where(
                BalanceDay.tenant_id == self.tenant_id, BalanceDay.account_id == source_id
            )
        ).all()
        self.add_deltas((target_id, row.day, int(row.delta)) for row in days)
        for model in (BalanceDay, BalanceMonth):
            self.session.execute(
                delete(model).where(
                    model.tenant_id == self.tenant_id, model.account_id == source_id
                )
            )

    def raw_balance(self, account_id: uuid.UUID, on: date) -> int:
        """Sum of postings up to and including `on`: whole months, then days of its month."""
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
        total = select(months.scalar_subquery() + days.scalar_subquery())
        return int(self.session.scalar(total) or 0)

    def account_raw_balance(self, account_id: uuid.UUID, on: date) -> tuple[str, str, int] | None:
        """(type, currency, sum of postings up to and including `on`) of one account of
        this tenant, or None if it has no such account."""
        params = {
            "tenant_id": self.tenant_id,
            "account_id": account_id,
            "first": on.replace(day=1),
            "on": on,
        }
        row = self.session.connection().execute(_ACCOUNT_BALANCE, params).first()
        return None if row is None else (str(row[0]), str(row[1]), int(row[2] or 0))

    def raw_balances(
        self, on: date, only: Collection[uuid.UUID] | None = None
    ) -> dict[uuid.UUID, int]:
        """Every account's sum of postings up to and including `on` (accounts with any),
        or only those of the accounts in `only`."""
        first = on.replace(day=1)
        months = select(
            BalanceMonth.account_id.label("account_id"), BalanceMonth.delta.label("delta")
        ).where(BalanceMonth.tenant_id == self.tenant_id, BalanceMonth.month < first)
        days = select(BalanceDay.account_id, BalanceDay.delta).where(
            BalanceDay.tenant_id == self.tenant_id,
            BalanceDay.day >= first,
            BalanceDay.day <= on,
        )
        if only is not None:
            months = months.where(BalanceMonth.account_id.in_(list(only)))
            days = days.where(BalanceDay.account_id.in_(list(only)))
        both = months.union_all(days).subquery()
        query = select(both.c.account_id, func.sum(both.c.delta)).group_by(both.c.account_id)
        return {account_id: int(total) for account_id, total in self.session.execute(query)}
