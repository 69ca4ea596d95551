"""tax: returns, versions, lodgement and prefill provenance

One tenant table, `tax_return` (one row per version of a person's return for a year;
sections as JSON text of decimal strings), with forced RLS on PostgreSQL.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, fiscus.db.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "tax_return",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("person_name", sa.String(length=120), nullable=False),
        sa.Column("person_key", sa.String(length=120), nullable=False),
        sa.Column("person_user_id", sa.Uuid(), nullable=True),
        sa.Column("year", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=True),
        _when("calculated_at", nullable=True),
        sa.Column("proposals", sa.Text(), nullable=True),
        sa.Column("lodged_on", sa.Date(), nullable=True),
        sa.Column("lodgement_reference", sa.String(length=40), nullable=True),
        _when("lodged_at", nullable=True),
        sa.Column("lodged_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint(
            "status IN ('draft', 'ready', 'lodged')", name=op.f("ck_tax_return_status")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_tax_return_version")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_tax_return_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_user_id"],
            ["app_user.id"],
            name=op.f("fk_tax_return_person_user_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["tax_return.id"],
            name=op.f("fk_tax_return_previous_id_tax_return"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lodged_by"],
            ["app_user.id"],
            name=op.f("fk_tax_return_lodged_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_return")),
        sa.UniqueConstraint(
            "tenant_id",
            "person_key",
            "year",
            "version",
            name=op.f("uq_tax_return_tenant_id_person_key_year_version"),
        ),
    )
    with op.batch_alter_table("tax_return", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tax_return_tenant_year", ["tenant_id", "year", "person_key"], unique=False
        )
        batch_op.create_index(
            "ix_tax_return_tenant_previous", ["tenant_id", "previous_id"], unique=False
        )
    secure_tenant_table("tax_return")


def downgrade() -> None:
    op.drop_table("tax_return")
