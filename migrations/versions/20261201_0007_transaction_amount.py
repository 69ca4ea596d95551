"""ledger: a stored gross amount and currency on each transaction

`ledger_transaction.amount` is the sum of the entry's debit postings (minor units) in
`ledger_transaction.currency`, the currency of its first posting. The ledger keeps both
in step on create and edit, so the transaction list can filter and sort by amount
without a join; an index `(tenant_id, amount)` serves the amount filters. Existing rows
are backfilled from their postings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:58:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL = """
UPDATE ledger_transaction SET
    currency = (
        SELECT p.currency FROM posting p WHERE p.transaction_id = ledger_transaction.id
        ORDER BY p.position LIMIT 1
    ),
    amount = COALESCE((
        SELECT SUM(p.amount) FROM posting p
        WHERE p.transaction_id = ledger_transaction.id AND p.amount > 0 AND p.currency = (
            SELECT f.currency FROM posting f WHERE f.transaction_id = ledger_transaction.id
            ORDER BY f.position LIMIT 1
        )
    ), 0)
WHERE EXISTS (SELECT 1 FROM posting p WHERE p.transaction_id = ledger_transaction.id)
"""


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a batch "move and copy": on SQLite with
    # foreign keys on, dropping the old ledger_transaction would cascade to every posting.
    op.add_column(
        "ledger_transaction",
        sa.Column("amount", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "ledger_transaction",
        sa.Column("currency", sa.String(length=3), server_default="", nullable=False),
    )
    op.create_index(
        "ix_ledger_transaction_tenant_amount", "ledger_transaction", ["tenant_id", "amount"]
    )
    _backfill()


def _backfill() -> None:
    """Fill existing rows. On PostgreSQL the owner is subject to FORCE ROW LEVEL SECURITY
    (no tenant is set here), so the force is lifted for this one statement, inside the
    migration's transaction."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in ("ledger_transaction", "posting") if postgres else ():
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(_BACKFILL)
    for table in ("ledger_transaction", "posting") if postgres else ():
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_index("ix_ledger_transaction_tenant_amount", "ledger_transaction")
    # SQLite 3.35+ drops a plain column in place (again no table copy, no cascade).
    op.drop_column("ledger_transaction", "currency")
    op.drop_column("ledger_transaction", "amount")
