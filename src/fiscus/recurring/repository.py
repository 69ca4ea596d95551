"""Queries of the recurring domain. Tenant-scoped; never commits.

The ledger's live transactions are read here as `Movement`s (one per transaction, seen
from its balance-sheet account) with one Core query over postings, transactions and
accounts, like the reports domain reads them: no ORM hydration on this path.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.recurring.detection import Movement
from fiscus.recurring.models import RecurringOccurrence, RecurringSeries

BALANCE_SHEET = ("asset", "liability")


class SeriesRepository(TenantRepository):
    def get(self, series_id: uuid.UUID) -> RecurringSeries | None:
        query = self._select(RecurringSeries).where(RecurringSeries.id == series_id)
        return self.session.scalars(query).first()

    def listed(
        self, *, status: str | None, offset: int, limit: int
    ) -> tuple[list[RecurringSeries], int]:
        query = self._select(RecurringSeries)
        if status:
            query = query.where(RecurringSeries.status == status)
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(RecurringSeries.next_on, RecurringSeries.name, RecurringSeries.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total

    def every(self, status: str | None = None) -> list[RecurringSeries]:
        query = self._select(RecurringSeries)
        if status:
            query = query.where(RecurringSeries.status == status)
        return list(self.session.scalars(query.order_by(RecurringSeries.id)))

    def occurrences(self, series_id: uuid.UUID) -> list[RecurringOccurrence]:
        query = (
            self._select(RecurringOccurrence)
            .where(RecurringOccurrence.series_id == series_id)
            .order_by(RecurringOccurrence.occurred_on, RecurringOccurrence.transaction_id)
        )
        return list(self.session.scalars(query))

    def occurrence_map(self) -> dict[uuid.UUID, uuid.UUID]:
        """transaction id -> series id, for every occurrence of the tenant."""
        rows = self.session.execute(
            select(RecurringOccurrence.transaction_id, RecurringOccurrence.series_id).where(
                RecurringOccurrence.tenant_id == self.tenant_id
            )
        )
        return {row[0]: row[1] for row in rows}

    def replace_occurrences(self, series: RecurringSeries, movements: Iterable[Movement]) -> None:
        self.session.execute(
            delete(RecurringOccurrence).where(
                RecurringOccurrence.tenant_id == self.tenant_id,
                RecurringOccurrence.series_id == series.id,
            )
        )
        for movement in movements:
            self.add(
                RecurringOccurrence(
                    tenant_id=self.tenant_id,
                    series_id=series.id,
                    transaction_id=movement.id,
                    occurred_on=movement.on,
                    amount=movement.amount,
                )
            )

    def occurrences_between(
        self, series_ids: Iterable[uuid.UUID], first: date, last: date
    ) -> list[RecurringOccurrence]:
        ids = list(series_ids)
        if not ids:
            return []
        query = self._select(RecurringOccurrence).where(
            RecurringOccurrence.series_id.in_(ids),
            RecurringOccurrence.occurred_on >= first,
            RecurringOccurrence.occurred_on <= last,
        )
        return list(self.session.scalars(query))


class MovementRepository(TenantRepository):
    def movements(self, since: date) -> list[Movement]:
        """Every live transaction from `since` on (future-dated ones included) that moves
        money on exactly one balance-sheet account, or a transfer between two (seen from
        the paying side)."""
        rows = self.session.execute(
            select(
                Posting.transaction_id,
                Posting.account_id,
                Posting.amount,
                Posting.currency,
                Account.type,
                Transaction.occurred_on,
                Transaction.payee,
                Transaction.description,
            )
            .join(Transaction, Transaction.id == Posting.transaction_id)
            .join(Account, Account.id == Posting.account_id)
            .where(
                Posting.tenant_id == self.tenant_id,
                Transaction.tenant_id == self.tenant_id,
                Account.tenant_id == self.tenant_id,
                Transaction.deleted_at.is_(None),
                Transaction.occurred_on >= since,
            )
            .order_by(Posting.transaction_id, Posting.position)
        ).all()
        by_transaction: dict[uuid.UUID, list[tuple[object, ...]]] = {}
        for row in rows:
            by_transaction.setdefault(row[0], []).append(tuple(row))
        found = (_movement(tid, legs) for tid, legs in by_transaction.items())
        return [m for m in found if m is not None]


def _movement(transaction_id: uuid.UUID, legs: list[tuple[object, ...]]) -> Movement | None:
    sheet = [leg for leg in legs if leg[4] in BALANCE_SHEET]
    categories = [leg for leg in legs if leg[4] in ("income", "expense")]
    if len(sheet) == 2 and not categories:
        sheet = [leg for leg in sheet if int(str(leg[2])) < 0]
    if len(sheet) != 1:
        return None
    _, account_id, amount, currency, _, on, payee, description = sheet[0]
    category = categories[0][1] if len(categories) == 1 else None
    assert isinstance(account_id, uuid.UUID)
    assert isinstance(on, date)
    return Movement(
        id=transaction_id,
        on=on,
        payee=str(payee or description or ""),
        amount=int(str(amount)),
        account_id=account_id,
        currency=str(currency),
        category_id=category if isinstance(category, uuid.UUID) else None,
    )
