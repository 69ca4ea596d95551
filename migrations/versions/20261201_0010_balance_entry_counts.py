"""ledger: how many live entries each balance snapshot row counts

`balance_day.entries` / `balance_month.entries` count the live entries with at least one
posting on the account that day / month, kept in step with `delta` by the same upserts.
An account register's list total (account + date range) then reads ~12 rows a year like
a balance instead of counting its postings (620 ms for the whole history of an account
with 2M postings). Existing rows are backfilled, and a day whose postings net to zero
(which has no row yet) gets one.

Plain ADD COLUMN (no batch table copy on SQLite).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DAYS = """
INSERT INTO balance_day (tenant_id, account_id, day, delta, entries)
SELECT p.tenant_id, p.account_id, p.occurred_on, 0, COUNT(DISTINCT p.transaction_id)
FROM posting p JOIN ledger_transaction t ON t.id = p.transaction_id
WHERE t.deleted_at IS NULL
GROUP BY p.tenant_id, p.account_id, p.occurred_on
ON CONFLICT (tenant_id, account_id, day) DO UPDATE SET entries = excluded.entries
"""

_MONTHS = """
INSERT INTO balance_month (tenant_id, account_id, month, delta, entries)
SELECT tenant_id, account_id, {month}, 0, SUM(entries) FROM balance_day WHERE entries > 0
GROUP BY tenant_id, account_id, {month}
ON CONFLICT (tenant_id, account_id, month) DO UPDATE SET entries = excluded.entries
"""

TABLES = ("balance_day", "balance_month", "posting", "ledger_transaction")


def upgrade() -> None:
    for table in ("balance_day", "balance_month"):
        op.add_column(table, sa.Column("entries", sa.Integer(), server_default="0", nullable=False))
    postgres = op.get_bind().dialect.name == "postgresql"
    # The owner is subject to FORCE ROW LEVEL SECURITY (no tenant is set here): lift the
    # force for the backfill only, inside the migration's transaction.
    for table in TABLES if postgres else ():
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(_DAYS)
    month = "date_trunc('month', day)::date" if postgres else "date(day, 'start of month')"
    op.execute(_MONTHS.format(month=month))
    for table in TABLES if postgres else ():
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    for table in ("balance_day", "balance_month"):
        op.drop_column(table, "entries")
