"""One account's page: details, balance now, the balance-history chart (month, week or
day), its recent transactions, its anchors, and the forms to record an anchor and to
reconcile against a statement.

Routes translate: one ledger service per action (the same the JSON API calls), errors
beside the field they name; a refused change leaves nothing behind (its savepoint is
rolled back). Another tenant's account id is the service's "not found" (the 404 page).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.money import Money
from fiscus.ledger import anchors, balances, reconcile, service
from fiscus.ledger import transactions as txn_service
from fiscus.ledger.models import Account
from fiscus.ledger.repository_transactions import TransactionFilters
from fiscus.ledger.schemas_balances import AnchorCreate, Interval, ReconcileRequest
from fiscus.ledger.views_balances import INTERVALS, history_series
from fiscus.ledger.views_common import PAGE_DEPENDENCIES, ensure, load_chart, money_text
from fiscus.ledger.views_txn_forms import present
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import charts, flash, forms, render, shell
from fiscus.web.deps import DbSession
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=PAGE_DEPENDENCIES)

FormText = Annotated[str, Form()]
IntervalQuery = Annotated[Interval, Query()]
Forms = dict[str, tuple[dict[str, str], dict[str, str]]]  # form name -> (values, errors)

TYPE_NAMES = {"asset": "Asset", "liability": "Liability", "equity": "Equity"}
SUBTYPES = {
    "checking": "Everyday / checking",
    "savings": "Savings",
    "credit_card": "Credit card",
    "cash": "Cash",
    "investment": "Investment",
    "loan": "Loan or mortgage",
    "retirement": "Retirement / super",
    "property": "Property",
    "other": "Other",
}
RECENT = 20  # transactions shown on an account's page


@router.get("/accounts/{account_id}")
def account_page(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    account_id: uuid.UUID,
    interval: IntervalQuery = "month",
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    account = service.get_account(session, ctx, account_id)
    return _page(request, session, ctx, account, {}, interval=interval)


@router.get("/accounts/{account_id}/chart")
def account_chart(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    account_id: uuid.UUID,
    interval: IntervalQuery = "month",
) -> Response:
    """Only the balance-history figure, for the interval switch (HTMX)."""
    ensure(ctx, Permission.DATA_READ)
    account = service.get_account(session, ctx, account_id)
    context = {"account": account, **_chart_context(session, ctx, account, interval)}
    return render.render(request, "account.html", context, block="balance_chart")


@router.post("/accounts/{account_id}/anchors")
def create_anchor(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    account_id: uuid.UUID,
    date: FormText = "",
    balance: FormText = "",
    description: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    account = service.get_account(session, ctx, account_id)
    values = {"date": date.strip(), "balance": balance.strip(), "description": description}
    try:
        data = forms.parse(AnchorCreate, {k: v for k, v in values.items() if v != ""})
        with forms.domain_errors_as_form(), session.begin_nested():
            anchors.create_anchor(session, ctx, account.id, data)
    except forms.FormInvalid as exc:
        found = {"anchor": (values, exc.errors)}
        return _page(request, session, ctx, account, found, status=exc.status, block="anchor_form")
    flash.push(request, "success", f"Recorded a balance of {values['balance']} on {data.date}.")
    return render.redirect(request, f"/accounts/{account.id}#anchors")


@router.post("/accounts/{account_id}/anchors/{anchor_id}/delete")
def delete_anchor(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    account_id: uuid.UUID,
    anchor_id: uuid.UUID,
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    anchors.delete_anchor(session, ctx, account_id, anchor_id)
    flash.push(request, "success", "Deleted the recorded balance.")
    return render.redirect(request, f"/accounts/{account_id}#anchors")


@router.post("/accounts/{account_id}/reconcile")
def reconcile_account(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    account_id: uuid.UUID,
    date: FormText = "",
    statement_balance: FormText = "",
    adjust: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    account = service.get_account(session, ctx, account_id)
    values = {"date": date.strip(), "statement_balance": statement_balance.strip()}
    values["adjust"] = "1" if adjust else ""
    body = {k: v for k, v in values.items() if v != "" and k != "adjust"}
    try:
        data = forms.parse(ReconcileRequest, {**body, "adjust": bool(adjust)})
        with forms.domain_errors_as_form(), session.begin_nested():
            result = reconcile.reconcile(session, ctx, account.id, data)
    except forms.FormInvalid as exc:
        found = {"reconcile": (values, exc.errors)}
        return _page(
            request, session, ctx, account, found, status=exc.status, block="reconcile_form"
        )
    text = f"Reconciled {result.reconciled_count} transactions up to {result.date}."
    if result.adjustment_transaction_id is not None:
        text += f" Posted an adjustment of {result.difference} {result.currency}."
    flash.push(request, "success", text)
    return render.redirect(request, f"/accounts/{account.id}")


def _page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    account: Account,
    found: Forms,
    *,
    interval: Interval = "month",
    status: int = 200,
    block: str | None = None,
) -> Response:
    """The whole page, or (HTMX, with errors) only the form block that was sent."""
    today = tenancy_service.today(session, ctx.tenant_id)
    blank = {"date": today.isoformat(), "balance": "", "description": ""}
    anchor_values, anchor_errors = found.get("anchor", (blank, {}))
    blank = {"date": today.isoformat(), "statement_balance": "", "adjust": ""}
    reconcile_values, reconcile_errors = found.get("reconcile", (blank, {}))
    context: dict[str, Any] = {
        "account": account,
        "today": today,
        "anchor_values": anchor_values,
        "anchor_errors": anchor_errors,
        "reconcile_values": reconcile_values,
        "reconcile_errors": reconcile_errors,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }
    if block is not None and render.is_htmx(request):
        return render.render(request, "account.html", context, status_code=status, block=block)
    context |= _details(session, ctx, account, today)
    context |= _chart_context(session, ctx, account, interval)
    return render.render(request, "account.html", context, status_code=status)


def _details(session: Session, ctx: TenantContext, account: Account, today: date) -> dict[str, Any]:
    filters = TransactionFilters(account_id=account.id)
    rows, total = txn_service.list_transactions(session, ctx, filters, page=1, limit=RECENT)
    names = load_chart(session, ctx)
    limit = account.credit_limit
    return {
        "shell": shell.load(session, ctx),
        "active": "accounts",
        "balance": money_text(balances.balance_at(session, ctx, account, today)),
        "cleared": money_text(reconcile.cleared_balance(session, ctx, account, today)),
        "credit_limit": None
        if limit is None
        else money_text(Money.from_minor(limit, account.currency)),
        "type_label": TYPE_NAMES.get(account.type, account.type.capitalize()),
        "subtype_label": SUBTYPES.get(account.subtype, account.subtype),
        "rows": [present(t, p, names, account.id) for t, p in rows],
        "total": total,
        "anchors": anchors.list_anchors(session, ctx, account.id),
        "money": lambda text: money_text(Money.parse(text, account.currency)),
        "is_zero": lambda text: Decimal(text) == 0,
    }


def _chart_context(
    session: Session, ctx: TenantContext, account: Account, interval: Interval
) -> dict[str, Any]:
    points = history_series(session, ctx, account, interval)
    title = f"{account.name}: balance, {INTERVALS[interval].lower()}"
    series = [charts.Series(f"Balance ({account.currency})", points)]
    return {
        "interval": interval,
        "intervals": INTERVALS,
        "balance_chart": charts.line_chart(series, title=title, width=960, height=300),
    }
