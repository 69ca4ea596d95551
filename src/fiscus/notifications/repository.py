"""Queries of notifications. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.core.ids import new_id
from fiscus.db.repository import TenantRepository
from fiscus.notifications.models import Notification


class NotificationRepository(TenantRepository):
    def get(self, notification_id: uuid.UUID) -> Notification | None:
        query = self._select(Notification).where(Notification.id == notification_id)
        return self.session.scalars(query).first()

    def listed(self, *, unread: bool, offset: int, limit: int) -> tuple[list[Notification], int]:
        query = self._select(Notification)
        if unread:
            query = query.where(Notification.read_at.is_(None))
        total = self._count(query)
        order = (Notification.created_at.desc(), Notification.id)
        rows = self.session.scalars(query.order_by(*order).offset(offset).limit(limit))
        return list(rows), total

    def has_key(self, dedupe_key: str) -> bool:
        query = select(Notification.id).where(
            Notification.tenant_id == self.tenant_id, Notification.dedupe_key == dedupe_key
        )
        return self.session.scalar(query) is not None

    def unread_count(self) -> int:
        return self._count(self._select(Notification).where(Notification.read_at.is_(None)))

    def mark_all_read(self, now: datetime) -> int:
        result = self.session.execute(
            update(Notification)
            .where(Notification.tenant_id == self.tenant_id, Notification.read_at.is_(None))
            .values(read_at=now)
            .execution_options(synchronize_session="fetch")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def insert_once(self, values: dict[str, Any]) -> bool:
        """Insert unless a row with the same `dedupe_key` exists; True if inserted.

        `ON CONFLICT DO NOTHING` on the `(tenant_id, dedupe_key)` unique constraint, so two
        concurrent writers of the same alert record it once and neither fails.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(Notification)
            .values(id=new_id(), tenant_id=self.tenant_id, **values)
            .on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
        )
        result = self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))
