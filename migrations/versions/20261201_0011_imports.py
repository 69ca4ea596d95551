"""imports: bank imports, their lines (bank refs for duplicates) and mapping presets

Three tenant tables, each with forced RLS on PostgreSQL. `bank_import.content` keeps the
uploaded bytes between upload and commit (bytea / blob); `import_line` is read by
`(tenant_id, account_id, bank_ref)` and `(tenant_id, account_id, fingerprint)` to find
lines an earlier import of the account already booked.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
    ]


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=f"fk_{table}_tenant_id_tenant", ondelete="CASCADE"
    )


def _bank_import() -> None:
    op.create_table(
        "bank_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("detection", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("preview", sa.Text(), nullable=True),
        sa.Column("preset_id", sa.Uuid(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("committed_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("undone_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "status IN ('draft', 'committing', 'committed', 'failed', 'undone')",
            name="ck_bank_import_status",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name="fk_bank_import_account_id_account",
            ondelete="CASCADE",
        ),
        _tenant_fk("bank_import"),
        sa.PrimaryKeyConstraint("id", name="pk_bank_import"),
    )
    op.create_index("ix_bank_import_tenant_created", "bank_import", ["tenant_id", "created_at"])
    op.create_index("ix_bank_import_tenant_account", "bank_import", ["tenant_id", "account_id"])


def _import_line() -> None:
    op.create_table(
        "import_line",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("bank_ref", sa.String(length=120), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "status IN ('created', 'duplicate', 'skipped', 'error', 'undone')",
            name="ck_import_line_status",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bank_import.id"],
            name="fk_import_line_import_id_bank_import",
            ondelete="CASCADE",
        ),
        _tenant_fk("import_line"),
        sa.PrimaryKeyConstraint("tenant_id", "import_id", "line_no", name="pk_import_line"),
    )
    op.create_index(
        "ix_import_line_tenant_account_ref", "import_line", ["tenant_id", "account_id", "bank_ref"]
    )
    op.create_index(
        "ix_import_line_tenant_account_print",
        "import_line",
        ["tenant_id", "account_id", "fingerprint"],
    )


def _import_preset() -> None:
    op.create_table(
        "import_preset",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("scope_key", sa.String(length=120), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name="fk_import_preset_account_id_account",
            ondelete="CASCADE",
        ),
        _tenant_fk("import_preset"),
        sa.PrimaryKeyConstraint("id", name="pk_import_preset"),
        sa.UniqueConstraint("tenant_id", "scope_key", name="uq_import_preset_tenant_id_scope_key"),
    )
    op.create_index(
        "ix_import_preset_tenant_fingerprint", "import_preset", ["tenant_id", "fingerprint"]
    )


def upgrade() -> None:
    _bank_import()
    _import_line()
    _import_preset()
    for table in ("bank_import", "import_line", "import_preset"):
        secure_tenant_table(table)


def downgrade() -> None:
    for index, table in (
        ("ix_import_preset_tenant_fingerprint", "import_preset"),
        ("ix_import_line_tenant_account_print", "import_line"),
        ("ix_import_line_tenant_account_ref", "import_line"),
        ("ix_bank_import_tenant_account", "bank_import"),
        ("ix_bank_import_tenant_created", "bank_import"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("import_preset", "import_line", "bank_import"):
        op.drop_table(table)
