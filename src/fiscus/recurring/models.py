"""Recurring tables (tenant data: row-level security on PostgreSQL, see migration 0014)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin

SERIES_STATUSES = ("suggested", "confirmed", "dismissed")
CADENCE_NAMES = ("weekly", "fortnightly", "monthly", "quarterly", "yearly")
EDITABLE = ("name", "cadence", "amount", "next_on")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RecurringSeries(IdMixin, TimestampMixin, Base):
    """Payments to or from one payee on one account at a regular cadence."""

    __tablename__ = "recurring_series"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    name: Mapped[str] = mapped_column(String(200))
    payee_key: Mapped[str] = mapped_column(String(200))  # the cleaned payee detection groups by
    payee: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    currency: Mapped[str] = mapped_column(String(3))
    cadence: Mapped[str] = mapped_column(String(12))
    anchor_day: Mapped[int | None]  # day of month for month-based cadences (31 = last day)
    amount: Mapped[int] = mapped_column(BigInteger)  # expected, minor units, money in positive
    amount_spread: Mapped[int] = mapped_column(BigInteger, default=0)  # std dev, minor units
    previous_amount: Mapped[int | None] = mapped_column(BigInteger)
    amount_changed: Mapped[bool] = mapped_column(default=False)
    next_on: Mapped[date]
    last_seen_on: Mapped[date]
    occurrence_count: Mapped[int] = mapped_column(default=0)
    confidence: Mapped[int] = mapped_column(default=0)  # percent
    edited: Mapped[str] = mapped_column(String(100), default="")  # ",cadence,amount," edited
    detected_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_recurring_series_tenant_status", "tenant_id", "status", "next_on"),
        Index("ix_recurring_series_tenant_payee", "tenant_id", "payee_key"),
        CheckConstraint(_in("status", SERIES_STATUSES), name="status"),
        CheckConstraint(_in("cadence", CADENCE_NAMES), name="cadence"),
        CheckConstraint("confidence BETWEEN 0 AND 100", name="confidence"),
    )

    def edited_fields(self) -> set[str]:
        return {f for f in self.edited.split(",") if f}


class RecurringOccurrence(IdMixin, Base):
    """One transaction of the ledger that belongs to a series."""

    __tablename__ = "recurring_occurrence"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    series_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recurring_series.id", ondelete="CASCADE")
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transaction.id", ondelete="CASCADE")
    )
    occurred_on: Mapped[date]
    amount: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("tenant_id", "series_id", "transaction_id"),
        Index("ix_recurring_occurrence_tenant_transaction", "tenant_id", "transaction_id"),
    )
