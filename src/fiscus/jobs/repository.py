"""Queries of jobs. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import update

from fiscus.db.repository import TenantRepository
from fiscus.jobs.models import Job


class JobRepository(TenantRepository):
    def get(self, job_id: uuid.UUID) -> Job | None:
        return self.session.scalars(self._select(Job).where(Job.id == job_id)).first()

    def set_fields(
        self, job_id: uuid.UUID, *, if_status: tuple[str, ...] | None = None, **values: Any
    ) -> bool:
        """Set columns with one UPDATE and no read before it; False if no row matched."""
        query = update(Job).where(Job.tenant_id == self.tenant_id, Job.id == job_id)
        if if_status is not None:
            query = query.where(Job.status.in_(if_status))
        return bool(self.session.execute(query.values(**values)).rowcount)  # type: ignore[attr-defined]

    def recent(self, *, page: int, limit: int) -> tuple[list[Job], int]:
        query = self._select(Job)
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(Job.created_at.desc(), Job.id).offset((page - 1) * limit).limit(limit)
        )
        return list(rows), total
