"""Rule table (tenant data: row-level security on PostgreSQL, see migration 0012)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin

TEXT_OPS = ("contains", "regex")
SIGNS = ("in", "out")  # money into the bank account, money out of it
CATEGORY_MATCHES = ("uncategorised", "category")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IS NULL OR {column} IN ({', '.join(repr(v) for v in values)})"


def _account_fk() -> ForeignKey:
    # RESTRICT: a watched account cannot vanish under a rule (refused with a 409 by a
    # mapper hook in the service; merges repoint the rules first).
    return ForeignKey("account.id", ondelete="RESTRICT")


class Rule(IdMixin, TimestampMixin, Base):
    """Conditions (all must hold; a NULL condition is no condition) and actions, applied
    in `position` order; `stop_processing` ends the run for an entry it matched."""

    __tablename__ = "rule"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    is_enabled: Mapped[bool] = mapped_column(default=True)
    stop_processing: Mapped[bool] = mapped_column(default=False)
    # conditions
    payee_op: Mapped[str | None] = mapped_column(String(10))
    payee_value: Mapped[str | None] = mapped_column(String(200))
    description_op: Mapped[str | None] = mapped_column(String(10))
    description_value: Mapped[str | None] = mapped_column(String(200))
    amount_min: Mapped[int | None] = mapped_column(BigInteger)  # minor units, magnitude
    amount_max: Mapped[int | None] = mapped_column(BigInteger)
    amount_currency: Mapped[str | None] = mapped_column(String(3))  # of the bounds
    sign: Mapped[str | None] = mapped_column(String(3))
    account_id: Mapped[uuid.UUID | None] = mapped_column(_account_fk())
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    category_match: Mapped[str | None] = mapped_column(String(14))
    category_id: Mapped[uuid.UUID | None] = mapped_column(_account_fk())
    # actions
    set_category_id: Mapped[uuid.UUID | None] = mapped_column(_account_fk())
    rename_payee: Mapped[str | None] = mapped_column(String(200))
    add_tags: Mapped[str] = mapped_column(String(1000), default="")  # ",a,b,"
    transfer_account_id: Mapped[uuid.UUID | None] = mapped_column(_account_fk())

    __table_args__ = (
        Index("ix_rule_tenant_position", "tenant_id", "position"),
        CheckConstraint(_in("payee_op", TEXT_OPS), name="payee_op"),
        CheckConstraint(_in("description_op", TEXT_OPS), name="description_op"),
        CheckConstraint(_in("sign", SIGNS), name="sign"),
        CheckConstraint(_in("category_match", CATEGORY_MATCHES), name="category_match"),
    )
