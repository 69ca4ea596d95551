"""Tables of the categorisation model (tenant data: row-level security on PostgreSQL).

The model is a multinomial Naive Bayes over hashed features, stored as counts: per
category the number of confirmed examples and the sum of their feature counts
(`InsightsClass`), and per (category, feature) how often the feature occurred in that
category's examples (`InsightsFeature`). `InsightsExample` remembers what was learned
from each confirmed transaction (the text, amount, date and account as they were), so
that a correction or an unlearn subtracts exactly the counts that were added.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base

SUGGESTION_STATUSES = ("queued", "auto", "confirmed", "corrected")
DEFAULT_THRESHOLD = 0.8  # chosen from bench/bench_categorise.py (see docs/performance.md)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InsightsSetting(Base):
    """How the tenant's model is used: auto-apply above a confidence threshold."""

    __tablename__ = "insights_setting"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    auto_apply: Mapped[bool] = mapped_column(default=True)
    auto_threshold: Mapped[float] = mapped_column(Float, default=DEFAULT_THRESHOLD)
    last_trained_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("auto_threshold BETWEEN 0 AND 1", name="threshold"),)


class InsightsClass(Base):
    """Per category: confirmed examples learned and the total of their feature counts."""

    __tablename__ = "insights_class"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    examples: Mapped[int] = mapped_column(default=0)
    feature_total: Mapped[int] = mapped_column(BigInteger, default=0)


class InsightsFeature(Base):
    """How often a hashed feature occurred in the confirmed examples of a category."""

    __tablename__ = "insights_feature"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    feature: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class InsightsExample(Base):
    """A confirmed transaction as it was learned (no foreign key to the transaction: a
    hard-deleted entry's example must stay until it is unlearned or a retrain drops it)."""

    __tablename__ = "insights_example"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID]
    payee: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    amount: Mapped[int] = mapped_column(BigInteger)  # signed minor units, + money in
    occurred_on: Mapped[date]

    __table_args__ = (Index("ix_insights_example_tenant_category", "tenant_id", "category_id"),)


class InsightsSuggestion(Base):
    """The model's suggestion for one transaction, and what became of it."""

    __tablename__ = "insights_suggestion"

    # One per entry, keyed by it: (tenant_id, transaction_id) is the primary key and the
    # foreign key to the entry, which implies the tenant's (migration 0021;
    # docs/architecture.md, tenant-consistent composite foreign keys).
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    transaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # The two categories have no foreign key (migration 0021: one less check per row of
    # an import): a category deleted or merged away since keeps its id here, and the
    # review reads an id that is no longer a category as none (`service_review`).
    category_id: Mapped[uuid.UUID | None]
    confidence: Mapped[float] = mapped_column(Float)
    alternatives: Mapped[str] = mapped_column(Text, default="[]")  # [[category_id, conf], ...]
    status: Mapped[str] = mapped_column(String(10))
    # the Uncategorised category the entry sat in before an automatic apply (undo target)
    previous_category_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]

    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "transaction_id"],
            ["ledger_transaction.tenant_id", "ledger_transaction.id"],
            ondelete="CASCADE",
        ),
        Index("ix_insights_suggestion_tenant_status", "tenant_id", "status", "created_at"),
        CheckConstraint(_in("status", SUGGESTION_STATUSES), name="status"),
    )


class InsightsPending(Base):
    """An entry whose example may differ from the books since it was last learned:
    queued by the write that changed it, learned before the model is next read
    (`learning.catch_up`). No foreign key: a hard-deleted entry must still be unlearned."""

    __tablename__ = "insights_pending"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class InsightsPendingBatch(Base):
    """Entries queued by one large write, in one row: their ids, comma-separated. Means
    what an `InsightsPending` row per id would (why a row: `repository_pending`)."""

    __tablename__ = "insights_pending_batch"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    transaction_ids: Mapped[str] = mapped_column(Text)
