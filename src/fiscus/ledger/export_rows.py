"""Every entry matching the transaction list's filters, read in batches for an export.

The list endpoint pages; an export needs all the matching entries, in the list's order,
without holding them all at once. `ExportQuery` takes the list's filters (plus the
search syntax of the transactions page's search box), `extent` counts the matches (and
their first and last dates) in one aggregate read, and `iter_entries` reads them as
column rows with a streaming cursor (`yield_per`), fetching the postings of each batch in
one more read. Nothing is hydrated as ORM objects and at most one batch is in memory.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.ledger import search
from fiscus.ledger import transactions_query as query_service
from fiscus.ledger.models import Posting, Transaction
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_transactions import TransactionFilters, TransactionRepository
from fiscus.ledger.repository_transactions import _order as list_order
from fiscus.ledger.transactions import decode_tags

BATCH = 500


@dataclass(frozen=True, slots=True)
class ExportQuery:
    """The filters of `GET /api/v1/transactions` (`text` is its `q`), and `search`: the
    search syntax of `GET /api/v1/transactions/search` and of the transactions page."""

    account_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    kind: str | None = None
    status: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: str | None = None
    amount_max: str | None = None
    text: str | None = None
    search: str | None = None
    deleted: bool = False
    sort: str = "-date"


@dataclass(frozen=True, slots=True)
class ExportPosting:
    account_id: uuid.UUID
    amount: int  # minor units, debit positive
    currency: str
    memo: str | None


@dataclass(frozen=True, slots=True)
class ExportEntry:
    id: uuid.UUID
    occurred_on: date
    description: str
    payee: str | None
    notes: str | None
    tags: list[str]
    status: str
    kind: str
    postings: list[ExportPosting]


@dataclass(frozen=True, slots=True)
class Extent:
    """How many entries match, and the dates of the first and the last (None if none)."""

    count: int
    first_on: date | None
    last_on: date | None


class _ExportRepository(TransactionRepository):
    """The list's own filtered query (same conditions, same order), read in full."""

    def matching(self, filters: TransactionFilters) -> Select[Transaction]:
        return self._filtered(filters)

    def postings_rows(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ExportPosting]]:
        query = (
            select(
                Posting.transaction_id,
                Posting.account_id,
                Posting.amount,
                Posting.currency,
                Posting.memo,
            )
            .where(Posting.tenant_id == self.tenant_id, Posting.transaction_id.in_(ids))
            .order_by(Posting.transaction_id, Posting.position)
        )
        grouped: dict[uuid.UUID, list[ExportPosting]] = defaultdict(list)
        for txn_id, account_id, amount, currency, memo in self.session.execute(query):
            grouped[txn_id].append(ExportPosting(account_id, amount, currency, memo))
        return grouped


def transaction_filters(
    session: Session, ctx: TenantContext, query: ExportQuery
) -> TransactionFilters:
    """The list endpoint's filters, combined with the search syntax like the page does
    (a field set in the form wins over the same condition typed in the search box)."""
    base = (
        query_service.filters_for(
            session, ctx, query.search, sort=query.sort, deleted=query.deleted
        )
        if query.search
        else TransactionFilters(sort=query.sort, deleted=query.deleted)
    )
    bounds = [
        search.AmountBound(op, query_service._amount(session, ctx, text, name))
        for op, text, name in (
            (">=", query.amount_min, "amount_min"),
            ("<=", query.amount_max, "amount_max"),
        )
        if text is not None
    ]
    groups = base.posts_to
    if query.category_id is not None:
        accounts = AccountRepository(session, ctx.tenant_id)
        groups = (*groups, query_service._with_descendants(accounts, [query.category_id]))
    return dataclasses.replace(
        base,
        account_id=query.account_id,
        kind=query.kind,
        status=query.status,
        tag=query.tag,
        text=query.text,
        date_from=query.date_from or base.date_from,
        date_to=query.date_to or base.date_to,
        posts_to=groups,
        amounts=(*base.amounts, *bounds),
    )


def extent(session: Session, ctx: TenantContext, filters: TransactionFilters) -> Extent:
    matching = _ExportRepository(session, ctx.tenant_id).matching(filters).order_by(None)
    rows = matching.with_only_columns(Transaction.occurred_on).subquery()
    count, first_on, last_on = session.execute(
        select(func.count(), func.min(rows.c.occurred_on), func.max(rows.c.occurred_on))
    ).one()
    return Extent(int(count or 0), first_on, last_on)


def iter_entries(
    session: Session, ctx: TenantContext, filters: TransactionFilters, *, batch: int | None = None
) -> Iterator[ExportEntry]:
    """The matching entries in the list's order, each with its postings in order, read
    `batch` (default `BATCH`) at a time."""
    repo = _ExportRepository(session, ctx.tenant_id)
    columns: tuple[Any, ...] = (
        Transaction.id,
        Transaction.occurred_on,
        Transaction.description,
        Transaction.payee,
        Transaction.notes,
        Transaction.tags,
        Transaction.status,
        Transaction.kind,
    )
    query = repo.matching(filters).order_by(*list_order(filters.sort)).with_only_columns(*columns)
    result = session.execute(query.execution_options(yield_per=batch or BATCH))
    for part in result.partitions():
        postings = repo.postings_rows([row[0] for row in part])
        for txn_id, on, description, payee, notes, tags, status, kind in part:
            yield ExportEntry(
                id=txn_id,
                occurred_on=on,
                description=description,
                payee=payee,
                notes=notes,
                tags=decode_tags(tags),
                status=status,
                kind=kind,
                postings=postings.get(txn_id, []),
            )
