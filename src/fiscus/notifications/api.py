"""JSON routes of /api/v1/notifications."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from fiscus.core.context import TenantContext
from fiscus.notifications import service
from fiscus.notifications.schemas import NotificationRead, ReadAllResult
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]


@router.get("")
def list_notifications(
    ctx: Reader, session: DbSession, paging: Paging, unread: bool = False
) -> Page[NotificationRead]:
    """Newest first; `unread=true` for the unread ones only."""
    rows, total = service.list_notifications(
        session,
        ctx,
        unread=unread,
        offset=(paging.page - 1) * paging.limit,
        limit=paging.limit,
    )
    return Page.of([service.notification_read(r) for r in rows], total, paging)


@router.post("/read-all")
def read_all(ctx: Reader, session: DbSession) -> ReadAllResult:
    return ReadAllResult(marked=service.mark_all_read(session, ctx))


@router.post("/{notification_id}/read")
def read_one(notification_id: uuid.UUID, ctx: Reader, session: DbSession) -> NotificationRead:
    return service.notification_read(service.mark_read(session, ctx, notification_id))
