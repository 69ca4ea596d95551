"""Job bodies and how they run.

A job body is registered by kind (`@job_body("audit.verify")`) in its domain's
`tasks.py`. `run_job` executes one job by id in its own sessions; it is idempotent: a
job that already finished is not run again, so a redelivered Celery message (acks_late)
or a duplicate submission has the effect of one run.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.clock import utcnow
from fiscus.core.errors import DomainError
from fiscus.db.session import bind_scope, unit_of_work
from fiscus.jobs.models import Job
from fiscus.jobs.repository import JobRepository

log = logging.getLogger("fiscus.jobs")

Progress = Callable[[int, int | None], None]
JobBody = Callable[[Session, Job, Progress], dict[str, Any]]
Dispatch = Callable[[uuid.UUID, uuid.UUID], None]

_BODIES: dict[str, JobBody] = {}
_dispatch: list[Dispatch] = []


def job_body(kind: str) -> Callable[[JobBody], JobBody]:
    def register(body: JobBody) -> JobBody:
        _BODIES[kind] = body
        return body

    return register


def known_kinds() -> frozenset[str]:
    return frozenset(_BODIES)


def set_dispatcher(dispatch: Dispatch | None) -> None:
    """Install how committed jobs reach a runner (in-process threads or Celery)."""
    _dispatch[:] = [dispatch] if dispatch else []


def dispatch(tenant_id: uuid.UUID, job_id: uuid.UUID) -> None:
    if not _dispatch:
        log.warning("no job dispatcher installed; job stays queued", extra={"job_id": str(job_id)})
        return
    _dispatch[0](tenant_id, job_id)


def run_job(factory: sessionmaker[Session], tenant_id: uuid.UUID, job_id: uuid.UUID) -> None:
    if not _claim(factory, tenant_id, job_id):
        return
    try:
        with unit_of_work(factory) as session:
            bind_scope(session, tenant_id=tenant_id, user_id=None)
            job = _job(session, tenant_id, job_id)
            body = _BODIES[job.kind]
            result = body(session, job, _progress_updater(factory, tenant_id, job_id))
        # The outcome is written in a transaction of its own, after the body's commits: on
        # SQLite (WAL) the body's transaction, which read before the progress updater
        # committed from another connection, could no longer write ("database is locked").
        _update(
            factory,
            tenant_id,
            job_id,
            status="succeeded",
            result=json.dumps(result),
            finished_at=utcnow(),
        )
    except Exception as exc:
        log.exception("job failed", extra={"job_id": str(job_id)})
        message = exc.detail if isinstance(exc, DomainError) else f"{type(exc).__name__}"
        _update(factory, tenant_id, job_id, status="failed", error=message, finished_at=utcnow())


def _claim(factory: sessionmaker[Session], tenant_id: uuid.UUID, job_id: uuid.UUID) -> bool:
    """Mark the job running unless it already finished (or is unknown)."""
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        job = JobRepository(session, tenant_id).get_for_update(job_id)
        if job is None or job.status in ("succeeded", "failed"):
            return False
        if job.kind not in _BODIES:
            job.status, job.error, job.finished_at = (
                "failed",
                f"unknown job kind {job.kind}",
                utcnow(),
            )
            return False
        job.status, job.started_at, job.attempts = "running", utcnow(), job.attempts + 1
        return True


def _job(session: Session, tenant_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    job = JobRepository(session, tenant_id).get(job_id)
    assert job is not None
    return job


def _progress_updater(
    factory: sessionmaker[Session], tenant_id: uuid.UUID, job_id: uuid.UUID
) -> Progress:
    def report(done: int, total: int | None) -> None:
        _update(factory, tenant_id, job_id, progress=done, total=total)

    return report


def _update(
    factory: sessionmaker[Session], tenant_id: uuid.UUID, job_id: uuid.UUID, **values: Any
) -> None:
    """Set columns of the job in a short transaction of its own (one UPDATE, no prior read)."""
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        session.execute(
            update(Job).where(Job.tenant_id == tenant_id, Job.id == job_id).values(**values)
        )
