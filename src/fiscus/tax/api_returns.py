"""JSON routes of /api/v1/tax/returns: one return per person per income year."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from fiscus.core.context import TenantContext
from fiscus.tax import prefill_service
from fiscus.tax import returns_service as service
from fiscus.tax.returns_pdf import render as render_pdf
from fiscus.tax.returns_schemas import (
    Assessment,
    Decide,
    Diff,
    Lodge,
    PrefillResult,
    ReturnCreate,
    ReturnRead,
    ReturnSummary,
    StatusChange,
)
from fiscus.tax.returns_sections import ReturnData
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import AppSettings, DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/tax/returns", tags=["tax returns"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@router.get("")
def list_returns(
    ctx: Reader,
    session: DbSession,
    paging: Paging,
    year: Annotated[str | None, Query(description='income year, e.g. "2024-25"')] = None,
    person: Annotated[str | None, Query(max_length=120, description="the person's name")] = None,
) -> Page[ReturnSummary]:
    items, total = service.list_returns(
        session,
        ctx,
        year=year,
        person=person,
        offset=(paging.page - 1) * paging.limit,
        limit=paging.limit,
    )
    return Page.of(items, total, paging)


@router.post("", status_code=201)
def create_return(
    body: ReturnCreate, ctx: Writer, session: DbSession, settings: AppSettings
) -> ReturnRead:
    row = service.create_return(session, ctx, body)
    return service.read_return(session, ctx, row.id, settings.tax_retention_years)


@router.get("/{return_id}")
def get_return(
    return_id: uuid.UUID, ctx: Reader, session: DbSession, settings: AppSettings
) -> ReturnRead:
    return service.read_return(session, ctx, return_id, settings.tax_retention_years)


@router.put("/{return_id}")
def replace_return(
    return_id: uuid.UUID, body: ReturnData, ctx: Writer, session: DbSession, settings: AppSettings
) -> ReturnRead:
    """Replace the whole document (`data`) of a draft or ready return (ready -> draft)."""
    service.replace_data(session, ctx, return_id, body)
    return service.read_return(session, ctx, return_id, settings.tax_retention_years)


@router.patch("/{return_id}")
def patch_return(
    return_id: uuid.UUID,
    body: Annotated[dict[str, Any], Body(description="a JSON merge patch (RFC 7396) of data")],
    ctx: Writer,
    session: DbSession,
    settings: AppSettings,
) -> ReturnRead:
    merged = service.merge_patch(service.stored_data(session, ctx, return_id), body)
    try:
        data = ReturnData.model_validate(merged)
    except ValidationError as exc:  # named by the path in the patch, as for a body
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from exc
    service.replace_data(session, ctx, return_id, data)
    return service.read_return(session, ctx, return_id, settings.tax_retention_years)


@router.delete("/{return_id}", status_code=204)
def delete_return(
    return_id: uuid.UUID, ctx: Writer, session: DbSession, settings: AppSettings
) -> Response:
    service.delete_return(session, ctx, return_id, settings.tax_retention_years)
    return Response(status_code=204)


@router.post("/{return_id}/calculate")
def calculate_return(return_id: uuid.UUID, ctx: Writer, session: DbSession) -> Assessment:
    """Calculate and store the assessment (a lodged return answers its stored one)."""
    return service.calculate_return(session, ctx, return_id)


@router.post("/{return_id}/status")
def change_status(
    return_id: uuid.UUID,
    body: StatusChange,
    ctx: Writer,
    session: DbSession,
    settings: AppSettings,
) -> ReturnRead:
    """draft -> ready (calculates and stores the assessment) or ready -> draft."""
    service.change_status(session, ctx, return_id, body.status)
    return service.read_return(session, ctx, return_id, settings.tax_retention_years)


@router.post("/{return_id}/lodge")
def lodge_return(
    return_id: uuid.UUID, body: Lodge, ctx: Writer, session: DbSession, settings: AppSettings
) -> ReturnRead:
    """Record the user's confirmation that this ready return was lodged with the ATO."""
    service.lodge_return(session, ctx, return_id, body)
    return service.read_return(session, ctx, return_id, settings.tax_retention_years)


@router.post("/{return_id}/amend", status_code=201)
def amend_return(
    return_id: uuid.UUID, ctx: Writer, session: DbSession, settings: AppSettings
) -> ReturnRead:
    """A new draft version of a lodged return, with a copy of its data."""
    row = service.amend_return(session, ctx, return_id)
    return service.read_return(session, ctx, row.id, settings.tax_retention_years)


@router.get("/{return_id}/diff")
def diff_return(
    return_id: uuid.UUID,
    ctx: Reader,
    session: DbSession,
    against: Annotated[uuid.UUID | None, Query(description="default: the previous version")] = None,
) -> Diff:
    return service.diff_return(session, ctx, return_id, against)


@router.get("/{return_id}/summary.pdf", response_class=Response)
def summary_pdf(
    return_id: uuid.UUID, ctx: Reader, session: DbSession, settings: AppSettings
) -> Response:
    read = service.read_return(session, ctx, return_id, settings.tax_retention_years)
    body = render_pdf(read, service.assessment_for_print(session, ctx, return_id))
    name = f"tax-return-{read.year}-v{read.version}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/{return_id}/prefill")
def prefill_return(return_id: uuid.UUID, ctx: Writer, session: DbSession) -> PrefillResult:
    """Propose figures from the books' labelled categories for the income year; nothing
    is written to the return until each proposal is accepted."""
    return prefill_service.prefill_return(session, ctx, return_id)


@router.post("/{return_id}/prefill/decisions")
def decide_prefill(
    return_id: uuid.UUID, body: Decide, ctx: Writer, session: DbSession, settings: AppSettings
) -> ReturnRead:
    """Accept (write as a prefilled figure) or reject each pending proposal by its key."""
    prefill_service.decide_prefill(session, ctx, return_id, body.decisions)
    return service.read_return(session, ctx, return_id, settings.tax_retention_years)
