"""JSON routes of /api/v1/jobs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from fiscus.core.context import TenantContext
from fiscus.jobs import service
from fiscus.jobs.schemas import JobRead
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

JobReader = Annotated[TenantContext, Depends(require(Permission.JOB_READ))]


@router.get("")
def list_jobs(ctx: JobReader, session: DbSession, paging: Paging) -> Page[JobRead]:
    items, total = service.list_jobs(session, ctx, page=paging.page, limit=paging.limit)
    return Page[JobRead].of(items, total, paging)


@router.get("/{job_id}")
def get_job(job_id: uuid.UUID, ctx: JobReader, session: DbSession) -> JobRead:
    return service.get_job(session, ctx, job_id)
