"""The account register by date on PostgreSQL: a statement whose one plan suits every
account, so it is planned once per connection, not on every request.

The portable statement (`register_page._register_statement`) asks for the range's entries
that have a leg on the account (`EXISTS`). PostgreSQL plans it again for every request
(a generic plan of it is a merge join over the account's whole posting index), and even
its custom plan misjudges a quieter account: a 3-month page of an account with one entry
in 22 took 54 ms, as a merge semi join.

Two ways to find a page, each cheap where the other is not:

- **dense**: walk the range's entries in the page's order (the entries' date index) and
  probe each for a leg on the account (the postings' account index, index only). Its
  cost is the entries walked: the page's size divided by the account's share of entries.
- **sparse**: walk the account's legs in date order (the same postings index), fetch
  their entries and order each day's by creation. Its cost is the legs walked: the
  page's size, but at least one whole day of the account's legs.

A gate picks one from the entry counts the snapshots already keep, over the last 31
days of entries where the walk starts (`ledger_entry_day` for the tenant, `balance_day`
for the account): with N the page's reach (offset + limit), T and A the tenant's and the
account's entries in those D days, the dense walk visits N·T/A entries and the sparse
one max(N, A/D) legs, each about twice the work of a probe; dense wins when
N·T ≤ 2·A·max(N, A/D). Both branches are in the statement, each under the gate's one-time
filter, so only the chosen one runs. Every join is a LATERAL subquery (`LIMIT 1`,
`OFFSET 0`): PostgreSQL cannot turn them into merge or hash joins, so the generic plan is
the one intended and the unit of work asks for it (`Read.generic`).

The rows, columns and order are those of the portable statement (pinned by
`tests/ledger/test_register_pg.py`). The plans were read on the bench's books (one
tenant, 10M postings); with many tenants the generic plan is costed from averages over
all of them. Its `LIMIT` and the LATERAL joins leave it the ordered index walks either
way, but a server with one large tenant among many small ones was not measured.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Select,
    Uuid,
    bindparam,
    func,
    literal_column,
    select,
    true,
    union_all,
)

from fiscus.ledger.models import BalanceDay, Posting, Transaction
from fiscus.ledger.models_counts import EntryDay
from fiscus.ledger.page_rows import ENTRY, LEG, SortKey, after_keys, ordered

EDGE_DAYS = 31  # the days of entries the gate weighs, from where the walk starts


class RegisterParams:
    """A register statement's bound parameters, one object each (used in several places;
    the portable statement's too)."""

    def __init__(self, keys: tuple[SortKey, ...], after: bool) -> None:
        self.tenant: BindParameter[Any] = bindparam("tenant_id", type_=Uuid())
        self.account: BindParameter[Any] = bindparam("account_id", type_=Uuid())
        self.first: BindParameter[Any] = bindparam("date_from", type_=Date())
        self.last: BindParameter[Any] = bindparam("date_to", type_=Date())
        self.offset: BindParameter[Any] = bindparam("offset", type_=Integer())
        self.limit: BindParameter[Any] = bindparam("limit", type_=Integer())
        self.after: list[BindParameter[Any]] | None = (
            [bindparam(f"after_{i}", type_=k.expression.type) for i, k in enumerate(keys)]
            if after
            else None
        )


def walk_gate(keys: tuple[SortKey, ...], after: bool) -> Select[Any]:
    """The gate alone, with the statement's parameters: whether it walks dense."""
    p = RegisterParams(keys, after)
    return _gate(p, _dated(p, keys[0].descending), keys[0].descending)


def _dated(p: RegisterParams, newest: bool) -> Any:
    def dated(column: Any) -> list[ColumnElement[bool]]:
        """`column` within the range, and on the cursor's side of its date."""
        found = [column >= p.first, column <= p.last]
        if p.after is not None:
            found.append(column <= p.after[0] if newest else column >= p.after[0])
        return found

    return dated


def register_statement(keys: tuple[SortKey, ...], after: bool) -> Select[Any]:
    """The register's page (`limit` entries after `offset`, or after the cursor's entry
    when `after`) with its postings, for a sort by date (`keys`: date, created, id).
    Both ends of the range are bound (an open end is `date.min` or `date.max`): one
    statement, and the planner never guesses at an unbounded range."""
    p = RegisterParams(keys, after)
    newest = keys[0].descending
    dated = _dated(p, newest)
    dense = _gate(p, dated, newest).cte("gate")
    pick = select(dense.c.dense).scalar_subquery()
    page = union_all(
        _dense_branch(p, keys, dated).where(pick.is_(True)),
        _sparse_branch(p, keys, dated).where(pick.is_not(True)),
    ).subquery("page")
    legs = (
        select(*LEG, Posting.position)
        .where(Posting.tenant_id == p.tenant, Posting.transaction_id == page.c.id)
        .offset(_constant(0))
        .lateral("leg")
    )
    outer = [k._replace(expression=page.c[k.field or ""]) for k in keys]
    leg_columns = [legs.c[column.key].label(f"leg_{column.key}") for column in LEG]
    return (
        select(*page.c, *leg_columns)
        .select_from(page)
        .outerjoin(legs, true())
        .order_by(*ordered(outer), legs.c.position)
    )


