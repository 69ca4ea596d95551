"""Tax return tables (tenant data: row-level security on PostgreSQL, see migration 0017).

A return's sections (income, deductions, offsets, situation) are one JSON document of
decimal strings in `data`, validated by `returns_schemas.ReturnData` on every write; the
stored assessment is the JSON of the last calculation, cleared whenever `data` changes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin

RETURN_STATUSES = ("draft", "ready", "lodged")


class TaxReturn(IdMixin, TimestampMixin, Base):
    """One version of one person's return for one income year."""

    __tablename__ = "tax_return"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    person_name: Mapped[str] = mapped_column(String(120))
    person_key: Mapped[str] = mapped_column(String(120))  # casefolded name: the uniqueness key
    person_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    year: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tax_return.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(8), default="draft")
    data: Mapped[str] = mapped_column(Text)
    assessment: Mapped[str | None] = mapped_column(Text)
    calculated_at: Mapped[datetime | None]
    proposals: Mapped[str | None] = mapped_column(Text)  # pending prefill proposals (JSON)
    lodged_on: Mapped[date | None]
    lodgement_reference: Mapped[str | None] = mapped_column(String(40))
    lodged_at: Mapped[datetime | None]
    lodged_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("tenant_id", "person_key", "year", "version"),
        Index("ix_tax_return_tenant_year", "tenant_id", "year", "person_key"),
        Index("ix_tax_return_tenant_previous", "tenant_id", "previous_id"),
        CheckConstraint("status IN ('draft', 'ready', 'lodged')", name="status"),
        CheckConstraint("version >= 1", name="version"),
    )
