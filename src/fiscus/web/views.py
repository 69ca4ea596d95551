"""The web shell's pages: log in, register, log out, dashboard, tenants.

Routes translate between forms and the same services the JSON API calls; they hold no
business rules. Every state-changing route sits behind the router's CSRF dependency,
and permission checks happen here, in the route, never only in a template.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from fiscus.auth import service as auth_service
from fiscus.auth.schemas import LoginRequest, RegisterRequest
from fiscus.core.context import TenantContext
from fiscus.ledger.views import router as account_pages
from fiscus.ledger.views_account import router as account_detail_pages
from fiscus.ledger.views_common import money_text
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission, allows
from fiscus.tenancy.schemas import TenantCreate
from fiscus.web import csrf, flash, forms, render, shell
from fiscus.web import dashboard as board
from fiscus.web.deps import AppSettings, DbSession, RequestOrigin, ensure
from fiscus.web.page_auth import MaybeUser, PageUser, forget, remember, safe_next

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])

FormText = Annotated[str, Form()]
NextQuery = Annotated[str, Query(alias="next")]


def install(app: FastAPI) -> None:
    """Mount the web shell: pages, static files and the HTML error page."""
    app.include_router(router)
    app.include_router(account_pages)
    app.include_router(account_detail_pages)
    app.mount("/static", StaticFiles(directory=render.STATIC_DIR), name="static")
    app.state.render_error_page = render.render_error_page


@router.get("/login")
def login_page(request: Request, ctx: MaybeUser, next_url: NextQuery = "/") -> Response:
    if ctx is not None:
        return render.redirect(request, safe_next(next_url))
    return _login_form(request, email="", next_url=safe_next(next_url), errors={})


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    origin: RequestOrigin,
    email: FormText = "",
    password: FormText = "",
    next_field: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    next_url = safe_next(next_field)
    try:
        body = forms.parse(LoginRequest, {"email": email.strip(), "password": password})
        with forms.domain_errors_as_form():  # wrong password (401), throttled (429)
            issued = auth_service.login(
                session, settings, email=body.email, password=body.password, origin=origin
            )
    except forms.FormInvalid as exc:
        return _login_form(
            request, email=email, next_url=next_url, errors=exc.errors, status=exc.status
        )
    _start(request, issued)
    flash.push(request, "success", f"Welcome back, {issued.user.name}.")
    return render.redirect(request, next_url)


def _login_form(
    request: Request, *, email: str, next_url: str, errors: dict[str, str], status: int = 200
) -> Response:
    context = {"values": {"email": email}, "next": next_url, "errors": errors}
    return render.render(request, "login.html", context, status_code=status)


@router.get("/register")
def register_page(request: Request, ctx: MaybeUser) -> Response:
    if ctx is not None:
        return render.redirect(request, "/")
    return render.render(request, "register.html", {"values": {}, "errors": {}})


@router.post("/register")
def register(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    origin: RequestOrigin,
    name: FormText = "",
    email: FormText = "",
    password: FormText = "",
) -> Response:
    values = {"name": name, "email": email}
    try:
        body = forms.parse(
            RegisterRequest, {"name": name, "email": email.strip(), "password": password}
        )
        # A refused registration leaves nothing behind: its savepoint is rolled back.
        with forms.domain_errors_as_form(), session.begin_nested():
            issued = auth_service.register(
                session,
                settings,
                email=body.email,
                password=body.password,
                name=body.name,
                origin=origin,
            )
    except forms.FormInvalid as exc:
        context = {"values": values, "errors": exc.errors}
        return render.render(request, "register.html", context, status_code=exc.status)
    _start(request, issued)
    flash.push(request, "success", f"Welcome to Fiscus, {issued.user.name}.")
    return render.redirect(request, "/")


def _start(request: Request, issued: auth_service.IssuedTokens) -> None:
    """A new browser session: its cookies, and a CSRF token that was never seen before."""
    remember(request, issued)
    csrf.rotate(request)


@router.post("/logout")
def logout(request: Request, session: DbSession, ctx: MaybeUser) -> Response:
    if ctx is not None:
        auth_service.logout(session, ctx)
    forget(request)
    csrf.rotate(request)
    flash.push(request, "info", "You have been logged out.")
    return render.redirect(request, "/login")


@router.get("/")
def dashboard(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.TENANT_READ)
    page = shell.load(session, ctx)
    tenant = tenancy_service.tenant_read(page.current.tenant, page.current.role)
    context: dict[str, Any] = {
        "shell": page,
        "active": "dashboard",
        "tenant": tenant,
        "kinds": shell.TENANT_KINDS,
        "fiscal_year_start": shell.fiscal_year_label(tenant.fiscal_year_start),
        "can_update_tenant": allows(ctx.role, Permission.TENANT_UPDATE),
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
        "board": board.load(session, ctx) if allows(ctx.role, Permission.DATA_READ) else None,
        "money": money_text,
    }
    return render.render(request, "dashboard.html", context)


@router.post("/switch-tenant")
def switch_tenant(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    ctx: PageUser,
    tenant_id: Annotated[uuid.UUID, Form()],
) -> Response:
    issued = auth_service.switch_tenant(session, settings, ctx, tenant_id=tenant_id)
    remember(request, issued)
    flash.push(request, "success", f"Switched to {issued.access.tenant.name}.")
    return render.redirect(request, "/")


@router.get("/tenants/new")
def new_tenant_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    defaults = TenantCreate.model_fields
    values = {
        name: str(defaults[name].default)
        for name in ("kind", "base_currency", "timezone", "fiscal_year_start")
    }
    return _tenant_form(request, session, ctx, {"name": "", **values}, {}, status=200)


@router.post("/tenants/new")
def create_tenant(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    name: FormText = "",
    kind: FormText = "",
    base_currency: FormText = "",
    timezone: FormText = "",
    fiscal_year_start: FormText = "",
) -> Response:
    values = {
        "name": name,
        "kind": kind,
        "base_currency": base_currency.strip().upper(),
        "timezone": timezone.strip(),
        "fiscal_year_start": fiscal_year_start.strip(),
    }
    assert ctx.user_id is not None
    try:
        data = forms.parse(TenantCreate, values)
        with forms.domain_errors_as_form(), session.begin_nested():
            tenant = tenancy_service.create_tenant(
                session, owner_id=ctx.user_id, data=data, origin=ctx.origin
            )
    except forms.FormInvalid as exc:
        return _tenant_form(request, session, ctx, values, exc.errors, status=exc.status)
    flash.push(request, "success", f"Created {tenant.name}. Switch to it from the tenant menu.")
    return render.redirect(request, "/")


def _tenant_form(
    request: Request,
    session: DbSession,
    ctx: TenantContext,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    status: int,
) -> Response:
    """The page, or for HTMX only its form block, re-rendered with values and errors."""
    context: dict[str, Any] = {
        "shell": shell.load(session, ctx),
        "active": "new-tenant",
        "values": values,
        "errors": errors,
        "kinds": shell.TENANT_KINDS,
        "currencies": shell.COMMON_CURRENCIES,
        "timezones": shell.timezones(),
    }
    block = "tenant_form" if render.is_htmx(request) else None
    return render.render(request, "tenant_new.html", context, status_code=status, block=block)
