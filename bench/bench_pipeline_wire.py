"""Client CPU of one pipelined unit of work: `db/pipeline_wire.sent` (one flush) against
psycopg's own pipeline (a flush and an event-loop wait per statement), in the same run.

On the seeded `fiscus_bench` (`bench/seed_ledger.py`), one asyncio connection as the
superuser: the hot account's register unit (BEGIN, scope, a 3-month page of 51 entries
with their postings, the kept count, COMMIT) and a four-statement unit (BEGIN, scope,
the count, COMMIT). Both ways must return the same rows (asserted); then each is timed
in alternated rounds, and the best round's CPU per unit (`time.process_time`, this
process only) is printed with the ratio.

    PYTHONPATH=. .venv/bin/python bench/bench_pipeline_wire.py [--units 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import psycopg

from fiscus.db.pipeline_wire import Rows, Statement, sent
from fiscus.db.pipelined import _unit
from fiscus.ledger.repository_transactions import TransactionFilters
from fiscus.ledger.transactions_query import register_reads

CONNINFO = "dbname=fiscus_bench user=postgres host=127.0.0.1"
Sender = Callable[[psycopg.AsyncConnection[Any], list[Statement]], Awaitable[list[Rows]]]


async def psycopg_pipeline(
    conn: psycopg.AsyncConnection[Any], statements: list[Statement]
) -> list[Rows]:
    """The baseline: what `db/pipelined.py` sent before `pipeline_wire`."""
    async with conn.pipeline():
        cursors = [
            await conn.execute(sql, p, prepare=prep, binary=binary)
            for sql, p, prep, binary in statements
        ]
    return [await cursor.fetchall() if cursor.description else [] for cursor in cursors]


async def cpu_per_unit(
    send: Sender, conn: psycopg.AsyncConnection[Any], unit: list[Statement], n: int
) -> float:
    started = time.process_time()
    for _ in range(n):
        await send(conn, unit)
    return (time.process_time() - started) / n * 1e6


async def compare(name: str, unit: list[Statement], units: int, rounds: int) -> None:
    # A connection per way: each prepares its statements under its own names.
    async with (
        await psycopg.AsyncConnection.connect(CONNINFO, autocommit=True) as old,
        await psycopg.AsyncConnection.connect(
            CONNINFO, autocommit=True, prepare_threshold=None
        ) as new,
    ):
        assert await psycopg_pipeline(old, unit) == await sent(new, unit), name
        best = {"psycopg pipeline": float("inf"), "one flush": float("inf")}
        for _ in range(rounds):
            best["psycopg pipeline"] = min(
                best["psycopg pipeline"], await cpu_per_unit(psycopg_pipeline, old, unit, units)
            )
            best["one flush"] = min(best["one flush"], await cpu_per_unit(sent, new, unit, units))
    base, ours = best["psycopg pipeline"], best["one flush"]
    print(f"{name} ({len(unit)} statements), client CPU per unit, best of {rounds} rounds:")
    print(
        f"  psycopg pipeline {base:8.1f} µs   one flush {ours:8.1f} µs   ratio {base / ours:.2f}x"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    async with await psycopg.AsyncConnection.connect(CONNINFO, autocommit=True) as conn:
        cursor = await conn.execute("SELECT tenant_id, hot_account_id FROM bench.seed")
        found = await cursor.fetchone()
    if found is None:
        raise SystemExit("fiscus_bench is not seeded: run bench/seed_ledger.py")
    tenant, hot = found
    window = TransactionFilters(
        account_id=hot, date_from=date(2020, 1, 1), date_to=date(2020, 4, 1)
    )
    page, count = register_reads(tenant, hot, window, page=1, limit=50)
    await compare("register page", _unit([page, count], tenant, None), args.units, args.rounds)
    await compare("kept count only", _unit([count], tenant, None), args.units, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
