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
_LEGS_FROM = _HEAD + 1  # after the entry's gross amount, which only the sort reads


def sort_keys(sort: str, t: Any = Transaction) -> tuple[Any, ...]:
    """The list's order over `t` (the entity, or a subquery's columns): each ends with the
    entry's id, a total order."""
    newest = (t.occurred_on.desc(), t.created_at.desc(), t.id)
    return {
        "date": (t.occurred_on, t.created_at, t.id),
        "-date": newest,
        "amount": (t.amount, *newest),
        "-amount": (t.amount.desc(), *newest),
        "description": (func.lower(t.description), *newest),
        "payee": (func.lower(t.payee).is_(None), func.lower(t.payee), *newest),
    }[sort]


def read_page(
    session: Session,
    tenant_id: uuid.UUID,
    filtered: Select[Any],
    sort: str,
    *,
    offset: int,
    limit: int,
) -> list[EntryRows]:
    """The entries of `filtered` (a select of `Transaction` with its conditions) in the
    order `sort`, `offset`/`limit` applied, each with its postings in position order."""
    page = filtered.with_only_columns(*_ENTRY, Transaction.amount).order_by(*sort_keys(sort))
    statement = _with_postings(page.offset(offset).limit(limit), tenant_id, sort)
    return entries_of(session.connection().execute(statement).all())


def register_page_read(
    tenant_id: uuid.UUID,
    account_id: uuid.UUID,
    sort: str,
    dates: tuple[date | None, date | None],
    *,
    offset: int,
    limit: int,
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
    return Read(_register_statement(sort, first is not None, last is not None), params)


@cache
def _register_statement(sort: str, bounded_below: bool, bounded_above: bool) -> Select[Any]:
    """What `TransactionRepository._filtered` builds for an account and a date range, with
    bound parameters: built and cache-keyed once, not per request."""
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
    page = (
        select(*_ENTRY, Transaction.amount)
        .where(*conditions)
        .order_by(*sort_keys(sort))
        .offset(bindparam("offset", type_=Integer()))
        .limit(bindparam("limit", type_=Integer()))
    )
    return _with_postings(page, tenant, sort)


def same_day_leg() -> tuple[ColumnElement[bool], ...]:
    """A posting of the entry: a posting carries its entry's date, so with the date the
    register's probe is the postings' (tenant, account, date, transaction) index alone,
    no heap visit (docs/performance.md, "The account register in one round trip")."""
    return (
        Posting.occurred_on == Transaction.occurred_on,
        Posting.transaction_id == Transaction.id,
    )


def _with_postings(limited: Select[Any], tenant: Any, sort: str) -> Select[Any]:
    """The page as a subquery joined to its postings. The outer query sorts again by the
    same keys over the subquery's columns: a total order, so the page keeps its order and
    each entry's postings come together, in position order."""
    page = limited.subquery("page")
    joined = and_(Posting.tenant_id == tenant, Posting.transaction_id == page.c.id)
    return (
        select(*page.c, *_LEG)
        .select_from(page)
        .outerjoin(Posting, joined)
        .order_by(*sort_keys(sort, page.c), Posting.position)
    )


def entries_of(rows: Sequence[Sequence[Any]]) -> list[EntryRows]:
    """The entries, each with its postings, of the rows of a page's statement."""
    entries: list[EntryRows] = []
    for _, group in groupby(rows, key=itemgetter(0)):
        legs = list(group)
        head = TransactionRow(*legs[0][:_HEAD])
        postings = [PostingRow(*leg[_LEGS_FROM:]) for leg in legs if leg[_LEGS_FROM] is not None]
        entries.append((head, postings))
    return entries
