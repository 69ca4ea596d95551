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
_UNFINISHED = ("queued", "running")  # "running" again: a redelivery after a worker died
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
            progress = _ProgressReport(factory, tenant_id, job_id, session)
            result = body(session, job, progress)
        # The outcome is written in a transaction of its own, after the body's has ended:
        # on SQLite no other connection may write while the body's transaction is open.
        _update(
            factory,
            tenant_id,
            job_id,
            status="succeeded",
            result=json.dumps(result),
            finished_at=utcnow(),
            **progress.last,
        )
    except Exception as exc:
        log.exception("job failed", extra={"job_id": str(job_id)})
        message = exc.detail if isinstance(exc, DomainError) else f"{type(exc).__name__}"
        _update(factory, tenant_id, job_id, status="failed", error=message, finished_at=utcnow())


def _claim(factory: sessionmaker[Session], tenant_id: uuid.UUID, job_id: uuid.UUID) -> bool:
    """Mark the job running unless it already finished (or is unknown).

    One conditional UPDATE, before any read: atomic on every backend, and no SQLite
    transaction that must turn from reader into writer.
    """
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        repo = JobRepository(session, tenant_id)
        now = utcnow()
        attempts = Job.attempts + 1
        if not repo.set_fields(
            job_id, if_status=_UNFINISHED, status="running", started_at=now, attempts=attempts
        ):
            return False
        kind = _job(session, tenant_id, job_id).kind
        if kind not in _BODIES:
            repo.set_fields(
                job_id, status="failed", error=f"unknown job kind {kind}", finished_at=now
            )
            return False
        return True


def _job(session: Session, tenant_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    job = JobRepository(session, tenant_id).get(job_id)
    assert job is not None
    return job


class _ProgressReport:
    """A body's progress: shown live where a second writer may commit while the body's
    transaction is open (PostgreSQL); on SQLite, with its single writer, saved with the
    outcome (a separate write would wait for the body's transaction, then fail)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        tenant_id: uuid.UUID,
        job_id: uuid.UUID,
        session: Session,
    ) -> None:
        self.factory, self.tenant_id, self.job_id = factory, tenant_id, job_id
        self.live = session.get_bind().dialect.name != "sqlite"
        self.last: dict[str, Any] = {}

    def __call__(self, done: int, total: int | None) -> None:
        self.last = {"progress": done, "total": total}
        if self.live:
            _update(self.factory, self.tenant_id, self.job_id, **self.last)


def _update(
    factory: sessionmaker[Session], tenant_id: uuid.UUID, job_id: uuid.UUID, **values: Any
) -> None:
    """Set columns of the job in a short transaction of its own (one UPDATE, no prior read)."""
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        JobRepository(session, tenant_id).set_fields(job_id, **values)
