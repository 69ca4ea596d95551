"""Every entry matching the transaction list's filters, read in batches for an export.

The list endpoint pages; an export needs all the matching entries, in the list's order,
without holding them all at once. `ExportQuery` takes the list's filters (plus the
search syntax of the transactions page's search box), `extent` counts the matches (and
their first and last dates) in one aggregate read, and `iter_entries` reads them as
column rows of one query joining each entry to its postings, through a streaming cursor
(`yield_per`). Nothing is hydrated as ORM objects and at most one batch is in memory.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from fiscus.core.context import TenantContext
from fiscus.ledger import search
from fiscus.ledger import transactions_query as query_service
from fiscus.ledger.models import Posting, Transaction
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_transactions import TransactionFilters, TransactionRepository
from fiscus.ledger.repository_transactions import _order as list_order
from fiscus.ledger.transactions import decode_tags

BATCH = 1000
ENTRY_COLUMNS: tuple[Any, ...] = (
    Transaction.id,
    Transaction.occurred_on,
    Transaction.description,
    Transaction.payee,
    Transaction.notes,
    Transaction.tags,
    Transaction.status,
    Transaction.kind,
)
# The joined postings under their own name: the filters' EXISTS subqueries on `posting`
# must still correlate to the entry alone, not to the joined rows.
_LINE = aliased(Posting, name="export_line")
POSTING_COLUMNS: tuple[Any, ...] = (_LINE.account_id, _LINE.amount, _LINE.currency, _LINE.memo)


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


class ExportPosting(NamedTuple):
    account_id: uuid.UUID
    amount: int  # minor units, debit positive
    currency: str
    memo: str | None


class ExportEntry(NamedTuple):
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

    def entry_rows(self, filters: TransactionFilters) -> Select[Any]:
        """One row per posting of each matching entry: the entry's columns, then the
        posting's, in the list's order (which ends with the entry id, so an entry's
        postings are adjacent) and the postings' own order within it."""
        posting = and_(
            _LINE.tenant_id == Transaction.tenant_id, _LINE.transaction_id == Transaction.id
        )
        return (
            self.matching(filters)
            .join(_LINE, posting)
            .order_by(*list_order(filters.sort), _LINE.position)
            .with_only_columns(*ENTRY_COLUMNS, *POSTING_COLUMNS)
        )


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
    """The matching entries in the list's order, each with its postings in order: one
    query, read through a streaming cursor `batch` (default `BATCH`) posting rows at a
    time."""
    query = _ExportRepository(session, ctx.tenant_id).entry_rows(filters)
    # On the session's connection as a Core statement: plain rows, no ORM result loading.
    result = session.connection().execute(query.execution_options(yield_per=batch or BATCH))
    width = len(ENTRY_COLUMNS)
    current: list[Any] | None = None
    postings: list[ExportPosting] = []
    for part in result.partitions():
        for row in part:
            if current is None or row[0] != current[0]:
                if current is not None:
                    yield _entry(current, postings)
                current, postings = list(row[:width]), []
            postings.append(ExportPosting._make(row[width:]))
    if current is not None:
        yield _entry(current, postings)


def _entry(columns: list[Any], postings: list[ExportPosting]) -> ExportEntry:
    txn_id, on, description, payee, notes, tags, status, kind = columns
    return ExportEntry(
        txn_id, on, description, payee, notes, decode_tags(tags), status, kind, postings
    )
