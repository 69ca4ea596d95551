"""HTML pages of the imports domain: the import wizard, and the transactions downloads.

`/imports` uploads a file into an account and lists recent imports; `/imports/{id}` is
the wizard of one import: the mapping (every detected choice, its confidence, editable;
a change re-reads the preview through the same service call as
`PUT /api/v1/imports/{id}/mapping`), the preview, the duplicate review (import or skip
per line), then the commit job with a progress bar polled every 500 ms, the result
(counts, lines in error, statement-balance agreement) and undo. Routes call the imports
service; `views_model` turns what it returns into what the templates show.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.imports import service, views_export, views_model
from fiscus.imports.models import BankImport
from fiscus.imports.parsers import Mapping
from fiscus.imports.reading import MAX_BYTES
from fiscus.imports.schemas import CommitRequest
from fiscus.jobs import service as jobs_service
from fiscus.ledger import service as ledger_service
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import csrf, flash, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])
router.include_router(views_export.router)

FormText = Annotated[str, Form()]
RECENT = 20


def _bank_accounts(session: Session, ctx: TenantContext) -> list[Any]:
    return [
        a for a in ledger_service.list_accounts(session, ctx) if a.type in ("asset", "liability")
    ]


def _list_page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    rows, _ = service.list_imports(session, ctx, account_id=None, offset=0, limit=RECENT)
    names = {
        a.id: a.name for a in ledger_service.list_accounts(session, ctx, include_archived=True)
    }
    context = {
        "accounts": _bank_accounts(session, ctx),
        "imports": [
            views_model.list_item(service.import_summary(session, ctx, r), names) for r in rows
        ],
        "values": values or {},
        "errors": errors or {},
        "max_size": f"{MAX_BYTES // 1_048_576} MB",
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
        "shell": shell.load(session, ctx),
        "active": "imports",
    }
    return render.render(request, "imports.html", context, status_code=status)


@router.get("/imports")
def imports_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _list_page(request, session, ctx)


@router.post("/imports")
def upload(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    file: Annotated[UploadFile | None, File()] = None,
    account_id: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    values = {"account_id": account_id}
    errors: dict[str, str] = {}
    target = views_export.parse_uuid(account_id)
    if target is None:
        errors["account_id"] = "is required: choose the account the file belongs to"
    if file is None or not file.filename:
        errors["file"] = "is required: choose a bank file"
    if errors or file is None or target is None:
        return _list_page(request, session, ctx, values=values, errors=errors, status=422)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            bank_import = service.upload_import(
                session,
                ctx,
                account_id=target,
                filename=file.filename or "statement",
                content_type=file.content_type,
                data=file.file.read(MAX_BYTES + 1),
                mapping=None,
            )
    except forms.FormInvalid as exc:
        return _list_page(
            request, session, ctx, values=values, errors=exc.errors, status=exc.status
        )
    return render.redirect(request, f"/imports/{bank_import.id}")


def _wizard_page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    bank_import: BankImport,
    *,
    block: str | None = None,
    errors: dict[str, str] | None = None,
    mapping_errors: dict[str, str] | None = None,
    saved: str = "",
    status: int = 200,
) -> Response:
    read = service.import_read(session, ctx, bank_import)
    account = ledger_service.get_account(session, ctx, read.account_id)
    progress, failure = None, None
    if read.job_id is not None and read.status in ("committing", "failed"):
        job = jobs_service.get_job(session, ctx, read.job_id)
        progress = views_model.Progress(job.progress, job.total or 0)
        failure = job.error if read.status == "failed" else None
    wizard = views_model.wizard(read, account.name, progress, failure)
    keys = [key for key, _ in views_model.STEPS]
    context = {
        "wizard": wizard,
        "steps": views_model.STEPS,
        "step_index": keys.index(wizard.step),
        "errors": errors or {},
        "mapping_errors": mapping_errors or {},
        "saved": saved,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }
    if block is not None and render.wants_fragment(request):
        return render.render(
            request, "import_wizard.html", context, status_code=status, block=block
        )
    context.update(shell=shell.load(session, ctx), active="imports")
    return render.render(request, "import_wizard.html", context, status_code=status)


@router.get("/imports/{import_id}")
def wizard_page(
    request: Request, session: DbSession, ctx: PageUser, import_id: uuid.UUID
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _wizard_page(request, session, ctx, service.get_import(session, ctx, import_id))


@router.get("/imports/{import_id}/progress")
def progress_block(
    request: Request, session: DbSession, ctx: PageUser, import_id: uuid.UUID
) -> Response:
    """The progress bar while the commit job runs; the result once it has finished."""
    ensure(ctx, Permission.DATA_READ)
    bank_import = service.get_import(session, ctx, import_id)
    return _wizard_page(request, session, ctx, bank_import, block="wizard")


def _change(
    request: Request,
    session: Session,
    ctx: TenantContext,
    import_id: uuid.UUID,
    action: Callable[[], str],
    *,
    block: str,
    errors_key: str = "errors",
) -> Response:
    """One service call in a savepoint, then the wizard (or its block) as it is now; a
    refused call re-renders it with the message beside the field it names."""
    ensure(ctx, Permission.DATA_WRITE)
    bank_import = service.get_import(session, ctx, import_id)  # another tenant's id: 404
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            saved = action()
    except forms.FormInvalid as exc:
        session.refresh(bank_import)
        mapping = errors_key == "mapping_errors"
        return _wizard_page(
            request,
            session,
            ctx,
            bank_import,
            block=block,
            status=exc.status,
            errors=None if mapping else exc.errors,
            mapping_errors=exc.errors if mapping else None,
        )
    session.refresh(bank_import)
    if not render.is_htmx(request):
        flash.push(request, "success", saved)
        return render.redirect(request, f"/imports/{import_id}")
    return _wizard_page(request, session, ctx, bank_import, block=block, saved=saved)


@router.post("/imports/{import_id}/mapping")
async def update_mapping(
    request: Request, session: DbSession, ctx: PageUser, import_id: uuid.UUID
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await _run_sync(_update_mapping, request, session, ctx, import_id, form)


def _update_mapping(
    request: Request,
    session: Session,
    ctx: TenantContext,
    import_id: uuid.UUID,
    form: dict[str, str],
) -> Response:
    def action() -> str:
        read = service.import_read(session, ctx, service.get_import(session, ctx, import_id))
        mapping = Mapping.from_json(views_model.mapping_from_form(form, read))
        service.update_mapping(session, ctx, import_id, mapping)
        return "Read the file again with these settings."

    return _change(
        request, session, ctx, import_id, action, block="review", errors_key="mapping_errors"
    )


@router.post("/imports/{import_id}/commit")
async def commit(
    request: Request, session: DbSession, ctx: PageUser, import_id: uuid.UUID
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await _run_sync(_commit, request, session, ctx, import_id, form)


def _commit(
    request: Request,
    session: Session,
    ctx: TenantContext,
    import_id: uuid.UUID,
    form: dict[str, str],
) -> Response:
    decisions = {
        int(key[4:]): value
        for key, value in form.items()
        if key.startswith("dup-") and key[4:].isdigit() and value in ("import", "skip")
    }

    def action() -> str:
        body = CommitRequest(decisions=decisions, all_or_nothing=form.get("all_or_nothing") == "1")
        service.request_commit(session, ctx, import_id, body)
        return "Booking the import…"

    return _change(request, session, ctx, import_id, action, block="wizard")


@router.post("/imports/{import_id}/undo")
def undo(request: Request, session: DbSession, ctx: PageUser, import_id: uuid.UUID) -> Response:
    def action() -> str:
        service.undo_import(session, ctx, import_id)
        return "Undone: every transaction the import created has been removed."

    return _change(request, session, ctx, import_id, action, block="wizard")


async def _run_sync(fn: Callable[..., Response], *args: Any) -> Response:
    """The form is read asynchronously (any field names: one per duplicate); the work,
    which does database I/O, runs in the thread pool like a plain `def` route."""
    return await run_in_threadpool(fn, *args)
