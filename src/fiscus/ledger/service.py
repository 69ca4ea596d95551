"""Chart-of-accounts use cases: create, update, archive, delete; categories as a tree.

Categories are the income and expense accounts. Invariants kept here: a parent lives in
the same tenant and has the same type; the tree has no cycles; codes are unique per
tenant; sibling names are unique (case-insensitive); an account with children cannot be
deleted. Every change is audited in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic_core import to_json
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.currency import is_currency
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.core.ids import new_id
from fiscus.core.money import Money, minor_units_json
from fiscus.db.pipelined import Read, Rows
from fiscus.ledger import balances, uncategorised_known
from fiscus.ledger.models import Account
from fiscus.ledger.postings import CATEGORY_TYPES
from fiscus.ledger.repository import (
    AccountRepository,
    accounts_version_read,
    listed_rows_of,
    listed_rows_read,
)
from fiscus.ledger.repository_balances import account_raw_balance_read
from fiscus.ledger.repository_transactions import TransactionRepository
from fiscus.ledger.schemas import AccountCreate, AccountRead, AccountUpdate, CategoryNode
from fiscus.ledger.templates import TEMPLATES, Node
from fiscus.tenancy import service as tenancy_service

_NOT_NULL = ("name", "subtype", "is_hidden", "is_archived", "display_order")


class AccountNotFound(NotFound):
    """The account does not exist."""

    code = "account_not_found"


class DuplicateCode(Conflict):
    """Another account already has this code."""

    code = "duplicate_code"


class DuplicateName(Conflict):
    """A sibling with this name already exists."""

    code = "duplicate_name"


class InvalidParent(InvalidInput):
    """The parent must be an existing account of the same type, and not a descendant."""

    code = "invalid_parent"


class AccountInUse(Conflict):
    """The account has sub-accounts; move or delete them first, or archive it instead."""

    code = "account_in_use"


def account_read(account: Account) -> AccountRead:
    return AccountRead.model_validate(account_fields(account))


_ACCOUNT_FIELDS = tuple(AccountRead.model_fields)


def account_fields(values: Mapping[str, Any] | Account) -> dict[str, Any]:
    """`AccountRead`'s fields, in its order, as plain values of an account (`Account`, or
    a row keyed by column): what the account list renders without validating a model per
    account. `tests/ledger/test_account_json.py` pins the bytes to the model's."""
    if isinstance(values, Mapping):
        fields = {name: values[name] for name in _ACCOUNT_FIELDS}
    else:
        fields = {name: getattr(values, name) for name in _ACCOUNT_FIELDS}
    limit = fields["credit_limit"]
    if limit is not None:
        fields["credit_limit"] = minor_units_json(limit, fields["currency"])
    return fields


def _snapshot(account: Account) -> dict[str, Any]:
    return account_read(account).model_dump(mode="json", exclude={"created_at", "updated_at"})


def create_account(session: Session, ctx: TenantContext, data: AccountCreate) -> Account:
    repo = AccountRepository(session, ctx.tenant_id)
    currency = data.currency or tenancy_service.base_currency(session, ctx.tenant_id)
    if not is_currency(currency):
        raise InvalidInput("is not a known ISO 4217 currency", field="currency")
    fields = data.model_dump(exclude={"currency", "credit_limit"})
    account = Account(tenant_id=ctx.tenant_id, currency=currency, **fields)
    account.credit_limit = _limit(data.credit_limit, currency)
    _check_placement(repo, account, data.parent_id)
    repo.add(account)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="account.create",
        resource_type="account",
        resource_id=account.id,
        after=_snapshot(account),
    )
    return account


def update_account(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, data: AccountUpdate
) -> Account:
    repo = AccountRepository(session, ctx.tenant_id)
    account = get_account(session, ctx, account_id)
    before = _snapshot(account)
    changes = data.model_dump(include=data.model_fields_set)
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput("must not be null", field=name)
    if "credit_limit" in changes:
        account.credit_limit = _limit(changes.pop("credit_limit"), account.currency)
    parent_changed = "parent_id" in changes and changes["parent_id"] != account.parent_id
    # The checks read the chart with the change applied to `account` but not yet written:
    # an autoflush would send a duplicate code or a missing parent to the database's own
    # constraints first (a 500, not the rule's 409/422).
    with session.no_autoflush:
        for name, value in changes.items():
            setattr(account, name, value)
        uncategorised_known.forget(session, ctx.tenant_id, account.id)  # its code may change
        _check_placement(repo, account, account.parent_id, check_cycle=parent_changed)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="account.update",
        resource_type="account",
        resource_id=account.id,
        before=before,
        after=_snapshot(account),
    )
    return account


