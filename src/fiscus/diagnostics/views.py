"""HTML pages of trial-balance diagnostics: upload, sheet picker, mapping dialog, result.

Zero storage holds for the pages too. The file lives in the browser: its file input
(filled by the drop zone or the picker) is posted again, with the page's other fields,
every time the analysis re-runs (a classification override, another materiality,
other sheets). The server reads the body into memory with the API's own reader
(`read_upload`, never `UploadFile`/`Form`, which spool to disk) and keeps nothing but the
analysis's audit metadata.

That is also why a multipart request here must carry the CSRF token in the
`X-CSRF-Token` header (HTMX and the page's script send it): `csrf.protect` would
otherwise parse the form to find the field, and Starlette's form parser spools a file
part larger than 1 MB to a temporary file. One without the header is refused before the
body is read. The practice pages (`views_practice`) are mounted on this router.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.diagnostics import (
    service,
    service_clients,
    service_flux,
    views_export,
    views_flux,
    views_form,
    views_journal,
    views_ledger,
    views_model,
    views_practice,
)
from fiscus.diagnostics.flux.upload import read_files
from fiscus.diagnostics.ingest.errors import MappingRequired
from fiscus.diagnostics.ingest.limits import Limits
from fiscus.diagnostics.ingest.upload import Upload, read_upload
from fiscus.tenancy.permissions import Permission
from fiscus.web import csrf, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.errors import STATUS
from fiscus.web.page_auth import PageUser


async def header_token_only(request: Request) -> None:
    """Refuse a multipart request without the CSRF header before anything reads its body
    (a plain url-encoded form, e.g. the new-client form, carries its token as a field)."""
    multipart = request.headers.get("content-type", "").lower().startswith("multipart/")
    if request.method not in csrf.SAFE_METHODS and multipart and csrf.HEADER not in request.headers:
        raise csrf.CsrfRejected(
            "This page sends the trial balance itself, so that it is never stored: "
            "turn on JavaScript and reload the page."
        )


router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(header_token_only), Depends(csrf.protect)],
)
router.include_router(views_practice.router)
router.include_router(views_export.router)
router.include_router(views_journal.router)

ACCEPT = ".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.ods"


def _limits(request: Request) -> Limits:
    limits = getattr(request.app.state, "diagnostics_limits", None)
    return limits if isinstance(limits, Limits) else Limits()


async def _read(request: Request) -> Upload:
    return await read_upload(
        request.stream(),
        request.headers.get("content-type"),
        _limits(request),
        content_length=request.headers.get("content-length"),
    )


def _page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    block: str | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    full: dict[str, Any] = {
        "accept": ACCEPT,
        "inspected": None,
        "sheet_error": None,
        "outcome": None,
        **context,
    }
    if block is not None and render.wants_fragment(request):
        return render.render(request, "diagnostics.html", full, status_code=status, block=block)
    clients, _ = service_clients.list_clients(session, ctx, search=None, offset=0, limit=1000)
    full.update(
        shell=shell.load(session, ctx), active="diagnostics", section="analyse", clients=clients
    )
    full.setdefault("client_id", "")
    return render.render(request, "diagnostics.html", full, status_code=status)


async def _respond(
    request: Request, session: Session, ctx: TenantContext, **kwargs: Any
) -> Response:
    """Render in the thread pool: a full page loads the shell from the database, and a
    large result takes a while to render."""
    return await run_in_threadpool(lambda: _page(request, session, ctx, **kwargs))


def _preview(upload: Upload, sheet: str | None, limits: Limits) -> list[list[str]]:
    """The first rows of the sheet the mapping is for (the upload is still in this
    request's memory)."""
    return views_model.preview_of(service.inspect_upload(upload, limits=limits), sheet)


def _error(exc: DomainError) -> dict[str, Any]:
    return {"kind": "error", "status": STATUS[exc.kind], "code": exc.code, "detail": exc.detail}


@router.get("/diagnostics")
def diagnostics_page(
    request: Request, session: DbSession, ctx: PageUser, client_id: str = ""
) -> Response:
    """The upload page; `client_id` preselects a client (the client page links here)."""
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx, client_id=client_id)


@router.post("/diagnostics/inspect")
async def inspect(request: Request, session: DbSession, ctx: PageUser) -> Response:
    """The sheet picker: the workbook's sheets with their sizes and header rows."""
    ensure(ctx, Permission.DATA_READ)
    try:
        upload = await _read(request)
        inspected = await run_in_threadpool(service.inspect_upload, upload, limits=_limits(request))
    except DomainError as exc:
        outcome = _error(exc)
        return await _respond(
            request, session, ctx, block="sheets", status=outcome["status"], sheet_error=outcome
        )
    inspected["file_name"] = upload.file_name or "the file"
    return await _respond(request, session, ctx, block="sheets", inspected=inspected)


