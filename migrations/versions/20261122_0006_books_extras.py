"""books: exchange rates, balance anchors, goals, notifications

Four tenant tables, each with forced RLS on PostgreSQL.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 09:02:56.655814
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=24, scale=12), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rate_rate_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_exchange_rate_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint(
            "tenant_id",
            "currency",
            "effective_on",
            name=op.f("uq_exchange_rate_tenant_id_currency_effective_on"),
        ),
    )
    op.create_table(
        "notification",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "level IN ('info', 'warning', 'danger')", name=op.f("ck_notification_level")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_notification_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint(
            "tenant_id", "dedupe_key", name=op.f("uq_notification_tenant_id_dedupe_key")
        ),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_tenant_created", ["tenant_id", "created_at"], unique=False
        )

    op.create_table(
        "balance_anchor",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("anchored_on", sa.Date(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "source IN ('manual', 'reconcile')", name=op.f("ck_balance_anchor_source")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_balance_anchor_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_balance_anchor_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balance_anchor")),
        sa.UniqueConstraint(
            "tenant_id",
            "account_id",
            "anchored_on",
            name=op.f("uq_balance_anchor_tenant_id_account_id_anchored_on"),
        ),
    )
    op.create_table(
        "goal",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("warn_percent", sa.Integer(), nullable=False),
        sa.Column("is_archived", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('spending_limit', 'savings_target', 'debt_payoff')", name=op.f("ck_goal_kind")
        ),
        sa.CheckConstraint(
            "period IS NULL OR period IN ('monthly', 'quarterly', 'yearly')",
            name=op.f("ck_goal_period"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_goal_amount_positive")),
        sa.CheckConstraint("warn_percent BETWEEN 1 AND 100", name=op.f("ck_goal_warn_percent")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_goal_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_goal_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index("ix_goal_tenant_account", ["tenant_id", "account_id"], unique=False)

    for table in ("exchange_rate", "notification", "balance_anchor", "goal"):
        secure_tenant_table(table)


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_tenant_account")

    op.drop_table("goal")
    op.drop_table("balance_anchor")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_tenant_created")

    op.drop_table("notification")
    op.drop_table("exchange_rate")
