"""Queries of tenants and memberships. Never commits.

Two views: `MemberRepository` sees one tenant's memberships (tenant-scoped like every
repository); `AccountTenants` sees the tenants of one user's own account, which is what
login and the tenant switcher need (RLS allows exactly that through `app.user_id`).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Uuid, bindparam, func, select
from sqlalchemy.orm import Session

from fiscus.db.pipelined import Read
from fiscus.db.repository import TenantRepository
from fiscus.tenancy.models import Membership, Tenant

_TIMEZONE = select(Tenant.timezone).where(Tenant.id == bindparam("tenant_id", type_=Uuid()))


def tenant_timezone_read(tenant_id: uuid.UUID) -> Read:
    """The tenant's time zone (no row: no such tenant), as one read of a pipelined unit
    of work (`db/pipelined.py`)."""
    return Read(_TIMEZONE, {"tenant_id": tenant_id})


class MemberRepository(TenantRepository):
    def tenant(self) -> Tenant | None:
        return self.session.get(Tenant, self.tenant_id)

    def members(self) -> list[Membership]:
        query = self._select(Membership).order_by(Membership.created_at, Membership.id)
        return list(self.session.scalars(query))

    def member(self, user_id: uuid.UUID) -> Membership | None:
        query = self._select(Membership).where(Membership.user_id == user_id)
        return self.session.scalars(query).first()

    def owner_count(self) -> int:
        query = self._select(Membership).where(Membership.role == "owner")
        return self._count(query)

    def lock_owners(self) -> None:
        """Lock the owner rows so two concurrent removals cannot both pass the last-owner check."""
        query = self._select(Membership).where(Membership.role == "owner").with_for_update()
        self.session.scalars(query).all()


class AccountTenants:
    def __init__(self, session: Session, user_id: uuid.UUID) -> None:
        self.session = session
        self.user_id = user_id

    def memberships(self) -> list[tuple[Tenant, str]]:
        query = (
            select(Tenant, Membership.role)
            .join(Membership, Membership.tenant_id == Tenant.id)
            .where(Membership.user_id == self.user_id)
            .order_by(Membership.created_at, Tenant.name)
        )
        return [(tenant, role) for tenant, role in self.session.execute(query)]

    def role_in(self, tenant_id: uuid.UUID) -> str | None:
        query = select(Membership.role).where(
            Membership.user_id == self.user_id, Membership.tenant_id == tenant_id
        )
        return self.session.scalar(query)

    def count(self) -> int:
        query = select(func.count()).where(Membership.user_id == self.user_id)
        return int(self.session.scalar(query) or 0)
