"""insights: entries waiting to be learned, outside the write path

A write that may change what the categoriser learns queues the entry (one statement at
commit); the queue is learned before the model is next read.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "insights_pending",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name="fk_insights_pending_tenant_id_tenant",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "transaction_id", name="pk_insights_pending"),
    )
    secure_tenant_table("insights_pending")
    # Entries changed before this revision were learned at once: nothing to queue.


def downgrade() -> None:
    op.drop_table("insights_pending")