def delete_account(session: Session, ctx: TenantContext, account_id: uuid.UUID) -> None:
    repo = AccountRepository(session, ctx.tenant_id)
    account = get_account(session, ctx, account_id)
    if repo.child_count(account.id):
        raise AccountInUse()
    if TransactionRepository(session, ctx.tenant_id).has_postings(account.id):
        raise AccountInUse("The account has postings; archive it instead.")
    before = _snapshot(account)
    session.delete(account)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="account.delete",
        resource_type="account",
        resource_id=account_id,
        before=before,
    )


def get_account(session: Session, ctx: TenantContext, account_id: uuid.UUID) -> Account:
    account = AccountRepository(session, ctx.tenant_id).get(account_id)
    if account is None:
        raise AccountNotFound()
    return account


def account_balance(session: Session, ctx: TenantContext, account_id: uuid.UUID, on: date) -> Money:
    """The account's balance in its natural sign at the end of `on`; 404 like `get_account`."""
    money = balances.account_balance_at(session, ctx, account_id, on)
    if money is None:
        raise AccountNotFound()
    return money


def account_balance_read(tenant_id: uuid.UUID, account_id: uuid.UUID, on: date) -> Read:
    """`account_balance` as one read of a pipelined unit of work (`db/pipelined.py`)."""
    return account_raw_balance_read(tenant_id, account_id, on)


def account_balance_from(rows: Rows) -> Money:
    """The balance from the rows of `account_balance_read`; 404 like `account_balance`."""
    money = balances.account_balance_of(rows)
    if money is None:
        raise AccountNotFound()
    return money


class CategoryNotFound(NotFound):
    """The category does not exist."""

    code = "category_not_found"


def get_category(session: Session, ctx: TenantContext, category_id: uuid.UUID) -> Account:
    account = AccountRepository(session, ctx.tenant_id).get(category_id)
    if account is None or account.type not in CATEGORY_TYPES:
        raise CategoryNotFound()
    return account


def list_accounts(
    session: Session,
    ctx: TenantContext,
    *,
    types: tuple[str, ...] | None = None,
    include_archived: bool = False,
    include_hidden: bool = True,
) -> list[Account]:
    return AccountRepository(session, ctx.tenant_id).listed(
        types=types, include_archived=include_archived, include_hidden=include_hidden
    )


def account_list_version_read(tenant_id: uuid.UUID) -> Read:
    """A value that changes whenever one of the tenant's accounts does: the account
    list's JSON is rendered again only then (`web/rendered.py`)."""
    return accounts_version_read(tenant_id)


def account_list_read(
    tenant_id: uuid.UUID,
    *,
    types: tuple[str, ...] | None = None,
    include_archived: bool = False,
    include_hidden: bool = True,
) -> Read:
    """The accounts `list_accounts` lists, as one read of a pipelined unit of work
    (`db/pipelined.py`); `accounts_json_from` renders its rows."""
    return listed_rows_read(tenant_id, types, include_archived, include_hidden)


def accounts_json_from(rows: Rows) -> bytes:
    """The JSON list of `AccountRead` of the rows of `account_list_read`."""
    return to_json([account_fields(values) for values in listed_rows_of(rows)])


def category_tree(
    session: Session, ctx: TenantContext, *, include_archived: bool = False
) -> list[CategoryNode]:
    """Income and expense accounts nested under their parents, in display order."""
    accounts = list_accounts(session, ctx, types=CATEGORY_TYPES, include_archived=include_archived)
    nodes = {a.id: _node(a) for a in accounts}
    roots: list[CategoryNode] = []
    for account in accounts:
        parent = nodes.get(account.parent_id) if account.parent_id else None
        (parent.children if parent else roots).append(nodes[account.id])
    return roots


