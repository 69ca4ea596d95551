"""JSON-side routes of /api/v1/exports: files of the books (transactions as CSV/XLSX/OFX)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from fiscus.core.context import TenantContext
from fiscus.imports import export
from fiscus.ledger.export_rows import ExportQuery
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Sort = Literal["date", "-date", "amount", "-amount", "description", "payee"]
AmountText = Annotated[str | None, Query(max_length=32, description='decimal, e.g. "50.00"')]


@router.get("/transactions", response_class=Response)
def export_transactions(
    ctx: Reader,
    session: DbSession,
    format: Literal["csv", "xlsx", "ofx"] = "csv",
    account_id: Annotated[uuid.UUID | None, Query(description="required for ofx")] = None,
    category_id: Annotated[uuid.UUID | None, Query(description="incl. its children")] = None,
    type: Literal["income", "expense", "transfer", "journal"] | None = None,
    status: Literal["pending", "cleared", "reconciled"] | None = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    amount_min: AmountText = None,
    amount_max: AmountText = None,
    q: Annotated[str | None, Query(max_length=100, description="words, as in the list")] = None,
    search: Annotated[
        str | None, Query(max_length=500, description="the search syntax of /transactions/search")
    ] = None,
    deleted: bool = False,
    sort: Sort = "-date",
) -> StreamingResponse:
    """The transactions matching the filters of `GET /api/v1/transactions` as a file
    (one row per entry, one per posting for a split; see `imports/export.py`)."""
    query = ExportQuery(
        account_id=account_id,
        category_id=category_id,
        kind=type,
        status=status,
        tag=tag,
        date_from=date_from,
        date_to=date_to,
        amount_min=amount_min,
        amount_max=amount_max,
        text=q,
        search=search,
        deleted=deleted,
        sort=sort,
    )
    file = export.export_transactions(
        session,
        ctx,
        query=query,
        format=format,
        today=tenancy_service.today(session, ctx.tenant_id),
    )
    headers = {
        "Content-Disposition": f'attachment; filename="{file.filename}"',
        "Content-Length": str(file.size),
        "Cache-Control": "no-store",
    }
    return StreamingResponse(file.chunks(), media_type=file.media_type, headers=headers)
