"""Queries of transactions and postings. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, func, or_, select

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Posting, Transaction


@dataclass(frozen=True, slots=True)
class TransactionFilters:
    account_id: uuid.UUID | None = None
    kind: str | None = None
    status: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    deleted: bool = False  # True: only the deleted ones (the bin)


class TransactionRepository(TenantRepository):
    def get(self, transaction_id: uuid.UUID) -> Transaction | None:
        query = self._select(Transaction).where(Transaction.id == transaction_id)
        return self.session.scalars(query).first()

    def by_idempotency_key(self, key: str) -> Transaction | None:
        query = self._select(Transaction).where(Transaction.idempotency_key == key)
        return self.session.scalars(query).first()

    def postings_of(self, transaction_id: uuid.UUID) -> list[Posting]:
        return self.postings_of_many([transaction_id]).get(transaction_id, [])

    def postings_of_many(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Posting]]:
        if not ids:
            return {}
        query = (
            self._select(Posting)
            .where(Posting.transaction_id.in_(ids))
            .order_by(Posting.transaction_id, Posting.position)
        )
        grouped: dict[uuid.UUID, list[Posting]] = defaultdict(list)
        for posting in self.session.scalars(query):
            grouped[posting.transaction_id].append(posting)
        return grouped

    def delete_postings(self, postings: list[Posting]) -> None:
        for posting in postings:
            if posting.tenant_id != self.tenant_id:
                raise ValueError("posting does not belong to this repository's tenant")
            self.session.delete(posting)
        self.session.flush()

    def has_postings(self, account_id: uuid.UUID) -> bool:
        query = select(
            exists().where(Posting.tenant_id == self.tenant_id, Posting.account_id == account_id)
        )
        return bool(self.session.scalar(query))

    def page(
        self, filters: TransactionFilters, *, page: int, limit: int
    ) -> tuple[list[Transaction], int]:
        query = self._filtered(filters)
        total = self._count(query)
        order = (Transaction.occurred_on.desc(), Transaction.created_at.desc(), Transaction.id)
        rows = self.session.scalars(query.order_by(*order).offset((page - 1) * limit).limit(limit))
        return list(rows), total

    def _filtered(self, f: TransactionFilters) -> Select[Transaction]:
        conditions: list[Any] = [
            Transaction.deleted_at.is_not(None) if f.deleted else Transaction.deleted_at.is_(None)
        ]
        if f.account_id is not None:
            conditions.append(
                exists().where(
                    Posting.tenant_id == self.tenant_id,
                    Posting.transaction_id == Transaction.id,
                    Posting.account_id == f.account_id,
                )
            )
        if f.kind:
            conditions.append(Transaction.kind == f.kind)
        if f.status:
            conditions.append(Transaction.status == f.status)
        if f.tag:
            tag = f",{f.tag.strip().lower()},"
            conditions.append(Transaction.tags.contains(tag, autoescape=True))
        if f.date_from:
            conditions.append(Transaction.occurred_on >= f.date_from)
        if f.date_to:
            conditions.append(Transaction.occurred_on <= f.date_to)
        if f.text:
            needle = f.text.lower()
            conditions.append(
                or_(
                    *(
                        func.lower(func.coalesce(column, "")).contains(needle, autoescape=True)
                        for column in (
                            Transaction.description,
                            Transaction.payee,
                            Transaction.notes,
                        )
                    )
                )
            )
        return self._select(Transaction).where(*conditions)
