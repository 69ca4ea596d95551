"""recurring: detected series and their occurrences

Two tenant tables, each with forced RLS on PostgreSQL.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recurring_series",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("payee_key", sa.String(length=200), nullable=False),
        sa.Column("payee", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cadence", sa.String(length=12), nullable=False),
        sa.Column("anchor_day", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("amount_spread", sa.BigInteger(), nullable=False),
        sa.Column("previous_amount", sa.BigInteger(), nullable=True),
        sa.Column("amount_changed", sa.Boolean(), nullable=False),
        sa.Column("next_on", sa.Date(), nullable=False),
        sa.Column("last_seen_on", sa.Date(), nullable=False),
        sa.Column("occurrence_count", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("edited", sa.String(length=100), nullable=False),
        sa.Column("detected_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('suggested', 'confirmed', 'dismissed')",
            name=op.f("ck_recurring_series_status"),
        ),
        sa.CheckConstraint(
            "cadence IN ('weekly', 'fortnightly', 'monthly', 'quarterly', 'yearly')",
            name=op.f("ck_recurring_series_cadence"),
        ),
        sa.CheckConstraint(
            "confidence BETWEEN 0 AND 100", name=op.f("ck_recurring_series_confidence")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_recurring_series_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["account.id"],
            name=op.f("fk_recurring_series_category_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_recurring_series_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_series")),
    )
    with op.batch_alter_table("recurring_series", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recurring_series_tenant_status", ["tenant_id", "status", "next_on"], unique=False
        )
        batch_op.create_index(
            "ix_recurring_series_tenant_payee", ["tenant_id", "payee_key"], unique=False
        )
    op.create_table(
        "recurring_occurrence",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("series_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["recurring_series.id"],
            name=op.f("fk_recurring_occurrence_series_id_recurring_series"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_recurring_occurrence_transaction_id_ledger_transaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_recurring_occurrence_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_occurrence")),
        sa.UniqueConstraint(
            "tenant_id",
            "series_id",
            "transaction_id",
            name=op.f("uq_recurring_occurrence_tenant_id_series_id_transaction_id"),
        ),
    )
    with op.batch_alter_table("recurring_occurrence", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recurring_occurrence_tenant_transaction",
            ["tenant_id", "transaction_id"],
            unique=False,
        )
    secure_tenant_table("recurring_series")
    secure_tenant_table("recurring_occurrence")


def downgrade() -> None:
    op.drop_table("recurring_occurrence")
    op.drop_table("recurring_series")
