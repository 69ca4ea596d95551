"""Queries of the exchange-rate table. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import ExchangeRate


class ExchangeRateRepository(TenantRepository):
    def rate_on(self, currency: str, on: date) -> Decimal | None:
        """The rate in effect on `on`: the latest one effective on or before that day."""
        query = (
            select(ExchangeRate.rate)
            .where(
                ExchangeRate.tenant_id == self.tenant_id,
                ExchangeRate.currency == currency,
                ExchangeRate.effective_on <= on,
            )
            .order_by(ExchangeRate.effective_on.desc())
            .limit(1)
        )
        return self.session.scalars(query).first()

    def get(self, rate_id: uuid.UUID) -> ExchangeRate | None:
        query = self._select(ExchangeRate).where(ExchangeRate.id == rate_id)
        return self.session.scalars(query).first()

    def on_day(self, currency: str, on: date) -> ExchangeRate | None:
        query = self._select(ExchangeRate).where(
            ExchangeRate.currency == currency, ExchangeRate.effective_on == on
        )
        return self.session.scalars(query).first()

    def page(
        self, currency: str | None, *, page: int, limit: int
    ) -> tuple[list[ExchangeRate], int]:
        query = self._select(ExchangeRate)
        if currency:
            query = query.where(ExchangeRate.currency == currency)
        total = self._count(query)
        order = (ExchangeRate.currency, ExchangeRate.effective_on.desc(), ExchangeRate.id)
        rows = self.session.scalars(query.order_by(*order).offset((page - 1) * limit).limit(limit))
        return list(rows), total
