"""Job use cases: enqueue (dispatched only after the transaction commits), read, list."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import NotFound
from fiscus.jobs import runner
from fiscus.jobs.models import Job
from fiscus.jobs.repository import JobRepository
from fiscus.jobs.schemas import JobRead

_PENDING = "fiscus.jobs.pending"


class JobNotFound(NotFound):
    """The job does not exist."""

    code = "job_not_found"


def enqueue(
    session: Session, ctx: TenantContext, *, kind: str, payload: dict[str, Any] | None = None
) -> Job:
    """Record a queued job; it is handed to a runner only if and when this transaction commits."""
    if kind not in runner.known_kinds():
        raise ValueError(f"no job body registered for {kind!r}")
    job = JobRepository(session, ctx.tenant_id).add(
        Job(
            tenant_id=ctx.tenant_id,
            kind=kind,
            status="queued",
            payload=json.dumps(payload or {}),
            created_by=ctx.user_id,
            created_at=utcnow(),
        )
    )
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="job.enqueue",
        resource_type="job",
        resource_id=job.id,
        after={"kind": kind},
    )
    session.info.setdefault(_PENDING, []).append((ctx.tenant_id, job.id))
    return job


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    for tenant_id, job_id in session.info.pop(_PENDING, []):
        runner.dispatch(tenant_id, job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def get_job(session: Session, ctx: TenantContext, job_id: uuid.UUID) -> JobRead:
    job = JobRepository(session, ctx.tenant_id).get(job_id)
    if job is None:
        raise JobNotFound()
    return job_read(job)


def list_jobs(
    session: Session, ctx: TenantContext, *, page: int, limit: int
) -> tuple[list[JobRead], int]:
    rows, total = JobRepository(session, ctx.tenant_id).recent(page=page, limit=limit)
    return [job_read(j) for j in rows], total


def job_read(job: Job) -> JobRead:
    return JobRead(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        total=job.total,
        result=json.loads(job.result) if job.result else None,
        error=job.error,
        attempts=job.attempts,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )
