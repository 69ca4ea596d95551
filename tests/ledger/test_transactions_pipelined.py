"""`POST /api/v1/transactions` in two round trips without a Session (PostgreSQL).

An app on its own engine and committed data (as in test_pipelined_reads.py), so on
PostgreSQL the pipelined path answers; the same request with the asyncio pool switched
off takes the Session's path, and both must write the same rows: the entry, its
postings, the snapshots, the learning queue and the audit event. On SQLite every request
takes the Session's path, so the behaviour tests run there too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, TextClause, Uuid, bindparam, create_engine, text

from fiscus.db.pipelined import Read
from fiscus.ledger import transactions_pipelined
from tests.goals.helpers import Budget
from tests.ledger.test_pipelined_reads import RoundTrips, served_on_the_loop
from tests.support.builders import Account, add_member, register, switch
from tests.support.databases import MigratedDatabase


@pytest.fixture(scope="module")
def admin(committed: MigratedDatabase) -> Iterator[Engine]:
    engine = create_engine(committed.admin_url)
    yield engine
    engine.dispose()


def postgres(client: TestClient) -> bool:
    return bool(client.app.state.engine.dialect.name == "postgresql")  # type: ignore[attr-defined]


@contextmanager
def in_a_session(client: TestClient) -> Iterator[None]:
    """Requests made inside take the Session's path (no asyncio pool)."""
    state = client.app.state  # type: ignore[attr-defined]
    pool, state.async_reads = state.async_reads, None
    try:
        yield
    finally:
        state.async_reads = pool


def post(client: TestClient, who: Account, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/api/v1/transactions", json=body, headers={**who.headers, **headers})


def by_id(sql: str) -> TextClause:
    """`sql` with its `:id` or `:t` parameter bound as a UUID (SQLite stores them as hex)."""
    names = [name for name in ("id", "t") if f":{name}" in sql]
    return text(sql).bindparams(*(bindparam(name, type_=Uuid()) for name in names))


def stored(admin: Engine, entry_id: str) -> dict[str, Any]:
    """What the database holds of an entry, without what differs by construction (ids,
    times, the request's id)."""
    with admin.connect() as conn:
        head = conn.execute(
            by_id(
                "SELECT tenant_id, occurred_on, description, payee, status, kind, notes, tags,"
                " idempotency_key, amount, currency, deleted_at, created_at = updated_at"
                " FROM ledger_transaction WHERE id = :id"
            ),
            {"id": uuid.UUID(entry_id)},
        ).one()
        legs = conn.execute(
            by_id(
                "SELECT tenant_id, account_id, position, amount, currency, rate, memo,"
                " occurred_on FROM posting WHERE transaction_id = :id ORDER BY position"
            ),
            {"id": uuid.UUID(entry_id)},
        ).all()
        queued = conn.execute(
            by_id("SELECT count(*) FROM insights_pending WHERE transaction_id = :id"),
            {"id": uuid.UUID(entry_id)},
        ).scalar_one()
        audit = conn.execute(
            by_id(
                "SELECT tenant_id, actor_user_id, action, resource_type, after, ip, user_agent,"
                " request_id IS NOT NULL FROM audit_event WHERE resource_id = :rid"
            ),
            {"rid": entry_id},
        ).all()
    return {"head": tuple(head), "legs": [tuple(leg) for leg in legs], "queued": queued,
            "audit": [tuple(event) for event in audit]}  # fmt: skip


def snapshots_off(admin: Engine, tenant_id: uuid.UUID) -> int:
    """Day snapshot rows of the tenant that differ from the GROUP BY of their postings."""
    with admin.connect() as conn:
        return int(
            conn.execute(
                by_id(
                    "SELECT count(*) FROM (SELECT account_id, occurred_on AS day, sum(amount)"
                    " AS delta, count(DISTINCT transaction_id) AS entries FROM posting"
                    " WHERE tenant_id = :t GROUP BY 1, 2) p FULL JOIN (SELECT account_id, day,"
                    " delta, entries FROM balance_day WHERE tenant_id = :t) d USING"
                    " (account_id, day) WHERE p.delta IS DISTINCT FROM d.delta"
                    " OR p.entries IS DISTINCT FROM d.entries"
                ),
                {"t": tenant_id},
            ).scalar_one()
        )


def chain_valid(client: TestClient, who: Account) -> bool:
    response = client.get("/api/v1/audit/verify", headers=who.headers)
    assert response.status_code == 200, response.text
    return bool(response.json()["valid"])


def without_ids(entry: dict[str, Any]) -> dict[str, Any]:
    legs = [{k: v for k, v in leg.items() if k != "id"} for leg in entry["postings"]]
    kept = {k: v for k, v in entry.items() if k not in ("id", "created_at", "updated_at")}
    return {**kept, "postings": legs}


@pytest.fixture(scope="module")
def budget(live: TestClient) -> Budget:
    return Budget(live, register(live))


amounts = st.decimals(min_value="0.01", max_value="99999.99", places=2).map(str)
texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    str.strip
)
days = st.dates(min_value=date(2000, 1, 1)).map(lambda d: d.isoformat())


