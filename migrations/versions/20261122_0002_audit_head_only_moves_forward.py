"""audit chain head only moves forward

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Without this, a role that may write `audit_chain_head` could cut the tail of the chain
and move the head back with it, and the verifier would not notice. On PostgreSQL a
trigger now lets the head only advance (seq grows, never shrinks or stays) and forbids
deleting it; the app role loses DELETE on it.
"""

from collections.abc import Sequence

from alembic import context, op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR NEW.seq <= OLD.seq OR NEW.tenant_id <> OLD.tenant_id THEN
                RAISE EXCEPTION 'audit_chain_head only moves forward: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE "
        "ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()"
    )
    role = context.config.attributes.get("app_role", "fiscus_app")
    if not role.replace("_", "").isalnum():
        raise ValueError(f"invalid role name {role!r}")
    op.execute(f'REVOKE DELETE, TRUNCATE ON audit_chain_head FROM "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_chain_head_forward_only ON audit_chain_head")
    op.execute("DROP FUNCTION IF EXISTS audit_chain_head_forward_only()")
