"""tenant keys, search text: tenant-consistent composite foreign keys; one trigram expression

1. Tenant-consistent composite foreign keys (docs/architecture.md, ADR "Tenant-consistent
   composite foreign keys"). A tenant-owned child references its tenant-owned parent by
   `(tenant_id, parent_id) -> parent (tenant_id, id)`, so a child can never point at
   another tenant's parent, and its own foreign key to `tenant` goes where that key
   already implies it (tenant -> parent -> child): one check per row instead of two.
   - `account`, `ledger_transaction`, `bank_import` get `UNIQUE (tenant_id, id)`;
   - `posting (tenant_id, transaction_id) -> ledger_transaction` ON DELETE CASCADE and
     `posting (tenant_id, account_id) -> account` ON DELETE RESTRICT replace the three
     single-column keys (tenant, transaction, account);
   - `import_line (tenant_id, import_id) -> bank_import` ON DELETE CASCADE replaces the
     two (tenant, import).
   Deleting a tenant still takes everything, and an account with postings still cannot
   be deleted. One thing needs help for that: the postings now go with their entries
   (tenant -> entry -> posting, two steps), and PostgreSQL runs the actions step by
   step, the tenant's keys in the name order of their triggers: the accounts' cascade
   (step 1) would queue the postings' RESTRICT check (step 2) before the entries'
   cascade queued their removal (step 2 as well), and the tenant's deletion would fail.
   A `BEFORE DELETE` trigger on `tenant` (`tenant_postings_first`) deletes the tenant's
   postings first, as whoever deletes the tenant: row-level security hides a tenant row
   from anyone but a superuser or a session scoped to that very tenant, and either sees
   all of its postings.
   SQLite gets the same keys (its tables rebuilt in batch mode; the parents' unique keys
   as unique indexes, which SQLite accepts as a parent key) and the same trigger, so
   both behave alike whatever order either runs its actions in.
2. The text filter's trigram index (migration 0015) covered the three columns one by one;
   it now covers one expression, `description || U+001F || payee || U+001F || notes`
   (a missing payee or notes as ''), which the list's text filter matches
   (`ledger.repository_transactions.SEARCH_TEXT`). A payee is mostly words of its
   description: one text holds each trigram once instead of once per column (a quarter
   fewer index entries for a bank import's lines). Under row-level security the planner
   uses the index only if every function of the condition is LEAKPROOF: as `texticlike`
   in 0015, a superuser running this marks `textcat` (`||`, whose only errors are out of
   memory) LEAKPROOF in this database; otherwise the filter stays a scan (correct, slow).
   PostgreSQL only (SQLite has no such index).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_TRGM = "ix_ledger_transaction_text_trgm"
_NEW_TRGM = "ix_ledger_transaction_search_trgm"
# CASE, not coalesce(): under row-level security the planner only uses an index for a
# condition it knows cannot leak, and it knows that of CASE and IS NULL, not of COALESCE.
_SEARCH_TEXT = (
    "(description || E'\\x1f' || CASE WHEN payee IS NULL THEN '' ELSE payee END"
    " || E'\\x1f' || CASE WHEN notes IS NULL THEN '' ELSE notes END)"
)

_PARENTS = ("account", "ledger_transaction", "bank_import")

_PG_POSTINGS_FIRST = """
CREATE FUNCTION tenant_postings_first() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM posting WHERE tenant_id = OLD.id;
    RETURN OLD;
