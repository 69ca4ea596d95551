"""One event linked by PostgreSQL in one statement hashes exactly what Python hashes.

`AuditRepository.link_one` has the database compute the link hash from the payload
Python cut around the head's values (`chain.link_template`). Byte-equality with
`chain.link_hash` is the whole point: the verifier recomputes every link in Python. So
events of generated content (any text: quotes, backslashes, control characters, every
plane of Unicode) are recorded and linked through the real statement, and each stored
hash must equal `link_hash` of the stored event. The same tests run on SQLite, where the
events link in Python; on PostgreSQL they also pin that the head lock, the link and the
insert were one statement.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, sessionmaker

from fiscus.audit import chain
from fiscus.audit import service as audit_service
from fiscus.audit.chain import GENESIS_HASH, link_hash, link_template
from fiscus.audit.repository import AuditRepository
from fiscus.audit.service import HASHED_FIELDS
from fiscus.core.context import Origin, TenantContext
from fiscus.db.session import bind_scope
from tests.support.builders import register

# A column's text can hold any character but NUL (PostgreSQL stores none); the JSON
# documents (before, after) can hold NUL too: JSON escapes it. No lone surrogates: UTF-8
# has no bytes for them, and no validated input carries one (pydantic refuses them).
short = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30)
maybe = st.none() | short
anything = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
documents = st.none() | st.dictionaries(anything, st.none() | anything | st.integers(), max_size=4)


@pytest.fixture
def tenant(client: TestClient) -> uuid.UUID:
    return register(client).tenant_id  # registering records events: the head exists


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[str]]:
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    yield sent
    event.remove(connection, "before_cursor_execute", note)


def _record(session: Session, ctx: TenantContext, texts: dict[str, Any]) -> None:
    audit_service.record(
        session,
        ctx,
        action=texts["action"] or "x",
        resource_type=texts["resource_type"] or "x",
        resource_id=texts["resource_id"],
        before=texts["before"],
        after=texts["after"],
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.fixed_dictionaries(
        {
            "action": short,
            "resource_type": short,
            "resource_id": maybe,
            "before": documents,
            "after": documents,
            "ip": maybe,
            "user_agent": maybe,
            "request_id": maybe,
        }
    )
)
def test_a_linked_event_hashes_as_link_hash_whatever_it_says(
    session_factory: sessionmaker[Session],
    tenant: uuid.UUID,
    statements: list[str],
    texts: dict[str, Any],
) -> None:
    origin = Origin(ip=texts["ip"], user_agent=texts["user_agent"], request_id=texts["request_id"])
    ctx = TenantContext(tenant_id=tenant, user_id=None, role="owner", origin=origin)
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=None)
        head = AuditRepository(session, tenant).head()
        assert head is not None
        before_seq, before_hash = head.seq, head.hash
        _record(session, ctx, texts)
        statements.clear()
        session.commit()  # links the event (a savepoint of the test's transaction)
        linked = [s for s in statements if "audit_chain_head" in s]
        rows = list(AuditRepository(session, tenant).chain())
        stored = rows[-1]
        assert stored["seq"] == before_seq + 1
        assert stored["prev_hash"] == before_hash
        assert stored["hash"] == link_hash({f: stored[f] for f in HASHED_FIELDS}, before_hash)
        session.expire_all()  # the head read above is in the identity map
        head = AuditRepository(session, tenant).head()
        assert head is not None
        assert (head.seq, head.hash) == (stored["seq"], stored["hash"])
        if session.get_bind().dialect.name == "postgresql":
            assert len(linked) == 1, linked  # lock, link, insert and move: one statement
            assert "sha256" in linked[0]
        assert audit_service.verify_chain(session, tenant).valid


def test_the_cut_payload_rebuilds_the_hashed_payload() -> None:
    fields = {
        "tenant_id": uuid.uuid4(),
        "occurred_at": datetime(2026, 12, 2, 1, 2, 3, 456, tzinfo=UTC),
        "actor_user_id": None,
        "action": 'say "hi" \\ ü 😀',
        "resource_type": "t",
        "resource_id": "seq",
        "before": None,
        "after": '{"prev_hash":"x"}',
        "ip": None,
        "user_agent": "\x00\n",
        "request_id": None,
    }
    cuts = link_template(fields)
    assert cuts is not None
    for seq, prev in ((1, GENESIS_HASH), (2**62, "ab" * 32)):
        payload = cuts[0] + prev + cuts[1] + str(seq) + cuts[2]
        assert hashlib.sha256(payload.encode()).hexdigest() == link_hash(
            {**fields, "seq": seq}, prev
        )


def test_a_stand_in_in_the_data_links_in_python_and_still_verifies(
    session_factory: sessionmaker[Session], tenant: uuid.UUID, statements: list[str]
) -> None:
    sneaky = {"note": f'{chain._PREV_MARK} and "{chain._SEQ_MARK}"'}
    assert link_template({"before": None, "after": sneaky["note"]}) is None
    ctx = TenantContext(tenant_id=tenant, user_id=None, role="owner")
    with session_factory() as session:
        bind_scope(session, tenant_id=tenant, user_id=None)
        texts = {"action": "a", "resource_type": "r", "resource_id": None}
        _record(session, ctx, {**texts, "before": None, "after": sneaky})
        statements.clear()
        session.commit()
        assert not any("sha256" in s for s in statements)
        assert audit_service.verify_chain(session, tenant).valid
