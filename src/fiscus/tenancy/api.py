"""JSON routes of /api/v1/tenants and their members."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from fiscus.core.context import TenantContext
from fiscus.tenancy import service
from fiscus.tenancy.permissions import Permission
from fiscus.tenancy.schemas import (
    MemberInvite,
    MemberRead,
    MemberUpdate,
    TenantCreate,
    TenantRead,
    TenantUpdate,
)
from fiscus.web.deps import Caller, DbSession, require_in_path

router = APIRouter(prefix="/api/v1/tenants", tags=["tenants"])

TenantReader = Annotated[TenantContext, Depends(require_in_path(Permission.TENANT_READ))]
TenantEditor = Annotated[TenantContext, Depends(require_in_path(Permission.TENANT_UPDATE))]
MemberReader = Annotated[TenantContext, Depends(require_in_path(Permission.MEMBER_READ))]
MemberManager = Annotated[TenantContext, Depends(require_in_path(Permission.MEMBER_MANAGE))]


@router.get("")
def list_tenants(ctx: Caller, session: DbSession) -> list[TenantRead]:
    """The tenants the caller belongs to, with the caller's role in each."""
    assert ctx.user_id is not None
    return [service.tenant_read(a.tenant, a.role) for a in service.tenants_of(session, ctx.user_id)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_tenant(body: TenantCreate, ctx: Caller, session: DbSession) -> TenantRead:
    """Any signed-in user may create a tenant; they become its owner."""
    assert ctx.user_id is not None
    tenant = service.create_tenant(session, owner_id=ctx.user_id, data=body, origin=ctx.origin)
    return service.tenant_read(tenant, "owner")


@router.get("/{tenant_id}")
def get_tenant(tenant_id: uuid.UUID, ctx: TenantReader, session: DbSession) -> TenantRead:
    access = service.access(session, ctx.user_id, tenant_id)  # type: ignore[arg-type]
    return service.tenant_read(access.tenant, access.role)


@router.patch("/{tenant_id}")
def update_tenant(
    tenant_id: uuid.UUID, body: TenantUpdate, ctx: TenantEditor, session: DbSession
) -> TenantRead:
    return service.tenant_read(service.update_tenant(session, ctx, body), ctx.role)


@router.get("/{tenant_id}/members")
def list_members(tenant_id: uuid.UUID, ctx: MemberReader, session: DbSession) -> list[MemberRead]:
    return service.list_members(session, ctx)


@router.post("/{tenant_id}/members", status_code=status.HTTP_201_CREATED)
def invite_member(
    tenant_id: uuid.UUID, body: MemberInvite, ctx: MemberManager, session: DbSession
) -> MemberRead:
    return service.invite_member(session, ctx, email=body.email, role=body.role)


@router.patch("/{tenant_id}/members/{user_id}")
def change_member_role(
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MemberUpdate,
    ctx: MemberManager,
    session: DbSession,
) -> MemberRead:
    return service.change_role(session, ctx, user_id=user_id, role=body.role)


@router.delete("/{tenant_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(
    tenant_id: uuid.UUID, user_id: uuid.UUID, ctx: MemberManager, session: DbSession
) -> None:
    service.remove_member(session, ctx, user_id=user_id)
