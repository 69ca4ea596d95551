"""Background job bodies of the insights domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fiscus.insights import service
from fiscus.jobs.models import Job
from fiscus.jobs.runner import Progress, job_body


@job_body(service.TRAIN_JOB)
def train(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Retrain the tenant's model from its confirmed history (idempotent: a rerun
    rebuilds the same counts from the same books)."""
    return {"examples": service.train(session, job.tenant_id, progress)}


@job_body(service.CATCH_UP_JOB)
def catch_up(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Learn the entries queued by the writes before it (idempotent: a rerun finds the
    queue empty)."""
    return {"examples_changed": service.catch_up(session, job.tenant_id)}
