"""JSON routes of /api/v1/diagnostics.

The upload routes read the request body themselves (`read_upload`), never through
`UploadFile`/`Form`, which spool large parts to a temporary file: the trial balance
stays in memory (zero storage, see docs.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from fiscus.core.context import TenantContext
from fiscus.diagnostics import service
from fiscus.diagnostics.accounts_page import parse_page
from fiscus.diagnostics.ingest.errors import LimitExceeded, MappingRequired
from fiscus.diagnostics.ingest.limits import Limits, app_limits
from fiscus.diagnostics.ingest.upload import Upload, read_upload
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.errors import STATUS, problem

router = APIRouter(prefix="/api/v1/diagnostics", tags=["diagnostics"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]

_UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "materiality": {"type": "string", "description": "JSON"},
                        "mapping": {"type": "string", "description": "JSON role: column"},
                        "sheets": {"type": "string", "description": "JSON list of names"},
                        "client_id": {"type": "string", "format": "uuid"},
                        "overrides": {"type": "string", "description": "JSON"},
                    },
                }
            }
        },
        "required": True,
    }
}


async def _read(request: Request, limits: Limits) -> Upload:
    return await read_upload(
        request.stream(),
        request.headers.get("content-type"),
        limits,
        content_length=request.headers.get("content-length"),
    )


def _translate(request: Request, exc: Exception) -> Response:
    """Problem answers that carry what the client needs to act: the limit crossed, or
    the detected column candidates to build a mapping from."""
    extra: dict[str, Any] = {}
    if isinstance(exc, MappingRequired):
        extra = {"sheet": exc.sheet, "candidates": exc.candidates}
    elif isinstance(exc, LimitExceeded):
        extra = {"limit": exc.limit, "allowed": exc.allowed}
    assert isinstance(exc, (MappingRequired, LimitExceeded))
    return problem(request, STATUS[exc.kind], exc.code, exc.detail, **extra)


@router.post("/trial-balance", openapi_extra=_UPLOAD_DOC)
async def analyse_trial_balance(request: Request, ctx: Reader, session: DbSession) -> Response:
    limits = app_limits(request.app.state)
    page = parse_page(request.query_params)
    try:
        upload = await _read(request, limits)
        body = await run_in_threadpool(
            service.analyse_upload, session, ctx, upload=upload, limits=limits, page=page
        )
    except (MappingRequired, LimitExceeded) as exc:
        return _translate(request, exc)
    return Response(content=body, media_type="application/json")


@router.post("/inspect-workbook", openapi_extra=_UPLOAD_DOC)
async def inspect_workbook(request: Request, ctx: Reader) -> Response:
    limits = app_limits(request.app.state)
    try:
        upload = await _read(request, limits)
        body = await run_in_threadpool(service.inspect_upload, upload, limits=limits)
    except LimitExceeded as exc:
        return _translate(request, exc)
    return JSONResponse(body)
