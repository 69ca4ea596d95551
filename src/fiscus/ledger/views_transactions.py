"""The transactions page: the filtered, sortable table, inline add (simple and split),
delete and restore. HTMX swaps the table block and pushes its URL, so a filtered view
survives a reload; every form also works as a plain POST.

Routes translate: they read the form or query, call one ledger service (the same the
JSON API calls) and render. Permission checks happen here; another tenant's id is the
service's "not found", which the error page shows as a 404.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.ledger import transactions as txn_service
from fiscus.ledger.views_common import (
    CHANGED,
    PAGE_DEPENDENCIES,
    Chart,
    changed,
    ensure,
    load_chart,
    toast,
    wants_fragment,
)
from fiscus.ledger.views_txn_edit import bulk_context
from fiscus.ledger.views_txn_edit import router as edit_router
from fiscus.ledger.views_txn_forms import (
    MAX_LINES,
    MIN_LINES,
    SIMPLE_TYPES,
    STATUSES,
    Line,
    SplitForm,
    lines_of,
    parse_simple,
    parse_split,
    simple_defaults,
    split_domain_error,
)
from fiscus.ledger.views_txn_table import ListQuery, balances_of, table_context
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission
from fiscus.web import flash, forms, render, shell
from fiscus.web.deps import DbSession
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=PAGE_DEPENDENCIES)

FormText = Annotated[str, Form()]
FormList = Annotated[list[str], Form()]
_SUBMISSION = re.compile(r"[0-9a-f]{32}")


@router.get("/transactions")
def transactions_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    query = ListQuery.read(dict(request.query_params))
    chart = load_chart(session, ctx)
    select_all = request.query_params.get("select") == "all"
    context = table_context(session, ctx, chart, query, select_all=select_all)
    if wants_fragment(request):
        return render.render(request, "transactions.html", context, block="txn_table")
    context.update(_surroundings(session, ctx, chart))
    return render.render(request, "transactions.html", context)


def _surroundings(session: Session, ctx: TenantContext, chart: Chart) -> dict[str, Any]:
    """Everything of the whole page but the table: layout, forms and balances."""
    today = tenancy_service.today(session, ctx.tenant_id)
    return {
        "shell": shell.load(session, ctx),
        "active": "transactions",
        "add": _add_context(chart, simple_defaults(today), {}),
        "split": _split_context(chart, _blank_split(today), {}),
        "bulk": bulk_context(chart, {"action": "categorise"}, {}),
        "balances": balances_of(session, ctx, chart),
    }


def _add_context(
    chart: Chart, values: dict[str, str], errors: dict[str, str], submission: str = ""
) -> dict[str, Any]:
    return {
        "submission": _submission(submission),
        "fields": values,
        "errors": errors,
        "chart": chart,
        "types": SIMPLE_TYPES,
        "statuses": STATUSES,
    }


def _split_context(
    chart: Chart, form: SplitForm, errors: dict[str, str], submission: str = ""
) -> dict[str, Any]:
    return {
        "submission": _submission(submission),
        "fields": form.values,
        "lines": form.lines,
        "totals": form.totals,
        "errors": errors,
        "chart": chart,
        "statuses": STATUSES,
        "max_lines": MAX_LINES,
    }


def _submission(given: str) -> str:
    """The form's one-time key (kept while it is re-rendered with errors, new after a save):
    sent as the Idempotency-Key, so a double-clicked submit posts the entry once."""
    return given if _SUBMISSION.fullmatch(given) else uuid.uuid4().hex


def _key(submission: str) -> str | None:
    return f"page-{submission}" if _SUBMISSION.fullmatch(submission) else None


def _blank_split(today: date) -> SplitForm:
    values = {"date": today.isoformat(), "description": "", "payee": "", "tags": ""}
    return SplitForm({**values, "status": "cleared"}, [Line() for _ in range(MIN_LINES + 1)])


@router.get("/transactions/balances")
def balances_block(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    context = {"balances": balances_of(session, ctx, load_chart(session, ctx))}
    return render.render(request, "transactions.html", context, block="balances")


@router.get("/transactions/new")
def add_form(request: Request, session: DbSession, ctx: PageUser) -> Response:
    """The add form again, e.g. with the fields of another type (HTMX on type change)."""
    ensure(ctx, Permission.DATA_READ)
    today = tenancy_service.today(session, ctx.tenant_id)
    defaults = simple_defaults(today)
    values = {**defaults, **{k: v for k, v in request.query_params.items() if k in defaults}}
    context = {"add": _add_context(load_chart(session, ctx), values, {})}
    if wants_fragment(request):
        return render.render(request, "transactions.html", context, block="add_form")
    return render.redirect(request, "/transactions")


@router.post("/transactions")
def create_simple(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    type: FormText = "",
    date: FormText = "",
    description: FormText = "",
    payee: FormText = "",
    amount: FormText = "",
    account_id: FormText = "",
    category_id: FormText = "",
    transfer_account_id: FormText = "",
    tags: FormText = "",
    status: FormText = "",
    submission: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    values = {
        "type": type,
        "date": date,
        "description": description,
        "payee": payee,
        "amount": amount,
        "account_id": account_id,
        "category_id": category_id,
        "transfer_account_id": transfer_account_id,
        "tags": tags,
        "status": status,
    }
    chart = load_chart(session, ctx)
    try:
        body = parse_simple(values)
        with forms.domain_errors_as_form(), session.begin_nested():
            txn, _ = txn_service.create_simple(session, ctx, body, key=_key(submission))
    except forms.FormInvalid as exc:
        add = _add_context(chart, values, exc.errors, submission)
        return _refused(request, session, ctx, chart, "add", add, exc.status)
    message = f"Added “{txn.description}”."

    def fresh_form() -> Response:
        keep = {k: values[k] for k in ("type", "date", "account_id", "status")}
        add = _add_context(chart, simple_defaults(body.date, **keep), {})
        add["saved"] = message
        return render.render(request, "transactions.html", {"add": add}, block="add_form")

    return changed(request, message, fresh_form)


def _refused(
    request: Request,
    session: Session,
    ctx: TenantContext,
    chart: Chart,
    form: str,
    context: dict[str, Any],
    status: int,
) -> Response:
    """An add form (`form` is "add" or "split") shown again with its errors: only its block
    for HTMX, else the whole page around it."""
    if wants_fragment(request):
        return render.render(
            request, "transactions.html", {form: context}, status_code=status, block=f"{form}_form"
        )
    return _whole_page(request, session, ctx, chart, status=status, **{form: context})


def _whole_page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    chart: Chart,
    *,
    status: int,
    **parts: Any,
) -> Response:
    """The page re-rendered after a plain (non-HTMX) POST failed, with that form's errors."""
    context = table_context(session, ctx, chart, ListQuery.read({}))
    context.update(_surroundings(session, ctx, chart))
    context.update(parts)
    return render.render(request, "transactions.html", context, status_code=status)


