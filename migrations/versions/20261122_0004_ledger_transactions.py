"""ledger transactions

Journal entries and their postings. On PostgreSQL: row-level security, and a deferred
constraint trigger that checks, at commit, that every touched transaction's postings
sum to zero in each currency (the service checks it first; this is the backstop).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:56:54.377830
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_transaction",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("payee", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.String(length=4000), nullable=True),
        sa.Column("tags", sa.String(length=1000), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("deleted_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('income', 'expense', 'transfer', 'journal')",
            name=op.f("ck_ledger_transaction_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'cleared', 'reconciled')",
            name=op.f("ck_ledger_transaction_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_ledger_transaction_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transaction")),
        sa.UniqueConstraint(
            "tenant_id",
            "idempotency_key",
            name=op.f("uq_ledger_transaction_tenant_id_idempotency_key"),
        ),
    )
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_transaction_tenant_date", ["tenant_id", "occurred_on"], unique=False
        )

    op.create_table(
        "posting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=24, scale=12), nullable=True),
        sa.Column("memo", sa.String(length=500), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_posting_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_posting_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_posting_transaction_id_ledger_transaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting")),
    )
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posting_tenant_account_date",
            ["tenant_id", "account_id", "occurred_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_posting_tenant_transaction", ["tenant_id", "transaction_id"], unique=False
        )

    secure_tenant_table("ledger_transaction")
    secure_tenant_table("posting")
    if op.get_bind().dialect.name == "postgresql":
        _balance_trigger()


def _balance_trigger() -> None:
    op.execute(
        """
        CREATE FUNCTION posting_balances() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            txn uuid := COALESCE(NEW.transaction_id, OLD.transaction_id);
            off record;
        BEGIN
            SELECT currency, sum(amount) AS total INTO off FROM posting
             WHERE transaction_id = txn GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'transaction % does not balance in %: off by % minor units',
                    txn, off.currency, off.total USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER posting_balances AFTER INSERT OR UPDATE OR DELETE ON posting "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION posting_balances()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS posting_balances ON posting")
        op.execute("DROP FUNCTION IF EXISTS posting_balances()")
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.drop_index("ix_posting_tenant_transaction")
        batch_op.drop_index("ix_posting_tenant_account_date")

    op.drop_table("posting")
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_transaction_tenant_date")

    op.drop_table("ledger_transaction")