@st.composite
def forms(draw: st.DrawFn, budget: Budget) -> dict[str, Any]:
    kind = draw(st.sampled_from(["expense", "income", "transfer", "journal"]))
    common: dict[str, Any] = {"date": draw(days), "description": draw(texts)}
    if kind == "journal":
        legs = draw(st.lists(amounts, min_size=1, max_size=3))
        accounts = draw(st.permutations([budget.groceries, budget.rent, budget.food]))
        postings = [
            {"account_id": a, "amount": amount} for a, amount in zip(accounts, legs, strict=False)
        ]
        total = sum(Decimal(amount) for amount in legs)
        postings.append({"account_id": budget.bank, "amount": str(-total), "memo": draw(texts)})
        return {**common, "postings": postings}
    body = {
        **common,
        "type": kind,
        "amount": draw(amounts),
        "account_id": budget.bank,
        "payee": draw(st.none() | texts),
        "notes": draw(st.none() | texts),
        "tags": draw(st.lists(st.sampled_from(["a", "b", "Home"]), max_size=3)),
        "status": draw(st.sampled_from(["pending", "cleared"])),
    }
    if kind == "transfer":
        return {**body, "transfer_account_id": budget.savings}
    return {**body, "category_id": budget.salary if kind == "income" else budget.groceries}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_pipelined_entry_is_the_sessions_entry(
    live: TestClient, admin: Engine, budget: Budget, data: st.DataObject
) -> None:
    body = data.draw(forms(budget))
    trips = RoundTrips(live)
    fast = post(live, budget.owner, body)
    assert fast.status_code == 201, fast.text
    trips.check(units=1, sqlite_statements=len(trips.seen))  # no statement via SQLAlchemy
    with in_a_session(live):
        slow = post(live, budget.owner, body)
    assert slow.status_code == 201, slow.text
    assert without_ids(fast.json()) == without_ids(slow.json())
    assert stored(admin, fast.json()["id"]) == stored(admin, slow.json()["id"])
    assert snapshots_off(admin, budget.owner.tenant_id) == 0


def test_balances_the_queue_and_the_audit_chain_after_pipelined_posts(
    live: TestClient, admin: Engine
) -> None:
    owner = register(live)
    books = Budget(live, owner)
    uncategorised = books.account("Uncategorised", "expense", code="UNCAT-EXPENSE")
    spent = books.spend("2026-03-02", "12.50", books.groceries)
    quiet = books.spend("2026-03-02", "7.25", uncategorised)
    books.transfer("2026-03-03", "100.00", books.bank, books.savings)
    balance = live.get(
        f"/api/v1/accounts/{books.bank}/balance?date=2026-03-31", headers=owner.headers
    )
    assert balance.json()["balance"] == "-119.75"
    assert stored(admin, spent)["queued"] == 1
    assert stored(admin, quiet)["queued"] == 0  # an Uncategorised entry teaches nothing
    assert snapshots_off(admin, owner.tenant_id) == 0
    assert chain_valid(live, owner)


def test_a_spending_limit_still_raises_its_alert(live: TestClient) -> None:
    books = Budget(live, register(live))
    books.goal(name="Food", amount="100.00", starts_on="2026-01-01")
    before = served_on_the_loop(live)
    books.spend("2026-10-02", "120.00", books.groceries)
    # PostgreSQL: the reads were pipelined, the write declined to the Session (the goals
    # listener must run)
    assert served_on_the_loop(live) == before + (1 if postgres(live) else 0)
    titles = [n["title"] for n in books.notifications()]
    assert titles == ["Food: over the limit for October 2026"]


