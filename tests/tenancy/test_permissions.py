"""The written permission matrix is the enforced one, and the roles nest as documented."""

from __future__ import annotations

from pathlib import Path

from fiscus.tenancy.permissions import ROLE_PERMISSIONS, Permission, Role, allows, render_matrix

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_docs_show_the_enforced_matrix() -> None:
    assert render_matrix() in DOC.read_text(), (
        "docs/permissions.md is stale: paste render_matrix() into it"
    )


def test_viewer_can_read_but_not_change() -> None:
    viewer = ROLE_PERMISSIONS[Role.VIEWER]
    assert all(p.value.endswith(".read") for p in viewer)
    assert Permission.DATA_WRITE not in viewer


def test_only_owner_and_admin_manage_members() -> None:
    managers = {r for r in Role if allows(r, Permission.MEMBER_MANAGE)}
    assert managers == {Role.OWNER, Role.ADMIN}


def test_unknown_role_is_allowed_nothing() -> None:
    assert not any(allows("superuser", p) for p in Permission)
