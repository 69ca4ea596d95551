"""Queries of the audit trail. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Select, select

from fiscus.audit.models import AuditChainHead, AuditEvent
from fiscus.db.repository import TenantRepository


class AuditRepository(TenantRepository):
    def lock_head(self) -> AuditChainHead | None:
        """The chain head, locked until commit so that writers of one tenant take turns."""
        query = self._select(AuditChainHead).with_for_update()
        return self.session.scalars(query).first()

    def head(self) -> AuditChainHead | None:
        return self.session.scalars(self._select(AuditChainHead)).first()

    def filtered(
        self,
        *,
        user_id: uuid.UUID | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
    ) -> Select[AuditEvent]:
        query = self._select(AuditEvent)
        conditions: list[Any] = []
        if user_id is not None:
            conditions.append(AuditEvent.actor_user_id == user_id)
        if action:
            conditions.append(AuditEvent.action == action)
        if resource_type:
            conditions.append(AuditEvent.resource_type == resource_type)
        if resource_id:
            conditions.append(AuditEvent.resource_id == resource_id)
        if date_from is not None:
            conditions.append(AuditEvent.occurred_at >= date_from)
        if date_to is not None:
            conditions.append(AuditEvent.occurred_at < date_to)
        return query.where(*conditions)

    def page(
        self, query: Select[AuditEvent], *, page: int, limit: int
    ) -> tuple[list[AuditEvent], int]:
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(AuditEvent.seq.desc()).offset((page - 1) * limit).limit(limit)
        ).all()
        return list(rows), total

    def all_in_order(self, query: Select[AuditEvent], limit: int) -> list[AuditEvent]:
        return list(self.session.scalars(query.order_by(AuditEvent.seq).limit(limit)).all())

    def chain(self, batch_size: int = 1000) -> Iterator[RowMapping]:
        """Every event of the tenant in `seq` order, read in keyset batches (Core, no ORM)."""
        table = AuditEvent.__table__
        last_seq = 0
        while True:
            query = (
                select(table)
                .where(table.c.tenant_id == self.tenant_id, table.c.seq > last_seq)
                .order_by(table.c.seq)
                .limit(batch_size)
            )
            rows = self.session.execute(query).mappings().all()
            if not rows:
                return
            yield from rows
            last_seq = rows[-1]["seq"]
