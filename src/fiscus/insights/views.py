"""The review page: the queue of suggested categories, and the automatic applies.

Each queued entry shows the model's suggestion with its confidence and the alternatives
as buttons (one click confirms or corrects), and a list of every category of its kind;
the automatic applies are listed apart with confirm, undo and correct. Decisions answer
with the page's `review` block re-rendered (HTMX) or a redirect with a flash message, and
call the same service as /api/v1/insights/review, so a correction is learned at once and
the next similar entry is offered the corrected category.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.insights import service, service_review
from fiscus.insights.schemas import ReviewDecision, SuggestionRead
from fiscus.ledger import service as ledger_service
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import csrf, flash, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])

FormText = Annotated[str, Form()]
PAGE_SIZE = 50


def _kind(item: SuggestionRead) -> str:
    return "income" if not item.amount.startswith("-") else "expense"


def _body(session: Session, ctx: TenantContext, errors: dict[str, str]) -> dict[str, Any]:
    queued, queued_total = service_review.review_list(
        session, ctx, status="queued", offset=0, limit=PAGE_SIZE
    )
    auto, auto_total = service_review.review_list(
        session, ctx, status="auto", offset=0, limit=PAGE_SIZE
    )
    uncategorised = ledger_service.uncategorised_ids(session, ctx)
    categories = [
        c
        for c in ledger_service.list_accounts(session, ctx, types=("income", "expense"))
        if c.id not in uncategorised
    ]
    names = {
        c.id: c.name for c in ledger_service.list_accounts(session, ctx, include_archived=True)
    }
    return {
        "queued": queued,
        "queued_total": queued_total,
        "auto": auto,
        "auto_total": auto_total,
        "choices": {k: [c for c in categories if c.type == k] for k in ("income", "expense")},
        "kind_of": _kind,
        "names": names,
        "model": service.model_status(session, ctx),
        "errors": errors,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }


def _page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    errors: dict[str, str] | None = None,
    saved: str = "",
    status: int = 200,
) -> Response:
    context = _body(session, ctx, errors or {})
    context["saved"] = saved
    if render.wants_fragment(request):
        return render.render(request, "review.html", context, status_code=status, block="review")
    context.update(shell=shell.load(session, ctx), active="review")
    return render.render(request, "review.html", context, status_code=status)


@router.get("/review")
def review_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx)


def _change(request: Request, session: Session, ctx: TenantContext, action: Any) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            saved = action()
    except forms.FormInvalid as exc:
        return _page(request, session, ctx, errors=exc.errors, status=exc.status)
    if not render.is_htmx(request):
        flash.push(request, "success", saved)
        return render.redirect(request, "/review")
    return _page(request, session, ctx, saved=saved)


@router.post("/review/categorise")
def categorise_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    def action() -> str:
        done = service.categorise_uncategorised(session, ctx)
        return (
            f"Looked at {done.considered} uncategorised entries: "
            f"{done.applied} categorised automatically, {done.queued} to review."
        )

    return _change(request, session, ctx, action)


@router.post("/review/{transaction_id}")
def decide(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    transaction_id: uuid.UUID,
    action: FormText = "",
    category_id: FormText = "",
) -> Response:
    def run() -> str:
        fields = {"action": action, "category_id": category_id or None}
        decision = forms.parse(ReviewDecision, fields)
        read = service_review.review(session, ctx, transaction_id, decision)
        if decision.action == "undo":
            return f"Moved “{read.description}” back to the review queue."
        category = ledger_service.get_category(session, ctx, read.current_category_id)
        return f"Filed “{read.description}” under {category.name}."

    return _change(request, session, ctx, run)
