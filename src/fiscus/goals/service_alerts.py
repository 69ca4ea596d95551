"""Goal alerts, and goals following their category: listeners on ledger events.

Registered with `fiscus.ledger.events` when this module is imported (the goals service
imports it, and the app imports the goals router, so the listeners are always in place).

`postings_applied` runs in the same transaction as every posting. For each period
touched by the postings of categories under an active spending limit, it records
`goal.exceeded` (level danger) once spending reaches the limit, or `goal.warning` (level
warning) once it reaches `warn_percent` and the period has no alert yet, each at most
once per goal, period and level (the notification's `dedupe_key`). Whether the tenant
has an active spending limit is asked in the ledger's chart lookup (a chart probe, one
more column of the query the write reads its accounts with), so a tenant without spending
limits costs no statement of its own; a posting whose accounts were not read that way
(a delete, a restore) asks one small indexed query per unit of work. The chart and
snapshots are read only when the tenant has some.

`account_replaced` repoints the goals of a merged or reassigned category, and a mapper
hook refuses (409 `account_has_goals`) deleting an account a goal still watches.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Connection, Uuid, bindparam, event, exists, select
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict
from fiscus.core.money import Money
from fiscus.goals import periods as p
from fiscus.goals.models import Goal
from fiscus.goals.repository import GoalRepository
from fiscus.goals.service_progress import status_of
from fiscus.goals.spending import Snapshots, expense_tree
from fiscus.ledger import events, repository_writes
from fiscus.ledger.models import Account, Posting
from fiscus.notifications import service as notifications_service

SYSTEM_ROLE = "system"  # the context of listeners: no user, reads only


def dedupe_key(goal: Goal, period: p.Period, level: str) -> str:
    return f"goal:{goal.id}:{period[0].isoformat()}:{level}"


@events.quiet_in_pipelined_writes  # nothing to do unless the probe below says yes
@events.on_postings_applied
def postings_applied(
    session: Session, tenant_id: uuid.UUID, postings: list[Posting], sign: int
) -> None:
    """Record the alerts the postings' spending crossed (removals never raise one)."""
    if sign <= 0 or not postings:
        return
    if not _has_spending_limits(session, tenant_id):
        return
    goals = GoalRepository(session, tenant_id).active("spending_limit")
    ctx = TenantContext(tenant_id=tenant_id, user_id=None, role=SYSTEM_ROLE)
    tree = expense_tree(session, ctx)
    touched = [(posting.account_id, posting.occurred_on) for posting in postings]
    watched = []  # (goal, its accounts, the days its accounts were posted on)
    for goal in goals:
        accounts = tree.subtree(goal.account_id, goal.currency)
        days = {day for account_id, day in touched if account_id in accounts}
        if days:
            watched.append((goal, accounts, days))
    if not watched:
        return
    # Read the snapshots of the watched categories only, not of the whole chart.
    snapshots = Snapshots(session, tenant_id, frozenset().union(*(w[1] for w in watched)))
    for goal, accounts, days in watched:
        assert goal.period is not None
        for period in sorted({p.period_of(goal.period, day) for day in days}):
            if period[1] >= goal.starts_on:
                _alert(session, tenant_id, goal, period, snapshots.spent(accounts, *period))


_goals = Goal.__table__.c
_ANY_SPENDING_LIMIT = (
    select(_goals.id)
    .where(
        _goals.tenant_id == bindparam("tenant_id", type_=Uuid()),
        _goals.kind == "spending_limit",
        _goals.is_archived.is_(False),
    )
    .limit(1)
)
_CACHE_KEY = "fiscus.goals.has_spending_limits"


def _remember(session: Session, tenant_id: uuid.UUID, found: bool) -> None:
    session.info[_CACHE_KEY] = (session.get_transaction(), tenant_id, found)


# Asked in the ledger's chart lookup: the same question as `_ANY_SPENDING_LIMIT`.
repository_writes.on_chart_read(
    repository_writes.ChartProbe(
        "goals.spending_limits",
        exists().where(
            _goals.tenant_id == repository_writes.TENANT,
            _goals.kind == "spending_limit",
            _goals.is_archived.is_(False),
        ),
        _remember,
    )
)


def _has_spending_limits(session: Session, tenant_id: uuid.UUID) -> bool:
    """Whether the tenant has an active spending limit: answered by the chart lookup of
    the write (the probe above) or one small Core query, once per unit of work (a batch
    of entries, an edit's two applications), forgotten when a goal changes in the session
    (`_forget_on_goal_flush`) or the transaction ends."""
    transaction = session.get_transaction()
    cached = session.info.get(_CACHE_KEY)
    if cached is not None and cached[0] is transaction and cached[1] == tenant_id:
        return bool(cached[2])
    found = session.execute(_ANY_SPENDING_LIMIT, {"tenant_id": tenant_id}).first()
    _remember(session, tenant_id, found is not None)
    return found is not None


@event.listens_for(Session, "after_flush")
def _forget_on_goal_flush(session: Session, _context: Any) -> None:
    if _CACHE_KEY in session.info and any(
        isinstance(row, Goal) for row in (*session.new, *session.dirty, *session.deleted)
    ):
        del session.info[_CACHE_KEY]


def _alert(
    session: Session, tenant_id: uuid.UUID, goal: Goal, period: p.Period, spent: int
) -> None:
    status = status_of(goal, spent)
    if status == "ok":
        return
    spent_text = str(Money.from_minor(spent, goal.currency))
    limit_text = str(Money.from_minor(goal.amount, goal.currency))
    when = _label(goal, period[0])
    if status == "exceeded":
        title = f"{goal.name}: over the limit for {when}"
        body = f"Spent {spent_text} of the {limit_text} limit."
        level, kind = "danger", "goal.exceeded"
    else:
        if _has(session, tenant_id, dedupe_key(goal, period, "exceeded")):
            return
        title = f"{goal.name}: {goal.warn_percent} % of the limit for {when}"
        body = f"Spent {spent_text} of the {limit_text} limit."
        level, kind = "warning", "goal.warning"
    notifications_service.record(
        session,
        tenant_id,
        kind=kind,
        level=level,
        title=title,
        body=body,
        subject_type="goal",
        subject_id=goal.id,
        dedupe_key=dedupe_key(goal, period, status),
    )


def _has(session: Session, tenant_id: uuid.UUID, key: str) -> bool:
    return notifications_service.has_key(session, tenant_id, key)


def _label(goal: Goal, start: date) -> str:
    if goal.period == "yearly":
        return str(start.year)
    if goal.period == "quarterly":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return start.strftime("%B %Y")


@events.on_account_replaced
def account_replaced(
    session: Session, tenant_id: uuid.UUID, old_id: uuid.UUID, new_id: uuid.UUID
) -> None:
    """A merged or reassigned category: its goals now watch the one taking its place."""
    GoalRepository(session, tenant_id).repoint(old_id, new_id)


class AccountHasGoals(Conflict):
    """Goals watch this account; delete them or move them to another account first."""

    code = "account_has_goals"


@event.listens_for(Account, "before_delete")
def _refuse_deleting_a_watched_account(_mapper: Any, connection: Connection, target: Any) -> None:
    """An account a goal watches cannot go away under it (the foreign key would refuse it
    with an opaque error at flush): a 409 naming the reason instead. A merge or a delete
    with reassignment has repointed the goals by now (`account_replaced`)."""
    watched = connection.scalar(
        select(Goal.id)
        .where(Goal.tenant_id == target.tenant_id, Goal.account_id == target.id)
        .limit(1)
    )
    if watched is not None:
        raise AccountHasGoals()
