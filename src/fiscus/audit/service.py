"""Audit use cases: record an event in the caller's transaction, list, export, verify."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from fiscus.audit.chain import GENESIS_HASH, canonical_json, link_hash, redact
from fiscus.audit.models import AuditChainHead, AuditEvent
from fiscus.audit.repository import AuditRepository
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext

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


def record(
    session: Session,
    ctx: TenantContext,
    *,
    action: str,
    resource_type: str,
    resource_id: object | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the tenant's chain, inside the caller's transaction."""
    repo = AuditRepository(session, ctx.tenant_id)
    head = repo.lock_head()
    prev_hash = head.hash if head else GENESIS_HASH
    event = AuditEvent(
        tenant_id=ctx.tenant_id,
        seq=(head.seq if head else 0) + 1,
        occurred_at=utcnow(),
        actor_user_id=ctx.user_id,
        action=action,
        resource_type=resource_type,
        resource_id=None if resource_id is None else str(resource_id),
        before=None if before is None else canonical_json(redact(dict(before))),
        after=None if after is None else canonical_json(redact(dict(after))),
        ip=ctx.origin.ip,
        user_agent=(ctx.origin.user_agent or "")[:400] or None,
        request_id=ctx.origin.request_id,
        prev_hash=prev_hash,
    )
    event.hash = link_hash({f: getattr(event, f) for f in HASHED_FIELDS}, prev_hash)
    repo.add(event)
    if head is None:
        repo.add(AuditChainHead(tenant_id=ctx.tenant_id, seq=event.seq, hash=event.hash))
    else:
        head.seq, head.hash = event.seq, event.hash
    session.flush()
    return event


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
    repo = AuditRepository(session, ctx.tenant_id)
    return repo.page(repo.filtered(**filters), page=page, limit=limit)


EXPORT_LIMIT = 100_000


def export_events(session: Session, ctx: TenantContext, **filters: Any) -> list[AuditEvent]:
    repo = AuditRepository(session, ctx.tenant_id)
    return repo.all_in_order(repo.filtered(**filters), EXPORT_LIMIT)
