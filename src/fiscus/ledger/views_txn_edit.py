"""Changing transactions from the table: inline edit of a row, and bulk actions on the
selected rows (categorise, tag, untag, set status, delete, restore).

The edit posts the API's PATCH body through `transactions_edit.update_transaction`; the
bulk form the API's bulk body through `bulk.bulk_apply` (all or nothing). Both answer
with the changed fragment and fire `txn-changed`, on which the table and the balances
reload themselves. Included in the transactions page's router.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.ledger import bulk as bulk_service
from fiscus.ledger import transactions as txn_service
from fiscus.ledger import transactions_edit as edit_service
from fiscus.ledger.schemas_transactions import TransactionUpdate
from fiscus.ledger.views_common import (
    PAGE_DEPENDENCIES,
    Chart,
    changed,
    ensure,
    load_chart,
    wants_fragment,
)
from fiscus.ledger.views_txn_forms import (
    BULK_ACTIONS,
    MAX_LINES,
    STATUSES,
    Line,
    SplitForm,
    edit_values,
    lines_of,
    lines_of_postings,
    parse_bulk,
    parse_edit,
    parse_journal_edit,
    present,
    split_domain_error,
)
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import flash, forms, render
from fiscus.web.deps import DbSession
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=PAGE_DEPENDENCIES)

FormText = Annotated[str, Form()]
FormList = Annotated[list[str], Form()]


def bulk_context(chart: Chart, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "fields": values,
        "errors": errors,
        "chart": chart,
        "actions": BULK_ACTIONS,
        "statuses": STATUSES,
    }


def _row(
    request: Request, session: Session, ctx: TenantContext, transaction_id: uuid.UUID
) -> Response:
    txn, postings = txn_service.get_transaction(session, ctx, transaction_id)
    context = {
        "row": present(txn, postings, load_chart(session, ctx), None),
        "statuses": STATUSES,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }
    return render.render(request, "transaction_row.html", context, block="row")


@router.get("/transactions/{transaction_id}/row")
def row(request: Request, session: DbSession, ctx: PageUser, transaction_id: uuid.UUID) -> Response:
    """One row of the table (what Cancel on an inline edit puts back)."""
    ensure(ctx, Permission.DATA_READ)
    if not wants_fragment(request):
        return render.redirect(request, "/transactions")
    return _row(request, session, ctx, transaction_id)


def _edit(
    request: Request,
    session: Session,
    ctx: TenantContext,
    transaction_id: uuid.UUID,
    kind: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    lines: list[Line] | None = None,
) -> Response:
    form = SplitForm(values, lines or [])
    edit = {
        "id": transaction_id,
        "kind": kind,
        "fields": values,
        "errors": errors,
        "chart": load_chart(session, ctx),
        "statuses": STATUSES,
        "lines": lines,
        "totals": form.totals,
        "max_lines": MAX_LINES,
    }
    return render.render(
        request, "transaction_row.html", {"edit": edit}, status_code=status, block="edit"
    )


@router.get("/transactions/{transaction_id}/edit")
def edit_form(
    request: Request, session: DbSession, ctx: PageUser, transaction_id: uuid.UUID
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    txn, postings = txn_service.get_transaction(session, ctx, transaction_id)
    if not wants_fragment(request):
        return render.redirect(request, "/transactions")
    lines = lines_of_postings(postings) if txn.kind == "journal" else None
    values = edit_values(txn, postings)
    return _edit(request, session, ctx, txn.id, txn.kind, values, {}, lines=lines)


@router.post("/transactions/{transaction_id}/edit")
def save_edit(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    transaction_id: uuid.UUID,
    date: FormText = "",
    description: FormText = "",
    payee: FormText = "",
    amount: FormText = "",
    account_id: FormList = [],  # noqa: B006 - one for a simple entry, one a line for a split
    category_id: FormText = "",
    transfer_account_id: FormText = "",
    tags: FormText = "",
    status: FormText = "",
    debit: FormList = [],  # noqa: B006
    credit: FormList = [],  # noqa: B006
    memo: FormList = [],  # noqa: B006
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    txn, _ = txn_service.get_transaction(session, ctx, transaction_id)  # another tenant's: 404
    kind = txn.kind
    values = {
        "date": date,
        "description": description,
        "payee": payee,
        "amount": amount,
        "account_id": account_id[0] if account_id else "",
        "category_id": category_id,
        "transfer_account_id": transfer_account_id,
        "tags": tags,
        "status": status,
    }
    lines = lines_of(account_id, debit, credit, memo) if kind == "journal" and debit else None
    try:
        body = _save(session, ctx, transaction_id, kind, values, lines)
    except forms.FormInvalid as exc:
        if not wants_fragment(request):
            flash.push(request, "error", "; ".join(exc.errors.values()))
            return render.redirect(request, "/transactions")
        return _edit(
            request, session, ctx, transaction_id, kind, values, exc.errors, exc.status, lines
        )
    return changed(
        request, f"Saved “{body.description}”.", lambda: _row(request, session, ctx, transaction_id)
    )


def _save(
    session: Session,
    ctx: TenantContext,
    transaction_id: uuid.UUID,
    kind: str,
    values: dict[str, str],
    lines: list[Line] | None,
) -> TransactionUpdate:
    """Post the edit in a savepoint; a split's line errors come back beside their line."""
    if lines is None:
        body = parse_edit(kind, values)
        with forms.domain_errors_as_form(), session.begin_nested():
            edit_service.update_transaction(session, ctx, transaction_id, body)
        return body
    form = SplitForm(values, lines)
    body = parse_journal_edit(form)
    try:
        with session.begin_nested():
            edit_service.update_transaction(session, ctx, transaction_id, body)
    except DomainError as exc:
        raise split_domain_error(form, exc) from exc
    return body


