"""Per-day entry counts of a tenant (tenant data: row-level security on PostgreSQL).

Written only by database triggers on `ledger_transaction` (migration 0015), in the
statement that inserts, re-dates, soft-deletes, restores or deletes entries, so they are
exact whichever code path wrote the entries. Read by the transaction list for the total
of a list filtered by dates alone (or not at all).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base


class EntryDay(Base):
    """How many of the tenant's entries dated `day` are live, and how many deleted."""

    __tablename__ = "ledger_entry_day"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    live: Mapped[int] = mapped_column(default=0, server_default="0")
    deleted: Mapped[int] = mapped_column(default=0, server_default="0")
