"""ledger balances

Per-day and per-month snapshot rows of each account's net postings, kept in the same
transaction as the postings, so a balance at any date reads at most ~12 rows a year
plus 31. Forced RLS on PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 06:03:01.721211
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "balance_day",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_balance_day_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_balance_day_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "account_id", "day", name=op.f("pk_balance_day")),
    )
    op.create_table(
        "balance_month",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_balance_month_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_balance_month_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "account_id", "month", name=op.f("pk_balance_month")),
    )
    secure_tenant_table("balance_day")
    secure_tenant_table("balance_month")


def downgrade() -> None:
    op.drop_table("balance_month")
    op.drop_table("balance_day")
