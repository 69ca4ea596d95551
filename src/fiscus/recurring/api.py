"""JSON routes of /api/v1/recurring, and the forecast at /api/v1/balances/forecast.

The router has no prefix so the forecast can live beside the ledger's other balance
reads (/api/v1/balances/summary, /validate): fixed paths, no clash.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from fiscus.core.context import TenantContext
from fiscus.recurring import service
from fiscus.recurring.schemas import (
    DetectResult,
    Forecast,
    SeriesDetail,
    SeriesRead,
    SeriesStatus,
    SeriesUpdate,
)
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(tags=["recurring"])
PREFIX = "/api/v1/recurring"

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@router.get(PREFIX)
def list_series(
    ctx: Reader, session: DbSession, paging: Paging, status: SeriesStatus | None = None
) -> Page[SeriesRead]:
    rows, total = service.list_series(
        session, ctx, status=status, offset=(paging.page - 1) * paging.limit, limit=paging.limit
    )
    return Page.of(service.series_reads(session, ctx, rows), total, paging)


@router.post(f"{PREFIX}/detect")
def detect(ctx: Writer, session: DbSession) -> DetectResult:
    """Re-run detection over the books; dismissed series and the user's edits are kept."""
    return service.detect_recurring(session, ctx)


@router.get(f"{PREFIX}/{{series_id}}")
def get_series(series_id: uuid.UUID, ctx: Reader, session: DbSession) -> SeriesDetail:
    return service.series_detail(session, ctx, series_id)


@router.patch(f"{PREFIX}/{{series_id}}")
def update_series(
    series_id: uuid.UUID, body: SeriesUpdate, ctx: Writer, session: DbSession
) -> SeriesDetail:
    service.update_series(session, ctx, series_id, body)
    return service.series_detail(session, ctx, series_id)


@router.post(f"{PREFIX}/{{series_id}}/confirm")
def confirm_series(series_id: uuid.UUID, ctx: Writer, session: DbSession) -> SeriesDetail:
    service.confirm_series(session, ctx, series_id)
    return service.series_detail(session, ctx, series_id)


@router.post(f"{PREFIX}/{{series_id}}/dismiss")
def dismiss_series(series_id: uuid.UUID, ctx: Writer, session: DbSession) -> SeriesDetail:
    service.dismiss_series(session, ctx, series_id)
    return service.series_detail(session, ctx, series_id)


@router.get("/api/v1/balances/forecast")
def balance_forecast(
    ctx: Reader,
    session: DbSession,
    months: Annotated[int, Query(description="3, 6 or 12")] = 3,
) -> Forecast:
    """Projected daily balance of every asset and liability account and in total, from
    today's balance, confirmed recurring series, spending limits and scheduled items."""
    return service.forecast(session, ctx, months=months)
