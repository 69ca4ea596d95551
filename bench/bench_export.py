"""Transaction export at 100,000 entries on PostgreSQL: time, peak Python memory, file size.

Seeds (once) `fiscus_bench_export` with 200,000 postings = 100,000 two-leg entries over ten
years through `bench/seed_ledger.py`, then runs the export use case
(`fiscus.imports.export.export_transactions`, the body of
`GET /api/v1/exports/transactions`) for every entry as CSV and XLSX, and as an OFX
statement of the everyday account (two entries in five). Each is timed `--runs` times
(median wall time, and this process's CPU time, which a busy machine disturbs less), then
run once more under tracemalloc for the peak of Python allocations (what the export holds
at once, not the process RSS); the size of the file is printed too.

    .venv/bin/python bench/bench_export.py [--postings 200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from datetime import date

from bench.seed_ledger import ORIGIN, seed
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope, make_engine, make_session_factory, open_session
from fiscus.imports import export
from fiscus.ledger.export_rows import ExportQuery

CPU_SECONDS: list[float] = []  # this process's CPU per export (the machine is shared)


def run(
    factory: sessionmaker[Session],
    ctx: TenantContext,
    format: str,
    query: ExportQuery,
    *,
    trace: bool,
) -> tuple[float, int, int]:
    """One export in its own read-only unit of work: (seconds, peak traced bytes, size).
    Timed runs are untraced (tracemalloc slows allocation-heavy code several times)."""
    session = open_session(factory, read_only=True)
    bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        file = export.export_transactions(
            session, ctx, query=query, format=format, today=date(2026, 12, 1)
        )
        seconds = time.perf_counter() - started
        CPU_SECONDS.append(time.process_time() - cpu)
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        file.file.close()
        return seconds, peak, file.size
    finally:
        if trace:
            tracemalloc.stop()
        session.rollback()
        session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    seeded = seed(args.postings, database="fiscus_bench_export")
    engine = make_engine(seeded.app_url, pool_size=1)
    factory = make_session_factory(engine)
    ctx = TenantContext(seeded.tenant_id, seeded.user_id, "owner", ORIGIN)
    cases = {
        "csv, all entries": ("csv", ExportQuery()),
        "xlsx, all entries": ("xlsx", ExportQuery()),
        "ofx, everyday account": ("ofx", ExportQuery(account_id=seeded.hot_account_id)),
    }
    try:
        for name, (format, query) in cases.items():
            CPU_SECONDS.clear()
            seconds = [run(factory, ctx, format, query, trace=False)[0] for _ in range(args.runs)]
            cpu = statistics.median(CPU_SECONDS)
            _, peak, size = run(factory, ctx, format, query, trace=True)
            print(
                f"{name:24s} median {statistics.median(seconds):6.2f} s"
                f" (min {min(seconds):.2f}, max {max(seconds):.2f}), app CPU {cpu:5.2f} s"
                f"  peak Python memory {peak / 2**20:6.1f} MiB  file {size / 2**20:6.1f} MiB",
                flush=True,
            )
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
