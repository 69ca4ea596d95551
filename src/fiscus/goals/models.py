"""Goal table (tenant data: row-level security on PostgreSQL, see migrations)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin

GOAL_KINDS = ("spending_limit", "savings_target", "debt_payoff")
PERIODS = ("monthly", "quarterly", "yearly")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Goal(IdMixin, TimestampMixin, Base):
    """A spending limit on a category (per period), or a target balance on an account."""

    __tablename__ = "goal"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    # The category (spending limit, children included), savings account or liability.
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id", ondelete="RESTRICT"))
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of `currency`
    currency: Mapped[str] = mapped_column(String(3))
    period: Mapped[str | None] = mapped_column(String(10))  # spending limits only
    starts_on: Mapped[date]
    target_date: Mapped[date | None]
    warn_percent: Mapped[int] = mapped_column(default=80)
    is_archived: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_goal_tenant_account", "tenant_id", "account_id"),
        CheckConstraint(_in("kind", GOAL_KINDS), name="kind"),
        CheckConstraint(f"period IS NULL OR {_in('period', PERIODS)}", name="period"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("warn_percent BETWEEN 1 AND 100", name="warn_percent"),
    )
