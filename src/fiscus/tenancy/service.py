"""Tenant and membership use cases. Every change is audited in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import Origin, TenantContext
from fiscus.core.errors import Conflict, Forbidden, NotFound
from fiscus.core.ids import new_id
from fiscus.db.pipelined import Read, Rows
from fiscus.db.session import bind_scope
from fiscus.tenancy.models import Membership, Tenant
from fiscus.tenancy.permissions import Role
from fiscus.tenancy.repository import AccountTenants, MemberRepository, tenant_timezone_read
from fiscus.tenancy.schemas import MemberRead, TenantCreate, TenantRead, TenantUpdate
from fiscus.users import service as users_service


class TenantNotFound(NotFound):
    """The tenant does not exist."""

    code = "tenant_not_found"


class MemberNotFound(NotFound):
    """This user is not a member of the tenant."""

    code = "member_not_found"


class AlreadyMember(Conflict):
    """This user is already a member of the tenant."""

    code = "already_member"


class LastOwner(Conflict):
    """The last owner of a tenant cannot be removed or demoted; make someone else owner first."""

    code = "last_owner"


class OwnerOnly(Forbidden):
    """Only an owner can grant, change or remove the owner role."""

    code = "owner_only"


@dataclass(frozen=True, slots=True)
class Access:
    """A user's membership of one tenant."""

    tenant: Tenant
    role: str


def tenant_read(tenant: Tenant, role: str | None = None) -> TenantRead:
    return TenantRead(
        id=tenant.id,
        name=tenant.name,
        kind=tenant.kind,
        base_currency=tenant.base_currency,
        timezone=tenant.timezone,
        locale=tenant.locale,
        fiscal_year_start=f"{tenant.fiscal_year_start_month:02d}-{tenant.fiscal_year_start_day:02d}",
        role=Role(role) if role else None,
        created_at=tenant.created_at,
        updated_at=tenant.updated_at,
    )


def _snapshot(tenant: Tenant) -> dict[str, Any]:
    return tenant_read(tenant).model_dump(mode="json", exclude={"role", "created_at", "updated_at"})


def create_tenant(
    session: Session, *, owner_id: uuid.UUID, data: TenantCreate, origin: Origin
) -> Tenant:
    """Create a tenant with `owner_id` as its owner; the session is now scoped to it."""
    month, day = (int(part) for part in data.fiscal_year_start.split("-"))
    tenant = Tenant(
        id=new_id(),
        name=data.name,
        kind=data.kind,
        base_currency=data.base_currency,
        timezone=data.timezone,
        locale=data.locale,
        fiscal_year_start_month=month,
        fiscal_year_start_day=day,
    )
    bind_scope(session, tenant_id=tenant.id, user_id=owner_id)
    session.add(tenant)
    session.flush()  # the tenant row must exist before its first membership
    session.add(
        Membership(tenant_id=tenant.id, user_id=owner_id, role=Role.OWNER, created_at=utcnow())
    )
    session.flush()
    ctx = TenantContext(tenant_id=tenant.id, user_id=owner_id, role=Role.OWNER, origin=origin)
    audit_service.record(
        session,
        ctx,
        action="tenant.create",
        resource_type="tenant",
        resource_id=tenant.id,
        after=_snapshot(tenant),
    )
    audit_service.record(
        session,
        ctx,
        action="member.add",
        resource_type="membership",
        resource_id=owner_id,
        after={"user_id": str(owner_id), "role": Role.OWNER.value},
    )
    return tenant


def tenants_of(session: Session, user_id: uuid.UUID) -> list[Access]:
    return [Access(t, role) for t, role in AccountTenants(session, user_id).memberships()]


def access(session: Session, user_id: uuid.UUID, tenant_id: uuid.UUID) -> Access:
    """The user's membership of a tenant; another tenant's id is simply not found."""
    role = AccountTenants(session, user_id).role_in(tenant_id)
    tenant = session.get(Tenant, tenant_id) if role else None
    if tenant is None or role is None:
        raise TenantNotFound()
    return Access(tenant, role)


