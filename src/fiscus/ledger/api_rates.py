"""JSON routes of /api/v1/exchange-rates."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fiscus.core.context import TenantContext
from fiscus.ledger import exchange_rates as service
from fiscus.ledger.schemas_balances import ExchangeRateCreate, ExchangeRateRead
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/exchange-rates", tags=["exchange rates"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@router.get("")
def list_rates(
    ctx: Reader,
    session: DbSession,
    paging: Paging,
    currency: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
) -> Page[ExchangeRateRead]:
    """Rates by currency, newest first within each."""
    rows, total = service.list_rates(
        session, ctx, currency=currency, page=paging.page, limit=paging.limit
    )
    return Page[ExchangeRateRead].of([service.rate_read(r) for r in rows], total, paging)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_rate(body: ExchangeRateCreate, ctx: Writer, session: DbSession) -> ExchangeRateRead:
    return service.rate_read(service.create_rate(session, ctx, body))


@router.delete("/{rate_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rate(rate_id: uuid.UUID, ctx: Writer, session: DbSession) -> None:
    service.delete_rate(session, ctx, rate_id)
