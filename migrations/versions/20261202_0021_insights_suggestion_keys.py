"""insights: fewer foreign keys per suggestion row

A bank import writes one `insights_suggestion` row per line the model considered
(66,406 of the bench's 100,000 lines), and PostgreSQL checks each foreign key of each row
on its own: an index probe and a `FOR KEY SHARE` lock of the row it references. Inserting
those 66,406 rows cost ~2.8 s of server CPU with the four keys, ~0.6 s without any
(docs/performance.md, "Fewer foreign keys per suggestion").

- The suggestion references its entry by (tenant_id, transaction_id) ->
  ledger_transaction (tenant_id, id), the UNIQUE key migration 0020 gives
  `ledger_transaction` (the architecture decision: a tenant-owned child references its
  tenant-owned parent with the composite key, and drops a tenant key the composite
  implies). `ON DELETE CASCADE` as before; a tenant's deletion still reaches its
  suggestions through its entries.
- `category_id` and `previous_category_id` lose their keys to `account` (they were
  `ON DELETE SET NULL`). The review reads a category that no longer exists as none
  (`service_review`: an applied category merged or deleted away is not shown, an undo to
  a deleted Uncategorised category is refused), which is what the NULL gave; nothing
  else compares them but with live categories (`learning.sync`: "still where the model
  put it"), which a deleted id never equals (tests/insights/test_deleted_categories.py,
  green before and after this migration).

- The row is keyed by its entry: `(tenant_id, transaction_id)`, already UNIQUE, becomes
  the primary key, and the `id` column (a random uuid nothing reads: the review queue's
  tie-break is the entry's id now) goes, with its index (~0.2 s of the 66,406 rows).

Downgrade puts the four keys and the `id` primary key back (new ids); ids of categories
deleted meanwhile become the NULL the old keys would have set.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "insights_suggestion"
_CATEGORIES = ("category_id", "previous_category_id")
_TENANT_FK = f"fk_{TABLE}_tenant_id_tenant"
_ENTRY_FK = f"fk_{TABLE}_transaction_id_ledger_transaction"
_COMPOSITE_FK = f"fk_{TABLE}_tenant_id_ledger_transaction"
_PK = f"pk_{TABLE}"
_ENTRY_INDEX = "ix_insights_suggestion_tenant_txn"


def _account_fk(column: str) -> str:
    return f"fk_{TABLE}_{column}_account"


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for name in (*map(_account_fk, _CATEGORIES), _TENANT_FK, _ENTRY_FK):
            batch_op.drop_constraint(name, type_="foreignkey")
        batch_op.drop_constraint(_PK, type_="primary")
        batch_op.drop_index(_ENTRY_INDEX)
        batch_op.drop_column("id")
        batch_op.create_primary_key(_PK, ["tenant_id", "transaction_id"])
        batch_op.create_foreign_key(
            _COMPOSITE_FK,
            "ledger_transaction",
            ["tenant_id", "transaction_id"],
            ["tenant_id", "id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    # As the owner, past row-level security (like the backfills of 0007 and 0010).
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for table in (TABLE, "account"):
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    for column in _CATEGORIES:  # (names of this module, no input)
        op.execute(
            f"UPDATE {TABLE} SET {column} = NULL WHERE {column} IS NOT NULL"  # noqa: S608
            f" AND {column} NOT IN (SELECT id FROM account)"
        )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("id", sa.Uuid(), nullable=True))
    # Fresh ids (SQLite stores a uuid as 32 hex digits).
    new_id = "gen_random_uuid()" if postgres else "lower(hex(randomblob(16)))"
    op.execute(f"UPDATE {TABLE} SET id = {new_id}")  # noqa: S608 (no input)
    if postgres:
        for table in (TABLE, "account"):
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.alter_column("id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_constraint(_PK, type_="primary")
        batch_op.create_primary_key(_PK, ["id"])
        batch_op.create_index(_ENTRY_INDEX, ["tenant_id", "transaction_id"], unique=True)
        batch_op.drop_constraint(_COMPOSITE_FK, type_="foreignkey")
        batch_op.create_foreign_key(_TENANT_FK, "tenant", ["tenant_id"], ["id"], ondelete="CASCADE")
        batch_op.create_foreign_key(
            _ENTRY_FK, "ledger_transaction", ["transaction_id"], ["id"], ondelete="CASCADE"
        )
        for column in _CATEGORIES:
            batch_op.create_foreign_key(
                _account_fk(column), "account", [column], ["id"], ondelete="SET NULL"
            )
