"""Listeners told whenever postings change balances, or an account is replaced by another
(a category merge or a delete with reassignment), so that other domains (goals and their
alerts) can react in the same database transaction without the ledger knowing them.

A postings listener gets the session, the tenant, the postings and the sign they were
applied with (+1 posted or restored, -1 deleted or replaced). An account listener gets
the session, the tenant, the account going away and the one taking its place, before the
old account is deleted. Listeners must not commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from fiscus.ledger.models import Posting

PostingsListener = Callable[[Session, uuid.UUID, list[Posting], int], None]

_listeners: list[PostingsListener] = []


def on_postings_applied(listener: PostingsListener) -> PostingsListener:
    """Register `listener` (usable as a decorator); registering twice has no effect."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def postings_applied(
    session: Session, tenant_id: uuid.UUID, postings: list[Posting], sign: int
) -> None:
    for listener in _listeners:
        listener(session, tenant_id, postings, sign)


# A new entry written as one pipeline (`ledger/transactions_pipelined.py`) has no Session,
# so no listener runs. A listener declares here that it has nothing to do then: its
# domain's chart probe answered no, and what it does for a new entry an entry rider
# wrote (`ledger/repository_writes.py`). One listener that has not declared it keeps
# every write in a Session.
_pipelined: list[PostingsListener] = []


def quiet_in_pipelined_writes(listener: PostingsListener) -> PostingsListener:
    """Declare `listener` silent for new entries written in one pipeline (see above)."""
    if listener not in _pipelined:
        _pipelined.append(listener)
    return listener


def pipelined_writes_allowed() -> bool:
    """Whether every postings listener declared itself quiet in pipelined writes."""
    return all(listener in _pipelined for listener in _listeners)


AccountReplacedListener = Callable[[Session, uuid.UUID, uuid.UUID, uuid.UUID], None]

_replaced_listeners: list[AccountReplacedListener] = []


def on_account_replaced(listener: AccountReplacedListener) -> AccountReplacedListener:
    """Register `listener` (usable as a decorator); registering twice has no effect."""
    if listener not in _replaced_listeners:
        _replaced_listeners.append(listener)
    return listener


def account_replaced(
    session: Session, tenant_id: uuid.UUID, old_id: uuid.UUID, new_id: uuid.UUID
) -> None:
    for listener in _replaced_listeners:
        listener(session, tenant_id, old_id, new_id)
