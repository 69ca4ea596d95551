"""Ledger reads at scale on PostgreSQL: balance at a date, trial balance, transaction list.

Uses the database `bench/seed_ledger.py` builds (seeding it first if needed: by default
10M postings over ten years, 2M on the hot account), connects as the app role (RLS on),
and runs each read the way a request does: its own read-only unit of work, scoped to the
tenant, through the same service code as the API. Each is compared with the naive query
over postings that it replaces, timed in the same run.

    .venv/bin/python bench/bench_ledger_scale.py [--postings 10000000] [--queries 400]
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.seed_ledger import DAYS, START, Seed, seed
from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.core.heap import freeze_startup_heap
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.ledger import balances, transactions_query
from fiscus.ledger.repository_balances import BalanceRepository
from fiscus.ledger.repository_transactions import TransactionFilters
from fiscus.ledger.search import AmountBound

NAIVE_BALANCE = text(
    "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN ledger_transaction t "
    "ON t.id = p.transaction_id WHERE p.tenant_id = :t AND p.account_id = :a "
    "AND p.occurred_on <= :d AND t.deleted_at IS NULL"
)
NAIVE_TRIAL = text(
    "SELECT p.account_id, sum(p.amount) FROM posting p JOIN ledger_transaction t "
    "ON t.id = p.transaction_id WHERE p.tenant_id = :t AND p.occurred_on <= :d "
    "AND t.deleted_at IS NULL GROUP BY p.account_id"
)

Series = list[float]


class Bench:
    def __init__(self, found: Seed) -> None:
        self.seed = found
        self.engine = make_engine(found.app_url, pool_size=2)
        self.factory: sessionmaker[Session] = make_session_factory(self.engine)
        self.ctx = TenantContext(found.tenant_id, found.user_id, "owner")

    def run(self, fn: Callable[[Session], Any]) -> Any:
        """One read-only unit of work scoped to the tenant, like a GET request's."""
        with unit_of_work(self.factory, read_only=True) as session:
            bind_scope(session, tenant_id=self.seed.tenant_id, user_id=self.seed.user_id)
            return fn(session)

    def timed(self, calls: list[Callable[[Session], Any]]) -> Series:
        out = []
        for call in calls:
            started = time.perf_counter()
            self.run(call)
            out.append(time.perf_counter() - started)
        return out

    def in_one_session(self, calls: list[Callable[[Session], Any]]) -> Series:
        """The statements alone: one session, tenant bound, transaction already open."""

        def each(session: Session) -> Series:
            out = []
            for call in calls:
                started = time.perf_counter()
                call(session)
                out.append(time.perf_counter() - started)
            return out

        return list(self.run(each))

    def quietest_account(self) -> uuid.UUID:
        """The account with the fewest entries (of those with any)."""
        query = text(
            "SELECT account_id FROM balance_month WHERE tenant_id = :t"
            " GROUP BY account_id ORDER BY sum(entries), account_id LIMIT 1"
        )
        return uuid.UUID(str(self.run(lambda s: s.scalar(query, {"t": self.seed.tenant_id}))))

    def accounts(self) -> list[uuid.UUID]:
        query = text("SELECT DISTINCT account_id FROM balance_month WHERE tenant_id = :t")
        return list(self.run(lambda s: s.scalars(query, {"t": self.seed.tenant_id}).all()))


def cut(series: Series, percent: int) -> float:
    if len(series) < 2:
        return series[0] * 1000
    return statistics.quantiles(series, n=100, method="inclusive")[percent - 1] * 1000


def report(name: str, series: Series, target_ms: float | None = None) -> None:
    p50, p95 = cut(series, 50), cut(series, 95)
    verdict = "" if target_ms is None else ("  ok" if p95 <= target_ms else "  MISSED")
    target = "" if target_ms is None else f"  (target p95 <= {target_ms:g} ms){verdict}"
    print(f"  {name:<52} p50 {p50:9.2f} ms  p95 {p95:9.2f} ms  n={len(series)}{target}")


def ratio(fast: Series, slow: Series) -> None:
    print(
        f"  naive / fast: {statistics.median(slow) / statistics.median(fast):,.0f}x at p50, "
        f"{cut(slow, 95) / cut(fast, 95):,.0f}x at p95"
    )