END $$
"""
_PG_POSTINGS_FIRST_TRIGGER = (
    "CREATE TRIGGER tenant_postings_first BEFORE DELETE ON tenant "
    "FOR EACH ROW EXECUTE FUNCTION tenant_postings_first()"
)
_SQLITE_POSTINGS_FIRST_TRIGGER = (
    "CREATE TRIGGER tenant_postings_first BEFORE DELETE ON tenant "
    "BEGIN DELETE FROM posting WHERE tenant_id = OLD.id; END"
)

# table: (its keys before, its keys after), each name -> (columns, parent, on delete)
_Key = tuple[list[str], str, str]
_CHILDREN: dict[str, tuple[dict[str, _Key], dict[str, _Key]]] = {
    "posting": (
        {
            "fk_posting_tenant_id_tenant": (["tenant_id"], "tenant", "CASCADE"),
            "fk_posting_transaction_id_ledger_transaction": (
                ["transaction_id"],
                "ledger_transaction",
                "CASCADE",
            ),
            "fk_posting_account_id_account": (["account_id"], "account", "RESTRICT"),
        },
        {
            "fk_posting_tenant_id_ledger_transaction": (
                ["tenant_id", "transaction_id"],
                "ledger_transaction",
                "CASCADE",
            ),
            "fk_posting_tenant_id_account": (["tenant_id", "account_id"], "account", "RESTRICT"),
        },
    ),
    "import_line": (
        {
            "fk_import_line_tenant_id_tenant": (["tenant_id"], "tenant", "CASCADE"),
            "fk_import_line_import_id_bank_import": (["import_id"], "bank_import", "CASCADE"),
        },
        {
            "fk_import_line_tenant_id_bank_import": (
                ["tenant_id", "import_id"],
                "bank_import",
                "CASCADE",
            ),
        },
    ),
}


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _superuser() -> bool:
    query = sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(op.get_bind().execute(query).scalar())


def _referred(columns: list[str]) -> list[str]:
    """The parent's columns a key of `columns` refers to: (tenant_id, id) or (id)."""
    return ["tenant_id", "id"] if len(columns) == 2 else ["id"]


def _rekey(table: str, gone: dict[str, _Key], made: dict[str, _Key]) -> None:
    """Drop the keys `gone` of `table` and create the keys `made` (batch on SQLite)."""
    with op.batch_alter_table(table) as batch:
        for name in gone:
            batch.drop_constraint(name, type_="foreignkey")
        for name, (columns, parent, on_delete) in made.items():
            batch.create_foreign_key(name, parent, columns, _referred(columns), ondelete=on_delete)


def _parent_keys(create: bool) -> None:
    for parent in _PARENTS:
        name = f"uq_{parent}_tenant_id_id"
        if _postgres():
            if create:
                op.create_unique_constraint(name, parent, ["tenant_id", "id"])
            else:
                op.drop_constraint(name, parent, type_="unique")
        elif create:
            op.create_index(name, parent, ["tenant_id", "id"], unique=True)
        else:
            op.drop_index(name, parent)


def upgrade() -> None:
    _parent_keys(create=True)
    for table, (old, new) in _CHILDREN.items():
        _rekey(table, old, new)
    if not _postgres():
        op.execute(_SQLITE_POSTINGS_FIRST_TRIGGER)
        return
    op.execute(_PG_POSTINGS_FIRST)
    op.execute(_PG_POSTINGS_FIRST_TRIGGER)
    op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    op.execute(f"DROP INDEX {_OLD_TRGM}")
    op.execute(
        f"CREATE INDEX {_NEW_TRGM} ON ledger_transaction USING gin ({_SEARCH_TEXT} gin_trgm_ops)"
    )
    if _superuser():
        op.execute("ALTER FUNCTION textcat(text, text) LEAKPROOF")
    # the expression's statistics: without them the planner guesses how many entries a
    # word matches (on 2M postings the text-filtered pages took 4x the CPU until ANALYZE)
    op.execute("ANALYZE ledger_transaction")


def downgrade() -> None:
    op.execute("DROP TRIGGER tenant_postings_first" + (" ON tenant" if _postgres() else ""))
    if _postgres():
        op.execute("DROP FUNCTION tenant_postings_first()")
        if _superuser():
            op.execute("ALTER FUNCTION textcat(text, text) NOT LEAKPROOF")
        op.execute(f"DROP INDEX {_NEW_TRGM}")
        op.execute("SET LOCAL maintenance_work_mem = '512MB'")
        op.execute(
            f"CREATE INDEX {_OLD_TRGM} ON ledger_transaction USING gin "
            "(description gin_trgm_ops, payee gin_trgm_ops, notes gin_trgm_ops)"
        )
        op.execute("ANALYZE ledger_transaction")
    for table, (old, new) in _CHILDREN.items():
        _rekey(table, new, old)
    _parent_keys(create=False)
