"""insights: the per-tenant categorisation model and its suggestions

Five tenant tables (settings, per-category totals, per-feature counts, learned examples,
suggestions), each with forced RLS on PostgreSQL.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "insights_setting",
    "insights_class",
    "insights_feature",
    "insights_example",
    "insights_suggestion",
)


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=f"fk_{table}_tenant_id_tenant", ondelete="CASCADE"
    )


def _account_fk(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["account.id"], name=f"fk_{table}_{column}_account", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "insights_setting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("auto_apply", sa.Boolean(), nullable=False),
        sa.Column("auto_threshold", sa.Float(), nullable=False),
        sa.Column("last_trained_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("auto_threshold BETWEEN 0 AND 1", name="ck_insights_setting_threshold"),
        _tenant_fk("insights_setting"),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_insights_setting"),
    )
    op.create_table(
        "insights_class",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column("feature_total", sa.BigInteger(), nullable=False),
        _tenant_fk("insights_class"),
        _account_fk("insights_class", "category_id", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "category_id", name="pk_insights_class"),
    )
    op.create_table(
        "insights_feature",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("feature", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _tenant_fk("insights_feature"),
        _account_fk("insights_feature", "category_id", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "category_id", "feature", name="pk_insights_feature"),
    )
    op.create_table(
        "insights_example",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("payee", sa.String(length=200), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        _tenant_fk("insights_example"),
        _account_fk("insights_example", "category_id", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "transaction_id", name="pk_insights_example"),
    )
    op.create_index(
        "ix_insights_example_tenant_category", "insights_example", ["tenant_id", "category_id"]
    )
    op.create_table(
        "insights_suggestion",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("alternatives", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("previous_category_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'auto', 'confirmed', 'corrected')",
            name="ck_insights_suggestion_status",
        ),
        _tenant_fk("insights_suggestion"),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name="fk_insights_suggestion_transaction_id_ledger_transaction",
            ondelete="CASCADE",
        ),
        _account_fk("insights_suggestion", "category_id", "SET NULL"),
        _account_fk("insights_suggestion", "previous_category_id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_insights_suggestion"),
    )
    op.create_index(
        "ix_insights_suggestion_tenant_txn",
        "insights_suggestion",
        ["tenant_id", "transaction_id"],
        unique=True,
    )
    op.create_index(
        "ix_insights_suggestion_tenant_status",
        "insights_suggestion",
        ["tenant_id", "status", "created_at"],
    )
    for table in TABLES:
        secure_tenant_table(table)


def downgrade() -> None:
    op.drop_index("ix_insights_suggestion_tenant_status", table_name="insights_suggestion")
    op.drop_index("ix_insights_suggestion_tenant_txn", table_name="insights_suggestion")
    op.drop_index("ix_insights_example_tenant_category", table_name="insights_example")
    for table in reversed(TABLES):
        op.drop_table(table)
