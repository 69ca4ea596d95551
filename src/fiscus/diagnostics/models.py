"""Diagnostics tables: a practice's clients, its analysis history (metadata only) and its
practice settings (tenant data: row-level security on PostgreSQL, see migration 0016).

No table holds anything of an uploaded file: no account names, numbers or per-account
amounts, and the file name only as its SHA-256. Amounts of the history are exact decimal
text (a trial balance's totals can exceed the 15 significant digits SQLite's NUMERIC
keeps), and nothing sums them in SQL.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.core.clock import utcnow
from fiscus.db.base import Base, IdMixin, TimestampMixin

SOURCES = ("upload", "ledger")
SEVERITIES = ("critical", "high", "medium", "low", "info")


class DiagnosticsClient(IdMixin, TimestampMixin, Base):
    """A client of the practice: its fiscal year end, materiality settings and the column
    mapping saved from one of its files."""

    __tablename__ = "diagnostics_client"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # casefolded, unique per tenant
    industry: Mapped[str | None] = mapped_column(String(100))
    fiscal_year_end: Mapped[str] = mapped_column(String(5), default="06-30")  # MM-DD
    materiality: Mapped[str | None] = mapped_column(Text)  # JSON, the fields set only
    mapping: Mapped[str | None] = mapped_column(Text)  # JSON column mapping

    __table_args__ = (UniqueConstraint("tenant_id", "name_key"),)


class DiagnosticsAnalysis(IdMixin, Base):
    """One successful analysis: aggregate figures only, for history and trends."""

    __tablename__ = "diagnostics_analysis"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    client_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("diagnostics_client.id", ondelete="CASCADE")
    )
    source: Mapped[str] = mapped_column(String(10))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_format: Mapped[str | None] = mapped_column(String(10))
    as_of: Mapped[date | None]  # the books' date for a ledger analysis
    analysed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sheet_count: Mapped[int]
    row_count: Mapped[int]
    total_debits: Mapped[str] = mapped_column(String(40))
    total_credits: Mapped[str] = mapped_column(String(40))
    balanced: Mapped[bool]
    anomalies_critical: Mapped[int] = mapped_column(default=0)
    anomalies_high: Mapped[int] = mapped_column(default=0)
    anomalies_medium: Mapped[int] = mapped_column(default=0)
    anomalies_low: Mapped[int] = mapped_column(default=0)
    anomalies_info: Mapped[int] = mapped_column(default=0)
    materiality_basis: Mapped[str] = mapped_column(String(20))
    materiality_overall: Mapped[str | None] = mapped_column(String(40))
    materiality_performance: Mapped[str | None] = mapped_column(String(40))
    materiality_trivial: Mapped[str | None] = mapped_column(String(40))
    risk_score: Mapped[int]
    risk_tier: Mapped[str] = mapped_column(String(10))
    figures: Mapped[str] = mapped_column(Text)  # JSON: category totals and ratios

    __table_args__ = (
        Index("ix_diagnostics_analysis_tenant_time", "tenant_id", "analysed_at"),
        Index("ix_diagnostics_analysis_tenant_client", "tenant_id", "client_id", "analysed_at"),
        CheckConstraint("source IN ('upload', 'ledger')", name="source"),
    )


class DiagnosticsSetting(Base):
    """The practice's defaults: materiality (below a client's and a request's) and the
    column-detection confidence threshold."""

    __tablename__ = "diagnostics_setting"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    materiality: Mapped[str | None] = mapped_column(Text)
    confidence_threshold: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("confidence_threshold BETWEEN 0.5 AND 0.99", name="threshold"),
    )
