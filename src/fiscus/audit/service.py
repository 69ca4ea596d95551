"""Audit use cases: record an event in the caller's transaction, list, export, verify."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Required, TypedDict, Unpack

from sqlalchemy import RowMapping
from sqlalchemy import event as orm_events
from sqlalchemy.orm import Session, SessionTransaction

from fiscus.audit.chain import GENESIS_HASH, canonical_json, link_hash, link_template, redact
from fiscus.audit.models import AuditEvent
from fiscus.audit.repository import (
    AuditRepository,
    head_exists_read,
    link_one_read,
    tenant_scope,
)
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.ids import new_id
from fiscus.db.pipelined import Read

# The job kind that verifies a tenant's chain in the background (body in tasks.py).
VERIFY_CHAIN_JOB = "audit.verify_chain"

HASHED_FIELDS = (
    "tenant_id",
    "seq",
    "occurred_at",
    "actor_user_id",
    "action",
    "resource_type",
    "resource_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "request_id",
)


class EventFields(TypedDict, total=False):
    """What a caller says of an event it records (`record`, `event_columns`)."""

    action: Required[str]
    resource_type: Required[str]
    resource_id: object | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def record(session: Session, ctx: TenantContext, **fields: Unpack[EventFields]) -> None:
    """Record one event in the caller's transaction; it joins the tenant's chain when that
    transaction commits (`link_pending`), in the order the events were recorded."""
    event = event_columns(ctx, **fields)
    if session.get_transaction() is None:
        session.connection()  # begin: the event belongs to this transaction
    owner = session.get_nested_transaction() or session.get_transaction()
    assert owner is not None
    _pending(session).events.append((owner, event))
    _link_at_commit()


def event_columns(ctx: TenantContext, **fields: Unpack[EventFields]) -> dict[str, Any]:
    """The columns of a new event, but for the three the chain head gives (seq,
    prev_hash, hash)."""
    resource_id, before, after = (
        fields.get("resource_id"),
        fields.get("before"),
        fields.get("after"),
    )
    return {
        "id": new_id(),
        "tenant_id": ctx.tenant_id,
        "occurred_at": utcnow(),
        "actor_user_id": ctx.user_id,
        "action": fields["action"],
        "resource_type": fields["resource_type"],
        "resource_id": None if resource_id is None else str(resource_id),
        "before": None if before is None else canonical_json(redact(dict(before))),
        "after": None if after is None else canonical_json(redact(dict(after))),
        "ip": ctx.origin.ip,
        "user_agent": (ctx.origin.user_agent or "")[:400] or None,
        "request_id": ctx.origin.request_id,
    }


# Why events wait for the commit: the chain head row is locked from the moment an event
# is linked until the transaction ends, and every writer of the tenant queues on it.
# Linked in `before_commit`, the serialised section is the lock, one write and COMMIT,
# not the rest of the request (its response, two thread-pool hops, other requests).
_PENDING_KEY = "fiscus.audit.pending"


@dataclass(slots=True)
class _Pending:
    root: SessionTransaction
    # (the innermost transaction or savepoint it was recorded in, the event's columns)
    events: list[tuple[SessionTransaction, dict[str, Any]]] = field(default_factory=list)


def _pending(session: Session) -> _Pending:
    root = session.get_transaction()
    assert root is not None
    pending = session.info.get(_PENDING_KEY)
    if not isinstance(pending, _Pending) or pending.root is not root:
        pending = session.info[_PENDING_KEY] = _Pending(root)
    return pending


def link_pending(session: Session) -> None:
    """Append the events recorded in this transaction to their tenants' chains now."""
    pending = session.info.pop(_PENDING_KEY, None)
    if not isinstance(pending, _Pending) or pending.root is not session.get_transaction():
        return
    if not pending.events:
        return
    session.flush()  # the rest of the unit of work first: the lock is taken last
    by_tenant: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for _owner, event in pending.events:
        by_tenant.setdefault(event["tenant_id"], []).append(event)
    for tenant_id, events in by_tenant.items():
        with tenant_scope(session, tenant_id):
            _link(AuditRepository(session, tenant_id), events)


def _link(repo: AuditRepository, events: list[dict[str, Any]]) -> None:
    if len(events) == 1:  # the usual commit: one statement links it (PostgreSQL)
        event = events[0]
        cuts = _cuts(event)
        if cuts is not None and repo.link_one(event, cuts):
            return
    head = repo.lock_head()
    seq, prev_hash = head if head is not None else (0, GENESIS_HASH)
    for event in events:
        seq += 1
        event["seq"], event["prev_hash"] = seq, prev_hash
        event["hash"] = prev_hash = link_hash({f: event[f] for f in HASHED_FIELDS}, prev_hash)
    repo.append(events, head_exists=head is not None)


