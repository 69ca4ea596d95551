"""Queries of transactions and postings. Tenant-scoped; never commits."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    update,
)

from fiscus.core.currency import exponent
from fiscus.db.pipelined import run_read
from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.ledger.models_counts import EntryDay
from fiscus.ledger.page_rows import (
    EntryRows,
    PageRows,
    entries_of,
    read_page,
    sort_keys,
)
from fiscus.ledger.register_page import register_page_read
from fiscus.ledger.repository_balances import BalanceRepository
from fiscus.ledger.search import AmountBound, minor_bound

SORTS = ("date", "-date", "amount", "-amount", "description", "payee")

# What the text filter searches: the three texts in one, as the trigram index of migration
# 0020 indexes them (this very expression, constants inline: the planner matches the
# index by the expression's shape). U+001F cannot be part of a word a search finds in one
# column unless the word holds it too, and such a word is searched column by column.
SEPARATOR = "\x1f"
_EMPTY: ColumnElement[str] = literal_column("''")
_SEP: ColumnElement[str] = literal_column("'\x1f'")


def _or_empty(column: Any) -> ColumnElement[str]:
    # CASE, not coalesce(): under row-level security PostgreSQL uses an index only for a
    # condition it knows cannot leak a row, which it knows of CASE and not of COALESCE.
    return case((column.is_(None), _EMPTY), else_=column)


SEARCH_TEXT: ColumnElement[str] = (
    Transaction.description
    + _SEP
    + _or_empty(Transaction.payee)
    + _SEP
    + _or_empty(Transaction.notes)
)

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Window(Generic[Item]):
    """One page of the list: its items, whether any entry follows them, and the number
    of matching entries when it is known without visiting every match (see `window`).
    `next_after`: when entries follow, the sort keys of the page's last entry, where the
    next page starts (`window_rows`' `after`)."""

    items: list[Item]
    has_more: bool
    total: int | None
    next_after: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class TransactionFilters:
    """Every condition must hold. Each group of `posts_to` needs a posting to one of its
    accounts (an empty group matches nothing); each text of a tuple must match."""

    account_id: uuid.UUID | None = None
    kind: str | None = None
    status: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    deleted: bool = False  # True: only the deleted ones (the bin)
    posts_to: tuple[tuple[uuid.UUID, ...], ...] = ()
    kinds: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # each in the description, payee or notes
    payee: tuple[str, ...] = ()
    description: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    amounts: tuple[AmountBound, ...] = ()  # on the gross amount
    sort: str = "-date"


class TransactionRepository(TenantRepository):
    def get(self, transaction_id: uuid.UUID) -> Transaction | None:
        query = self._select(Transaction).where(Transaction.id == transaction_id)
        return self.session.scalars(query).first()

    def get_many(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, Transaction]:
        query = self._select(Transaction).where(Transaction.id.in_(ids))
        return {txn.id: txn for txn in self.session.scalars(query)}

    def by_idempotency_key(self, key: str) -> Transaction | None:
        query = self._select(Transaction).where(Transaction.idempotency_key == key)
        return self.session.scalars(query).first()

    def postings_of(self, transaction_id: uuid.UUID) -> list[Posting]:
        return self.postings_of_many([transaction_id]).get(transaction_id, [])

    def postings_of_many(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Posting]]:
        if not ids:
            return {}
        query = (
            self._select(Posting)
            .where(Posting.transaction_id.in_(ids))
            .order_by(Posting.transaction_id, Posting.position)
        )
        grouped: dict[uuid.UUID, list[Posting]] = defaultdict(list)
        for posting in self.session.scalars(query):
            grouped[posting.transaction_id].append(posting)
        return grouped

    def delete_postings(self, postings: list[Posting]) -> None:
        for posting in postings:
            if posting.tenant_id != self.tenant_id:
                raise ValueError("posting does not belong to this repository's tenant")
            self.session.delete(posting)
        self.session.flush()

    def move_postings(self, source_id: uuid.UUID, target_id: uuid.UUID) -> int:
        """Repoint every posting (live or deleted entry) of one account to another."""
        result = self.session.execute(
            update(Posting)
            .where(Posting.tenant_id == self.tenant_id, Posting.account_id == source_id)
            .values(account_id=target_id)
            .execution_options(synchronize_session="fetch")
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def has_postings(self, account_id: uuid.UUID) -> bool:
        query = select(
            exists().where(Posting.tenant_id == self.tenant_id, Posting.account_id == account_id)
        )
        return bool(self.session.scalar(query))

    def page(
        self, filters: TransactionFilters, *, page: int, limit: int
    ) -> tuple[list[Transaction], int]:
        query = self._filtered(filters)
        order = _order(filters.sort)
        rows = self.session.scalars(query.order_by(*order).offset((page - 1) * limit).limit(limit))
        return list(rows), self._total(filters, query)

    def window_rows(
        self,
        filters: TransactionFilters,
        *,
        page: int,
        limit: int,
        exact: bool = False,
        after: tuple[Any, ...] | None = None,
    ) -> Window[EntryRows]:
        """`window` as Core rows, each entry with its postings, in one statement; with
        `after` (a `Window.next_after`), pages count from that entry on (the API asks
        only for the first): keyset paging, which reads no entry before it."""
        offset = (page - 1) * limit
        kept = self._kept_total_planned(filters)
        accounts = _only_accounts(filters)
        query = None
        if accounts is not None and len(accounts) == 1:  # an account register
            dates = (filters.date_from, filters.date_to)
            read = register_page_read(
                self.tenant_id,
                accounts[0],
                filters.sort,
                dates,
                offset=offset,
                limit=limit + 1,
                after=after,
            )
            found = entries_of(run_read(self.session, read), filters.sort)
        else:
            query = self._filtered(filters)
            found = read_page(
                self.session,
                self.tenant_id,
                query,
                filters.sort,
                offset=offset,
                limit=limit + 1,
                after=after,
            )
        numbered = offset if after is None else None
        window = self._window(found.entries, kept, filters, query, numbered, limit, exact)
        return next_after_of(window, found, limit)

    def _kept_total_planned(self, filters: TransactionFilters) -> int | None:
        """`kept_total`; where there is none, the page's statement will scan for matches,
        so it is planned for its own values (`_custom_plans`)."""
        kept = self.kept_total(filters)
        if kept is None:
            self._custom_plans()
        return kept

    def _custom_plans(self) -> None:
        """On PostgreSQL, plan the rest of this transaction's statements for their own
        parameter values. psycopg prepares a statement run five times on a connection,
        and PostgreSQL may then keep a generic plan, which cannot know how selective a
        text pattern or a range is: on the 10M-posting bench a text-filtered page of one
        account went from ~35 ms to 160-390 ms from its eleventh run on a two-connection
        pool. Only the pages of filters without a kept count ask for it."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def _window(
        self,
        found: list[Item],
        kept: int | None,
        filters: TransactionFilters,
        query: Select[Transaction] | None,
        offset: int | None,
        limit: int,
        exact: bool,
    ) -> Window[Item]:
        """The page from `limit + 1` entries read: one more than the page means more follow.
        The total is `kept`, the kept count where the ledger keeps one; else, on the last
        numbered page (`offset` None: a page after a cursor), the entries before it plus
        its own (the page's statement saw them all); else the exact count of every match
        when `exact` is asked for, or None."""
        items, has_more = found[:limit], len(found) > limit
        total = kept
        if total is None and not has_more and offset is not None and (items or offset == 0):
            total = offset + len(items)
        if total is None and exact:
            total = self._count(self._filtered(filters) if query is None else query)
        return Window(items, has_more, total)

    def kept_total(self, filters: TransactionFilters) -> int | None:
        """The number of matching entries from the counts the ledger keeps (per-day entry
        counts, the snapshots' entry counts, the postings' index), or None where only a
        visit of every match would tell (text, tag, status, type, amount filters, …)."""
        accounts = _only_accounts(filters)
        if _only_dates(filters):  # the whole list or a date range: per-day counts
            return self._entries_dated(filters)
        if accounts is None:
            return None
        if len(accounts) == 1:  # an account register: read like a balance
            balances = BalanceRepository(self.session, self.tenant_id)
            return balances.entries_between(accounts[0], filters.date_from, filters.date_to)
        return self._count_posting_to(filters, accounts)

    def _total(self, filters: TransactionFilters, query: Select[Transaction]) -> int:
        """Exact: the kept count, or a count of every match."""
        kept = self.kept_total(filters)
        return self._count(query) if kept is None else kept

    def _filtered(self, f: TransactionFilters) -> Select[Transaction]:
        conditions: list[ColumnElement[bool]] = [
            Transaction.deleted_at.is_not(None) if f.deleted else Transaction.deleted_at.is_(None)
        ]
        groups = f.posts_to if f.account_id is None else ((f.account_id,), *f.posts_to)
        conditions.extend(self._posts_to(ids) for ids in groups)
        for column, one, many in (
            (Transaction.kind, f.kind, f.kinds),
            (Transaction.status, f.status, f.statuses),
        ):
            if one:
                conditions.append(column == one)
            if many is not None:
                conditions.append(column.in_(many))
        for tag in (f.tag, *f.tags) if f.tag else f.tags:
            conditions.append(
                Transaction.tags.contains(f",{tag.strip().lower()},", autoescape=True)
            )
        if f.date_from:
            conditions.append(Transaction.occurred_on >= f.date_from)
        if f.date_to:
            conditions.append(Transaction.occurred_on <= f.date_to)
        for word in (f.text, *f.words) if f.text else f.words:
            conditions.append(_in_any_text(word))
        texts: tuple[Any, ...] = (Transaction.description, Transaction.payee, Transaction.notes)
        for column, needles in zip(texts, (f.description, f.payee, f.notes), strict=True):
            conditions.extend(_in_text(column, needle) for needle in needles)
        if f.amounts:
            exponents = self._currencies_by_exponent()
            conditions.extend(_amount_condition(bound, exponents) for bound in f.amounts)
        return self._select(Transaction).where(*conditions)

    def _entries_dated(self, f: TransactionFilters) -> int:
        """Live (or, for the bin, deleted) entries dated within the filters' range, from the
        per-day counts the triggers of migration 0015 keep: one row a day at most."""
        counted = EntryDay.deleted if f.deleted else EntryDay.live
        conditions = [EntryDay.tenant_id == self.tenant_id]
        if f.date_from:
            conditions.append(EntryDay.day >= f.date_from)
        if f.date_to:
            conditions.append(EntryDay.day <= f.date_to)
        return int(self.session.scalar(select(func.sum(counted)).where(*conditions)) or 0)

    def _count_posting_to(self, f: TransactionFilters, account_ids: tuple[uuid.UUID, ...]) -> int:
        """Live entries with a posting to one of these accounts, from the postings' (tenant,
        account, date, transaction) index alone: a posting's date is its entry's, and the
        (few) deleted entries are taken out by an anti-join on their partial index."""
        deleted = exists().where(
            Transaction.tenant_id == self.tenant_id,
            Transaction.deleted_at.is_not(None),
            Transaction.id == Posting.transaction_id,
        )
        conditions = [
            Posting.tenant_id == self.tenant_id,
            Posting.account_id.in_(account_ids),
            ~deleted,
        ]
        if f.date_from:
            conditions.append(Posting.occurred_on >= f.date_from)
        if f.date_to:
            conditions.append(Posting.occurred_on <= f.date_to)
        entries = select(Posting.occurred_on, Posting.transaction_id).where(*conditions).distinct()
        return int(self.session.scalar(select(func.count()).select_from(entries.subquery())) or 0)

    def _posts_to(self, account_ids: tuple[uuid.UUID, ...]) -> ColumnElement[bool]:
        if not account_ids:
            return false()
        return exists().where(
            Posting.tenant_id == self.tenant_id,
            Posting.transaction_id == Transaction.id,
            Posting.account_id.in_(account_ids),
        )

    def _currencies_by_exponent(self) -> dict[int, list[str]]:
        query = select(Account.currency).where(Account.tenant_id == self.tenant_id).distinct()
        groups: dict[int, list[str]] = defaultdict(list)
        for currency in self.session.scalars(query):
            groups[exponent(currency)].append(currency)
        return dict(groups) or {2: []}


def register_of(f: TransactionFilters) -> uuid.UUID | None:
    """The account when the filters ask for one account's register (the account and at
    most a date range), else None."""
    accounts = _only_accounts(f)
    return accounts[0] if accounts is not None and len(accounts) == 1 else None


def _only_accounts(f: TransactionFilters) -> tuple[uuid.UUID, ...] | None:
    """The accounts when the filters are one posts-to group and at most a date range (the
    list of an account's register), else None."""
    groups = f.posts_to if f.account_id is None else ((f.account_id,), *f.posts_to)
    bare = TransactionFilters(date_from=f.date_from, date_to=f.date_to, sort=f.sort)
    if len(groups) != 1 or not groups[0]:
        return None
    if dataclasses.replace(f, account_id=None, posts_to=()) != bare:
        return None
    return groups[0]


def _only_dates(f: TransactionFilters) -> bool:
    """No filter but a date range and the bin flag (the unfiltered list, or a period)."""
    bare = TransactionFilters(
        date_from=f.date_from, date_to=f.date_to, deleted=f.deleted, sort=f.sort
    )
    return f == bare


def _in_any_text(needle: str) -> ColumnElement[bool]:
    """The needle in the description, the payee or the notes: one condition on
    `SEARCH_TEXT`, which the trigram index serves. A needle holding the separator could
    match across two texts there, so it is looked for in each column instead (no index;
    such a word is typed by no one)."""
    if SEPARATOR in needle:
        texts = (Transaction.description, Transaction.payee, Transaction.notes)
        return or_(*(_contains(column, needle) for column in texts))
    return _contains(SEARCH_TEXT, needle)


def _in_text(column: Any, needle: str) -> ColumnElement[bool]:
    """The needle in one column, found through `SEARCH_TEXT` (a column holding the needle
    makes the three texts hold it: the index narrows, the column's own test decides)."""
    if SEPARATOR in needle or not needle:
        return _contains(column, needle)
    return and_(_contains(SEARCH_TEXT, needle), _contains(column, needle))


def _contains(column: Any, needle: str) -> ColumnElement[bool]:
    """`column ILIKE '%needle%'`, case-insensitive, the needle's wildcards escaped. This
    shape (the expression, one pattern value) is what the trigram index serves on
    PostgreSQL; a NULL column matches nothing but the empty needle, as before.
    The needle is lowered here too: SQLite's lower() only folds ASCII."""
    if not needle:
        return true()
    escaped = needle.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return column.ilike(f"%{escaped}%", escape="/")  # type: ignore[no-any-return]


def _amount_condition(bound: AmountBound, groups: dict[int, list[str]]) -> ColumnElement[bool]:
    """The bound in each currency's minor units; one group needs no currency test."""
    parts: list[ColumnElement[bool]] = []
    for places, currencies in sorted(groups.items()):
        minor = minor_bound(bound, places)
        if minor is None:
            continue
        op, value = minor
        test = {
            ">=": Transaction.amount >= value,
            "<=": Transaction.amount <= value,
            "=": Transaction.amount == value,
        }[op]
        parts.append(test if len(groups) == 1 else and_(Transaction.currency.in_(currencies), test))
    return or_(*parts) if parts else false()


def next_after_of(window: Window[EntryRows], found: PageRows, limit: int) -> Window[EntryRows]:
    """`window` with its `next_after`: the sort keys of its last entry, when more follow."""
    if not window.has_more:
        return window
    return dataclasses.replace(window, next_after=found.keys_at(limit - 1))


def _order(sort: str) -> tuple[Any, ...]:
    """The list's order (`page_rows.sort_keys`); the CSV export sorts by it too."""
    return sort_keys(sort)
