"""Migration 0023: the postings' account index leads with the account, so the balance
backstop's lookup by entry can only take the entry index, even for a tenant the
statistics do not know; down to 0022 and up again restores each index."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from fiscus.db.session import make_engine
from tests.support.builders import register
from tests.support.databases import APP_ROLE, MigratedDatabase
from tests.support.migrations import downgrade, scratch_database, served, upgrade

NEW = (
    "ix_posting_account_tenant_date",
    ["account_id", "tenant_id", "occurred_on", "transaction_id"],
)
OLD = (
    "ix_posting_tenant_account_date",
    ["tenant_id", "account_id", "occurred_on", "transaction_id"],
)


def _account_index(db: MigratedDatabase) -> set[tuple[str, tuple[str, ...]]]:
    engine = make_engine(db.admin_url)
    try:
        with engine.connect() as connection:
            found = inspect(connection).get_indexes("posting")
        return {
            (str(i["name"]), tuple(str(c) for c in i["column_names"]))
            for i in found
            if "account_id" in i["column_names"]
        }
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_down_and_up_again(backend: str, tmp_path: Path) -> None:
    with scratch_database(backend, tmp_path) as (db, _settings):
        assert _account_index(db) == {(NEW[0], tuple(NEW[1]))}
        downgrade(db, "0022")
        assert _account_index(db) == {(OLD[0], tuple(OLD[1]))}
        upgrade(db)
        assert _account_index(db) == {(NEW[0], tuple(NEW[1]))}


_BIG_BOOKS = """
INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, status, kind, tags,
    amount, currency, created_at, updated_at)
SELECT gen_random_uuid(), :t, DATE '2020-01-01' + (n % 1500), 'spend', 'cleared', 'expense',
    '', 100, 'AUD', now(), now()
FROM generate_series(1, 20000) AS n;
INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount, currency,
    occurred_on)
SELECT gen_random_uuid(), e.tenant_id, e.id,
    CASE leg WHEN 0 THEN CAST(:food AS uuid) ELSE CAST(:bank AS uuid) END, leg,
    CASE leg WHEN 0 THEN 100 ELSE -100 END, 'AUD', e.occurred_on
FROM ledger_transaction e CROSS JOIN (VALUES (0), (1)) AS legs(leg) WHERE e.tenant_id = :t;
ANALYZE posting
"""
_CHECK = (
    "EXPLAIN SELECT currency, sum(amount) FROM posting WHERE transaction_id = :txn"
    " GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1"
)


def _chart(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    ids = {}
    for name, type_ in (("Bank", "asset"), ("Food", "expense")):
        made = client.post("/api/v1/accounts", json={"name": name, "type": type_}, headers=headers)
        assert made.status_code == 201, made.text
        ids[type_] = made.json()["id"]
    return ids


def _lookup_costs(db: MigratedDatabase, tenant_id: str, txn: str) -> tuple[float, float]:
    """The planner's cost of the backstop's lookup by entry, as the app role: by its best
    plan, and by the best plan without the entry index (dropped in a transaction rolled
    back, sequential scans off): what the account index would cost in its place."""
    admin = make_engine(db.admin_url)
    costs = []
    try:
        for without_entry_index in (False, True):
            with admin.connect() as connection, connection.begin() as transaction:
                if without_entry_index:
                    connection.execute(text("DROP INDEX ix_posting_tenant_transaction"))
                    connection.execute(text("SET LOCAL enable_seqscan = off"))
                connection.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
                scope = "SELECT set_config('app.tenant_id', :t, true)"
                connection.execute(text(scope), {"t": tenant_id})
                top = connection.execute(text(_CHECK), {"txn": txn}).first()
                assert top is not None
                costs.append(float(top[0].split("..")[1].split(" ")[0]))
                transaction.rollback()
        return costs[0], costs[1]
    finally:
        admin.dispose()


@pytest.mark.postgres
def test_a_lookup_by_entry_no_longer_ties_with_the_account_index(tmp_path: Path) -> None:
    # A tenant the statistics do not know (beside a bigger one) is estimated at under one
    # row; before 0023 the account index (tenant first) then cost the same as the entry
    # index for the lookup, and the tie went to it: a scan of all the tenant's postings.
    with scratch_database("postgres", tmp_path) as (db, settings), served(settings) as client:
        big, small = register(client), register(client)
        chart = _chart(client, big.headers)
        ids = _chart(client, small.headers)
        admin = make_engine(db.admin_url)
        try:
            with admin.begin() as connection:
                params = {"t": big.tenant_id, "food": chart["expense"], "bank": chart["asset"]}
                for statement in _BIG_BOOKS.split(";"):
                    connection.execute(text(statement), params)
        finally:
            admin.dispose()
        body = {"date": "2026-01-02", "description": "x", "amount": "1.00", "type": "expense",
                "account_id": ids["asset"], "category_id": ids["expense"]}  # fmt: skip
        made = client.post("/api/v1/transactions", json=body, headers=small.headers)
        assert made.status_code == 201, made.text
        where = (str(small.tenant_id), made.json()["id"])
        best, by_account_index = _lookup_costs(db, *where)
        assert by_account_index > 10 * best
        downgrade(db, "0022")
        best, by_account_index = _lookup_costs(db, *where)
        assert by_account_index < 1.01 * best  # the tie this migration removes