@router.post("/transactions/{transaction_id}/edit/lines")
def edit_add_line(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    transaction_id: uuid.UUID,
    date: FormText = "",
    description: FormText = "",
    payee: FormText = "",
    tags: FormText = "",
    status: FormText = "",
    account_id: FormList = [],  # noqa: B006
    debit: FormList = [],  # noqa: B006
    credit: FormList = [],  # noqa: B006
    memo: FormList = [],  # noqa: B006
) -> Response:
    """A split's inline edit as typed, with one more empty line. Changes nothing."""
    ensure(ctx, Permission.DATA_WRITE)
    txn, _ = txn_service.get_transaction(session, ctx, transaction_id)  # another tenant's: 404
    values = {"date": date, "description": description, "payee": payee}
    values.update(tags=tags, status=status)
    lines = lines_of(account_id, debit, credit, memo)
    if len(lines) < MAX_LINES:
        lines.append(Line())
    return _edit(request, session, ctx, txn.id, txn.kind, values, {}, lines=lines)


@router.post("/transactions/bulk")
def bulk(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    action: FormText = "",
    category_id: FormText = "",
    tags: FormText = "",
    status: FormText = "",
    ids: FormList = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    values = {"action": action, "category_id": category_id, "tags": tags, "status": status}
    chart = load_chart(session, ctx)
    try:
        body = parse_bulk(values, ids)
        with forms.domain_errors_as_form(), session.begin_nested():
            result = bulk_service.bulk_apply(session, ctx, body)
    except forms.FormInvalid as exc:
        # "ids" (no such transaction, or one that cannot take the action) is the selection
        errors = {forms.FORM_LEVEL if k == "ids" else k: v for k, v in exc.errors.items()}
        if not wants_fragment(request):
            flash.push(request, "error", "; ".join(errors.values()))
            return render.redirect(request, "/transactions")
        context = {"bulk": bulk_context(chart, values, errors)}
        return render.render(
            request, "transactions.html", context, status_code=exc.status, block="bulk_form"
        )
    verb = BULK_ACTIONS[result.action]
    message = f"{verb}: {result.changed} changed, {result.unchanged} already so."
    context = {"bulk": {**bulk_context(chart, {"action": action}, {}), "saved": message}}
    return changed(
        request,
        message,
        lambda: render.render(request, "transactions.html", context, block="bulk_form"),
    )
