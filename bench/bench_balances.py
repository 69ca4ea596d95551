"""Balance at a date: snapshots vs a naive SUM over postings, on PostgreSQL.

Builds a throw-away database with one tenant whose hot account holds N postings spread
over ten years (default 1,000,000; the issue's full target is 2M on the hot account of
10M), loaded with generate_series as the owner, then the same day/month snapshot rows
the service maintains (triggers off while loading: the per-row balance check is for
entries posted one by one). Then it asks for the balance at random dates as the app role
(RLS on) both ways and prints p50/p95 and the ratio.

    .venv/bin/python bench/bench_balances.py [--postings 1000000] [--queries 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from tests.support.databases import create_database, drop_database

from fiscus.db.session import bind_scope, make_engine, make_session_factory
from fiscus.ledger.repository_balances import BalanceRepository

START, DAYS = date(2016, 1, 1), 3653

LOAD = """
SET session_replication_role = replica;
INSERT INTO tenant (id, name, kind, base_currency, timezone, locale, fiscal_year_start_month,
  fiscal_year_start_day, created_at, updated_at)
VALUES (:t, 'Bench', 'personal', 'AUD', 'Australia/Sydney', 'en-AU', 7, 1, now(), now());
INSERT INTO account (id, tenant_id, type, subtype, name, currency, is_hidden, is_archived,
  display_order, created_at, updated_at)
VALUES (:hot, :t, 'asset', 'checking', 'Hot', 'AUD', false, false, 0, now(), now()),
       (:other, :t, 'expense', 'other', 'Spending', 'AUD', false, false, 0, now(), now());
INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, status, kind, tags,
  created_at, updated_at)
SELECT md5(:t || g::text)::uuid, CAST(:t AS uuid), DATE '2016-01-01' + (g % 3653), 'bench',
  'cleared', 'expense', '', now(), now() FROM generate_series(1, :n) g;
INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount, currency,
  occurred_on)
SELECT gen_random_uuid(), CAST(:t AS uuid), md5(:t || g::text)::uuid, a.id, a.pos,
  CASE WHEN a.pos = 0 THEN -(g % 10000 + 1) ELSE g % 10000 + 1 END, 'AUD',
  DATE '2016-01-01' + (g % 3653)
FROM generate_series(1, :n) g
CROSS JOIN (VALUES (CAST(:hot AS uuid), 0), (CAST(:other AS uuid), 1)) AS a(id, pos);
INSERT INTO balance_day (tenant_id, account_id, day, delta)
SELECT tenant_id, account_id, occurred_on, sum(amount) FROM posting GROUP BY 1, 2, 3;
INSERT INTO balance_month (tenant_id, account_id, month, delta)
SELECT tenant_id, account_id, date_trunc('month', occurred_on)::date, sum(amount)
FROM posting GROUP BY 1, 2, 3;
SET session_replication_role = origin;
ANALYZE;
"""

NAIVE = text(
    "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN ledger_transaction t "
    "ON t.id = p.transaction_id WHERE p.tenant_id = :t AND p.account_id = :a "
    "AND p.occurred_on <= :d AND t.deleted_at IS NULL"
)


def timed(fn: object, dates: list[date]) -> list[float]:
    out = []
    for on in dates:
        started = time.perf_counter()
        fn(on)  # type: ignore[operator]
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    db = create_database("postgres", Path(tempfile.gettempdir()))
    tenant, hot, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        owner = make_engine(db.admin_url)
        started = time.perf_counter()
        with owner.begin() as conn:
            for statement in filter(str.strip, LOAD.split(";")):
                conn.execute(
                    text(statement),
                    {"t": str(tenant), "hot": str(hot), "other": str(other), "n": args.postings},
                )
        print(
            f"loaded {args.postings:,} postings on the hot account "
            f"({2 * args.postings:,} in all) in {time.perf_counter() - started:.0f} s"
        )
        owner.dispose()
        factory = make_session_factory(make_engine(db.app_url))
        rng = random.Random(42)
        dates = [START + timedelta(days=rng.randrange(DAYS)) for _ in range(args.queries)]
        with factory() as session:
            bind_scope(session, tenant_id=tenant, user_id=None)
            repo = BalanceRepository(session, tenant)
            checks = [
                (repo.raw_balance(hot, d), session.scalar(NAIVE, {"t": tenant, "a": hot, "d": d}))
                for d in dates[:20]
            ]
            assert all(a == b for a, b in checks), "snapshot and naive sums differ"
            fast = timed(lambda d: repo.raw_balance(hot, d), dates)
            slow = timed(
                lambda d: session.scalar(NAIVE, {"t": tenant, "a": hot, "d": d}), dates[:50]
            )
        for name, series in (("snapshots", fast), ("naive SUM", slow)):
            cuts = statistics.quantiles(series, n=100)
            print(
                f"{name:<10} p50 {cuts[49] * 1000:8.2f} ms   p95 {cuts[94] * 1000:8.2f} ms"
                f"   ({len(series)} queries)"
            )
        print(f"naive / snapshots at p50: {statistics.median(slow) / statistics.median(fast):.0f}x")
    finally:
        drop_database(db)


if __name__ == "__main__":
    main()
