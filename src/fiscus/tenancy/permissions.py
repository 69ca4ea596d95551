"""The role permission matrix: the single source of truth for who may do what.

Routes declare the permission they need (`require(Permission.X)`); `docs/permissions.md`
is generated from this table and a test keeps the two equal.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    MEMBER = "member"
    VIEWER = "viewer"


class Permission(StrEnum):
    TENANT_READ = "tenant.read"
    TENANT_UPDATE = "tenant.update"
    MEMBER_READ = "member.read"
    MEMBER_MANAGE = "member.manage"
    AUDIT_READ = "audit.read"
    JOB_READ = "job.read"
    DATA_READ = "data.read"
    DATA_WRITE = "data.write"


_READ = {Permission.TENANT_READ, Permission.MEMBER_READ, Permission.JOB_READ, Permission.DATA_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
    Role.ACCOUNTANT: frozenset(_READ | {Permission.AUDIT_READ, Permission.DATA_WRITE}),
    Role.MEMBER: frozenset(_READ | {Permission.DATA_WRITE}),
    Role.VIEWER: frozenset(_READ),
}

DESCRIPTIONS: dict[Permission, str] = {
    Permission.TENANT_READ: "see the tenant's settings",
    Permission.TENANT_UPDATE: "change the tenant's name, currency, time zone, locale, fiscal year",
    Permission.MEMBER_READ: "list the tenant's members and their roles",
    Permission.MEMBER_MANAGE: "invite members, change roles, remove members",
    Permission.AUDIT_READ: "read, export and verify the audit trail; start verification jobs",
    Permission.JOB_READ: "see the status of the tenant's background jobs",
    Permission.DATA_READ: "read the books, reports, diagnostics and tax data",
    Permission.DATA_WRITE: "create and change the books, imports, documents and returns",
}


def allows(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def render_matrix() -> str:
    """The matrix as a Markdown table (the body of docs/permissions.md)."""
    roles = list(Role)
    lines = [
        "| permission | what it allows | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for perm in Permission:
        marks = " | ".join("yes" if perm in ROLE_PERMISSIONS[r] else "—" for r in roles)
        lines.append(f"| `{perm.value}` | {DESCRIPTIONS[perm]} | {marks} |")
    return "\n".join(lines) + "\n"
