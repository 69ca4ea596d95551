"""Background job bodies of the imports domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fiscus.imports import service
from fiscus.jobs.models import Job
from fiscus.jobs.runner import Progress, job_body


@job_body(service.COMMIT_JOB)
def commit_import(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Book an import in one unit of work; a redelivered job finds it booked."""
    return service.run_commit_job(session, job, progress)
