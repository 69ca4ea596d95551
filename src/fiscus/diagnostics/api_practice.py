"""JSON routes of the practice features — /api/v1/clients, /api/v1/activity,
/api/v1/dashboard/stats, /api/v1/settings — and the analysis of the books' own trial
balance, POST /api/v1/diagnostics/ledger.

`/api/v1/settings` holds the practice's diagnostics defaults: no other domain has a
route there (the tenant's own settings are PATCH /api/v1/tenants/{id})."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from fiscus.core.context import TenantContext
from fiscus.diagnostics import service_clients, service_history, service_ledger
from fiscus.diagnostics.schemas_practice import (
    ClearRequest,
    ClearResult,
    ClientCreate,
    ClientRead,
    ClientUpdate,
    DashboardStats,
    HistoryRead,
    PracticeSettingsRead,
    PracticeSettingsUpdate,
    TrendsRead,
)
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(tags=["diagnostics practice"])
CLIENTS = "/api/v1/clients"

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]
EARLIEST, LATEST = date(1900, 1, 2), date(2999, 12, 31)  # the reports' date range


class LedgerAnalysisRequest(BaseModel):
    """Optional JSON body: the same `materiality` and `overrides` as an upload's."""

    model_config = ConfigDict(extra="forbid")

    materiality: dict[str, Any] | None = None
    overrides: dict[str, Any] | None = None


@router.get(CLIENTS)
def list_clients(
    ctx: Reader,
    session: DbSession,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=200, description="name contains")] = None,
) -> Page[ClientRead]:
    items, total = service_clients.list_clients(
        session, ctx, search=q, offset=(paging.page - 1) * paging.limit, limit=paging.limit
    )
    return Page.of(items, total, paging)


@router.post(CLIENTS, status_code=status.HTTP_201_CREATED)
def create_client(body: ClientCreate, ctx: Writer, session: DbSession) -> ClientRead:
    return service_clients.create_client(session, ctx, body)


@router.get(f"{CLIENTS}/{{client_id}}")
def get_client(client_id: uuid.UUID, ctx: Reader, session: DbSession) -> ClientRead:
    return service_clients.get_client(session, ctx, client_id)


@router.patch(f"{CLIENTS}/{{client_id}}")
def update_client(
    client_id: uuid.UUID, body: ClientUpdate, ctx: Writer, session: DbSession
) -> ClientRead:
    return service_clients.update_client(session, ctx, client_id, body)


@router.delete(f"{CLIENTS}/{{client_id}}", status_code=status.HTTP_204_NO_CONTENT)
def delete_client(client_id: uuid.UUID, ctx: Writer, session: DbSession) -> Response:
    """The client and its history."""
    service_clients.delete_client(session, ctx, client_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(f"{CLIENTS}/{{client_id}}/trends")
def client_trends(
    client_id: uuid.UUID,
    ctx: Reader,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200, description="latest analyses")] = 24,
) -> TrendsRead:
    """Category totals, ratios and risk of the client's latest analyses, oldest first."""
    return service_history.client_trends(session, ctx, client_id, limit=limit)


@router.get("/api/v1/activity/history")
def list_history(
    ctx: Reader, session: DbSession, paging: Paging, client_id: uuid.UUID | None = None
) -> Page[HistoryRead]:
    """Analyses, newest first: aggregate figures only, never an account."""
    items, total = service_history.list_history(
        session,
        ctx,
        client_id=client_id,
        offset=(paging.page - 1) * paging.limit,
        limit=paging.limit,
    )
    return Page.of(items, total, paging)


@router.post("/api/v1/activity/clear")
def clear_history(ctx: Writer, session: DbSession, body: ClearRequest | None = None) -> ClearResult:
    """Delete the history (of one client with `client_id`); audited."""
    client_id = body.client_id if body is not None else None
    return service_history.clear_history(session, ctx, client_id=client_id)


@router.get("/api/v1/dashboard/stats")
def dashboard_stats(ctx: Reader, session: DbSession) -> DashboardStats:
    return service_history.dashboard_stats(session, ctx)


@router.get("/api/v1/settings")
def get_settings(ctx: Reader, session: DbSession) -> PracticeSettingsRead:
    return service_clients.practice_settings(session, ctx)


@router.put("/api/v1/settings")
def put_settings(
    body: PracticeSettingsUpdate, ctx: Writer, session: DbSession
) -> PracticeSettingsRead:
    return service_clients.replace_practice_settings(session, ctx, body)


@router.post("/api/v1/diagnostics/ledger")
async def analyse_ledger(
    ctx: Reader,
    session: DbSession,
    as_of: Annotated[date | None, Query(ge=EARLIEST, le=LATEST, description="YYYY-MM-DD")] = None,
    body: LedgerAnalysisRequest | None = None,
) -> Response:
    """The diagnostics of the books' own trial balance at `as_of` (default today)."""
    request = body or LedgerAnalysisRequest()
    answer = await run_in_threadpool(
        service_ledger.analyse_ledger,
        session,
        ctx,
        as_of=as_of,
        materiality=request.materiality,
        overrides=request.overrides,
    )
    return Response(content=answer, media_type="application/json")
