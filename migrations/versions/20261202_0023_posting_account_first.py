"""ledger: the postings' account index leads with the account

`ix_posting_tenant_account_date (tenant_id, account_id, occurred_on, transaction_id)`
becomes `ix_posting_account_tenant_date (account_id, tenant_id, occurred_on,
transaction_id)`: the same equality on both leading columns for every query that used it
(a register, the posts-to probe, an account's entries in a date range, an account's
postings at delete or merge), but no longer a candidate for a lookup by entry.

Why: the balance backstop (`posting_balances`, deferred, once per posting) looks up an
entry's postings by `transaction_id` under the tenant's row-level security. For a tenant
the statistics do not know (any tenant beside a much larger one), the planner estimates
at most one row for either index led by `tenant_id` and, the costs tied, took the
account index: a scan of every posting of the tenant, per posting written. A tenant of
20,000 postings paid ~1.4 ms per check, two checks per entry, growing with its books
(docs/performance.md, "Two round trips without a Session, time-ordered ids, and the
backstop's index"). With the account first only
`ix_posting_tenant_transaction` can answer that lookup (0.03 to 0.06 ms).

Building the index reads every posting (≈10 s for 10 million on the 2-core box); the
old one is dropped after the new one exists. Downgrade restores the old index.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 07:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["account_id", "tenant_id", "occurred_on", "transaction_id"]


def upgrade() -> None:
    op.create_index("ix_posting_account_tenant_date", "posting", _COLUMNS)
    op.drop_index("ix_posting_tenant_account_date", "posting")


def downgrade() -> None:
    op.create_index(
        "ix_posting_tenant_account_date",
        "posting",
        ["tenant_id", "account_id", "occurred_on", "transaction_id"],
    )
    op.drop_index("ix_posting_account_tenant_date", "posting")
