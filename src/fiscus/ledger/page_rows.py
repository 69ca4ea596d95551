"""A page of the transaction list as Core rows: the entries and their postings in one
statement, without hydrating ORM instances (a page of 50 entries held ~150 of them).

`EntryHead` and `EntryLeg` are what rendering an entry reads (`api_transactions.transaction_read`,
`transactions.simple_view`); an ORM `Transaction` and `Posting` satisfy them as well as
the rows here do, so the single-entry routes keep passing ORM instances.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Select,
    Uuid,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from fiscus.db.pipelined import Read
from fiscus.ledger.models import Posting, Transaction


class EntryHead(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def occurred_on(self) -> date: ...
    @property
    def description(self) -> str: ...
    @property
    def payee(self) -> str | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def tags(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def deleted_at(self) -> datetime | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


class EntryLeg(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def account_id(self) -> uuid.UUID: ...
    @property
    def amount(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def rate(self) -> Decimal | None: ...
    @property
    def memo(self) -> str | None: ...


class TransactionRow(NamedTuple):
    id: uuid.UUID
    occurred_on: date
    description: str
    payee: str | None
    notes: str | None
    tags: str
    status: str
    kind: str
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PostingRow(NamedTuple):
    id: uuid.UUID
    account_id: uuid.UUID
    amount: int
    currency: str
    rate: Decimal | None
    memo: str | None


EntryRows = tuple[TransactionRow, list[PostingRow]]

_ENTRY = tuple(getattr(Transaction, name) for name in TransactionRow._fields)
_LEG = tuple(getattr(Posting, name) for name in PostingRow._fields)
_HEAD = len(_ENTRY)
_LEGS_FROM = -len(_LEG)  # a row: the entry's columns, its sort keys, then a posting's


class SortKey(NamedTuple):
    """One key of the list's order: its expression, its direction, the Python type of its
    value (what a cursor holding it decodes to; `list_cursor`), and the `TransactionRow`
    field it is, if it is one (a page's statement selects only the other keys again)."""

    expression: Any
    descending: bool
    kind: type
    field: str | None = None


@cache
def sort_columns(sort: str) -> tuple[SortKey, ...]:
    """The list's order: each ends with the entry's id, a total order. Only the payee's
    key can be null, and the key before it (payee is null) puts those entries last. Built
    once per sort: every page, cursor and export asks for it."""
    t = Transaction
    newest = (
        SortKey(t.occurred_on, True, date, "occurred_on"),
        SortKey(t.created_at, True, datetime, "created_at"),
        SortKey(t.id, False, uuid.UUID, "id"),
    )
    oldest = tuple(key._replace(descending=False) for key in newest)
    payee = func.lower(t.payee)
    return {
        "date": oldest,
        "-date": newest,
        "amount": (SortKey(t.amount, False, int), *newest),
        "-amount": (SortKey(t.amount, True, int), *newest),
        "description": (SortKey(func.lower(t.description), False, str), *newest),
        "payee": (SortKey(payee.is_(None), False, bool), SortKey(payee, False, str), *newest),
    }[sort]


def sort_keys(sort: str) -> tuple[Any, ...]:
    """`sort_columns` as ORDER BY terms."""
    return _ordered(sort_columns(sort))


def _ordered(keys: Sequence[SortKey]) -> tuple[Any, ...]:
    return tuple(k.expression.desc() if k.descending else k.expression for k in keys)


def after_keys(keys: Sequence[SortKey], bounds: Sequence[Any]) -> ColumnElement[bool]:
    """The entries that come after the one whose sort keys are `bounds` (values, or bound
    parameters; None where that entry's key is null): keyset paging. The first key's
    bound is also given on its own, so an index on it can start the scan there."""
    first = keys[0]
    # SQLAlchemy compares a Python True or False only by IS; as a bound value, by any
    bounds = [literal(b) if isinstance(b, bool) else b for b in bounds]
    equal: list[ColumnElement[bool]] = []
    later: list[ColumnElement[bool]] = []
    for key, bound in zip(keys, bounds, strict=True):
        if bound is None:  # nothing sorts after a null within equal keys before it
            equal.append(key.expression.is_(None))
            continue
        beyond = key.expression < bound if key.descending else key.expression > bound
        later.append(and_(*equal, beyond))
        equal.append(key.expression == bound)
    start = bounds[0]
    if start is None:
        return or_(*later)
    reach = first.expression <= start if first.descending else first.expression >= start
    return and_(reach, or_(*later))


class PageRows(NamedTuple):
    """A page's entries, each with its postings, read in the order `sort`; `firsts`, each
    entry's first row, hold its sort keys. Only one entry's keys are ever asked for (the
    cursor of the page after it), so only that one's are put together (`keys_at`)."""

    entries: list[EntryRows]
    firsts: list[Sequence[Any]]
    sort: str

    def keys_at(self, index: int) -> tuple[Any, ...]:
        """The sort keys of entry `index`: the entry's own columns where a key is one,
        else the key's column after them (the entry's columns, its other keys, a
        posting's)."""
        head, _ = self.entries[index]
        others = iter(self.firsts[index][_HEAD:_LEGS_FROM])
        keys = sort_columns(self.sort)
        return tuple(next(others) if k.field is None else getattr(head, k.field) for k in keys)


def read_page(
    session: Session,
    tenant_id: uuid.UUID,
    filtered: Select[Any],
    sort: str,
    *,
    offset: int,
    limit: int,
    after: tuple[Any, ...] | None = None,
) -> PageRows:
    """The entries of `filtered` (a select of `Transaction` with its conditions) in the
    order `sort`, after the entry whose sort keys are `after` when given, `offset`/`limit`
    applied, each with its postings in position order."""
    keys = sort_columns(sort)
    if after is not None:
        filtered = filtered.where(after_keys(keys, after))
    page = _keyed(filtered, keys).offset(offset).limit(limit)
    statement = _with_postings(page, tenant_id, keys)
    return entries_of(session.connection().execute(statement).all(), sort)


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
    makes the page of its rows."""
    first, last = dates
    params = {
        "tenant_id": tenant_id,
        "account_id": account_id,
        "date_from": first,
        "date_to": last,
        "offset": offset,
        "limit": limit,
    }
    nulls = None
    if after is not None:
        nulls = tuple(value is None for value in after)
        params.update((f"after_{i}", value) for i, value in enumerate(after))
    statement = _register_statement(sort, first is not None, last is not None, nulls)
    return Read(statement, params)


@cache
def _register_statement(
    sort: str, bounded_below: bool, bounded_above: bool, after_nulls: tuple[bool, ...] | None
) -> Select[Any]:
    """What `TransactionRepository._filtered` builds for an account and a date range, with
    bound parameters: built and cache-keyed once, not per request. `after_nulls` (which
    of the cursor's keys are null) asks for the entries after a cursor."""
    tenant: BindParameter[Any] = bindparam("tenant_id", type_=Uuid())
    posts_to = exists().where(
        Posting.tenant_id == tenant,
        Posting.account_id == bindparam("account_id", type_=Uuid()),
        *same_day_leg(),
    )
    conditions = [Transaction.tenant_id == tenant, Transaction.deleted_at.is_(None), posts_to]
    if bounded_below:
        conditions.append(Transaction.occurred_on >= bindparam("date_from", type_=Date()))
    if bounded_above:
        conditions.append(Transaction.occurred_on <= bindparam("date_to", type_=Date()))
    keys = sort_columns(sort)
    if after_nulls is not None:
        bounds = [
            None if null else bindparam(f"after_{i}", type_=key.expression.type)
            for i, (key, null) in enumerate(zip(keys, after_nulls, strict=True))
        ]
        conditions.append(after_keys(keys, bounds))
    page = (
        _keyed(select(Transaction).where(*conditions), keys)
        .offset(bindparam("offset", type_=Integer()))
        .limit(bindparam("limit", type_=Integer()))
    )
    return _with_postings(page, tenant, keys)


def same_day_leg() -> tuple[ColumnElement[bool], ...]:
    """A posting of the entry: a posting carries its entry's date, so with the date the
    register's probe is the postings' (tenant, account, date, transaction) index alone,
    no heap visit (docs/performance.md, "The account register in one round trip")."""
    return (
        Posting.occurred_on == Transaction.occurred_on,
        Posting.transaction_id == Transaction.id,
    )


def _keyed(filtered: Select[Any], keys: tuple[SortKey, ...]) -> Select[Any]:
    """The entry's columns and those of its sort keys that are not one of them (`k0`,
    `k1`, ..., by the key's position), ordered by the keys."""
    labelled = (k.expression.label(f"k{i}") for i, k in enumerate(keys) if k.field is None)
    return filtered.with_only_columns(*_ENTRY, *labelled).order_by(*_ordered(keys))


def _with_postings(limited: Select[Any], tenant: Any, keys: tuple[SortKey, ...]) -> Select[Any]:
    """The page as a subquery joined to its postings. The outer query sorts again by the
    page's sort keys: a total order, so the page keeps its order and each entry's postings
    come together, in position order."""
    page = limited.subquery("page")
    joined = and_(Posting.tenant_id == tenant, Posting.transaction_id == page.c.id)
    outer = [k._replace(expression=page.c[k.field or f"k{i}"]) for i, k in enumerate(keys)]
    return (
        select(*page.c, *_LEG)
        .select_from(page)
        .outerjoin(Posting, joined)
        .order_by(*_ordered(outer), Posting.position)
    )


def entries_of(rows: Sequence[Sequence[Any]], sort: str) -> PageRows:
    """The entries, each with its postings, of the rows of a page's statement in the
    order `sort`."""
    found = PageRows([], [], sort)
    for _, group in groupby(rows, key=itemgetter(0)):
        legs = list(group)
        head = TransactionRow(*legs[0][:_HEAD])
        postings = [PostingRow(*leg[_LEGS_FROM:]) for leg in legs if leg[_LEGS_FROM] is not None]
        found.entries.append((head, postings))
        found.firsts.append(legs[0])
    return found
