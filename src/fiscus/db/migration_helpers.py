"""Building blocks for migrations of tenant tables on PostgreSQL (no-ops elsewhere).

Kept stable on purpose: old migrations call these, so change them only by adding.
"""

from __future__ import annotations

from alembic import context, op

TENANT_PREDICATE = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def _on_postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def app_role() -> str:
    role = str(context.config.attributes.get("app_role", "fiscus_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"invalid role name {role!r}")
    return role


def secure_tenant_table(table: str, *, grants: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    """FORCE row-level security by tenant_id and grant the app role data access only."""
    if not _on_postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {table}_tenant_isolation ON {table} "
        f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    )
    op.execute(f'GRANT {grants} ON {table} TO "{app_role()}"')
