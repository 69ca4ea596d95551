"""An import decides each line's category, payee and tags before booking it (rules, then
the categoriser), and the books come out exactly as they did when every line was booked
on Uncategorised and `apply_rules` then `categorise` ran on the new entries: the same
file through both paths, in two tenants with the same chart, rules and model."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.insights import service as insights_service
from fiscus.insights.models import InsightsSuggestion
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account as LedgerAccount
from fiscus.ledger.models import Posting, Transaction
from fiscus.rules import service as rules_service
from tests.imports.helpers import commit, csv_file, upload
from tests.insights.test_learning_queue import queued
from tests.rules.helpers import Books
from tests.support.builders import register

LINES = [
    ("01/07/2025", "EFTPOS WOOLWORTHS 1234 SYDNEY AU", "-42.10", "R1"),
    ("02/07/2025", "EFTPOS WOOLWORTHS 0456 MOSMAN AU", "-18.00", "R2"),
    ("03/07/2025", "EFTPOS WOOLWORTHS 9981 SYDNEY AU", "-7.25", "R11"),  # R1's text again
    ("03/07/2025", "SALARY ACME PTY LTD", "3000.00", "R3"),
    ("04/07/2025", "TRANSFER TO SAVINGS 889", "-500.00", "R4"),
    ("05/07/2025", "VISA PURCHASE GLORIA JEANS 7788 GLEBE", "-5.50", "R5"),
    ("12/07/2025", "EFTPOS WOOLWORTHS 0991 BONDI AU", "-61.35", "R6"),
    ("13/07/2025", "EFTPOS WOOLWORTHS METRO 0457 RYDE AU", "-12.20", "R7"),
    ("14/07/2025", "VISA PURCHASE GLORIA JEANS 7788 GLEBE", "-4.90", "R8"),
    ("15/07/2025", "SQ *UNKNOWN STALL 55", "-9.00", "R9"),
    ("17/07/2025", "SALARY ACME PTY LTD", "3000.00", "R10"),
]


def _prepare(client: TestClient, name: str) -> Books:
    """A chart, three rules and a model that knows a little (hand-categorised entries)."""
    books = Books(client, register(client, name))
    books.rule(
        name="woolies early July",
        conditions={"payee": {"op": "contains", "value": "woolworths"}, "date_to": "2025-07-10"},
        actions={"set_category_id": books.groceries, "add_tags": ["food"]},
    )
    books.rule(
        name="savings",
        conditions={"description": {"op": "contains", "value": "transfer to savings"}},
        actions={"transfer_account_id": books.savings},
    )
    books.rule(
        name="pay",
        conditions={"description": {"op": "regex", "value": "^salary"}, "sign": "in"},
        actions={"add_tags": ["pay"], "rename_payee": "Acme"},
    )
    for day, text, amount, category in (
        ("2025-06-01", "VISA PURCHASE GLORIA JEANS 7788 GLEBE", "-4.50", books.coffee),
        ("2025-06-08", "VISA PURCHASE GLORIA JEANS 7788 GLEBE", "-5.20", books.coffee),
        ("2025-06-15", "VISA PURCHASE GLORIA JEANS 1234 NEWTOWN", "-4.80", books.coffee),
        ("2025-06-28", "ACME SALARY", "3000.00", books.salary),
        ("2025-05-28", "ACME SALARY", "3000.00", books.salary),
    ):
        books.entry(text, amount, day=day, category=category, payee=text.title())
    return books


def _old_path(factory: sessionmaker[Session], books: Books) -> None:
    """Book the lines on Uncategorised, then `apply_rules`, then `categorise`."""
    owner = books.owner
    ctx = TenantContext(tenant_id=owner.tenant_id, user_id=owner.user_id, role="owner")
    uncategorised = {True: uuid.UUID(books.uncat_income), False: uuid.UUID(books.uncat_expense)}
    entries = []
    for day, text, amount, _ref in LINES:
        minor = round(float(amount) * 100)
        d, m, y = (int(p) for p in day.split("/"))
        entries.append(
            ledger_service.BulkEntry(
                transaction_id=uuid.uuid4(),
                occurred_on=date(y, m, d),
                description=text,
                payee=None,
                amount=minor,
                category_id=uncategorised[minor > 0],
            )
        )
    ids = [e.transaction_id for e in entries]
    with factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
        ledger_service.bulk_post(session, ctx, account_id=uuid.UUID(books.bank), entries=entries)
        rules_service.apply_rules(session, ctx, transaction_ids=ids)
        # What the rules categorised is a confirmed example, learned before the model
        # predicts: `categorise` catches the queue up first, this unit of work's included.
        insights_service.categorise(session, ctx, transaction_ids=ids)
        session.commit()


def _books_of(factory: sessionmaker[Session], books: Books) -> list[tuple[Any, ...]]:
    """Every entry from the bank account's lines: what it looks like, by account names."""
    owner = books.owner
    with factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
        tenant = owner.tenant_id
        names = {
            row[0]: row[1]
            for row in session.execute(
                select(LedgerAccount.id, LedgerAccount.name).where(
                    LedgerAccount.tenant_id == tenant
                )
            )
        }
        legs: dict[uuid.UUID, list[tuple[str, int]]] = {}
        for txn_id, account_id, amount in session.execute(
            select(Posting.transaction_id, Posting.account_id, Posting.amount).where(
                Posting.tenant_id == tenant
            )
        ):
            legs.setdefault(txn_id, []).append((names[account_id], int(amount)))
        suggestions = {
            s.transaction_id: s
            for s in session.scalars(
                select(InsightsSuggestion).where(InsightsSuggestion.tenant_id == tenant)
            )
        }
        found = []
        for t in session.scalars(
            select(Transaction).where(
                Transaction.tenant_id == tenant, Transaction.deleted_at.is_(None)
            )
        ):
            s = suggestions.get(t.id)
            suggestion = None
            if s is not None:
                alternatives = [(names[uuid.UUID(c)], p) for c, p in json.loads(s.alternatives)]
                suggestion = (
                    s.status,
                    names.get(s.category_id) if s.category_id else None,
                    round(s.confidence, 6),
                    alternatives,
                    names.get(s.previous_category_id) if s.previous_category_id else None,
                )
            found.append(
                (
                    t.occurred_on,
                    t.description,
                    t.payee,
                    t.tags,
                    t.kind,
                    t.status,
                    sorted(legs[t.id]),
                    suggestion,
                )
            )
        return sorted(found, key=lambda row: (row[0], row[1], str(row[6])))


