"""Queries of goals. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from fiscus.db.repository import TenantRepository
from fiscus.goals.models import Goal


class GoalRepository(TenantRepository):
    def get(self, goal_id: uuid.UUID) -> Goal | None:
        return self.session.scalars(self._select(Goal).where(Goal.id == goal_id)).first()

    def listed(
        self, *, kind: str | None, include_archived: bool, offset: int, limit: int
    ) -> tuple[list[Goal], int]:
        query = self._select(Goal)
        if kind:
            query = query.where(Goal.kind == kind)
        if not include_archived:
            query = query.where(Goal.is_archived.is_(False))
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(Goal.kind, Goal.name, Goal.id).offset(offset).limit(limit)
        )
        return list(rows), total

    def active(self, kind: str | None = None) -> list[Goal]:
        """Goals not archived (of one kind): one query on the tenant-leading index."""
        query = self._select(Goal).where(Goal.is_archived.is_(False))
        if kind:
            query = query.where(Goal.kind == kind)
        return list(self.session.scalars(query.order_by(Goal.kind, Goal.name, Goal.id)))

    def repoint(self, old_id: uuid.UUID, new_id: uuid.UUID) -> int:
        """Move every goal on account `old_id` to `new_id`; how many moved."""
        result = self.session.execute(
            update(Goal)
            .where(Goal.tenant_id == self.tenant_id, Goal.account_id == old_id)
            .values(account_id=new_id)
            .execution_options(synchronize_session="fetch")
        )
        return int(getattr(result, "rowcount", 0) or 0)
