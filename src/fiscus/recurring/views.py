"""The recurring page: the forecast chart (3/6/12 months) and every series with its flags,
confirmed, dismissed or edited inline.

Changes answer with the page's `recurring` block re-rendered (HTMX) or a redirect with a
flash message (a plain form post); the months switch swaps the `forecast` block. Routes
call the same recurring service as /api/v1/recurring.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.recurring import service
from fiscus.recurring.chart import forecast_chart
from fiscus.recurring.forecast import ALLOWED_MONTHS
from fiscus.recurring.schemas import SeriesUpdate
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import csrf, flash, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])

FormText = Annotated[str, Form()]
CADENCE_TEXT = {
    "weekly": "Weekly",
    "fortnightly": "Fortnightly",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "yearly": "Yearly",
}
STATUS_ORDER = ("suggested", "confirmed", "dismissed")


def _months(value: str | None) -> int:
    return int(value) if value in {str(m) for m in ALLOWED_MONTHS} else ALLOWED_MONTHS[0]


def _forecast(session: Session, ctx: TenantContext, months: int) -> dict[str, Any]:
    forecast = service.forecast(session, ctx, months=months)
    return {
        "forecast": forecast,
        "chart": forecast_chart(forecast),
        "months": months,
        "month_choices": ALLOWED_MONTHS,
    }


def _body(
    session: Session, ctx: TenantContext, errors: dict[str, dict[str, str]]
) -> dict[str, Any]:
    rows, _ = service.list_series(session, ctx, limit=500)
    reads = service.series_reads(session, ctx, rows)
    groups = [(s, [r for r in reads if r.status == s]) for s in STATUS_ORDER]
    return {
        "groups": groups,
        "cadences": CADENCE_TEXT,
        "errors": errors,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }


def _page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    saved: str = "",
    status: int = 200,
) -> Response:
    context = _body(session, ctx, errors or {})
    context["saved"] = saved
    fragment = render.wants_fragment(request)
    if fragment:
        return render.render(
            request, "recurring.html", context, status_code=status, block="recurring"
        )
    context.update(_forecast(session, ctx, _months(request.query_params.get("months"))))
    context.update(shell=shell.load(session, ctx), active="recurring")
    return render.render(request, "recurring.html", context, status_code=status)


@router.get("/recurring")
def recurring_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx)


@router.get("/recurring/forecast")
def forecast_block(
    request: Request, session: DbSession, ctx: PageUser, months: str = "3"
) -> Response:
    """The chart alone, for the 3/6/12 months switch (a full page without HTMX)."""
    ensure(ctx, Permission.DATA_READ)
    if not render.is_htmx(request):
        return render.redirect(request, f"/recurring?months={_months(months)}")
    context = _forecast(session, ctx, _months(months))
    return render.render(request, "recurring.html", context, block="forecast")


def _change(
    request: Request,
    session: Session,
    ctx: TenantContext,
    action: Callable[[], str],
    series_id: uuid.UUID | None = None,
) -> Response:
    """Run one service call in a savepoint; answer with the list block (or a redirect)."""
    ensure(ctx, Permission.DATA_WRITE)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            saved = action()
    except forms.FormInvalid as exc:
        errors = {str(series_id): exc.errors}
        return _page(request, session, ctx, errors=errors, status=exc.status)
    if not render.is_htmx(request):
        flash.push(request, "success", saved)
        return render.redirect(request, "/recurring")
    return _page(request, session, ctx, saved=saved)


@router.post("/recurring/detect")
def detect(request: Request, session: DbSession, ctx: PageUser) -> Response:
    def action() -> str:
        result = service.detect_recurring(session, ctx)
        return f"Found {result.found} series: {result.created} new, {result.updated} updated."

    return _change(request, session, ctx, action)


@router.post("/recurring/{series_id}/confirm")
def confirm(request: Request, session: DbSession, ctx: PageUser, series_id: uuid.UUID) -> Response:
    service.get_series(session, ctx, series_id)  # another tenant's id: 404

    def action() -> str:
        return f"Confirmed “{service.confirm_series(session, ctx, series_id).name}”."

    return _change(request, session, ctx, action, series_id)


@router.post("/recurring/{series_id}/dismiss")
def dismiss(request: Request, session: DbSession, ctx: PageUser, series_id: uuid.UUID) -> Response:
    service.get_series(session, ctx, series_id)  # another tenant's id: 404

    def action() -> str:
        return f"Dismissed “{service.dismiss_series(session, ctx, series_id).name}”."

    return _change(request, session, ctx, action, series_id)


@router.post("/recurring/{series_id}/edit")
def edit(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    series_id: uuid.UUID,
    name: FormText = "",
    cadence: FormText = "",
    expected_amount: FormText = "",
    expected_on: FormText = "",
) -> Response:
    series = service.get_series(session, ctx, series_id)  # another tenant's id: 404
    current = service.series_reads(session, ctx, [series])[0]
    sent = {
        "name": name.strip(),
        "cadence": cadence.strip(),
        "expected_amount": expected_amount.strip(),
        "expected_on": expected_on.strip(),
    }
    unchanged = {
        "name": current.name,
        "cadence": current.cadence,
        "expected_amount": current.expected_amount,
        "expected_on": current.expected_on.isoformat(),
    }

    def action() -> str:
        # Only what the user changed counts as an edit (and is kept by re-detection).
        data = {k: v for k, v in sent.items() if v and v != unchanged[k]}
        if not data:
            return "Nothing to change."
        updated = service.update_series(session, ctx, series_id, forms.parse(SeriesUpdate, data))
        return f"Saved “{updated.name}”."

    return _change(request, session, ctx, action, series_id)