def test_an_idempotency_key_replays_through_the_session(live: TestClient) -> None:
    books = Budget(live, register(live))
    body = {"date": "2026-01-05", "description": "Rent", "amount": "900.00",
            "type": "expense", "account_id": books.bank, "category_id": books.rent}  # fmt: skip
    first = post(live, books.owner, body, **{"Idempotency-Key": "rent-jan"})
    again = post(live, books.owner, body, **{"Idempotency-Key": "rent-jan"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()


def test_refusals_are_the_sessions_and_write_nothing(live: TestClient, admin: Engine) -> None:
    owner, viewer, stranger = register(live), register(live), register(live)
    books = Budget(live, owner)
    theirs = Budget(live, stranger)
    add_member(live, owner, owner.tenant_id, viewer, "viewer")
    switch(live, viewer, owner.tenant_id)
    archived = live.patch(
        f"/api/v1/accounts/{books.rent}", json={"is_archived": True}, headers=owner.headers
    )
    assert archived.status_code == 200, archived.text
    expense = {"date": "2026-02-01", "description": "x", "amount": "5.00", "type": "expense",
               "account_id": books.bank, "category_id": books.groceries}  # fmt: skip
    cases: list[tuple[Account, dict[str, Any], dict[str, str]]] = [
        (viewer, expense, {}),
        (owner, {**expense, "category_id": books.rent}, {}),
        (owner, {**expense, "category_id": theirs.groceries}, {}),
        (owner, {**expense, "category_id": books.savings}, {}),
        (owner, {**expense, "amount": "-5.00"}, {}),
        (owner, {**expense, "amount": "5.001"}, {}),
        (
            owner,
            {
                "date": "2026-02-01",
                "description": "split",
                "postings": [
                    {"account_id": books.bank, "amount": "-5.00"},
                    {"account_id": books.food, "amount": "4.00"},
                ],
            },
            {},
        ),
        (owner, expense, {"Authorization": "Bearer nonsense"}),
    ]
    for who, body, headers in cases:
        fast = post(live, who, body, **headers)
        with in_a_session(live):
            slow = post(live, who, body, **headers)
        assert fast.status_code in (401, 403, 422), fast.text
        assert (fast.status_code, problem(fast)) == (slow.status_code, problem(slow))
    with admin.connect() as conn:
        count = by_id("SELECT count(*) FROM ledger_transaction WHERE tenant_id = :t")
        assert conn.execute(count, {"t": owner.tenant_id}).scalar_one() == 0

    assert live.post("/api/v1/auth/logout", headers=owner.headers).status_code == 204
    assert post(live, owner, expense).status_code == 401


def test_a_failed_write_leaves_nothing_behind(
    live: TestClient, admin: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not postgres(live):
        pytest.skip("the pipelined write is PostgreSQL's")
    owner = register(live)
    books = Budget(live, owner)
    books.spend("2026-04-01", "1.00", books.groceries)
    before = stored_counts(admin, owner.tenant_id)
    real = transactions_pipelined.create_writes

    def failing(*args: Any) -> Any:
        writes, entry = real(*args)  # type: ignore[misc]
        return [*writes, Read(text("SELECT 1 / 0"), {})], entry

    monkeypatch.setattr(transactions_pipelined, "create_writes", failing)
    with TestClient(live.app, raise_server_exceptions=False) as client:
        response = post(client, owner, {"date": "2026-04-02", "description": "y",
                        "amount": "2.00", "type": "expense", "account_id": books.bank,
                        "category_id": books.groceries})  # fmt: skip
    assert response.status_code == 500
    assert stored_counts(admin, owner.tenant_id) == before
    assert chain_valid(live, owner)


def problem(response: Any) -> dict[str, Any]:
    return {k: v for k, v in response.json().items() if k != "request_id"}


def stored_counts(admin: Engine, tenant_id: uuid.UUID) -> tuple[int, ...]:
    tables = ("ledger_transaction", "posting", "balance_day", "balance_month",
              "insights_pending", "audit_event")  # fmt: skip
    with admin.connect() as conn:
        return tuple(
            conn.execute(
                by_id(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"),
                {"t": tenant_id},
            ).scalar_one()
            for table in tables
        )
