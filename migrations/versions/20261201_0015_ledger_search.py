"""ledger_search: trigram indexes for the text filter, and per-day entry counts per tenant

1. PostgreSQL only: `pg_trgm` and one GIN index over `(description, payee, notes)` of
   `ledger_transaction`; the list's text filter is `ILIKE '%word%'` on each column, which
   the index serves (before: a scan of every entry, 0.5-1.7 s at 5M entries). SQLite has
   no such index: nothing to do. The tenant does not lead this index: with `btree_gin`
   it did, and intersecting the big tenant's posting list cost ~300 ms per search at 5M
   entries; the tenant condition (and RLS) is checked on the rows the index finds.
   Under row-level security PostgreSQL only uses an index for a user condition whose
   operator is LEAKPROOF, and ILIKE's `texticlike` is not marked so (its only errors
   concern the pattern, never the row's text). A superuser running this migration marks
   it LEAKPROOF in this database; otherwise the filter stays a scan (correct, slow).
2. `ledger_entry_day (tenant_id, day, live, deleted)`: how many live and soft-deleted
   entries each tenant has per date, kept exact by triggers on `ledger_transaction` (in
   the statement that inserts, updates or deletes the entries: any code path, bulk ones
   included), backfilled here. A list whose only filters are a date range (or none) reads
   its exact total from it: at most one row a day instead of counting every entry.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRGM_INDEX = "ix_ledger_transaction_text_trgm"

# Statement-level triggers with transition tables: one upsert per statement however many
# entries it touches. A delete only ever lowers rows that exist (the row of a tenant being
# deleted may already be gone with it: never re-create it).
_PG_FUNCTION = """
CREATE FUNCTION ledger_entry_day_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE ledger_entry_day AS d SET live = d.live - c.live, deleted = d.deleted - c.deleted
        FROM (SELECT tenant_id, occurred_on AS day,
                     count(*) FILTER (WHERE deleted_at IS NULL) AS live,
                     count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted
              FROM old_rows GROUP BY tenant_id, occurred_on) AS c
        WHERE d.tenant_id = c.tenant_id AND d.day = c.day;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ledger_entry_day AS d (tenant_id, day, live, deleted)
        SELECT tenant_id, occurred_on, count(*) FILTER (WHERE deleted_at IS NULL),
               count(*) FILTER (WHERE deleted_at IS NOT NULL)
        FROM new_rows GROUP BY tenant_id, occurred_on
        ON CONFLICT (tenant_id, day) DO UPDATE
            SET live = d.live + excluded.live, deleted = d.deleted + excluded.deleted;
        RETURN NULL;
    END IF;
    -- UPDATE: only a changed date, tenant or deleted flag moves a count; most updates
    -- (status, category, description) net to nothing and write nothing.
    INSERT INTO ledger_entry_day AS d (tenant_id, day, live, deleted)
    SELECT tenant_id, day, sum(live), sum(deleted) FROM (
        SELECT tenant_id, occurred_on AS day, (deleted_at IS NULL)::int AS live,
               (deleted_at IS NOT NULL)::int AS deleted
        FROM new_rows
        UNION ALL
        SELECT tenant_id, occurred_on, -(deleted_at IS NULL)::int, -(deleted_at IS NOT NULL)::int
        FROM old_rows
    ) AS changes
    GROUP BY tenant_id, day
    HAVING sum(live) <> 0 OR sum(deleted) <> 0
    ON CONFLICT (tenant_id, day) DO UPDATE
        SET live = d.live + excluded.live, deleted = d.deleted + excluded.deleted;
    RETURN NULL;
END $$
"""
_PG_TRIGGERS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}

_SQLITE_ADD = """
INSERT INTO ledger_entry_day (tenant_id, day, live, deleted)
VALUES (NEW.tenant_id, NEW.occurred_on, NEW.deleted_at IS NULL, NEW.deleted_at IS NOT NULL)
ON CONFLICT (tenant_id, day) DO UPDATE
    SET live = live + excluded.live, deleted = deleted + excluded.deleted;
"""
_SQLITE_REMOVE = """
UPDATE ledger_entry_day SET live = live - (OLD.deleted_at IS NULL),
    deleted = deleted - (OLD.deleted_at IS NOT NULL)
WHERE tenant_id = OLD.tenant_id AND day = OLD.occurred_on;
"""
_SQLITE_TRIGGERS = {
    "insert": f"AFTER INSERT ON ledger_transaction BEGIN {_SQLITE_ADD} END",
    "update": (
        "AFTER UPDATE OF tenant_id, occurred_on, deleted_at ON ledger_transaction"
        f" BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END"
    ),
    "delete": f"AFTER DELETE ON ledger_transaction BEGIN {_SQLITE_REMOVE} END",
}

_BACKFILL = """
INSERT INTO ledger_entry_day (tenant_id, day, live, deleted)
SELECT tenant_id, occurred_on,
       SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END)
FROM ledger_transaction GROUP BY tenant_id, occurred_on
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "ledger_entry_day",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("live", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_ledger_entry_day_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "day", name=op.f("pk_ledger_entry_day")),
    )
    if postgres:
        _postgres_upgrade()
    else:
        for name, body in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER ledger_entry_day_{name} {body}")
        op.execute(_BACKFILL)
    secure_tenant_table("ledger_entry_day")


def _postgres_upgrade() -> None:
    op.execute(_PG_FUNCTION)
    for event, referencing in _PG_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER ledger_entry_day_{event.lower()} AFTER {event} ON ledger_transaction"
            f" {referencing} FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_day_count()"
        )
    # The owner is subject to FORCE ROW LEVEL SECURITY (no tenant is set here): lift it
    # for the backfill only, inside the migration's transaction.
    op.execute("ALTER TABLE ledger_transaction NO FORCE ROW LEVEL SECURITY")
    op.execute(_BACKFILL)
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        f"CREATE INDEX {_TRGM_INDEX} ON ledger_transaction USING gin "
        "(description gin_trgm_ops, payee gin_trgm_ops, notes gin_trgm_ops)"
    )
    if (
        op.get_bind()
        .execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        .scalar()
    ):
        op.execute("ALTER FUNCTION texticlike(text, text) LEAKPROOF")
    op.execute("ALTER TABLE ledger_transaction FORCE ROW LEVEL SECURITY")


def _superuser() -> bool:
    query = sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(op.get_bind().execute(query).scalar())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        if _superuser():
            op.execute("ALTER FUNCTION texticlike(text, text) NOT LEAKPROOF")
        op.execute(f"DROP INDEX IF EXISTS {_TRGM_INDEX}")
        for event in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER ledger_entry_day_{event.lower()} ON ledger_transaction")
        op.execute("DROP FUNCTION ledger_entry_day_count()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER ledger_entry_day_{name}")
    op.drop_table("ledger_entry_day")
