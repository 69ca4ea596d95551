"""Queries of rules. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update

from fiscus.db.repository import TenantRepository
from fiscus.rules.models import Rule

ACCOUNT_COLUMNS = ("account_id", "category_id", "set_category_id", "transfer_account_id")


class RuleRepository(TenantRepository):
    def get(self, rule_id: uuid.UUID) -> Rule | None:
        return self.session.scalars(self._select(Rule).where(Rule.id == rule_id)).first()

    def ordered(self, *, enabled_only: bool = False) -> list[Rule]:
        query = self._select(Rule)
        if enabled_only:
            query = query.where(Rule.is_enabled.is_(True))
        return list(self.session.scalars(query.order_by(Rule.position, Rule.created_at, Rule.id)))

    def count(self) -> int:
        query = select(func.count()).select_from(Rule).where(Rule.tenant_id == self.tenant_id)
        return int(self.session.scalar(query) or 0)

    def repoint(self, old_id: uuid.UUID, new_id: uuid.UUID) -> int:
        """Every reference to account `old_id`, in conditions and actions, to `new_id`."""
        moved = 0
        for name in ACCOUNT_COLUMNS:
            column = getattr(Rule, name)
            result = self.session.execute(
                update(Rule)
                .where(Rule.tenant_id == self.tenant_id, column == old_id)
                .values({name: new_id})
                .execution_options(synchronize_session="fetch")
            )
            moved += int(getattr(result, "rowcount", 0) or 0)
        return moved
