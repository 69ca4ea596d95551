"""Queries of the audit trail. Tenant-scoped; never commits.

The writes are Core statements built once: `lock_head` is the first statement of the
serialised section (the head row stays locked until commit) and, on PostgreSQL,
`append` writes the events and moves the head in one more statement, so a tenant's
writers hold the lock for two round trips and the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Select,
    Uuid,
    bindparam,
    exists,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from fiscus.audit.models import AuditChainHead, AuditEvent
from fiscus.db.pipelined import Read
from fiscus.db.repository import TenantRepository
from fiscus.db.session import scoped_tenant

_head = AuditChainHead.__table__.c
_LOCK_HEAD = (
    select(_head.seq, _head.hash)
    .where(_head.tenant_id == bindparam("tenant_id", type_=Uuid()))
    .with_for_update()
)
_INSERT_EVENTS = insert(AuditEvent)
_INSERT_HEAD = insert(AuditChainHead)
_MOVE_HEAD = (
    update(AuditChainHead)
    .where(_head.tenant_id == bindparam("head_tenant", type_=Uuid()))
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)
# PostgreSQL: the events and the head's move in one statement (the common case: the
# head exists). `append` passes one array per column of `EVENT_COLUMNS`.
EVENT_COLUMNS = (
    "id",
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
    "prev_hash",
    "hash",
)
_APPEND_PG = text(
    """
WITH appended AS (
    INSERT INTO audit_event (id, tenant_id, seq, occurred_at, actor_user_id, action,
        resource_type, resource_id, before, after, ip, user_agent, request_id, prev_hash, hash)
    SELECT * FROM unnest(CAST(:id AS uuid[]), CAST(:tenant_id AS uuid[]),
        CAST(:seq AS bigint[]), CAST(:occurred_at AS timestamptz[]),
        CAST(:actor_user_id AS uuid[]), CAST(:action AS text[]),
        CAST(:resource_type AS text[]), CAST(:resource_id AS text[]), CAST(:before AS text[]),
        CAST(:after AS text[]), CAST(:ip AS text[]), CAST(:user_agent AS text[]),
        CAST(:request_id AS text[]), CAST(:prev_hash AS text[]), CAST(:hash AS text[]))
)
UPDATE audit_chain_head SET seq = :head_seq, hash = :head_hash
WHERE tenant_id = CAST(:head_tenant AS uuid)
"""
)
# The usual commit records one event: the same with scalar parameters (psycopg adapts a
# scalar much faster than a one-element array).
_APPEND_ONE_PG = text(
    """
WITH appended AS (
    INSERT INTO audit_event (id, tenant_id, seq, occurred_at, actor_user_id, action,
        resource_type, resource_id, before, after, ip, user_agent, request_id, prev_hash, hash)
    VALUES (:id, :tenant_id, :seq, :occurred_at, :actor_user_id, :action, :resource_type,
        :resource_id, :before, :after, :ip, :user_agent, :request_id, :prev_hash, :hash)
)
UPDATE audit_chain_head SET seq = :head_seq, hash = :head_hash WHERE tenant_id = :head_tenant
"""
)
# PostgreSQL, one event on an existing head (the usual commit): lock the head, link the
# event and move the head in ONE statement. The link hash is SHA-256 over the event's
# canonical payload, which Python cuts around the head's values (`chain.link_template`:
# the payload is `:cut_a || prev_hash || :cut_b || seq || :cut_c`), so the database
# computes exactly the bytes `chain.link_hash` would (tests/audit/test_link_in_sql.py).
# The head is read FOR UPDATE, so a writer waiting for it reads the head its
# predecessor committed, and the UPDATE moves that same row version.
_LINK_ONE_PG = text(
    """
WITH head AS MATERIALIZED (
    SELECT seq + 1 AS seq, hash AS prev_hash FROM audit_chain_head
    WHERE tenant_id = CAST(:head_tenant AS uuid) FOR UPDATE
), linked AS MATERIALIZED (
    SELECT seq, prev_hash, encode(sha256(convert_to(
        CAST(:cut_a AS text) || prev_hash || CAST(:cut_b AS text) || CAST(seq AS text)
        || CAST(:cut_c AS text), 'UTF8')), 'hex') AS hash
    FROM head
), appended AS (
    INSERT INTO audit_event (id, tenant_id, seq, occurred_at, actor_user_id, action,
        resource_type, resource_id, before, after, ip, user_agent, request_id, prev_hash, hash)
    SELECT CAST(:id AS uuid), CAST(:tenant_id AS uuid), seq, CAST(:occurred_at AS timestamptz),
        CAST(:actor_user_id AS uuid), CAST(:action AS text), CAST(:resource_type AS text),
        CAST(:resource_id AS text), CAST(:before AS text), CAST(:after AS text),
        CAST(:ip AS text), CAST(:user_agent AS text), CAST(:request_id AS text),
        prev_hash, hash
    FROM linked
)
UPDATE audit_chain_head SET seq = linked.seq, hash = linked.hash FROM linked
WHERE audit_chain_head.tenant_id = CAST(:head_tenant AS uuid)
RETURNING linked.seq, linked.prev_hash, linked.hash
"""
)
_SET_TENANT = text("SELECT set_config('app.tenant_id', :t, true)")


@contextmanager
def tenant_scope(session: Session, tenant_id: uuid.UUID) -> Iterator[None]:
    """Row-level security sees `tenant_id` inside the `with` (PostgreSQL), then the
    session's own scope again. Events are linked at commit, when the session may since
    have been pointed at another tenant (a login, a tenant switch)."""
    bound = scoped_tenant(session)
    if bound == tenant_id or session.connection().dialect.name != "postgresql":
        yield
        return
    session.connection().execute(_SET_TENANT, {"t": str(tenant_id)})
    try:
        yield
    finally:
        session.connection().execute(_SET_TENANT, {"t": str(bound) if bound else ""})


def _utf8(connection: Connection) -> bool:
    """The database stores text as UTF-8 (`convert_to` then hashes the bytes Python does)."""
    driver = connection.connection.driver_connection
    return bool(driver is not None and driver.info.parameter_status("server_encoding") == "UTF8")


def link_one_read(event: dict[str, Any], cuts: tuple[str, str, str]) -> Read:
    """`link_one`'s statement and parameters (PostgreSQL in UTF-8 only): it returns the
    event's (seq, prev_hash, hash), or no row when the tenant has no head."""
    params = {c: event[c] for c in EVENT_COLUMNS if c not in ("seq", "prev_hash", "hash")}
    params.update(head_tenant=event["tenant_id"], cut_a=cuts[0], cut_b=cuts[1], cut_c=cuts[2])
    return Read(_LINK_ONE_PG, params)


