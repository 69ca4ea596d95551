"""JSON routes of /api/v1/audit: the log, exports, verification and verification jobs."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from fiscus.audit import service
from fiscus.audit.schemas import AuditEventRead, AuditFilters, VerifyReport
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.spreadsheet import safe_cell
from fiscus.jobs import service as jobs_service
from fiscus.jobs.schemas import JobRead
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

AuditReader = Annotated[TenantContext, Depends(require(Permission.AUDIT_READ))]
Filters = Annotated[AuditFilters, Query()]
EXPORT_COLUMNS = list(AuditEventRead.model_fields)


def _criteria(filters: AuditFilters) -> dict[str, Any]:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("date_from must not be after date_to", field="date_from")
    start = datetime.combine(filters.date_from, time(), UTC) if filters.date_from else None
    end = (
        datetime.combine(filters.date_to, time(), UTC) + timedelta(days=1)
        if filters.date_to
        else None
    )
    return {
        "user_id": filters.user_id,
        "action": filters.action,
        "resource_type": filters.resource_type,
        "resource_id": filters.resource_id,
        "date_from": start,
        "date_to": end,
    }


@router.get("/logs")
def list_logs(
    ctx: AuditReader, session: DbSession, paging: Paging, filters: Filters
) -> Page[AuditEventRead]:
    rows, total = service.list_events(
        session, ctx, page=paging.page, limit=paging.limit, **_criteria(filters)
    )
    items = [AuditEventRead.model_validate(r, from_attributes=True) for r in rows]
    return Page[AuditEventRead].of(items, total, paging)


@router.get("/export", response_class=Response)
def export_logs(
    ctx: AuditReader,
    session: DbSession,
    filters: Filters,
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
) -> Response:
    rows = service.export_events(session, ctx, **_criteria(filters))
    events = [
        AuditEventRead.model_validate(r, from_attributes=True).model_dump(mode="json") for r in rows
    ]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if format == "json":
        body, media = json.dumps(events, indent=2), "application/json"
    else:
        body, media = _csv(events), "text/csv; charset=utf-8"
    disposition = f'attachment; filename="audit-{stamp}.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


def _csv(events: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for event in events:
        writer.writerow(
            safe_cell(json.dumps(event[c]) if isinstance(event[c], dict) else event[c])
            for c in EXPORT_COLUMNS
        )
    return buffer.getvalue()


@router.get("/verify")
def verify(ctx: AuditReader, session: DbSession) -> VerifyReport:
    report = service.verify_chain(session, ctx.tenant_id)
    return VerifyReport(
        valid=report.valid,
        events_checked=report.events_checked,
        first_broken_seq=report.first_broken_seq,
        reason=report.reason,
    )


@router.post("/verify-jobs", status_code=status.HTTP_202_ACCEPTED)
def start_verify_job(ctx: AuditReader, session: DbSession) -> JobRead:
    """Verify the chain in the background; poll GET /api/v1/jobs/{id} for the report."""
    job = jobs_service.enqueue(session, ctx, kind=service.VERIFY_CHAIN_JOB)
    return jobs_service.job_read(job)
