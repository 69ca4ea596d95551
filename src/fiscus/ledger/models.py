"""Ledger tables (tenant data: row-level security on PostgreSQL, see migrations)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")
SUBTYPES = (
    "checking",
    "savings",
    "credit_card",
    "cash",
    "investment",
    "loan",
    "retirement",
    "property",
    "other",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Account(IdMixin, TimestampMixin, Base):
    """A node of the chart of accounts; income and expense accounts are the categories."""

    __tablename__ = "account"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT")
    )
    type: Mapped[str] = mapped_column(String(10))
    subtype: Mapped[str] = mapped_column(String(20), default="other")
    code: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    institution: Mapped[str | None] = mapped_column(String(120))
    last_four: Mapped[str | None] = mapped_column(String(4))
    credit_limit: Mapped[int | None] = mapped_column(BigInteger)  # minor units
    opened_on: Mapped[date | None]
    is_hidden: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)
    display_order: Mapped[int] = mapped_column(default=0)
    colour: Mapped[str | None] = mapped_column(String(7))
    icon: Mapped[str | None] = mapped_column(String(40))
    tax_label: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        Index("ix_account_tenant_parent", "tenant_id", "parent_id"),
        Index("ix_account_tenant_type", "tenant_id", "type"),
        CheckConstraint(_in("type", ACCOUNT_TYPES), name="type"),
        CheckConstraint(_in("subtype", SUBTYPES), name="subtype"),
    )
