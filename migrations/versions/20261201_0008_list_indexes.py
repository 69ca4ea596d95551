"""ledger: indexes for the transaction list at scale

Measured on 10M postings (`bench/bench_ledger_scale.py`, docs/performance.md):

- `ix_ledger_transaction_tenant_date` gains `created_at`, the list's second sort key, so
  the newest-first page reads its 50 rows in index order instead of every entry of the
  first day in range;
- `ix_posting_tenant_account_date` gains `transaction_id`, so the total of "entries
  posting to this account in this date range" is an index-only scan of the postings;
- `ix_ledger_transaction_tenant_deleted`, partial on the deleted entries (few), takes
  them out of that count without reading the live ones, and serves the bin.

Plain CREATE/DROP INDEX (no batch "move and copy", which on SQLite would recreate the
tables). Same index names, wider columns: nothing that used them loses its index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DELETED = sa.text("deleted_at IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_ledger_transaction_tenant_date", "ledger_transaction")
    op.create_index(
        "ix_ledger_transaction_tenant_date",
        "ledger_transaction",
        ["tenant_id", "occurred_on", "created_at"],
    )
    op.drop_index("ix_posting_tenant_account_date", "posting")
    op.create_index(
        "ix_posting_tenant_account_date",
        "posting",
        ["tenant_id", "account_id", "occurred_on", "transaction_id"],
    )
    op.create_index(
        "ix_ledger_transaction_tenant_deleted",
        "ledger_transaction",
        ["tenant_id", "id"],
        postgresql_where=_DELETED,
        sqlite_where=_DELETED,
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_transaction_tenant_deleted", "ledger_transaction")
    op.drop_index("ix_posting_tenant_account_date", "posting")
    op.create_index(
        "ix_posting_tenant_account_date", "posting", ["tenant_id", "account_id", "occurred_on"]
    )
    op.drop_index("ix_ledger_transaction_tenant_date", "ledger_transaction")
    op.create_index(
        "ix_ledger_transaction_tenant_date", "ledger_transaction", ["tenant_id", "occurred_on"]
    )
