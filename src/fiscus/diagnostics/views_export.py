"""The export buttons' route: the page posts the analysis JSON it holds (with the
engagement headings typed beside the buttons) and gets the file back to save.

The JSON API's export routes take a bearer token, which a page's script does not have
(the session lives in HttpOnly cookies); this route is the page's door onto the same
`exports.export`, with the page's session and CSRF header. Nothing is stored: the file
is regenerated from the posted analysis on every click. Errors answer as problem JSON
(the script shows `detail` beside the buttons), never as an HTML page."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from fiscus.diagnostics import exports
from fiscus.tenancy.permissions import Permission
from fiscus.web import render
from fiscus.web.deps import ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False)

MAX_BODY_BYTES = 64 * 1024 * 1024  # as the API's export routes
ExportKind = Literal["pdf", "excel", "leadsheets", "csv"]


def _problem(request: Request, status: int, code: str, detail: str, **extra: Any) -> Response:
    body = {"status": status, "code": code, "detail": detail, **extra}
    response = JSONResponse(body, status_code=status, media_type="application/problem+json")
    return render.finish(request, response)


async def _body(request: Request) -> bytes | None:
    """The body, or None when it is over the cap (refused before it is held whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > MAX_BODY_BYTES:
            return None
    return bytes(chunks)


def _detail(errors: list[dict[str, Any]]) -> str:
    fields = [".".join(str(p) for p in e.get("loc") or ()) or "body" for e in errors]
    shown = ", ".join(dict.fromkeys(fields[:5]))
    more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
    return f"The analysis cannot be exported: {shown}{more} invalid. Analyse the file again."


@router.post("/diagnostics/export/{kind}")
async def export(request: Request, ctx: PageUser, kind: ExportKind) -> Response:
    ensure(ctx, Permission.DATA_READ)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return _problem(request, 415, "unsupported_media_type", "Post the analysis as JSON.")
    raw = await _body(request)
    if raw is None:
        detail = f"The analysis exceeds {MAX_BODY_BYTES // 1_048_576} MB, the most an export reads."
        return _problem(request, 413, "export_too_large", detail, allowed=MAX_BODY_BYTES)
    try:
        exported = await run_in_threadpool(exports.export, kind, raw)
    except exports.InvalidExport as exc:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors
        ]
        return _problem(request, 422, "validation_error", _detail(exc.errors), errors=errors)
    response = Response(
        exported.body,
        media_type=exported.media_type,
        headers={"Content-Disposition": exported.disposition},
    )
    return render.finish(request, response)
