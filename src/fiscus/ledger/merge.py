"""Merging one category into another, and deleting a category with reassignment.

A merge moves every posting of the source (of live and deleted entries alike) to the
target, moves the source's balance snapshots onto the target's in the same transaction,
moves the source's sub-categories under the target, tells listeners the source is being
replaced (`events.account_replaced`: goals follow), and deletes the source. Both must be
categories of the same type and currency; the target may not be archived nor sit under
the source, and no moved sub-category may clash by name with one the target already has.

Deleting a category with postings needs a `reassign_to` category, which is exactly a
merge; without one the delete is refused (409), as is deleting one with sub-categories.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput
from fiscus.ledger import events, service
from fiscus.ledger.models import Account
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_balances import BalanceRepository
from fiscus.ledger.repository_transactions import TransactionRepository
from fiscus.ledger.schemas import CategoryMergeResult


class CategoryInUse(Conflict):
    """The category has postings; pass reassign_to=<category id> to move them to another
    category first (or archive it instead)."""

    code = "category_in_use"


class InvalidMerge(InvalidInput):
    """These two categories cannot be merged."""

    code = "invalid_merge"


def merge_categories(
    session: Session, ctx: TenantContext, *, source_id: uuid.UUID, target_id: uuid.UUID
) -> CategoryMergeResult:
    source = service.get_category(session, ctx, source_id)
    target = service.get_category(session, ctx, target_id)
    result = _merge(session, ctx, source, target, field="target_id")
    audit_service.record(
        session,
        ctx,
        action="category.merge",
        resource_type="account",
        resource_id=source_id,
        before=_snapshot(source),
        after=result.model_dump(mode="json"),
    )
    return result


def delete_category(
    session: Session, ctx: TenantContext, category_id: uuid.UUID, *, reassign_to: uuid.UUID | None
) -> CategoryMergeResult | None:
    """Delete a category; with `reassign_to`, its postings and sub-categories move there."""
    source = service.get_category(session, ctx, category_id)
    if reassign_to is None:
        if TransactionRepository(session, ctx.tenant_id).has_postings(source.id):
            raise CategoryInUse()
        service.delete_account(session, ctx, category_id)
        return None
    target = service.get_category(session, ctx, reassign_to)
    before = _snapshot(source)
    result = _merge(session, ctx, source, target, field="reassign_to")
    audit_service.record(
        session,
        ctx,
        action="category.delete",
        resource_type="account",
        resource_id=category_id,
        before=before,
        after={"reassigned_to": str(target.id), **result.model_dump(mode="json")},
    )
    return result


def _snapshot(account: Account) -> dict[str, Any]:
    return service.account_read(account).model_dump(
        mode="json", exclude={"created_at", "updated_at"}
    )


def _merge(
    session: Session, ctx: TenantContext, source: Account, target: Account, *, field: str
) -> CategoryMergeResult:
    accounts = AccountRepository(session, ctx.tenant_id)
    children = accounts.children(source.id)
    _check(accounts, source, target, children, field)
    moved = TransactionRepository(session, ctx.tenant_id).move_postings(source.id, target.id)
    BalanceRepository(session, ctx.tenant_id).move_account(source.id, target.id)
    for child in children:
        child.parent_id = target.id
    session.flush()
    events.account_replaced(session, ctx.tenant_id, source.id, target.id)
    session.delete(source)
    session.flush()
    return CategoryMergeResult(
        source_id=source.id,
        target_id=target.id,
        postings_moved=moved,
        children_moved=len(children),
    )


def _check(
    accounts: AccountRepository,
    source: Account,
    target: Account,
    children: list[Account],
    field: str,
) -> None:
    if source.id == target.id:
        raise InvalidMerge("must be another category", field=field)
    if source.type != target.type:
        raise InvalidMerge(f"must be an {source.type} category, like the one merged", field=field)
    if source.currency != target.currency:
        raise InvalidMerge(f"must be in {source.currency}, like the one merged", field=field)
    if target.is_archived:
        raise InvalidMerge("is archived; restore it first", field=field)
    parents = accounts.parent_map()
    node, seen = target.parent_id, set[uuid.UUID]()
    while node is not None and node not in seen:
        if node == source.id:
            raise InvalidMerge("is a sub-category of the one merged", field=field)
        seen.add(node)
        node = parents.get(node)
    for child in children:
        if accounts.sibling_named(child.name, child.type, target.id) is not None:
            raise service.DuplicateName(
                f"{target.name} already has a sub-category named {child.name}; "
                "rename or merge that one first.",
                field=field,
            )
