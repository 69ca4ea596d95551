"""The transactions page's download buttons: the table's current filter as a file.

The same query parameters as the page (`/transactions?...`: its search box is the
search syntax, the other fields the list's filters), answered by the same export as
`GET /api/v1/exports/transactions`, but signed in by the page's cookies. The page is
lenient with its parameters (an unreadable one is no filter), and so is this.
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from fiscus.imports import export
from fiscus.ledger.export_rows import ExportQuery
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission
from fiscus.web import render
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter()

FORMATS = ("csv", "xlsx", "ofx")
KINDS = ("income", "expense", "transfer", "journal")
STATUSES = ("pending", "cleared", "reconciled")
SORTS = ("date", "-date", "amount", "-amount", "description", "payee")


def page_query(params: dict[str, str]) -> ExportQuery:
    """The transactions page's filter parameters as an export query."""
    value = {key: params.get(key, "").strip()[:100] for key in params}
    return ExportQuery(
        account_id=parse_uuid(value.get("account_id", "")),
        category_id=parse_uuid(value.get("category_id", "")),
        kind=value.get("type") if value.get("type") in KINDS else None,
        status=value.get("status") if value.get("status") in STATUSES else None,
        tag=value.get("tag") or None,
        date_from=_date(value.get("date_from", "")),
        date_to=_date(value.get("date_to", "")),
        search=value.get("q") or None,
        deleted=value.get("deleted") == "1",
        sort=value.get("sort", "-date") if value.get("sort") in SORTS else "-date",
    )


def parse_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/exports/transactions")
def download_transactions(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    params = dict(request.query_params)
    format = params.get("format", "csv")
    file = export.export_transactions(
        session,
        ctx,
        query=page_query(params),
        format=format if format in FORMATS else "csv",
        today=tenancy_service.today(session, ctx.tenant_id),
    )
    headers = {
        "Content-Disposition": f'attachment; filename="{file.filename}"',
        "Content-Length": str(file.size),
    }
    response = StreamingResponse(file.chunks(), media_type=file.media_type, headers=headers)
    return render.finish(request, response)