def update_tenant(session: Session, ctx: TenantContext, data: TenantUpdate) -> Tenant:
    tenant = MemberRepository(session, ctx.tenant_id).tenant()
    if tenant is None:
        raise TenantNotFound()
    before = _snapshot(tenant)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "fiscal_year_start" in changes:
        month, day = (int(p) for p in changes.pop("fiscal_year_start").split("-"))
        tenant.fiscal_year_start_month, tenant.fiscal_year_start_day = month, day
    for key, value in changes.items():
        setattr(tenant, key, value)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="tenant.update",
        resource_type="tenant",
        resource_id=tenant.id,
        before=before,
        after=_snapshot(tenant),
    )
    return tenant


def list_members(session: Session, ctx: TenantContext) -> list[MemberRead]:
    members = MemberRepository(session, ctx.tenant_id).members()
    users = users_service.users_by_id(session, (m.user_id for m in members))
    return [_member_read(m, users[m.user_id]) for m in members if m.user_id in users]


def _member_read(member: Membership, user: Any) -> MemberRead:
    return MemberRead(
        user_id=member.user_id,
        email=user.email,
        name=user.name,
        role=Role(member.role),
        joined_at=member.created_at,
    )


def invite_member(session: Session, ctx: TenantContext, *, email: str, role: Role) -> MemberRead:
    _guard_owner_role(ctx, role)
    user = users_service.find_by_email(session, email)
    repo = MemberRepository(session, ctx.tenant_id)
    if repo.member(user.id) is not None:
        raise AlreadyMember(field="email")
    member = repo.add(
        Membership(tenant_id=ctx.tenant_id, user_id=user.id, role=role, created_at=utcnow())
    )
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="member.add",
        resource_type="membership",
        resource_id=user.id,
        after={"user_id": str(user.id), "email": user.email, "role": role.value},
    )
    return _member_read(member, user)


def change_role(
    session: Session, ctx: TenantContext, *, user_id: uuid.UUID, role: Role
) -> MemberRead:
    repo = MemberRepository(session, ctx.tenant_id)
    member = _member(repo, user_id)
    _guard_owner_role(ctx, role, Role(member.role))
    if member.role == Role.OWNER and role != Role.OWNER:
        _guard_last_owner(repo)
    before = {"role": member.role}
    member.role = role
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="member.change_role",
        resource_type="membership",
        resource_id=user_id,
        before=before,
        after={"role": role.value},
    )
    return _member_read(member, users_service.get_user(session, user_id))


def remove_member(session: Session, ctx: TenantContext, *, user_id: uuid.UUID) -> None:
    repo = MemberRepository(session, ctx.tenant_id)
    member = _member(repo, user_id)
    _guard_owner_role(ctx, Role(member.role))
    if member.role == Role.OWNER:
        _guard_last_owner(repo)
    before = {"user_id": str(user_id), "role": member.role}
    session.delete(member)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="member.remove",
        resource_type="membership",
        resource_id=user_id,
        before=before,
    )


def _member(repo: MemberRepository, user_id: uuid.UUID) -> Membership:
    member = repo.member(user_id)
    if member is None:
        raise MemberNotFound()
    return member


def _guard_owner_role(ctx: TenantContext, *roles: Role) -> None:
    if Role.OWNER in roles and ctx.role != Role.OWNER:
        raise OwnerOnly()


def _guard_last_owner(repo: MemberRepository) -> None:
    repo.lock_owners()
    if repo.owner_count() <= 1:
        raise LastOwner()


def base_currency(session: Session, tenant_id: uuid.UUID) -> str:
    tenant = MemberRepository(session, tenant_id).tenant()
    if tenant is None:
        raise TenantNotFound()
    return tenant.base_currency


def timezone_read(tenant_id: uuid.UUID) -> Read:
    """The read `today_from` answers from: the tenant's time zone."""
    return tenant_timezone_read(tenant_id)


def today_from(rows: Rows, now: datetime) -> date:
    """`today` at the instant `now`, from the rows of `timezone_read`."""
    if not rows:
        raise TenantNotFound()
    return now.astimezone(ZoneInfo(str(rows[0][0]))).date()


def today(session: Session, tenant_id: uuid.UUID) -> date:
    """Today's date where the tenant lives (its time zone), not on the server."""
    tenant = MemberRepository(session, tenant_id).tenant()
    if tenant is None:
        raise TenantNotFound()
    return utcnow().astimezone(ZoneInfo(tenant.timezone)).date()
