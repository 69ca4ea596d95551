"""Tenants and memberships (row-level security on PostgreSQL: see migrations)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin


class Tenant(IdMixin, TimestampMixin, Base):
    __tablename__ = "tenant"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    base_currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(35))
    fiscal_year_start_month: Mapped[int]
    fiscal_year_start_day: Mapped[int]

    __table_args__ = (
        CheckConstraint("kind IN ('personal', 'business', 'practice')", name="kind"),
        CheckConstraint("fiscal_year_start_month BETWEEN 1 AND 12", name="fy_month"),
        CheckConstraint("fiscal_year_start_day BETWEEN 1 AND 31", name="fy_day"),
    )


class Membership(IdMixin, Base):
    __tablename__ = "membership"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        CheckConstraint(
            "role IN ('owner', 'admin', 'accountant', 'member', 'viewer')", name="role"
        ),
    )
