"""Export routes of /api/v1/diagnostics: the memo (PDF), the workpaper and the lead
schedules (XLSX) and the findings (CSV), each from the analysis JSON posted back.

The body is read here with a byte cap (an analysis of ~150,000 accounts fits) before
it is parsed, so an oversized one is a 413 before it is held whole; it is validated
with pydantic (`exports.request`) and a bad field is the same 422 `validation_error`
as any other body's. Permission: `DATA_READ`, as for the analysis itself."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError

from fiscus.core.context import TenantContext
from fiscus.diagnostics import exports
from fiscus.diagnostics.exports.request import ExportRequest
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import require
from fiscus.web.errors import problem

router = APIRouter(prefix="/api/v1/diagnostics/export", tags=["diagnostics"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
MAX_BODY_BYTES = 64 * 1024 * 1024


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The request model's JSON schema with its `$defs` inlined (OpenAPI has no place
    for a nested `$defs`; the models are not recursive)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)  # type: ignore[no-any-return]


def _doc(media_type: str, what: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(ExportRequest.model_json_schema())}},
        },
        "responses": {"200": {"description": what, "content": {media_type: {}}}},
    }


class _TooLarge(Exception):
    pass


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _TooLarge
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > MAX_BODY_BYTES:
            raise _TooLarge
    return bytes(chunks)


async def _export(request: Request, kind: exports.Kind) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        return problem(
            request, 415, "unsupported_media_type", "Post the analysis as application/json."
        )
    try:
        raw = await _body(request)
        exported = await run_in_threadpool(exports.export, kind, raw)
    except _TooLarge:
        detail = f"The analysis exceeds {MAX_BODY_BYTES // 1_048_576} MB, the most an export reads."
        return problem(request, 413, "export_too_large", detail, allowed=MAX_BODY_BYTES)
    except exports.InvalidExport as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors]
        ) from exc
    return Response(
        exported.body,
        media_type=exported.media_type,
        headers={"Content-Disposition": exported.disposition, "Cache-Control": "no-store"},
    )


@router.post("/pdf", openapi_extra=_doc("application/pdf", "The diagnostic memo."))
async def export_pdf(request: Request, ctx: Reader) -> Response:
    """The diagnostic memo: summary, risk, materiality, findings with procedures, ratios,
    sign-off block."""
    return await _export(request, "pdf")


@router.post("/excel", openapi_extra=_doc(exports.XLSX, "The diagnostic workpaper."))
async def export_excel(request: Request, ctx: Reader) -> Response:
    """The workpaper: Summary, Standardised TB, Findings, Ratios, Lead sheets."""
    return await _export(request, "excel")


@router.post("/leadsheets", openapi_extra=_doc(exports.XLSX, "The lead schedules."))
async def export_leadsheets(request: Request, ctx: Reader) -> Response:
    """Lead schedules A-O and Z with prior, current and change (give `prior`), and a
    roll-forward tab per high-risk balance-sheet account."""
    return await _export(request, "leadsheets")


@router.post("/csv", openapi_extra=_doc("text/csv", "The findings."))
async def export_csv(request: Request, ctx: Reader) -> Response:
    """The findings, one row each, most severe first."""
    return await _export(request, "csv")
