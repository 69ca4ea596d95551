"""diagnostics: clients, saved mappings and analysis history (metadata only)

Three tenant tables (clients with their materiality and saved column mapping, the
history of analyses holding aggregate figures only, the practice settings), each with
forced RLS on PostgreSQL.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("diagnostics_client", "diagnostics_analysis", "diagnostics_setting")


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=f"fk_{table}_tenant_id_tenant", ondelete="CASCADE"
    )


def _when(name: str) -> sa.Column[object]:
    return sa.Column(name, fiscus.db.types.UTCDateTime(timezone=True), nullable=False)


def _amount(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(length=40), nullable=nullable)


def _count(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "diagnostics_client",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("fiscal_year_end", sa.String(length=5), nullable=False),
        sa.Column("materiality", sa.Text(), nullable=True),
        sa.Column("mapping", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _tenant_fk("diagnostics_client"),
        sa.PrimaryKeyConstraint("id", name="pk_diagnostics_client"),
        sa.UniqueConstraint(
            "tenant_id", "name_key", name="uq_diagnostics_client_tenant_id_name_key"
        ),
    )
    op.create_table(
        "diagnostics_analysis",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_format", sa.String(length=10), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        _when("analysed_at"),
        _count("sheet_count"),
        _count("row_count"),
        _amount("total_debits"),
        _amount("total_credits"),
        sa.Column("balanced", sa.Boolean(), nullable=False),
        _count("anomalies_critical"),
        _count("anomalies_high"),
        _count("anomalies_medium"),
        _count("anomalies_low"),
        _count("anomalies_info"),
        sa.Column("materiality_basis", sa.String(length=20), nullable=False),
        _amount("materiality_overall", nullable=True),
        _amount("materiality_performance", nullable=True),
        _amount("materiality_trivial", nullable=True),
        _count("risk_score"),
        sa.Column("risk_tier", sa.String(length=10), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("source IN ('upload', 'ledger')", name="ck_diagnostics_analysis_source"),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["diagnostics_client.id"],
            name="fk_diagnostics_analysis_client_id_diagnostics_client",
            ondelete="CASCADE",
        ),
        _tenant_fk("diagnostics_analysis"),
        sa.PrimaryKeyConstraint("id", name="pk_diagnostics_analysis"),
    )
    with op.batch_alter_table("diagnostics_analysis", schema=None) as batch_op:
        batch_op.create_index(
            "ix_diagnostics_analysis_tenant_time", ["tenant_id", "analysed_at"], unique=False
        )
        batch_op.create_index(
            "ix_diagnostics_analysis_tenant_client",
            ["tenant_id", "client_id", "analysed_at"],
            unique=False,
        )
    op.create_table(
        "diagnostics_setting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("materiality", sa.Text(), nullable=True),
        sa.Column("confidence_threshold", sa.Float(), nullable=True),
        _when("updated_at"),
        sa.CheckConstraint(
            "confidence_threshold BETWEEN 0.5 AND 0.99", name="ck_diagnostics_setting_threshold"
        ),
        _tenant_fk("diagnostics_setting"),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_diagnostics_setting"),
    )
    for table in TABLES:
        secure_tenant_table(table)


def downgrade() -> None:
    op.drop_table("diagnostics_setting")
    op.drop_table("diagnostics_analysis")
    op.drop_table("diagnostics_client")
