"""Conversion to the tenant's base currency with the exchange-rate table.

A rate is "units of base currency per unit of the foreign currency" and stays in effect
from its `effective_on` day until the next rate of that currency. Amounts already in the
base currency convert at 1 without a lookup.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from fiscus.core.errors import Conflict
from fiscus.core.money import Money, convert
from fiscus.ledger.repository_rates import ExchangeRateRepository


class MissingRate(Conflict):
    """No exchange rate of a currency is in effect on the day a conversion needs."""

    code = "exchange_rate_missing"


class RateBook:
    """Rates of one tenant, looked up once per (currency, day) while a report is built."""

    def __init__(self, session: Session, tenant_id: uuid.UUID, base_currency: str) -> None:
        self._repo = ExchangeRateRepository(session, tenant_id)
        self.base_currency = base_currency
        self._cache: dict[tuple[str, date], Decimal | None] = {}

    def rate(self, currency: str, on: date) -> Decimal | None:
        if currency == self.base_currency:
            return Decimal(1)
        key = (currency, on)
        if key not in self._cache:
            self._cache[key] = self._repo.rate_on(currency, on)
        return self._cache[key]

    def to_base(self, money: Money, on: date) -> Money:
        """`money` in the base currency at the rate in effect on `on` (MissingRate if none)."""
        if money.currency == self.base_currency:
            return money
        rate = self.rate(money.currency, on)
        if rate is None:
            raise MissingRate(
                f"no {money.currency}→{self.base_currency} exchange rate on or before {on}"
            )
        return convert(money, rate, self.base_currency)
