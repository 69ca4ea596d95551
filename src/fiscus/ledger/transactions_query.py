"""Finding transactions: the list's filters and the search syntax, both ending in one
`TransactionFilters` for the repository.

A category filter covers the category and all its descendants (so does an account
searched by name). Amount bounds apply to the entry's stored gross amount (its debits in
the currency of its first posting), converted to each currency's minor units.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money
from fiscus.db.pipelined import Read, Rows
from fiscus.ledger import search
from fiscus.ledger.page_rows import EntryRows, entries_of
from fiscus.ledger.postings import CATEGORY_TYPES
from fiscus.ledger.register_page import register_page_read
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_balances import entries_between_read, entry_count_of
from fiscus.ledger.repository_transactions import (
    TransactionFilters,
    TransactionRepository,
    Window,
    next_after_of,
    register_of,
)
from fiscus.tenancy import service as tenancy_service


def list_window_rows(
    session: Session,
    ctx: TenantContext,
    filters: TransactionFilters,
    *,
    page: int,
    limit: int,
    exact: bool = False,
    after: tuple[Any, ...] | None = None,
) -> Window[EntryRows]:
    """A page of entries with `has_more`, and the total when a kept count gives it, the
    page is the last one, or `exact` asks for it: Core rows (entries and postings in one
    statement) for the JSON list, the search and the transactions page, which only read
    them; `after` (a `Window.next_after`) asks for the page after that entry instead of a
    numbered one."""
    repo = TransactionRepository(session, ctx.tenant_id)
    return repo.window_rows(filters, page=page, limit=limit, exact=exact, after=after)


def register_account(
    f: TransactionFilters, *, category_id: uuid.UUID | None, amounted: bool
) -> uuid.UUID | None:
    """The account whose register the list asks for (`f` names one account and at most a
    date range; no category, no amount bound), else None."""
    return None if category_id is not None or amounted else register_of(f)


def register_reads(
    tenant_id: uuid.UUID,
    account_id: uuid.UUID,
    f: TransactionFilters,
    *,
    page: int,
    limit: int,
    after: tuple[Any, ...] | None = None,
) -> list[Read]:
    """An account register's page (`limit + 1` entries: one more tells that more follow)
    and its kept total, as reads of one pipelined unit of work; `register_window` makes
    the page of their rows."""
    dates = (f.date_from, f.date_to)
    offset = (page - 1) * limit  # with `after`, counted from that entry on
    page_read = register_page_read(
        tenant_id, account_id, f.sort, dates, offset=offset, limit=limit + 1, after=after
    )
    return [page_read, entries_between_read(tenant_id, account_id, *dates)]


def register_window(rows: list[Rows], *, limit: int, sort: str) -> Window[EntryRows]:
    """The page of the rows of `register_reads` (made for `sort`), as `list_window_rows`
    gives it."""
    page_rows, count_rows = rows
    found = entries_of(page_rows, sort)
    window = Window(found.entries[:limit], len(found.entries) > limit, entry_count_of(count_rows))
    return next_after_of(window, found, limit)


def list_filters(
    session: Session,
    ctx: TenantContext,
    filters: TransactionFilters,
    *,
    category_id: uuid.UUID | None = None,
    amount_min: str | None = None,
    amount_max: str | None = None,
) -> TransactionFilters:
    """`filters` with the category (and its descendants) and the amount bounds added."""
    bounds = [
        search.AmountBound(op, _amount(session, ctx, text, name))
        for op, text, name in ((">=", amount_min, "amount_min"), ("<=", amount_max, "amount_max"))
        if text is not None
    ]
    groups = filters.posts_to
    if category_id is not None:
        accounts = AccountRepository(session, ctx.tenant_id)
        groups = (*groups, _with_descendants(accounts, [category_id]))
    return dataclasses.replace(filters, posts_to=groups, amounts=(*filters.amounts, *bounds))


def _amount(session: Session, ctx: TenantContext, text: str, field: str) -> Decimal:
    currency = tenancy_service.base_currency(session, ctx.tenant_id)
    amount = Money.parse(text, currency, field=field)
    if amount.is_negative:
        raise InvalidInput("must not be negative (amounts are sizes)", field=field)
    return amount.amount


def filters_for(
    session: Session, ctx: TenantContext, q: str, *, sort: str = "-date", deleted: bool = False
) -> TransactionFilters:
    query = search.parse(q)
    accounts = AccountRepository(session, ctx.tenant_id)
    return TransactionFilters(
        deleted=deleted,
        sort=sort,
        posts_to=(
            *_by_names(accounts, query.accounts, None),
            *_by_names(accounts, query.categories, CATEGORY_TYPES),
        ),
        kinds=None if query.kinds is None else tuple(sorted(query.kinds)),
        statuses=None if query.statuses is None else tuple(sorted(query.statuses)),
        tags=tuple(query.tags),
        words=tuple(query.words),
        payee=tuple(query.payee),
        description=tuple(query.description),
        notes=tuple(query.notes),
        amounts=tuple(query.amounts),
        date_from=query.date_from,
        date_to=query.date_to,
    )


def _by_names(
    accounts: AccountRepository, names: list[str], types: tuple[str, ...] | None
) -> list[tuple[uuid.UUID, ...]]:
    """One group per name: the accounts so named (any parent) and their descendants."""
    return [_with_descendants(accounts, accounts.ids_named(name, types)) for name in names]


def _with_descendants(accounts: AccountRepository, roots: list[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    children: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for child, parent in accounts.parent_map().items():
        if parent is not None:
            children[parent].append(child)
    seen: set[uuid.UUID] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(children.get(node, ()))
    return tuple(sorted(seen))
