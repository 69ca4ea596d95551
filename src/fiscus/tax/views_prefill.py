"""The prefill review: run prefill for a return, see each proposed figure with the
transactions it came from, and accept or reject each one.

A proposal that would replace a figure the person typed (`overwrites_user`) is accepted
only with the "replace my figure" box ticked, so a typed figure is never overwritten
without being asked; the service itself never writes a figure before a decision.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.tax import prefill_service
from fiscus.tax import returns_service as service
from fiscus.tax.returns_schemas import Decision, ProposalRead, SkippedLabel
from fiscus.tax.views_common import FormData, page
from fiscus.tenancy.permissions import Permission
from fiscus.web import flash, forms, render
from fiscus.web.deps import AppSettings, DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter()


def _review(
    request: Request,
    session: Session,
    ctx: TenantContext,
    return_id: uuid.UUID,
    retention_years: int,
    *,
    skipped: list[SkippedLabel] | None = None,
    ran: bool = False,
    errors: dict[str, str] | None = None,
    saved: str = "",
    status: int = 200,
) -> Response:
    read = service.read_return(session, ctx, return_id, retention_years)
    context: dict[str, Any] = {
        "ret": read,
        "proposals": [(p, _transactions(session, ctx, p)) for p in read.proposals],
        "skipped": skipped or [],
        "ran": ran,
        "errors": errors or {},
        "saved": saved,
    }
    return page(request, session, ctx, "tax_prefill.html", context, block="prefill", status=status)


def _transactions(
    session: Session, ctx: TenantContext, proposal: ProposalRead
) -> list[dict[str, Any]]:
    """Each transaction as shown; prefill needs AUD books, so amounts have 2 decimals."""
    return [
        {**t._asdict(), "amount": str(Decimal(t.amount).scaleb(-2))}
        for t in prefill_service.transactions_of(session, ctx, proposal.transaction_ids)
    ]


@router.get("/tax/returns/{return_id}/prefill")
def prefill_page(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _review(request, session, ctx, return_id, settings.tax_retention_years)


@router.post("/tax/returns/{return_id}/prefill")
def run_prefill(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    years = settings.tax_retention_years
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            result = prefill_service.prefill_return(session, ctx, return_id)
    except forms.FormInvalid as exc:
        return _review(
            request, session, ctx, return_id, years, errors=exc.errors, status=exc.status
        )
    found = len(result.proposals)
    saved = (
        f"Prefill found {found} figure{'' if found == 1 else 's'} in the books for {result.year}."
    )
    return _review(
        request, session, ctx, return_id, years, skipped=result.skipped, ran=True, saved=saved
    )


@router.post("/tax/returns/{return_id}/prefill/decide")
def decide(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    settings: AppSettings,
    return_id: uuid.UUID,
    form: FormData,
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    years = settings.tax_retention_years
    key, action = form.get("key", ""), form.get("action", "")
    read = service.read_return(session, ctx, return_id, years)
    proposal = next((p for p in read.proposals if p.key == key), None)
    try:
        asked = form.get("replace") == "1"
        if proposal and action == "accept" and proposal.overwrites_user and not asked:
            typed = "" if proposal.current is None else proposal.current.amount
            raise forms.FormInvalid(
                {
                    key: f"This replaces the figure you typed ({typed}): tick “Replace my "
                    "figure” to accept it, or reject the proposal."
                }
            )
        decision = forms.parse(Decision, {"key": key, "action": action})
        with forms.domain_errors_as_form(), session.begin_nested():
            prefill_service.decide_prefill(session, ctx, return_id, [decision])
    except forms.FormInvalid as exc:
        # Beside the proposal it is about; at the top when no proposal has that key.
        where = key if proposal is not None else forms.FORM_LEVEL
        errors = {where: " ".join(exc.errors.values())}
        return _review(request, session, ctx, return_id, years, errors=errors, status=exc.status)
    label = "the proposal" if proposal is None else f"{proposal.code} {proposal.label}"
    saved = f"{'Accepted' if action == 'accept' else 'Rejected'} {label}."
    if not render.is_htmx(request):
        flash.push(request, "success", saved)
        return render.redirect(request, f"/tax/returns/{return_id}/prefill")
    return _review(request, session, ctx, return_id, years, saved=saved)
