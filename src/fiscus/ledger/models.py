"""Ledger tables (tenant data: row-level security on PostgreSQL, see migrations)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin
from fiscus.db.types import ExactNumeric

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
        UniqueConstraint("tenant_id", "id"),  # the parent key of tenant-consistent references
        Index("ix_account_tenant_parent", "tenant_id", "parent_id"),
        Index("ix_account_tenant_type", "tenant_id", "type"),
        CheckConstraint(_in("type", ACCOUNT_TYPES), name="type"),
        CheckConstraint(_in("subtype", SUBTYPES), name="subtype"),
    )


TRANSACTION_STATUSES = ("pending", "cleared", "reconciled")
TRANSACTION_KINDS = ("income", "expense", "transfer", "journal")


class Transaction(IdMixin, TimestampMixin, Base):
    """A journal entry: two or more postings that sum to zero in each currency."""

    __tablename__ = "ledger_transaction"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    occurred_on: Mapped[date]
    description: Mapped[str] = mapped_column(String(500))
    payee: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    kind: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(String(4000))
    tags: Mapped[str] = mapped_column(String(1000), default="")  # ",a,b," for exact matching
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    deleted_at: Mapped[datetime | None]
    # Gross amount: the sum of the debit postings in `currency` (its first posting's), in
    # minor units; kept in step with the postings for amount filters and sorting.
    amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="", server_default="")

    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key"),
        UniqueConstraint("tenant_id", "id"),  # the parent key of tenant-consistent references
        # created_at: the list's second sort key (newest first reads the index in order)
        Index("ix_ledger_transaction_tenant_date", "tenant_id", "occurred_on", "created_at"),
        Index(
            "ix_ledger_transaction_tenant_deleted",
            "tenant_id",
            "id",
            postgresql_where=text("deleted_at IS NOT NULL"),
            sqlite_where=text("deleted_at IS NOT NULL"),
        ),
        Index("ix_ledger_transaction_tenant_amount", "tenant_id", "amount"),
        # reconciliation reads the pending and the cleared entries up to a date
        Index("ix_ledger_transaction_tenant_status_date", "tenant_id", "status", "occurred_on"),
        CheckConstraint(_in("status", TRANSACTION_STATUSES), name="status"),
        CheckConstraint(_in("kind", TRANSACTION_KINDS), name="kind"),
    )


class Posting(IdMixin, Base):
    """One leg of a transaction: a signed amount (debit positive) on one account.

    Its transaction and account are the posting's own tenant's: both keys are
    `(tenant_id, …)` (migration 0020); the tenant itself is implied by them (a tenant's
    deletion takes its entries, and so their postings)."""

    __tablename__ = "posting"

    tenant_id: Mapped[uuid.UUID]
    transaction_id: Mapped[uuid.UUID]
    account_id: Mapped[uuid.UUID]
    position: Mapped[int]
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of `currency`
    currency: Mapped[str] = mapped_column(String(3))
    # Units of the tenant's base currency per unit of `currency` on the day; None = 1.
    rate: Mapped[Decimal | None] = mapped_column(ExactNumeric(24, 12))
    memo: Mapped[str | None] = mapped_column(String(500))
    occurred_on: Mapped[date]  # copied from the transaction: balance queries need no join

    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "transaction_id"],
            ["ledger_transaction.tenant_id", "ledger_transaction.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "account_id"], ["account.tenant_id", "account.id"], ondelete="RESTRICT"
        ),
        Index("ix_posting_tenant_transaction", "tenant_id", "transaction_id"),
        # transaction_id: the list's total for an account is an index-only scan. The
        # account first (migration 0023): no lookup by entry may take this index.
        Index(
            "ix_posting_account_tenant_date",
            "account_id",
            "tenant_id",
            "occurred_on",
            "transaction_id",
        ),
    )


class BalanceDay(Base):
    """Net of one account's postings on one day (live transactions only)."""

    __tablename__ = "balance_day"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    delta: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(default=0, server_default="0")  # live entries


class BalanceMonth(Base):
    """Net of one account's postings in one calendar month (`month` is its first day)."""

    __tablename__ = "balance_month"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(primary_key=True)
    delta: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(default=0, server_default="0")  # live entries


class ExchangeRate(IdMixin, TimestampMixin, Base):
    """Units of the tenant's base currency per unit of `currency`, from `effective_on`."""

    __tablename__ = "exchange_rate"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3))
    effective_on: Mapped[date]
    rate: Mapped[Decimal] = mapped_column(ExactNumeric(24, 12))

    __table_args__ = (
        UniqueConstraint("tenant_id", "currency", "effective_on"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )


ANCHOR_SOURCES = ("manual", "reconcile")


class BalanceAnchor(IdMixin, TimestampMixin, Base):
    """A balance the user knows to be true (a statement), in the account's natural sign."""

    __tablename__ = "balance_anchor"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    anchored_on: Mapped[date]
    balance: Mapped[int] = mapped_column(BigInteger)  # minor units of the account's currency
    description: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(10), default="manual")

    __table_args__ = (
        UniqueConstraint("tenant_id", "account_id", "anchored_on"),
        CheckConstraint(_in("source", ANCHOR_SOURCES), name="source"),
    )
