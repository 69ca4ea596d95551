"""Notification use cases: record (once per dedupe key), list, mark read.

Notifications belong to the tenant, not to one member: reading one marks it read for
everyone in the tenant. Other domains record them inside their own transaction (goal
alerts are recorded by the postings listener); marking read is audited.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import NotFound
from fiscus.notifications.models import LEVELS, Notification
from fiscus.notifications.repository import NotificationRepository
from fiscus.notifications.schemas import NotificationRead


class NotificationNotFound(NotFound):
    """The notification does not exist."""

    code = "notification_not_found"


def notification_read(row: Notification) -> NotificationRead:
    return NotificationRead.model_validate(
        {c: getattr(row, c) for c in NotificationRead.model_fields}
    )


def record(
    session: Session,
    tenant_id: uuid.UUID,
    *,
    kind: str,
    level: str,
    title: str,
    body: str = "",
    subject_type: str | None = None,
    subject_id: uuid.UUID | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Record a notification in the caller's transaction; with a `dedupe_key`, only once
    per tenant (True if this call recorded it)."""
    if level not in LEVELS:
        raise ValueError(f"unknown notification level {level!r}")
    return NotificationRepository(session, tenant_id).insert_once(
        {
            "kind": kind,
            "level": level,
            "title": title[:200],
            "body": body[:2000],
            "subject_type": subject_type,
            "subject_id": subject_id,
            "dedupe_key": dedupe_key,
            "created_at": utcnow(),
        }
    )


def has_key(session: Session, tenant_id: uuid.UUID, dedupe_key: str) -> bool:
    """Whether a notification with `dedupe_key` has been recorded."""
    return NotificationRepository(session, tenant_id).has_key(dedupe_key)


def list_notifications(
    session: Session, ctx: TenantContext, *, unread: bool = False, offset: int = 0, limit: int = 50
) -> tuple[list[Notification], int]:
    """Newest first."""
    return NotificationRepository(session, ctx.tenant_id).listed(
        unread=unread, offset=offset, limit=limit
    )


def unread_count(session: Session, ctx: TenantContext) -> int:
    return NotificationRepository(session, ctx.tenant_id).unread_count()


def mark_read(session: Session, ctx: TenantContext, notification_id: uuid.UUID) -> Notification:
    """Mark one notification read (reading it again changes nothing)."""
    row = NotificationRepository(session, ctx.tenant_id).get(notification_id)
    if row is None:
        raise NotificationNotFound()
    if row.read_at is None:
        row.read_at = utcnow()
        session.flush()
        audit_service.record(
            session,
            ctx,
            action="notification.read",
            resource_type="notification",
            resource_id=row.id,
        )
    return row


def mark_all_read(session: Session, ctx: TenantContext) -> int:
    """Mark every unread notification read; how many were."""
    marked = NotificationRepository(session, ctx.tenant_id).mark_all_read(utcnow())
    if marked:
        audit_service.record(
            session,
            ctx,
            action="notification.read_all",
            resource_type="notification",
            after={"marked": marked},
        )
    return marked
