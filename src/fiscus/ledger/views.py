"""The accounts list: balances grouped by type, the new-account form, archive and
restore; and the dashboard's first step, starting the categories from a template.
(One account's page is `views_account`.)

Routes translate: they read the form or query, call the ledger services the JSON API
calls, and render. Permission checks happen here (a viewer sees no write forms, and a
POST by a viewer is refused before anything changes); another tenant's account id is
the service's "not found", which the error page shows as a 404.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.ledger import service
from fiscus.ledger.schemas import AccountCreate, AccountUpdate
from fiscus.ledger.templates import TEMPLATES
from fiscus.ledger.views_account import SUBTYPES
from fiscus.ledger.views_balances import overview
from fiscus.ledger.views_common import PAGE_DEPENDENCIES, ensure, money_text
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import flash, forms, render, shell
from fiscus.web.deps import DbSession
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=PAGE_DEPENDENCIES)

FormText = Annotated[str, Form()]

ACCOUNT_FIELDS = (
    "name",
    "type",
    "subtype",
    "currency",
    "institution",
    "last_four",
    "credit_limit",
    "opened_on",
)
ACCOUNT_TYPES = {
    "asset": "Asset: what you own",
    "liability": "Liability: what you owe",
    "equity": "Equity",
}


@router.get("/accounts")
def accounts_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    values = dict.fromkeys(ACCOUNT_FIELDS, "") | {"type": "asset", "subtype": "checking"}
    return _accounts_page(request, session, ctx, values | {"currency": base}, {}, status=200)


@router.post("/accounts")
def create_account(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    name: FormText = "",
    type: FormText = "",
    subtype: FormText = "",
    currency: FormText = "",
    institution: FormText = "",
    last_four: FormText = "",
    credit_limit: FormText = "",
    opened_on: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    values = {
        "name": name,
        "type": type,
        "subtype": subtype,
        "currency": currency.strip().upper(),
        "institution": institution.strip(),
        "last_four": last_four.strip(),
        "credit_limit": credit_limit.strip(),
        "opened_on": opened_on.strip(),
    }
    try:
        # Blank optional fields are "not given", as in a JSON body that leaves them out.
        data = forms.parse(AccountCreate, {k: v for k, v in values.items() if v != ""})
        with forms.domain_errors_as_form(), session.begin_nested():
            account = service.create_account(session, ctx, data)
    except forms.FormInvalid as exc:
        return _accounts_page(request, session, ctx, values, exc.errors, status=exc.status)
    flash.push(request, "success", f"Added the account {account.name}.")
    return render.redirect(request, "/accounts")


def _accounts_page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    status: int,
) -> Response:
    """The page, or for HTMX only the form block, with the values and errors."""
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "account_types": ACCOUNT_TYPES,
        "subtypes": SUBTYPES,
        "currencies": shell.COMMON_CURRENCIES,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }
    if render.is_htmx(request) and errors:
        return render.render(
            request, "accounts.html", context, status_code=status, block="account_form"
        )
    today = tenancy_service.today(session, ctx.tenant_id)
    context |= {
        "shell": shell.load(session, ctx),
        "active": "accounts",
        "overview": overview(session, ctx, today),
        "money": money_text,
    }
    return render.render(request, "accounts.html", context, status_code=status)


@router.post("/accounts/{account_id}/archive")
def archive_account(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    account_id: uuid.UUID,
    archived: Annotated[Literal["1", "0"], Form()] = "1",
    back: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    flag = archived == "1"
    account = service.update_account(session, ctx, account_id, AccountUpdate(is_archived=flag))
    verb = "Archived" if flag else "Restored"
    flash.push(request, "success", f"{verb} the account {account.name}.")
    target = f"/accounts/{account.id}" if back == "detail" else "/accounts"
    return render.redirect(request, target)


@router.post("/start/template")
def apply_template(
    request: Request, session: DbSession, ctx: PageUser, key: FormText = ""
) -> Response:
    """The dashboard's first step for a new tenant: start the categories from a template."""
    ensure(ctx, Permission.DATA_WRITE)
    created = service.apply_template(session, ctx, key)
    flash.push(request, "success", f"Added {created} categories from {TEMPLATES[key].name}.")
    return render.redirect(request, "/")