def test_deciding_before_booking_books_what_booking_then_categorising_did(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice, bob = _prepare(client, "Alice"), _prepare(client, "Bob")
    found = upload(client, alice.owner, alice.bank, csv_file(LINES))
    done = commit(client, alice.owner, found["id"])
    assert done["counts"]["created"] == len(LINES)
    _old_path(session_factory, bob)
    new, old = _books_of(session_factory, alice), _books_of(session_factory, bob)
    assert new == old
    by_text = {(row[0].day, row[1]): row for row in new}
    woolies_early = by_text[(1, "EFTPOS WOOLWORTHS 1234 SYDNEY AU")]
    assert woolies_early[2:4] == ("Woolworths", ",food,")
    assert ("Groceries", 4210) in woolies_early[6]
    assert woolies_early[7] is None
    transfer = by_text[(4, "TRANSFER TO SAVINGS 889")]
    assert transfer[4] == "transfer"
    assert ("Savings", 50000) in transfer[6]
    assert by_text[(3, "SALARY ACME PTY LTD")][2:4] == ("Acme", ",pay,")
    statuses = {row[7][0] for row in new if row[7] is not None}
    assert statuses == {"auto", "queued"}  # the model applied some lines, queued others
    assert alice.balance(alice.uncat_expense) == bob.balance(bob.uncat_expense)
    assert alice.balance(alice.groceries) == bob.balance(bob.groceries)
    status = [
        client.get("/api/v1/insights/model", headers=b.owner.headers).json() for b in (alice, bob)
    ]
    assert status[0]["examples"] == status[1]["examples"] == 5 + 3  # by hand + by the rule


def test_a_model_with_no_examples_queues_every_line_without_a_suggestion(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    carol = Books(client, register(client, "Carol"))
    found = upload(client, carol.owner, carol.bank, csv_file(LINES))
    done = commit(client, carol.owner, found["id"])
    assert done["result"]["categorisation"] == {"applied": 0, "queued": len(LINES)}
    rows = [row for row in _books_of(session_factory, carol) if row[7] is not None]
    assert len(rows) == len(LINES)
    assert all(row[7][:4] == ("queued", None, 0.0, []) for row in rows)
    assert {row[7][4] for row in rows} == {"Uncategorised income", "Uncategorised expense"}


def test_what_the_rules_categorised_is_learned_by_a_job_right_after_the_import(
    client: TestClient, connection: Connection
) -> None:
    alice = _prepare(client, "Alice")
    found = upload(client, alice.owner, alice.bank, csv_file(LINES))
    commit(client, alice.owner, found["id"])
    jobs = client.get("/api/v1/jobs?limit=50", headers=alice.owner.headers).json()["items"]
    assert [j["status"] for j in jobs if j["kind"] == "insights.catch_up"] == ["succeeded"]
    # nothing left for the next read of the model (the review page) to learn
    assert queued(connection, alice.owner.tenant_id) == set()


def test_a_file_of_duplicates_only_leaves_the_learning_queue_to_its_job(
    client: TestClient, connection: Connection
) -> None:
    """Nothing to suggest for, nothing to learn first: re-importing a file books nothing
    and does not catch the model up on the way (the queue's own job does that)."""
    alice = _prepare(client, "Alice")
    commit(client, alice.owner, upload(client, alice.owner, alice.bank, csv_file(LINES))["id"])
    assert queued(connection, alice.owner.tenant_id) == set()
    waiting = alice.entry("EFTPOS COLES 3312 NEWTOWN", "-20.00", category=alice.groceries)
    assert queued(connection, alice.owner.tenant_id) == {waiting}

    again = upload(client, alice.owner, alice.bank, csv_file(LINES))
    done = commit(client, alice.owner, again["id"])

    assert done["result"]["counts"]["created"] == 0
    assert done["result"]["counts"]["duplicates"] == len(LINES)
    assert queued(connection, alice.owner.tenant_id) == {waiting}
