"""JSON route of journal-entry testing, /api/v1/diagnostics/journal-entries.

Like the trial-balance routes, it reads the multipart body itself (`read_upload`),
never through `UploadFile`/`Form`, which spool large parts to a temporary file: the
ledger stays in memory (zero storage, see docs.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from fiscus.core.context import TenantContext
from fiscus.diagnostics import service_journal
from fiscus.diagnostics.ingest.errors import LimitExceeded, MappingRequired
from fiscus.diagnostics.ingest.limits import app_limits
from fiscus.diagnostics.ingest.upload import read_upload
from fiscus.diagnostics.journal import parse_page
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.errors import STATUS, problem

router = APIRouter(prefix="/api/v1/diagnostics", tags=["diagnostics"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]

_TEXT = {"type": "string"}
_UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "mapping": {**_TEXT, "description": "JSON role: column"},
                        "period_end": {"type": "string", "format": "date"},
                        "threshold": {**_TEXT, "description": "approval threshold amount"},
                        "materiality": {**_TEXT, "description": "amount"},
                        "holidays": {**_TEXT, "description": "JSON list of dates"},
                        "business_hours": {**_TEXT, "description": "HH:MM-HH:MM"},
                    },
                }
            }
        },
        "required": True,
    }
}


@router.post("/journal-entries", openapi_extra=_UPLOAD_DOC)
async def test_journal_entries(request: Request, ctx: Reader, session: DbSession) -> Response:
    limits = app_limits(request.app.state)
    try:
        page = parse_page(request.query_params)
        upload = await read_upload(
            request.stream(),
            request.headers.get("content-type"),
            limits,
            content_length=request.headers.get("content-length"),
        )
        body = await run_in_threadpool(
            service_journal.analyse_journal_entries,
            session,
            ctx,
            upload=upload,
            limits=limits,
            page=page,
        )
    except (MappingRequired, LimitExceeded) as exc:
        extra: dict[str, Any] = (
            {"sheet": exc.sheet, "candidates": exc.candidates}
            if isinstance(exc, MappingRequired)
            else {"limit": exc.limit, "allowed": exc.allowed}
        )
        return problem(request, STATUS[exc.kind], exc.code, exc.detail, **extra)
    return Response(content=body, media_type="application/json")
