"""JSON routes of /api/v1/imports."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Form, UploadFile, status

from fiscus.core.context import TenantContext
from fiscus.imports import service
from fiscus.imports.parsers import Mapping
from fiscus.imports.reading import MAX_BYTES
from fiscus.imports.schemas import (
    CommitAccepted,
    CommitRequest,
    ImportRead,
    ImportSummary,
    PresetRead,
)
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


def _bytes(upload: UploadFile) -> bytes:
    """At most one byte over the limit is read, so an oversized upload is refused (413)
    without holding all of it."""
    return upload.file.read(MAX_BYTES + 1)


@router.post("", status_code=status.HTTP_201_CREATED)
def upload_import(
    ctx: Writer,
    session: DbSession,
    file: Annotated[UploadFile, File(description="the bank statement file")],
    account_id: Annotated[uuid.UUID, Form()],
    mapping: Annotated[str | None, Form(description="JSON object of overrides")] = None,
) -> ImportRead:
    """Upload a bank file: detected, parsed and previewed against the books; nothing is
    booked until the import is committed."""
    bank_import = service.upload_import(
        session,
        ctx,
        account_id=account_id,
        filename=file.filename or "statement",
        content_type=file.content_type,
        data=_bytes(file),
        mapping=service.parse_mapping(mapping),
    )
    return service.import_read(session, ctx, bank_import)


@router.get("")
def list_imports(
    ctx: Reader, session: DbSession, paging: Paging, account_id: uuid.UUID | None = None
) -> Page[ImportSummary]:
    rows, total = service.list_imports(
        session,
        ctx,
        account_id=account_id,
        offset=(paging.page - 1) * paging.limit,
        limit=paging.limit,
    )
    return Page.of([service.import_summary(session, ctx, r) for r in rows], total, paging)


@router.get("/presets")
def list_presets(
    ctx: Reader, session: DbSession, account_id: uuid.UUID | None = None
) -> list[PresetRead]:
    """Saved mappings: for an account (and the bank layouts whatever the account)."""
    return service.list_presets(session, ctx, account_id=account_id)


@router.get("/{import_id}")
def get_import(import_id: uuid.UUID, ctx: Reader, session: DbSession) -> ImportRead:
    return service.import_read(session, ctx, service.get_import(session, ctx, import_id))


@router.put("/{import_id}/mapping")
def update_mapping(
    import_id: uuid.UUID,
    ctx: Writer,
    session: DbSession,
    body: Annotated[dict[str, Any], Body(description="the mapping: overrides of detection")],
) -> ImportRead:
    """Read the file again with this mapping: a new preview."""
    bank_import = service.update_mapping(session, ctx, import_id, Mapping.from_json(body))
    return service.import_read(session, ctx, bank_import)


@router.post("/{import_id}/commit", status_code=status.HTTP_202_ACCEPTED)
def commit_import(
    import_id: uuid.UUID,
    ctx: Writer,
    session: DbSession,
    body: Annotated[CommitRequest | None, Body()] = None,
) -> CommitAccepted:
    """Book the import in the background; poll GET /api/v1/jobs/{job_id}."""
    return service.request_commit(session, ctx, import_id, body or CommitRequest())


@router.post("/{import_id}/undo")
def undo_import(import_id: uuid.UUID, ctx: Writer, session: DbSession) -> ImportRead:
    """Remove every entry the import created (balances restored) and its anchors."""
    bank_import = service.undo_import(session, ctx, import_id)
    return service.import_read(session, ctx, bank_import)