@router.post("/diagnostics/analyse")
async def analyse(request: Request, session: DbSession, ctx: PageUser) -> Response:
    """The result (risk dashboard, findings, classification, ratios, materiality); the
    mapping dialog when the columns cannot be identified; or the refusal, in the page."""
    ensure(ctx, Permission.DATA_READ)
    choices = views_form.PageChoices()
    try:
        upload = await _read(request)
        service_upload, choices = views_form.service_upload(upload)
        body = await run_in_threadpool(
            service.analyse_upload, session, ctx, upload=service_upload, limits=_limits(request)
        )
    except MappingRequired as exc:
        preview = await run_in_threadpool(_preview, upload, exc.sheet, _limits(request))
        dialog = views_model.mapping_dialog(exc.detail, exc.sheet, exc.candidates, choices, preview)
        outcome = {
            "kind": "mapping",
            "status": 422,
            "dialog": dialog,
            "client_id": choices.client_id,
        }
        return await _respond(request, session, ctx, block="result", status=422, outcome=outcome)
    except DomainError as exc:
        outcome = _error(exc)
        return await _respond(
            request, session, ctx, block="result", status=outcome["status"], outcome=outcome
        )
    analysis = json.loads(body)
    outcome = {
        "kind": "result",
        "status": 200,
        "view": views_model.result(analysis, choices, upload.file_name or "the file"),
    }
    return await _respond(request, session, ctx, block="result", outcome=outcome)


def _flux_page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    fragment: bool = False,
    status: int = 200,
    outcome: dict[str, Any] | None = None,
) -> Response:
    context: dict[str, Any] = {"accept": ACCEPT, "outcome": outcome}
    if fragment and render.wants_fragment(request):
        return render.render(
            request, "diagnostics_flux.html", context, status_code=status, block="result"
        )
    context.update(shell=shell.load(session, ctx), active="diagnostics", section="flux")
    return render.render(request, "diagnostics_flux.html", context, status_code=status)


@router.get("/diagnostics/flux")
def flux_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _flux_page(request, session, ctx)


@router.post("/diagnostics/flux")
async def flux(request: Request, session: DbSession, ctx: PageUser) -> Response:
    """The flux result, the mapping dialog (for the file whose columns are unclear; the
    mapping applies to both), or the refusal, in the page."""
    ensure(ctx, Permission.DATA_READ)
    limits = _limits(request)
    choices = views_form.PageChoices()
    try:
        upload = await read_files(
            request.stream(),
            request.headers.get("content-type"),
            limits,
            content_length=request.headers.get("content-length"),
        )
        flux_upload, choices, typed = views_flux.service_upload(upload)
        body = await run_in_threadpool(
            service_flux.analyse_flux_upload, session, ctx, upload=flux_upload, limits=limits
        )
    except service_flux.FileMappingRequired as exc:
        single = views_flux.one_file(upload, exc.file)
        preview = await run_in_threadpool(_preview, single, exc.sheet, limits)
        dialog = views_model.mapping_dialog(exc.detail, exc.sheet, exc.candidates, choices, preview)
        outcome = {"kind": "mapping", "status": 422, "dialog": dialog, "client_id": ""}
        return await run_in_threadpool(
            lambda: _flux_page(request, session, ctx, fragment=True, status=422, outcome=outcome)
        )
    except DomainError as exc:
        error = _error(exc)
        return await run_in_threadpool(
            lambda: _flux_page(
                request, session, ctx, fragment=True, status=error["status"], outcome=error
            )
        )
    view = views_flux.result(json.loads(body), typed, choices)
    outcome = {"kind": "flux", "status": 200, "view": view}
    return await run_in_threadpool(
        lambda: _flux_page(request, session, ctx, fragment=True, outcome=outcome)
    )


@router.post("/diagnostics/ledger")
async def analyse_ledger(request: Request, session: DbSession, ctx: PageUser) -> Response:
    """The books' own trial balance at `ledger.as_of`, shown as an upload's result; its
    re-runs post here (a url-encoded form: there is no file)."""
    ensure(ctx, Permission.DATA_READ)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    outcome = await run_in_threadpool(views_ledger.analyse, session, ctx, form)
    return await _respond(
        request, session, ctx, block="result", status=outcome["status"], outcome=outcome
    )
