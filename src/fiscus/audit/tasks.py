"""Background job bodies of the audit domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service
from fiscus.jobs.models import Job
from fiscus.jobs.runner import Progress, job_body


@job_body(service.VERIFY_CHAIN_JOB)
def verify_chain(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Recompute the tenant's hash chain; the report becomes the job's result."""
    report = service.verify_chain(session, job.tenant_id)
    progress(report.events_checked, report.events_checked)
    return {
        "valid": report.valid,
        "events_checked": report.events_checked,
        "first_broken_seq": report.first_broken_seq,
        "reason": report.reason,
    }
