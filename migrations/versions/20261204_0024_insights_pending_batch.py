"""insights: many queued entries in one row

A large write (a bank import, its undo) queues tens of thousands of entries to be
learned. As one `insights_pending` row each they cost ~0.2 s of PostgreSQL's time at
the import's commit (an index entry and a foreign-key check per row); their ids in one
text of an `insights_pending_batch` row cost ~0.02 s. The queue is both tables.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 21:20:00.000000
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "insights_pending_batch",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("transaction_ids", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name="fk_insights_pending_batch_tenant_id_tenant",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_insights_pending_batch"),
    )
    secure_tenant_table("insights_pending_batch")


def downgrade() -> None:
    # What the batches hold goes back to one row per entry: nothing queued is lost.
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # every tenant's: an error, not nothing, if denied
        op.execute("SET LOCAL row_security = off")
    pending = sa.table(
        "insights_pending",
        sa.column("tenant_id", sa.Uuid()),
        sa.column("transaction_id", sa.Uuid()),
    )
    insert = (postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert)(pending)
    batches = sa.table(
        "insights_pending_batch",
        sa.column("tenant_id", sa.Uuid()),
        sa.column("transaction_ids", sa.Text()),
    )
    for tenant_id, joined in bind.execute(
        sa.select(batches.c.tenant_id, batches.c.transaction_ids)
    ).all():
        rows = [{"tenant_id": tenant_id, "transaction_id": uuid.UUID(i)} for i in joined.split(",")]
        bind.execute(insert.on_conflict_do_nothing(), rows)
    op.drop_table("insights_pending_batch")
