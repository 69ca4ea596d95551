"""The return as a step-by-step form (income, deductions, offsets and other, review),
its running estimate, and the lifecycle buttons: ready, lodge, amend, diff, PDF.

Each step posts its inputs; they are written over the stored document and validated
with the API's own `ReturnData`, then saved through `returns_service.replace_data`, so
the rules are the API's. The estimate posts the same inputs without saving.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.tax import returns_service as service
from fiscus.tax.returns_pdf import render as render_pdf
from fiscus.tax.returns_schemas import Assessment, Lodge, ReturnRead
from fiscus.tax.returns_sections import ReturnData
from fiscus.tax.views_common import FormData, page
from fiscus.tax.views_forms import (
    FIELDS,
    LISTS,
    RESIDENCIES,
    STEPS,
    apply_step,
    field_errors,
    form_values,
    input_name,
    sources,
)
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission
from fiscus.web import flash, forms, render
from fiscus.web.deps import AppSettings, DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter()
_NEXT = dict(zip(STEPS, list(STEPS)[1:], strict=False))


def _step(name: str | None) -> str:
    return name if name in STEPS else "income"


def _estimate(read: ReturnRead) -> Assessment:
    """The stored assessment (always, once lodged), else the data calculated now."""
    if read.assessment is not None:
        return read.assessment
    return service.estimate_return(read.year, read.data)


def _show(
    request: Request,
    session: Session,
    ctx: TenantContext,
    read: ReturnRead,
    step: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    block: str | None = "return",
    lodge_values: dict[str, str] | None = None,
    action_errors: dict[str, str] | None = None,
) -> Response:
    doc = read.data.model_dump(mode="json")
    context = {
        "ret": read,
        "step": step,
        "steps": STEPS,
        "next_step": _NEXT.get(step),
        "fields": FIELDS.get(step, ()),
        "lists": LISTS.get(step, ()),
        "residencies": RESIDENCIES,
        "values": values if values is not None else form_values(doc, step),
        "sources": sources(doc, step),
        "errors": errors or {},
        "estimate": None if errors else _estimate(read),
        "estimate_errors": errors or {},
        "lodge_values": lodge_values
        or {"lodged_on": str(tenancy_service.today(session, ctx.tenant_id))},
        "action_errors": action_errors or {},
        "editable": read.status != "lodged",
    }
    return page(request, session, ctx, "tax_return.html", context, block=block, status=status)


def _read(session: Session, ctx: TenantContext, return_id: uuid.UUID, years: int) -> ReturnRead:
    return service.read_return(session, ctx, return_id, years)


@router.get("/tax/returns/{return_id}")
def return_page(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
    step: str | None = None,
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    read = _read(session, ctx, return_id, settings.tax_retention_years)
    return _show(request, session, ctx, read, _step(step), block=None)


def _validated(read: ReturnRead, step: str, form: dict[str, str]) -> ReturnData:
    doc = apply_step(read.data.model_dump(mode="json"), step, form)
    try:
        return ReturnData.model_validate(doc)
    except ValidationError as exc:
        raise forms.FormInvalid(field_errors(exc, step, form)) from exc


@router.post("/tax/returns/{return_id}/steps/{step}")
def save_step(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
    step: str,
    form: FormData,
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    step = _step(step)
    read = _read(session, ctx, return_id, settings.tax_retention_years)
    try:
        data = _validated(read, step, form)
        with forms.domain_errors_as_form(), session.begin_nested():
            service.replace_data(session, ctx, return_id, data)
    except forms.FormInvalid as exc:  # the service's errors name document paths too
        errors = {input_name(k, step, form): v for k, v in exc.errors.items()}
        return _show(
            request, session, ctx, read, step, values=form, errors=errors, status=exc.status
        )
    flash.push(request, "success", f"Saved {STEPS[step].lower()}.")
    following = _NEXT.get(step, step) if form.get("go") != "stay" else step
    return render.redirect(request, f"/tax/returns/{return_id}?step={following}")


@router.post("/tax/returns/{return_id}/estimate")
def estimate(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
    form: FormData,
) -> Response:
    """The refund or amount owed of the inputs as they stand, saved or not."""
    ensure(ctx, Permission.DATA_READ)
    read = _read(session, ctx, return_id, settings.tax_retention_years)
    step = _step(form.get("step"))
    errors: dict[str, str] = {}
    result: Assessment | None = None
    if read.status == "lodged" or step not in FIELDS:
        result = _estimate(read)
    else:
        try:
            result = service.estimate_return(read.year, _validated(read, step, form))
        except forms.FormInvalid as exc:
            errors = exc.errors
    context = {
        "ret": read,
        "step": step,
        "editable": read.status != "lodged",
        "estimate": result,
        "estimate_errors": errors,
    }
    return page(request, session, ctx, "tax_return.html", context, block="estimate")


def _action(
    request: Request,
    session: Session,
    ctx: TenantContext,
    settings: Any,
    return_id: uuid.UUID,
    run: Any,
    done: str,
    *,
    lodge_values: dict[str, str] | None = None,
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            target = run()
    except forms.FormInvalid as exc:
        read = _read(session, ctx, return_id, settings.tax_retention_years)
        return _show(
            request,
            session,
            ctx,
            read,
            "review",
            status=exc.status,
            lodge_values=lodge_values,
            action_errors=exc.errors,
        )
    flash.push(request, "success", done)
    return render.redirect(request, f"/tax/returns/{target}?step=review")


@router.post("/tax/returns/{return_id}/status")
def change_status(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
    form: FormData,
) -> Response:
    status = "ready" if form.get("status") == "ready" else "draft"

    def run() -> uuid.UUID:
        service.change_status(session, ctx, return_id, status)
        return return_id

    done = "Marked ready: the assessment is stored." if status == "ready" else "Back to draft."
    return _action(request, session, ctx, settings, return_id, run, done)


@router.post("/tax/returns/{return_id}/lodge")
def lodge(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
    form: FormData,
) -> Response:
    values = {k: form.get(k, "") for k in ("reference", "lodged_on", "confirm")}

    def run() -> uuid.UUID:
        body = forms.parse(Lodge, {**values, "confirm": values["confirm"] == "1"})
        service.lodge_return(session, ctx, return_id, body)
        return return_id

    done = f"Recorded the lodgement (reference {values['reference'].strip()})."
    return _action(request, session, ctx, settings, return_id, run, done, lodge_values=values)


@router.post("/tax/returns/{return_id}/amend")
def amend(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
) -> Response:
    def run() -> uuid.UUID:
        return service.amend_return(session, ctx, return_id).id

    done = "Made an amendment: a new draft version of the lodged return."
    return _action(request, session, ctx, settings, return_id, run, done)


@router.get("/tax/returns/{return_id}/diff")
def diff_page(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    read = _read(session, ctx, return_id, settings.tax_retention_years)
    found = service.diff_return(session, ctx, return_id, None)
    context = {"ret": read, "diff": found, "shown": _shown}
    return page(request, session, ctx, "tax_diff.html", context)


def _shown(value: Any) -> str:
    if isinstance(value, dict) and "amount" in value:
        return str(value["amount"])
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value)


@router.get("/tax/returns/{return_id}/summary.pdf")
def summary_pdf(
    request: Request, session: DbSession, ctx: PageUser, settings: AppSettings, return_id: uuid.UUID
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    read = _read(session, ctx, return_id, settings.tax_retention_years)
    body = render_pdf(read, service.assessment_for_print(session, ctx, return_id))
    name = f"tax-return-{read.year}-v{read.version}.pdf"
    response = Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    return render.finish(request, response)