def _split_form(
    values: dict[str, str],
    account_id: list[str],
    debit: list[str],
    credit: list[str],
    memo: list[str],
) -> SplitForm:
    header = {k: values.get(k, "") for k in ("date", "description", "payee", "tags", "status")}
    return SplitForm(header, lines_of(account_id, debit, credit, memo))


@router.post("/transactions/split")
def create_split(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    date: FormText = "",
    description: FormText = "",
    payee: FormText = "",
    tags: FormText = "",
    status: FormText = "",
    account_id: FormList = [],  # noqa: B006 - FastAPI copies defaults
    debit: FormList = [],  # noqa: B006
    credit: FormList = [],  # noqa: B006
    memo: FormList = [],  # noqa: B006
    submission: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    header = {"date": date, "description": description, "payee": payee}
    form = _split_form({**header, "tags": tags, "status": status}, account_id, debit, credit, memo)
    chart = load_chart(session, ctx)
    try:
        body = parse_split(form)
        try:
            with session.begin_nested():
                txn, _ = txn_service.create_journal(session, ctx, body, key=_key(submission))
        except DomainError as exc:
            raise split_domain_error(form, exc) from exc
    except forms.FormInvalid as exc:
        split = _split_context(chart, form, exc.errors, submission)
        return _refused(request, session, ctx, chart, "split", split, exc.status)
    message = f"Added the split “{txn.description}”."

    def fresh_form() -> Response:
        split = _split_context(chart, _blank_split(body.date), {})
        split["saved"] = message
        return render.render(request, "transactions.html", {"split": split}, block="split_form")

    return changed(request, message, fresh_form)


@router.post("/transactions/split/lines")
def split_add_line(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    date: FormText = "",
    description: FormText = "",
    payee: FormText = "",
    tags: FormText = "",
    status: FormText = "",
    account_id: FormList = [],  # noqa: B006
    debit: FormList = [],  # noqa: B006
    credit: FormList = [],  # noqa: B006
    memo: FormList = [],  # noqa: B006
    submission: FormText = "",
) -> Response:
    """The split form as typed, with one more empty line. Changes nothing."""
    ensure(ctx, Permission.DATA_READ)
    header = {"date": date, "description": description, "payee": payee}
    form = _split_form({**header, "tags": tags, "status": status}, account_id, debit, credit, memo)
    if len(form.lines) < MAX_LINES:
        form.lines.append(Line())
    split = _split_context(load_chart(session, ctx), form, {}, submission)
    return render.render(request, "transactions.html", {"split": split}, block="split_form")


@router.post("/transactions/{transaction_id}/delete")
def delete_transaction(
    request: Request, session: DbSession, ctx: PageUser, transaction_id: uuid.UUID
) -> Response:
    return _set_deleted(request, session, ctx, transaction_id, deleted=True)


@router.post("/transactions/{transaction_id}/restore")
def restore_transaction(
    request: Request, session: DbSession, ctx: PageUser, transaction_id: uuid.UUID
) -> Response:
    return _set_deleted(request, session, ctx, transaction_id, deleted=False)


def _set_deleted(
    request: Request, session: Session, ctx: TenantContext, txn_id: uuid.UUID, *, deleted: bool
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    txn = txn_service.set_deleted(session, ctx, txn_id, deleted=deleted)
    verb = "Deleted" if deleted else "Restored"
    message = f"{verb} “{txn.description}”."
    if wants_fragment(request):
        return toast(request, "success", message, trigger=CHANGED)
    flash.push(request, "success", message)
    return render.redirect(request, "/transactions" + ("?deleted=1" if not deleted else ""))


router.include_router(edit_router)  # inline edit and bulk actions