def bench_balance(b: Bench, rng: random.Random, queries: int, naive: int) -> None:
    hot, t = b.seed.hot_account_id, b.seed.tenant_id
    accounts = b.accounts()
    picks = [(hot if i % 4 == 0 else rng.choice(accounts), _day(rng)) for i in range(queries)]
    for account_id, on in picks[: max(3, naive // 4)]:  # exact, not only fast
        fast = b.run(lambda s, a=account_id, d=on: BalanceRepository(s, t).raw_balance(a, d))
        slow = b.run(
            lambda s, a=account_id, d=on: s.scalar(NAIVE_BALANCE, {"t": t, "a": a, "d": d})
        )
        assert fast == slow, (account_id, on, fast, slow)
    print("balance of one account at a date (random accounts and dates; 1 in 4 the hot one)")
    fast = b.timed(
        [lambda s, a=a, d=d: BalanceRepository(s, t).raw_balance(a, d) for a, d in picks]
    )
    report("snapshots, each its own unit of work (as a request)", fast, 5)
    hot_fast = [x for x, (a, _) in zip(fast, picks, strict=True) if a == hot]
    report("  of which the hot account", hot_fast, 5)
    report(
        "snapshots, the query alone (one open session)",
        b.in_one_session(
            [lambda s, a=a, d=d: BalanceRepository(s, t).raw_balance(a, d) for a, d in picks]
        ),
        5,
    )
    naive_picks = [(hot, d) for _, d in picks[:naive]]
    slow = b.timed(
        [
            lambda s, a=a, d=d: s.scalar(NAIVE_BALANCE, {"t": t, "a": a, "d": d})
            for a, d in naive_picks
        ]
    )
    report("naive SUM over postings (hot account)", slow)
    ratio(hot_fast, slow)


def trial_balance() -> tuple[str, Callable[[Session, TenantContext, date], Any]]:
    """The reports code path when helper D's `fiscus.reports` offers one, else the
    ledger's grouped snapshot read that it is built on."""
    try:
        reports = importlib.import_module("fiscus.reports.service")
    except ImportError:
        reports = None
    fn = getattr(reports, "trial_balance", None)
    if fn is not None:
        return "fiscus.reports.service.trial_balance", lambda s, ctx, on: fn(s, ctx, as_of=on)
    return "balances.raw_balances_at", lambda s, ctx, on: balances.raw_balances_at(
        s, ctx.tenant_id, on
    )


def bench_trial_balance(b: Bench, rng: random.Random, queries: int, naive: int) -> None:
    t = b.seed.tenant_id
    name, fn = trial_balance()
    dates = [_day(rng) for _ in range(queries)]
    on = dates[0]
    fast_rows = b.run(lambda s: balances.raw_balances_at(s, t, on))
    slow_rows = b.run(lambda s: dict(s.execute(NAIVE_TRIAL, {"t": t, "d": on}).all()))
    assert fast_rows == {k: int(v) for k, v in slow_rows.items()}, "trial balances differ"
    print("trial balance at a date (every account, random dates)")
    fast = b.timed([lambda s, d=d: fn(s, b.ctx, d) for d in dates])
    report(name, fast, 50)
    slow = b.timed(
        [lambda s, d=d: s.execute(NAIVE_TRIAL, {"t": t, "d": d}).all() for d in dates[:5]]
    )
    report("naive GROUP BY over postings", slow)
    ratio(fast, slow)


def list_cases(
    b: Bench, rng: random.Random
) -> dict[str, tuple[Callable[[], TransactionFilters], bool]]:
    """name: (filters, count=exact). The account registers and the last two have kept
    counts (an account register, the whole list); the others are filters only a visit of
    every match could count."""
    hot, quiet = b.seed.hot_account_id, b.quietest_account()

    def window(days: int) -> tuple[date, date]:
        start = START + timedelta(days=rng.randrange(DAYS - days))
        return start, start + timedelta(days=days)

    def hot_in(days: int, account: uuid.UUID = hot) -> TransactionFilters:
        date_from, date_to = window(days)
        return TransactionFilters(account_id=account, date_from=date_from, date_to=date_to)

    def hot_text() -> TransactionFilters:
        date_from, date_to = window(365)
        return TransactionFilters(
            account_id=hot, text="woolworths", date_from=date_from, date_to=date_to
        )

    def amounts(*bounds: tuple[str, str]) -> TransactionFilters:
        return TransactionFilters(amounts=tuple(AmountBound(op, Decimal(v)) for op, v in bounds))

    woolworths = TransactionFilters(text="woolworths")
    return {
        "hot account, 3-month range": (lambda: hot_in(91), False),
        "hot account, 1-year range": (lambda: hot_in(365), False),
        "hot account, whole history": (lambda: TransactionFilters(account_id=hot), False),
        "quietest account, 3-month range": (lambda: hot_in(91, quiet), False),
        "quietest account, whole history": (lambda: TransactionFilters(account_id=quiet), False),
        "hot account + text 'woolworths', 1-year range": (hot_text, False),
        "text 'woolworths', whole history": (lambda: woolworths, False),
        "text 'woolworths', whole history, count=exact": (lambda: woolworths, True),
        "status pending (2% of entries)": (lambda: TransactionFilters(status="pending"), False),
        "tag 'food'": (lambda: TransactionFilters(tag="food"), False),
        "amount >= 5,000.00 (2%)": (lambda: amounts((">=", "5000")), False),
        "amount 40.00-41.00 (0.4%)": (lambda: amounts((">=", "40"), ("<=", "41")), False),
        "no filter, whole history": (lambda: TransactionFilters(), False),
        "date range, 1 month": (
            lambda: TransactionFilters(date_from=window(30)[0], date_to=window(30)[1]),
            False,
        ),
    }


def list_page(b: Bench) -> tuple[str, Callable[[Session, TransactionFilters, int, bool], Any]]:
    """What GET /api/v1/transactions runs: `transactions_query.list_window_rows` (has_more,
    `total` only where kept or asked for) where it exists, else, on older code,
    `transactions.list_rows` (always an exact total)."""
    window = getattr(transactions_query, "list_window_rows", None)
    if window is not None:
        return "list_window_rows", lambda s, f, p, exact: window(
            s, b.ctx, f, page=p, limit=50, exact=exact
        )
    rows = importlib.import_module("fiscus.ledger.transactions").list_rows
    return "list_rows (exact totals)", lambda s, f, p, _exact: rows(s, b.ctx, f, page=p, limit=50)


def bench_list(b: Bench, rng: random.Random, queries: int) -> None:
    name, read = list_page(b)
    backends = _backend_pids(b)
    print(f"transaction list page (50 rows, as GET /api/v1/transactions: {name})")
    print("  per case: wall p50/p95 per unit of work, then CPU per page: this process, PostgreSQL")
    for case, (make, exact) in list_cases(b, rng).items():
        b.run(lambda s, f=make(), e=exact: read(s, f, 1, e))  # warm: plan caches, pool
        calls = []
        for _ in range(queries):
            filters, page = make(), rng.choice((1, 1, 1, 2, 5))
            calls.append(lambda s, f=filters, p=page, e=exact: read(s, f, p, e))
        cpu, server = time.process_time(), _cpu(backends)
        series = b.timed(calls)
        cpu, server = time.process_time() - cpu, _cpu(backends) - server
        report(case, series, 50)
        app_ms, server_ms = cpu / queries * 1000, server / queries * 1000
        print(f"  {'':<52} CPU app {app_ms:6.2f} ms  PostgreSQL {server_ms:7.2f} ms")
    bench_cursor_pages(b, rng, queries)


def bench_cursor_pages(b: Bench, rng: random.Random, queries: int) -> None:
    """Page 5 of the text-filtered cases, read by `page=5` and by the cursor page 4 gave
    (`next_cursor`): the same 50 entries, in the same run. Walking to page 4 for the
    cursor is not timed; a client paging through the list has it from the page before."""
    if "after" not in inspect.signature(transactions_query.list_window_rows).parameters:
        return
    print("  page 5 by offset and by cursor (the same entries)")
    cases = list_cases(b, rng)
    for case in (
        "hot account + text 'woolworths', 1-year range",
        "text 'woolworths', whole history",
    ):
        make = cases[case][0]
        pages: list[tuple[TransactionFilters, Any]] = []
        for _ in range(queries):
            filters = make()
            after = None
            for _ in range(4):
                found = b.run(lambda s, f=filters, a=after: _window(b, s, f, 1, a))
                after = found.next_after
            pages.append((filters, after))
        by_offset = [lambda s, f=f: _window(b, s, f, 5, None) for f, _ in pages]
        by_cursor = [lambda s, f=f, a=a: _window(b, s, f, 1, a) for f, a in pages]
        first = b.run(by_offset[0]), b.run(by_cursor[0])
        assert first[0].items == first[1].items, "the cursor's page 5 is the offset's"
        report(f"{case}, page 5 by offset", b.timed(by_offset), 50)
        report(f"{case}, page 5 by cursor", b.timed(by_cursor), 50)


def _window(b: Bench, s: Session, f: TransactionFilters, page: int, after: Any) -> Any:
    return transactions_query.list_window_rows(s, b.ctx, f, page=page, limit=50, after=after)


def _backend_pids(b: Bench) -> set[int]:
    """The PostgreSQL backends of the bench's own pool (recorded as each connects; the
    pool is emptied first), for their CPU from /proc: the server is on this machine."""
    pids: set[int] = set()

    def remember(dbapi: Any, _record: Any) -> None:
        cursor = dbapi.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        pids.add(int(cursor.fetchone()[0]))
        cursor.close()
        if not dbapi.autocommit:
            dbapi.rollback()

    event.listen(b.engine, "connect", remember)
    b.engine.dispose()
    return pids


def _cpu(pids: set[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange(DAYS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000_000)
    parser.add_argument("--database", default="fiscus_bench")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--naive", type=int, default=20, help="naive SUMs timed")
    parser.add_argument("--list-queries", type=int, default=40, help="per list case")
    parser.add_argument("--only", choices=("balance", "trial", "list"))
    args = parser.parse_args()
    b = Bench(seed(args.postings, args.database))
    freeze_startup_heap()  # as a server process does once started (fiscus/core/heap.py)
    with b.engine.connect() as conn:
        server = conn.scalar(text("SHOW server_version"))
    print(f"PostgreSQL {server}, {args.postings:,} postings, app role with RLS")
    rng = random.Random(42)
    try:
        if args.only in (None, "balance"):
            bench_balance(b, rng, args.queries, args.naive)
        if args.only in (None, "trial"):
            bench_trial_balance(b, rng, max(20, args.queries // 10), max(2, args.naive // 4))
        if args.only in (None, "list"):
            bench_list(b, rng, args.list_queries)
    finally:
        b.engine.dispose()


if __name__ == "__main__":
    main()
