"""rules: the rule table (conditions and actions, ordered), forced RLS on PostgreSQL

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fiscus.db.types
from fiscus.db.migration_helpers import secure_tenant_table

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IS NULL OR {column} IN ({', '.join(repr(v) for v in values)})"


def _account_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["account.id"], name=op.f(f"fk_rule_{column}_account"), ondelete="RESTRICT"
    )


def upgrade() -> None:
    op.create_table(
        "rule",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("stop_processing", sa.Boolean(), nullable=False),
        sa.Column("payee_op", sa.String(length=10), nullable=True),
        sa.Column("payee_value", sa.String(length=200), nullable=True),
        sa.Column("description_op", sa.String(length=10), nullable=True),
        sa.Column("description_value", sa.String(length=200), nullable=True),
        sa.Column("amount_min", sa.BigInteger(), nullable=True),
        sa.Column("amount_max", sa.BigInteger(), nullable=True),
        sa.Column("amount_currency", sa.String(length=3), nullable=True),
        sa.Column("sign", sa.String(length=3), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("category_match", sa.String(length=14), nullable=True),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("set_category_id", sa.Uuid(), nullable=True),
        sa.Column("rename_payee", sa.String(length=200), nullable=True),
        sa.Column("add_tags", sa.String(length=1000), nullable=False),
        sa.Column("transfer_account_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fiscus.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _one_of("payee_op", ("contains", "regex")), name=op.f("ck_rule_payee_op")
        ),
        sa.CheckConstraint(
            _one_of("description_op", ("contains", "regex")), name=op.f("ck_rule_description_op")
        ),
        sa.CheckConstraint(_one_of("sign", ("in", "out")), name=op.f("ck_rule_sign")),
        sa.CheckConstraint(
            _one_of("category_match", ("uncategorised", "category")),
            name=op.f("ck_rule_category_match"),
        ),
        _account_fk("account_id"),
        _account_fk("category_id"),
        _account_fk("set_category_id"),
        _account_fk("transfer_account_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_rule_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule")),
    )
    with op.batch_alter_table("rule", schema=None) as batch_op:
        batch_op.create_index("ix_rule_tenant_position", ["tenant_id", "position"], unique=False)
    secure_tenant_table("rule")


def downgrade() -> None:
    with op.batch_alter_table("rule", schema=None) as batch_op:
        batch_op.drop_index("ix_rule_tenant_position")
    op.drop_table("rule")
