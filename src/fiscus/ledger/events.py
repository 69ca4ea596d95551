"""Listeners told whenever postings change balances, so that other domains (goals and
their alerts) can react in the same database transaction without the ledger knowing them.

A listener gets the session, the tenant, the postings and the sign they were applied with
(+1 posted or restored, -1 deleted or replaced). It must not commit.
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
