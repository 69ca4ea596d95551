"""Queries of balance anchors and of what reconciliation reads and marks. Tenant-scoped;
never commits."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, func, select, update

from fiscus.core.clock import utcnow
from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Account, BalanceAnchor, Posting, Transaction

_CHUNK = 500  # ids per UPDATE (SQLite allows 999 parameters)


class AnchorRepository(TenantRepository):
    def get(self, account_id: uuid.UUID, anchor_id: uuid.UUID) -> BalanceAnchor | None:
        query = self._select(BalanceAnchor).where(
            BalanceAnchor.id == anchor_id, BalanceAnchor.account_id == account_id
        )
        return self.session.scalars(query).first()

    def on_day(self, account_id: uuid.UUID, on: date) -> BalanceAnchor | None:
        query = self._select(BalanceAnchor).where(
            BalanceAnchor.account_id == account_id, BalanceAnchor.anchored_on == on
        )
        return self.session.scalars(query).first()

    def of_account(self, account_id: uuid.UUID) -> list[BalanceAnchor]:
        query = self._select(BalanceAnchor).where(BalanceAnchor.account_id == account_id)
        return list(self.session.scalars(query.order_by(BalanceAnchor.anchored_on)))

    def all_with_accounts(self) -> list[tuple[BalanceAnchor, Account]]:
        query = (
            select(BalanceAnchor, Account)
            .join(Account, Account.id == BalanceAnchor.account_id)
            .where(BalanceAnchor.tenant_id == self.tenant_id, Account.tenant_id == self.tenant_id)
            .order_by(Account.name, Account.id, BalanceAnchor.anchored_on)
        )
        return [(anchor, account) for anchor, account in self.session.execute(query)]


class ReconcileRepository(TenantRepository):
    def pending_raw(self, account_id: uuid.UUID, on: date) -> int:
        """Debits minus credits of the account's postings in pending live entries up to `on`."""
        query = (
            select(func.coalesce(func.sum(Posting.amount), 0))
            .join(Transaction, Transaction.id == Posting.transaction_id)
            .where(
                Posting.tenant_id == self.tenant_id,
                Posting.account_id == account_id,
                Transaction.tenant_id == self.tenant_id,
                Transaction.status == "pending",
                Transaction.deleted_at.is_(None),
                Transaction.occurred_on <= on,
            )
        )
        return int(self.session.scalar(query) or 0)

    def cleared_ids(self, account_id: uuid.UUID, on: date) -> list[uuid.UUID]:
        """Live cleared entries dated on or before `on` with a posting on the account."""
        query = select(Transaction.id).where(
            Transaction.tenant_id == self.tenant_id,
            Transaction.status == "cleared",
            Transaction.deleted_at.is_(None),
            Transaction.occurred_on <= on,
            exists().where(
                Posting.tenant_id == self.tenant_id,
                Posting.transaction_id == Transaction.id,
                Posting.account_id == account_id,
            ),
        )
        return list(self.session.scalars(query.order_by(Transaction.occurred_on, Transaction.id)))

    def mark_reconciled(self, ids: list[uuid.UUID]) -> None:
        now = utcnow()
        for start in range(0, len(ids), _CHUNK):
            statement = (
                update(Transaction)
                .where(
                    Transaction.tenant_id == self.tenant_id,
                    Transaction.id.in_(ids[start : start + _CHUNK]),
                )
                .values(status="reconciled", updated_at=now)
                .execution_options(synchronize_session="fetch")
            )
            self.session.execute(statement)
