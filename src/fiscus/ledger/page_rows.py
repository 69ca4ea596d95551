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
    ColumnElement,
    Select,
    and_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

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

ENTRY = tuple(getattr(Transaction, name) for name in TransactionRow._fields)
LEG = tuple(getattr(Posting, name) for name in PostingRow._fields)
_HEAD = len(ENTRY)
_LEGS_FROM = -len(LEG)  # a row: the entry's columns, its sort keys, then a posting's


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
    return ordered(sort_columns(sort))


def ordered(keys: Sequence[SortKey]) -> tuple[Any, ...]:
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
    page = keyed(filtered, keys).offset(offset).limit(limit)
    statement = with_postings(page, tenant_id, keys)
    return entries_of(session.connection().execute(statement).all(), sort)


def keyed(filtered: Select[Any], keys: tuple[SortKey, ...]) -> Select[Any]:
    """The entry's columns and those of its sort keys that are not one of them (`k0`,
    `k1`, ..., by the key's position), ordered by the keys."""
    labelled = (k.expression.label(f"k{i}") for i, k in enumerate(keys) if k.field is None)
    return filtered.with_only_columns(*ENTRY, *labelled).order_by(*ordered(keys))


def with_postings(limited: Select[Any], tenant: Any, keys: tuple[SortKey, ...]) -> Select[Any]:
    """The page as a subquery joined to its postings. The outer query sorts again by the
    page's sort keys: a total order, so the page keeps its order and each entry's postings
    come together, in position order."""
    page = limited.subquery("page")
    joined = and_(Posting.tenant_id == tenant, Posting.transaction_id == page.c.id)
    outer = [k._replace(expression=page.c[k.field or f"k{i}"]) for i, k in enumerate(keys)]
    return (
        select(*page.c, *LEG)
        .select_from(page)
        .outerjoin(Posting, joined)
        .order_by(*ordered(outer), Posting.position)
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
