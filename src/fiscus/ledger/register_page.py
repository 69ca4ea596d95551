"""An account's register: the live entries with a leg on one account, within a date
range (either end open), a page at a time — the transaction list's hot shape, on
statements built once with bound parameters (building the expression and its cache key
per request had cost about as much as the query)."""

from __future__ import annotations

import uuid
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, exists, select

from fiscus.db.pipelined import Read
from fiscus.ledger import register_pg
from fiscus.ledger.models import Posting, Transaction
from fiscus.ledger.page_rows import after_keys, keyed, sort_columns, with_postings
from fiscus.ledger.register_pg import same_day_leg

BY_DATE = ("-date", "date")


def register_page_read(
    tenant_id: uuid.UUID,
    account_id: uuid.UUID,
    sort: str,
    dates: tuple[date | None, date | None],
    *,
    offset: int,
    limit: int,
    after: tuple[Any, ...] | None = None,
) -> Read:
    """`read_page` of the live entries posting to one account within `dates` (either end
    open): the account register, the list's hot shape, on a statement built once; one
    read, sent alone or in a pipelined unit of work (`db/pipelined.py`). `entries_of`
    makes the page of its rows. By date, PostgreSQL runs its own statement, on a generic
    plan (`register_pg`)."""
    first, last = dates
    params = {
        "tenant_id": tenant_id,
        "account_id": account_id,
        # an open end is bound too: the PostgreSQL statement always compares both, the
        # portable one only those it was built for
        "date_from": first or date.min,
        "date_to": last or date.max,
        "offset": offset,
        "limit": limit,
    }
    nulls = None
    if after is not None:
        nulls = tuple(value is None for value in after)
        params.update((f"after_{i}", value) for i, value in enumerate(after))
    bounds = (first is not None, last is not None)
    statement = _register_statement(sort, *bounds, nulls)
    if sort not in BY_DATE or any(nulls or ()):  # a date sort's keys are never null
        return Read(statement, params)
    by_date = _by_date_statement(sort, after is not None)
    return Read(statement, params, postgresql=by_date, generic=True, binary=True)


@cache
def _by_date_statement(sort: str, after: bool) -> Select[Any]:
    return register_pg.register_statement(sort_columns(sort), after)


@cache
def _register_statement(
    sort: str, bounded_below: bool, bounded_above: bool, after_nulls: tuple[bool, ...] | None
) -> Select[Any]:
    """What `TransactionRepository._filtered` builds for an account and a date range, with
    bound parameters: built and cache-keyed once, not per request. `after_nulls` (which
    of the cursor's keys are null) asks for the entries after a cursor."""
    keys = sort_columns(sort)
    p = register_pg.RegisterParams(keys, after_nulls is not None)
    posts_to = exists().where(
        Posting.tenant_id == p.tenant, Posting.account_id == p.account, *same_day_leg()
    )
    conditions = [Transaction.tenant_id == p.tenant, Transaction.deleted_at.is_(None), posts_to]
    if bounded_below:
        conditions.append(Transaction.occurred_on >= p.first)
    if bounded_above:
        conditions.append(Transaction.occurred_on <= p.last)
    if after_nulls is not None and p.after is not None:
        bounds = [None if null else b for b, null in zip(p.after, after_nulls, strict=True)]
        conditions.append(after_keys(keys, bounds))
    page = keyed(select(Transaction).where(*conditions), keys).offset(p.offset).limit(p.limit)
    return with_postings(page, p.tenant, keys)