def _node(account: Account) -> CategoryNode:
    return CategoryNode(
        id=account.id,
        name=account.name,
        type=account.type,
        code=account.code,
        tax_label=account.tax_label,
        colour=account.colour,
        icon=account.icon,
        is_archived=account.is_archived,
        children=[],
    )


def _limit(text: str | None, currency: str) -> int | None:
    if text is None:
        return None
    limit = Money.parse(text, currency, field="credit_limit")
    if limit.is_negative:
        raise InvalidInput("must not be negative", field="credit_limit")
    return limit.minor_units


def _check_placement(
    repo: AccountRepository,
    account: Account,
    parent_id: uuid.UUID | None,
    *,
    check_cycle: bool = True,
) -> None:
    """Parent of the same type in this tenant, no cycle, unique code and sibling name."""
    if parent_id is not None:
        parent = repo.get(parent_id)
        if parent is None or parent.type != account.type:
            raise InvalidParent(field="parent_id")
        if check_cycle and _would_cycle(repo, account.id, parent_id):
            raise InvalidParent("An account cannot be moved under itself.", field="parent_id")
    if account.code:
        holder = repo.by_code(account.code)
        if holder is not None and holder.id != account.id:
            raise DuplicateCode(field="code")
    sibling = repo.sibling_named(account.name, account.type, parent_id)
    if sibling is not None and sibling.id != account.id:
        raise DuplicateName(field="name")


def _would_cycle(
    repo: AccountRepository, account_id: uuid.UUID | None, parent_id: uuid.UUID
) -> bool:
    if account_id is None:
        return False
    parents = repo.parent_map()
    seen: set[uuid.UUID] = set()
    node: uuid.UUID | None = parent_id
    while node is not None and node not in seen:
        if node == account_id:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


class TemplateNotFound(NotFound):
    """There is no category template with this key."""

    code = "template_not_found"


class CategoriesExist(Conflict):
    """This tenant already has categories; a template can only start an empty chart."""

    code = "categories_exist"


def apply_template(session: Session, ctx: TenantContext, key: str) -> int:
    """Create the template's categories; refused once the tenant has categories."""
    template = TEMPLATES.get(key)
    if template is None:
        raise TemplateNotFound()
    repo = AccountRepository(session, ctx.tenant_id)
    if repo.count_of_types(CATEGORY_TYPES):
        raise CategoriesExist()
    currency = tenancy_service.base_currency(session, ctx.tenant_id)
    created = _create_nodes(repo, ctx.tenant_id, currency, template.nodes, None)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="category.apply_template",
        resource_type="template",
        resource_id=key,
        after={"created": created},
    )
    return created


def _create_nodes(
    repo: AccountRepository,
    tenant_id: uuid.UUID,
    currency: str,
    nodes: tuple[Node, ...],
    parent_id: uuid.UUID | None,
) -> int:
    created = 0
    for order, (type_, name, tax_label, children) in enumerate(nodes):
        account = repo.add(
            Account(
                id=new_id(),
                tenant_id=tenant_id,
                parent_id=parent_id,
                type=type_,
                name=name,
                currency=currency,
                tax_label=tax_label,
                display_order=order,
            )
        )
        repo.session.flush()
        created += 1 + _create_nodes(repo, tenant_id, currency, children, account.id)
    return created


# Ledger capabilities other domains reach through this module (bank imports; rules and the
# categoriser ask which categories mean "uncategorised"). Imported last: `uncategorised`
# builds on the use cases above.
from fiscus.ledger.bulk_post import AccountEntry as AccountEntry  # noqa: E402
from fiscus.ledger.bulk_post import BulkEntry as BulkEntry  # noqa: E402
from fiscus.ledger.bulk_post import account_entries as account_entries  # noqa: E402
from fiscus.ledger.bulk_post import bulk_delete as bulk_delete  # noqa: E402
from fiscus.ledger.bulk_post import bulk_post as bulk_post  # noqa: E402
from fiscus.ledger.uncategorised import is_uncategorised as is_uncategorised  # noqa: E402
from fiscus.ledger.uncategorised import (  # noqa: E402
    uncategorised_category as uncategorised_category,
)
from fiscus.ledger.uncategorised import uncategorised_ids as uncategorised_ids  # noqa: E402

uncategorised_among = uncategorised_known.among  # which legs a listener may skip