_HEAD_EXISTS = select(exists().where(_head.tenant_id == bindparam("tenant_id", type_=Uuid())))


def head_exists_read(tenant_id: uuid.UUID) -> Read:
    """Whether the tenant's chain has a head (one row, one boolean). A head is never
    deleted, so one seen exists for the rest of the tenant's life."""
    return Read(_HEAD_EXISTS, {"tenant_id": tenant_id})


class AuditRepository(TenantRepository):
    def lock_head(self) -> tuple[int, str] | None:
        """The chain head's (seq, hash), locked until commit so that writers of one tenant
        take turns; None before the tenant's first event."""
        row = self.session.connection().execute(_LOCK_HEAD, {"tenant_id": self.tenant_id}).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def append(self, events: Sequence[dict[str, Any]], *, head_exists: bool) -> None:
        """Insert linked `events` (every column of `EVENT_COLUMNS`) and move the head to
        the last of them (create it for a tenant's first events)."""
        last = events[-1]
        head = {"head_tenant": self.tenant_id, "head_seq": last["seq"], "head_hash": last["hash"]}
        connection = self.session.connection()
        if head_exists and connection.dialect.name == "postgresql" and len(events) == 1:
            connection.execute(_APPEND_ONE_PG, {**last, **head})
            return
        if head_exists and connection.dialect.name == "postgresql":
            columns = {c: [e[c] for e in events] for c in EVENT_COLUMNS}
            connection.execute(_APPEND_PG, {**columns, **head})
            return
        connection.execute(_INSERT_EVENTS, list(events))
        if head_exists:
            connection.execute(_MOVE_HEAD, head)
        else:
            row = {"tenant_id": self.tenant_id, "seq": last["seq"], "hash": last["hash"]}
            connection.execute(_INSERT_HEAD, row)

    def link_one(self, event: dict[str, Any], cuts: tuple[str, str, str]) -> bool:
        """PostgreSQL: append `event` (every column of `EVENT_COLUMNS` but seq, prev_hash
        and hash) to the chain in one statement, the link computed by the database from
        `cuts` (`chain.link_template`); fills in those three. False, writing nothing,
        when the tenant has no head yet or the database is not PostgreSQL in UTF-8."""
        connection = self.session.connection()
        if connection.dialect.name != "postgresql" or not _utf8(connection):
            return False
        read = link_one_read(event, cuts)
        row = connection.execute(read.statement, dict(read.params)).first()
        if row is None:
            return False
        event["seq"], event["prev_hash"], event["hash"] = int(row[0]), str(row[1]), str(row[2])
        return True

    def head(self) -> AuditChainHead | None:
        return self.session.scalars(self._select(AuditChainHead)).first()

    def filtered(
        self,
        *,
        user_id: uuid.UUID | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
    ) -> Select[AuditEvent]:
        query = self._select(AuditEvent)
        conditions: list[Any] = []
        if user_id is not None:
            conditions.append(AuditEvent.actor_user_id == user_id)
        if action:
            conditions.append(AuditEvent.action == action)
        if resource_type:
            conditions.append(AuditEvent.resource_type == resource_type)
        if resource_id:
            conditions.append(AuditEvent.resource_id == resource_id)
        if date_from is not None:
            conditions.append(AuditEvent.occurred_at >= date_from)
        if date_to is not None:
            conditions.append(AuditEvent.occurred_at < date_to)
        return query.where(*conditions)

    def page(
        self, query: Select[AuditEvent], *, page: int, limit: int
    ) -> tuple[list[AuditEvent], int]:
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(AuditEvent.seq.desc()).offset((page - 1) * limit).limit(limit)
        ).all()
        return list(rows), total

    def all_in_order(self, query: Select[AuditEvent], limit: int) -> list[AuditEvent]:
        return list(self.session.scalars(query.order_by(AuditEvent.seq).limit(limit)).all())

    def chain(self, batch_size: int = 1000) -> Iterator[RowMapping]:
        """Every event of the tenant in `seq` order, read in keyset batches (Core, no ORM)."""
        table = AuditEvent.__table__
        last_seq = 0
        while True:
            query = (
                select(table)
                .where(table.c.tenant_id == self.tenant_id, table.c.seq > last_seq)
                .order_by(table.c.seq)
                .limit(batch_size)
            )
            rows = self.session.execute(query).mappings().all()
            if not rows:
                return
            yield from rows
            last_seq = rows[-1]["seq"]
