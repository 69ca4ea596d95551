"""Queries of the exchange-rate table. Tenant-scoped; never commits."""

from __future__ import annotations

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
