"""Exchange-rate use cases: list, add, delete (audited).

A rate is "units of the tenant's base currency per unit of `currency`", in effect from
`effective_on` until the next rate of that currency (see `rates.RateBook`). One rate per
currency and day; the base currency itself never needs one.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.currency import is_currency
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.ledger.models import ExchangeRate
from fiscus.ledger.repository_rates import ExchangeRateRepository
from fiscus.ledger.schemas_balances import ExchangeRateCreate, ExchangeRateRead
from fiscus.tenancy import service as tenancy_service

# The column is NUMERIC(24, 12): at most 12 digits on either side of the point.
_RATE = re.compile(r"([0-9]{1,12})(?:\.([0-9]{1,12}))?")
SIGNIFICANT_DIGITS = 15


class ExchangeRateNotFound(NotFound):
    """The exchange rate does not exist."""

    code = "exchange_rate_not_found"


class ExchangeRateExists(Conflict):
    """A rate of this currency is already recorded for this day; delete it first."""

    code = "exchange_rate_exists"


def parse_rate(text: str, *, field: str = "rate") -> Decimal:
    """A positive decimal string with at most 12 digits before and after the point and
    15 significant digits (what every backend stores exactly)."""
    if _RATE.fullmatch(text) is None:
        raise InvalidInput(
            "must be a positive decimal such as '1.5234' (at most 12 digits before and "
            "12 after the point, no sign or exponent)",
            field=field,
        )
    rate = Decimal(text)
    if rate <= 0:
        raise InvalidInput("must be greater than zero", field=field)
    if len(rate.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
        # SQLite keeps NUMERIC as a double: beyond 15 digits it could not read it back.
        raise InvalidInput(
            f"must have at most {SIGNIFICANT_DIGITS} significant digits", field=field
        )
    return rate


def rate_read(rate: ExchangeRate) -> ExchangeRateRead:
    return ExchangeRateRead(
        id=rate.id,
        currency=rate.currency,
        effective_on=rate.effective_on,
        rate=format(Decimal(rate.rate).normalize(), "f"),
        created_at=rate.created_at,
    )


def _snapshot(rate: ExchangeRate) -> dict[str, Any]:
    return rate_read(rate).model_dump(mode="json", exclude={"created_at"})


def list_rates(
    session: Session, ctx: TenantContext, *, currency: str | None, page: int, limit: int
) -> tuple[list[ExchangeRate], int]:
    return ExchangeRateRepository(session, ctx.tenant_id).page(currency, page=page, limit=limit)


def create_rate(session: Session, ctx: TenantContext, data: ExchangeRateCreate) -> ExchangeRate:
    if not is_currency(data.currency):
        raise InvalidInput("is not a known ISO 4217 currency", field="currency")
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    if data.currency == base:
        raise InvalidInput(
            f"is the base currency ({base}), which always converts at 1", field="currency"
        )
    value = parse_rate(data.rate)
    repo = ExchangeRateRepository(session, ctx.tenant_id)
    if repo.on_day(data.currency, data.effective_on) is not None:
        raise ExchangeRateExists(field="effective_on")
    rate = repo.add(
        ExchangeRate(
            tenant_id=ctx.tenant_id,
            currency=data.currency,
            effective_on=data.effective_on,
            rate=value,
        )
    )
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="exchange_rate.create",
        resource_type="exchange_rate",
        resource_id=rate.id,
        after=_snapshot(rate),
    )
    return rate


def delete_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID) -> None:
    rate = ExchangeRateRepository(session, ctx.tenant_id).get(rate_id)
    if rate is None:
        raise ExchangeRateNotFound()
    before = _snapshot(rate)
    session.delete(rate)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="exchange_rate.delete",
        resource_type="exchange_rate",
        resource_id=rate_id,
        before=before,
    )
