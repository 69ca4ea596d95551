"""Queries of the tax returns. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.tax.models import TaxReturn


class ReturnRepository(TenantRepository):
    def get(self, return_id: uuid.UUID) -> TaxReturn | None:
        query = self._select(TaxReturn).where(TaxReturn.id == return_id)
        return self.session.scalars(query).first()

    def chain_exists(self, person_key: str, year: str) -> bool:
        query = self._select(TaxReturn).where(
            TaxReturn.person_key == person_key, TaxReturn.year == year
        )
        return self.session.scalars(query.limit(1)).first() is not None

    def next_of(self, return_id: uuid.UUID) -> TaxReturn | None:
        query = self._select(TaxReturn).where(TaxReturn.previous_id == return_id)
        return self.session.scalars(query.limit(1)).first()

    def next_ids(self, return_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """previous id -> id of the version made from it, for the given ids."""
        if not return_ids:
            return {}
        rows = self.session.execute(
            select(TaxReturn.previous_id, TaxReturn.id).where(
                TaxReturn.tenant_id == self.tenant_id, TaxReturn.previous_id.in_(return_ids)
            )
        )
        return {row[0]: row[1] for row in rows if row[0] is not None}

    def last_version(self, person_key: str, year: str) -> int:
        found = self.session.scalar(
            select(func.max(TaxReturn.version)).where(
                TaxReturn.tenant_id == self.tenant_id,
                TaxReturn.person_key == person_key,
                TaxReturn.year == year,
            )
        )
        return int(found or 0)

    def listed(
        self, *, year: str | None, person: str | None, offset: int, limit: int
    ) -> tuple[list[TaxReturn], int]:
        query = self._select(TaxReturn)
        if year:
            query = query.where(TaxReturn.year == year)
        if person:
            query = query.where(TaxReturn.person_key == person)
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(
                TaxReturn.year.desc(), TaxReturn.person_key, TaxReturn.version.desc(), TaxReturn.id
            )
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total

    def delete(self, row: TaxReturn) -> None:
        self.session.delete(row)


class LabelledPosting(NamedTuple):
    tax_label: str
    category: str
    account_type: str
    transaction_id: uuid.UUID
    payee: str | None
    amount: int  # minor units of `currency`, debit positive
    currency: str
    rate: Decimal | None  # base-currency units per unit of `currency`; None = 1


class LedgerLabelRepository(TenantRepository):
    """The books' postings on categories that carry a tax label (ledger models read
    with one Core query, as the reports and recurring domains read them)."""

    def labelled_postings(self, starts: date, ends: date) -> list[LabelledPosting]:
        rows = self.session.execute(
            select(
                Account.tax_label,
                Account.name,
                Account.type,
                Posting.transaction_id,
                Transaction.payee,
                Posting.amount,
                Posting.currency,
                Posting.rate,
            )
            .join(Transaction, Transaction.id == Posting.transaction_id)
            .join(Account, Account.id == Posting.account_id)
            .where(
                Posting.tenant_id == self.tenant_id,
                Transaction.tenant_id == self.tenant_id,
                Account.tenant_id == self.tenant_id,
                Account.tax_label.is_not(None),
                Account.type.in_(("income", "expense")),
                Transaction.deleted_at.is_(None),
                Posting.occurred_on >= starts,
                Posting.occurred_on <= ends,
            )
            .order_by(Account.tax_label, Posting.occurred_on, Posting.transaction_id)
        )
        return [LabelledPosting(str(row[0]), *row[1:]) for row in rows]

    def transactions(self, ids: list[uuid.UUID]) -> list[TransactionBrief]:
        """Date, description, payee and amount of live transactions, for provenance."""
        if not ids:
            return []
        rows = self.session.execute(
            select(
                Transaction.id,
                Transaction.occurred_on,
                Transaction.description,
                Transaction.payee,
                Transaction.amount,
                Transaction.currency,
            )
            .where(Transaction.tenant_id == self.tenant_id, Transaction.id.in_(ids))
            .order_by(Transaction.occurred_on, Transaction.id)
        )
        return [TransactionBrief(*row) for row in rows]


class TransactionBrief(NamedTuple):
    id: uuid.UUID
    occurred_on: date
    description: str
    payee: str | None
    amount: int  # minor units of `currency`
    currency: str
