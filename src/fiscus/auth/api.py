"""JSON routes of /api/v1/auth: translate HTTP to the auth service and back."""

from __future__ import annotations

from fastapi import APIRouter, status

from fiscus.auth import service
from fiscus.auth.schemas import (
    ChangePasswordRequest,
    LoginRequest,
    MeResponse,
    RefreshRequest,
    RegisterRequest,
    SwitchTenantRequest,
    TokenResponse,
)
from fiscus.tenancy import service as tenancy_service
from fiscus.users import service as users_service
from fiscus.users.schemas import UserRead
from fiscus.web.deps import AppSettings, Caller, DbSession, RequestOrigin

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def token_response(issued: service.IssuedTokens) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        user=UserRead.model_validate(issued.user),
        tenant=tenancy_service.tenant_read(issued.access.tenant, issued.access.role),
    )


@router.post("/register", status_code=status.HTTP_201_CREATED)
def register(
    body: RegisterRequest, session: DbSession, settings: AppSettings, origin: RequestOrigin
) -> TokenResponse:
    issued = service.register(
        session,
        settings,
        email=body.email,
        password=body.password,
        name=body.name,
        origin=origin,
    )
    return token_response(issued)


@router.post("/login")
def login(
    body: LoginRequest, session: DbSession, settings: AppSettings, origin: RequestOrigin
) -> TokenResponse:
    issued = service.login(
        session,
        settings,
        email=body.email,
        password=body.password,
        origin=origin,
        tenant_id=body.tenant_id,
    )
    return token_response(issued)


@router.post("/refresh")
def refresh(
    body: RefreshRequest, session: DbSession, settings: AppSettings, origin: RequestOrigin
) -> TokenResponse:
    issued = service.refresh(session, settings, refresh_token=body.refresh_token, origin=origin)
    return token_response(issued)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(ctx: Caller, session: DbSession) -> None:
    service.logout(session, ctx)


@router.post("/logout-all")
def logout_all(ctx: Caller, session: DbSession) -> dict[str, int]:
    return {"sessions_revoked": service.logout_all(session, ctx)}


@router.get("/me")
def me(ctx: Caller, session: DbSession) -> MeResponse:
    assert ctx.user_id is not None
    user = users_service.get_user(session, ctx.user_id)
    tenants = tenancy_service.tenants_of(session, ctx.user_id)
    current = next(a for a in tenants if a.tenant.id == ctx.tenant_id)
    return MeResponse(
        user=UserRead.model_validate(user),
        tenant=tenancy_service.tenant_read(current.tenant, current.role),
        role=ctx.role,
        tenants=[tenancy_service.tenant_read(a.tenant, a.role) for a in tenants],
    )


@router.post("/change-password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: ChangePasswordRequest, ctx: Caller, session: DbSession) -> None:
    service.change_password(
        session, ctx, current_password=body.current_password, new_password=body.new_password
    )


@router.post("/switch-tenant")
def switch_tenant(
    body: SwitchTenantRequest, ctx: Caller, session: DbSession, settings: AppSettings
) -> TokenResponse:
    return token_response(service.switch_tenant(session, settings, ctx, tenant_id=body.tenant_id))
