"""Notification table (tenant data: row-level security on PostgreSQL, see migrations)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.core.clock import utcnow
from fiscus.db.base import Base, IdMixin

LEVELS = ("info", "warning", "danger")


class Notification(IdMixin, Base):
    """Something the tenant's members should see, recorded once per `dedupe_key`."""

    __tablename__ = "notification"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # e.g. goal.warning, goal.exceeded
    level: Mapped[str] = mapped_column(String(10), default="info")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(2000), default="")
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None]
    # e.g. "goal:<id>:2026-11-01:exceeded": an alert is recorded once per goal and period.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key"),
        Index("ix_notification_tenant_created", "tenant_id", "created_at"),
        CheckConstraint(f"level IN {LEVELS!r}", name="level"),
    )