def _cuts(event: dict[str, Any]) -> tuple[str, str, str] | None:
    return link_template({f: event[f] for f in HASHED_FIELDS if f != "seq"})


# A write sent as one pipeline (`db/pipelined.py`) links its one event in its own
# statement: it asks first whether the tenant's chain has a head (`chain_started_read`,
# read with the write's other reads), then sends `pipelined_link` with the write.
def chain_started_read(tenant_id: uuid.UUID) -> Read:
    """Whether the tenant's chain has a head (one row, one boolean; never undone)."""
    return head_exists_read(tenant_id)


def pipelined_link(event: dict[str, Any]) -> Read | None:
    """The statement that links the new `event` (`event_columns`) to its started chain,
    on PostgreSQL in UTF-8. None: the event cannot be linked in SQL (link it in a
    Session)."""
    cuts = _cuts(event)
    return None if cuts is None else link_one_read(event, cuts)


def _link_before_commit(session: Session) -> None:
    link_pending(session)


_listening = threading.Lock()


def _link_at_commit() -> None:
    """Register `_link_before_commit`, once, when the first event is recorded: by then
    every module is imported and has registered its own `before_commit` work (the insights
    sync writes rows), so linking runs after it and the head lock is the last thing taken."""
    if orm_events.contains(Session, "before_commit", _link_before_commit):
        return
    with _listening:
        if not orm_events.contains(Session, "before_commit", _link_before_commit):
            orm_events.listen(Session, "before_commit", _link_before_commit)


@orm_events.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, ended: SessionTransaction) -> None:
    """A rolled-back transaction or savepoint takes the events recorded in it along."""
    pending = session.info.get(_PENDING_KEY)
    if not isinstance(pending, _Pending):
        return
    pending.events = [(o, e) for o, e in pending.events if not _within(o, ended)]


def _within(owner: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while owner is not None:
        if owner is ended:
            return True
        owner = owner.parent
    return False


@dataclass(frozen=True, slots=True)
class ChainReport:
    valid: bool
    events_checked: int
    first_broken_seq: int | None
    reason: str | None = None


def verify_chain(session: Session, tenant_id: uuid.UUID) -> ChainReport:
    """Recompute the tenant's chain and name the first broken link.

    Catches an edited event (its hash no longer matches), a deleted or reordered event
    (a gap in `seq` or a `prev_hash` that does not match its predecessor) and a cut tail
    (the chain ends before the head the writer recorded).

    The head is read first: every event up to it is committed by then, and events that
    writers append while the chain is read (they must link on too) are no false alarm.
    """
    link_pending(session)
    repo = AuditRepository(session, tenant_id)
    head = repo.head()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for row in repo.chain():
        broken = _broken_link(row, expected_seq, prev_hash)
        if not broken and row["seq"] == head_seq and row["hash"] != head_hash:
            broken = "event does not match the recorded head of the chain"
        if broken:
            return ChainReport(False, checked, expected_seq, broken)
        checked += 1
        expected_seq, prev_hash = expected_seq + 1, row["hash"]
    if checked < head_seq:
        return ChainReport(False, checked, checked + 1, "chain ends before its recorded head")
    return ChainReport(True, checked, None)


def _broken_link(row: RowMapping, expected_seq: int, prev_hash: str) -> str | None:
    if row["seq"] != expected_seq:
        return f"expected seq {expected_seq}, found {row['seq']}"
    if row["prev_hash"] != prev_hash:
        return "prev_hash does not match the previous event"
    if link_hash({f: row[f] for f in HASHED_FIELDS}, prev_hash) != row["hash"]:
        return "event content does not match its hash"
    return None


def list_events(
    session: Session, ctx: TenantContext, *, page: int, limit: int, **filters: Any
) -> tuple[list[AuditEvent], int]:
    link_pending(session)
    repo = AuditRepository(session, ctx.tenant_id)
    return repo.page(repo.filtered(**filters), page=page, limit=limit)


EXPORT_LIMIT = 100_000


def export_events(session: Session, ctx: TenantContext, **filters: Any) -> list[AuditEvent]:
    link_pending(session)
    repo = AuditRepository(session, ctx.tenant_id)
    return repo.all_in_order(repo.filtered(**filters), EXPORT_LIMIT)
