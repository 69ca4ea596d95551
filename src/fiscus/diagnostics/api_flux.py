"""JSON route of the flux analysis: POST /api/v1/diagnostics/flux.

Like the trial-balance upload, the body is read by the route itself (`read_files`),
never through `UploadFile`/`Form`, which spool large parts to a temporary file: both
trial balances stay in memory (zero storage, see docs.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from fiscus.core.context import TenantContext
from fiscus.diagnostics import service_flux
from fiscus.diagnostics.accounts_page import parse_page
from fiscus.diagnostics.flux.upload import read_files
from fiscus.diagnostics.ingest.errors import LimitExceeded, MappingRequired
from fiscus.diagnostics.ingest.limits import app_limits
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.errors import STATUS, problem

router = APIRouter(prefix="/api/v1/diagnostics", tags=["diagnostics"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]

_TEXT = {"type": "string", "description": "JSON"}
_FLUX_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["current", "prior"],
                    "properties": {
                        "current": {"type": "string", "format": "binary"},
                        "prior": {"type": "string", "format": "binary"},
                        "materiality": _TEXT,
                        "thresholds": _TEXT,
                        "mapping": {"type": "string", "description": "JSON role: column"},
                        "overrides": _TEXT,
                        "current_sheets": {"type": "string", "description": "JSON list"},
                        "prior_sheets": {"type": "string", "description": "JSON list"},
                        "client_id": {"type": "string", "format": "uuid"},
                    },
                }
            }
        },
        "required": True,
    }
}


def _translate(request: Request, exc: MappingRequired | LimitExceeded) -> Response:
    """Problems that carry what the client needs to act: which file, the limit crossed,
    or the detected column candidates to build a mapping from."""
    extra: dict[str, Any] = {"errors": [{"field": exc.field, "message": exc.detail}]}
    if isinstance(exc, MappingRequired):
        extra.update(file=getattr(exc, "file", None), sheet=exc.sheet, candidates=exc.candidates)
    else:
        extra.update(limit=exc.limit, allowed=exc.allowed)
    return problem(request, STATUS[exc.kind], exc.code, exc.detail, **extra)


@router.post("/flux", openapi_extra=_FLUX_DOC)
async def flux_analysis(request: Request, ctx: Reader, session: DbSession) -> Response:
    limits = app_limits(request.app.state)
    page = parse_page(request.query_params)
    try:
        upload = await read_files(
            request.stream(),
            request.headers.get("content-type"),
            limits,
            content_length=request.headers.get("content-length"),
        )
        body = await run_in_threadpool(
            service_flux.analyse_flux_upload,
            session,
            ctx,
            upload=upload,
            limits=limits,
            page=page,
        )
    except (MappingRequired, LimitExceeded) as exc:
        return _translate(request, exc)
    return Response(content=body, media_type="application/json")