def _paged(statement: Select[Any], p: RegisterParams) -> Select[Any]:
    return statement.offset(p.offset).limit(p.limit)


def _dense_branch(p: RegisterParams, keys: tuple[SortKey, ...], dated: Any) -> Select[Any]:
    t = Transaction
    probe = (
        select(_constant(1))
        .where(Posting.tenant_id == p.tenant, Posting.account_id == p.account, *same_day_leg())
        .limit(_constant(1))
        .lateral("hit")
    )
    conditions = [t.tenant_id == p.tenant, t.deleted_at.is_(None), *dated(t.occurred_on)]
    if p.after is not None:
        conditions.append(after_keys(keys, p.after))
    found = select(*ENTRY).select_from(t).join(probe, true()).where(*conditions)
    return _paged(found.order_by(*ordered(keys)), p)


def _sparse_branch(p: RegisterParams, keys: tuple[SortKey, ...], dated: Any) -> Select[Any]:
    # each entry once (two legs may post to the account), in the walk's direction
    walk = (Posting.occurred_on, Posting.transaction_id)
    leg_days = (
        select(*walk)
        .where(Posting.account_id == p.account, Posting.tenant_id == p.tenant)
        .where(*dated(Posting.occurred_on))
        .distinct()
        .order_by(*(c.desc() if keys[0].descending else c for c in walk))
        .subquery("leg_day")
    )
    t = Transaction
    entry = (
        select(*ENTRY)
        .where(t.tenant_id == p.tenant, t.id == leg_days.c.transaction_id)
        .where(t.deleted_at.is_(None))
        .offset(_constant(0))
        .lateral("entry")
    )
    # the legs' date leads the order: the walk comes in that order, so only each day's
    # entries are sorted (by creation, then id)
    date_key, *rest = keys
    walked = [date_key._replace(expression=leg_days.c.occurred_on)]
    walked += [k._replace(expression=entry.c[k.field or ""]) for k in rest]
    found = select(*entry.c).select_from(leg_days).join(entry, true())
    if p.after is not None:
        found = found.where(after_keys(walked, p.after))
    return _paged(found.order_by(*ordered(walked)), p)


def _gate(p: RegisterParams, dated: Any, newest: bool) -> Select[Any]:
    """One row: `dense`, whether the dense walk visits fewer rows than the sparse one
    would (the module's docstring), from the counts of the last `EDGE_DAYS` days with
    entries where the walk starts."""
    days = EntryDay
    edge_days = (
        select(days.day, days.live)
        .where(days.tenant_id == p.tenant, *dated(days.day))
        .order_by(days.day.desc() if newest else days.day)
        .limit(_constant(EDGE_DAYS))
        .subquery("edge_day")
    )
    edge = select(
        func.coalesce(func.sum(edge_days.c.live), 0).label("tenant_entries"),
        func.greatest(func.count(), 1).label("days"),
        (func.min if newest else func.max)(edge_days.c.day).label("edge"),
    ).subquery("edge")
    b = BalanceDay
    beyond = b.day >= edge.c.edge if newest else b.day <= edge.c.edge
    account_entries = (
        select(func.coalesce(func.sum(b.entries), 0))
        .where(b.tenant_id == p.tenant, b.account_id == p.account, beyond, *dated(b.day))
        .scalar_subquery()
    )
    counts = select(edge.c.tenant_entries, edge.c.days, account_entries.label("account_entries"))
    c = counts.offset(_constant(0)).subquery("counts")  # the account's sum once, not thrice
    reach = p.offset + p.limit
    a, t, d = c.c.account_entries, c.c.tenant_entries, c.c.days
    dense = (a > 0) & (reach * t <= _constant(2) * a * func.greatest(reach, a / d))
    return select(dense.label("dense")).select_from(c)


def same_day_leg() -> tuple[ColumnElement[bool], ...]:
    """A posting of the entry: a posting carries its entry's date, so with the date the
    register's probe is the postings' (tenant, account, date, transaction) index alone,
    no heap visit (docs/performance.md, "The account register in one round trip")."""
    return (
        Posting.occurred_on == Transaction.occurred_on,
        Posting.transaction_id == Transaction.id,
    )


def _constant(value: int) -> Any:
    """`value` written into the statement: a bound LIMIT would be planned as unknown."""
    return literal_column(str(value), Integer())
