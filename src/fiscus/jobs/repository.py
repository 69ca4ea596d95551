"""Queries of jobs. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid

from fiscus.db.repository import TenantRepository
from fiscus.jobs.models import Job


class JobRepository(TenantRepository):
    def get(self, job_id: uuid.UUID) -> Job | None:
        return self.session.scalars(self._select(Job).where(Job.id == job_id)).first()

    def get_for_update(self, job_id: uuid.UUID) -> Job | None:
        query = self._select(Job).where(Job.id == job_id).with_for_update()
        return self.session.scalars(query).first()

    def recent(self, *, page: int, limit: int) -> tuple[list[Job], int]:
        query = self._select(Job)
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(Job.created_at.desc(), Job.id).offset((page - 1) * limit).limit(limit)
        )
        return list(rows), total
