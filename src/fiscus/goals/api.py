"""JSON routes of /api/v1/goals."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fiscus.core.context import TenantContext
from fiscus.goals import service
from fiscus.goals.schemas import GoalCreate, GoalKind, GoalProgress, GoalRead, GoalUpdate
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/goals", tags=["goals"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@router.get("")
def list_goals(
    ctx: Reader,
    session: DbSession,
    paging: Paging,
    kind: GoalKind | None = None,
    include_archived: bool = False,
) -> Page[GoalRead]:
    rows, total = service.list_goals(
        session,
        ctx,
        kind=kind,
        include_archived=include_archived,
        offset=(paging.page - 1) * paging.limit,
        limit=paging.limit,
    )
    return Page.of([service.goal_read(g) for g in rows], total, paging)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_goal(body: GoalCreate, ctx: Writer, session: DbSession) -> GoalRead:
    return service.goal_read(service.create_goal(session, ctx, body))


@router.get("/{goal_id}")
def get_goal(goal_id: uuid.UUID, ctx: Reader, session: DbSession) -> GoalRead:
    return service.goal_read(service.get_goal(session, ctx, goal_id))


@router.get("/{goal_id}/progress")
def goal_progress(
    goal_id: uuid.UUID,
    ctx: Reader,
    session: DbSession,
    periods: Annotated[int, Query(ge=0, le=120, description="past periods to include")] = 0,
    as_of: Annotated[dt.date | None, Query(description="default: the tenant's today")] = None,
) -> GoalProgress:
    return service.goal_progress(session, ctx, goal_id, past=periods, as_of=as_of)


@router.patch("/{goal_id}")
def update_goal(goal_id: uuid.UUID, body: GoalUpdate, ctx: Writer, session: DbSession) -> GoalRead:
    return service.goal_read(service.update_goal(session, ctx, goal_id, body))


@router.delete("/{goal_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_goal(goal_id: uuid.UUID, ctx: Writer, session: DbSession) -> None:
    service.delete_goal(session, ctx, goal_id)
