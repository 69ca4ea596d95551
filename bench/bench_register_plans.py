"""PostgreSQL's CPU per account-register unit of work: the portable statement (`EXISTS`,
planned for each request) against PostgreSQL's own (`ledger/register_pg.py`, on its
generic plan), in the same run, for the hot, a median and the quietest account.

On the seeded `fiscus_bench` (`bench/seed_ledger.py`), as the app role (RLS on), one
asyncio connection set up as the app's pool sets its own (`db/pipelined._in_utc`). Each
unit is what `GET /api/v1/transactions?account_id=…&date_from=…&date_to=…` sends: BEGIN,
the scope, a 3-month page of 51 entries with their postings, the kept count, COMMIT,
over random ranges (the same for both statements). Both must return the same rows
(asserted per unit); then rounds alternate between them and the best round's CPU per
unit is printed, of the connection's PostgreSQL backend (`/proc`) and of this process.

    PYTHONPATH=. .venv/bin/python bench/bench_register_plans.py [--units 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
from bench.seed_ledger import seed

from fiscus.db.pipeline_wire import sent
from fiscus.db.pipelined import _conninfo, _in_utc, _unit
from fiscus.ledger.repository_transactions import TransactionFilters
from fiscus.ledger.transactions_query import register_reads

TICKS = os.sysconf("SC_CLK_TCK")
FIRST, DAYS = date(2016, 1, 1), 3560


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def units(tenant: uuid.UUID, account: uuid.UUID, n: int, portable: bool) -> list[list[Any]]:
    """`n` register units over random 3-month ranges; `portable` drops PostgreSQL's own
    statement, as the code before it sent."""
    rng = random.Random(7)
    made = []
    for _ in range(n):
        start = FIRST + timedelta(days=rng.randrange(DAYS))
        window = TransactionFilters(
            account_id=account, date_from=start, date_to=start + timedelta(days=91)
        )
        reads = register_reads(tenant, account, window, page=1, limit=50)
        if portable:
            reads = [
                dataclasses.replace(r, postgresql=None, generic=False, binary=False) for r in reads
            ]
        made.append(_unit(reads, tenant, None))
    return made


async def cpu_per_unit(conn: Any, pid: int, batch: list[list[Any]]) -> tuple[float, float]:
    server, client = backend_cpu(pid), time.process_time()
    for unit in batch:
        await sent(conn, unit)
    n = len(batch)
    return (backend_cpu(pid) - server) / n * 1e3, (time.process_time() - client) / n * 1e3


async def compare(
    app_url: str, tenant: uuid.UUID, name: str, account: uuid.UUID, args: Any
) -> None:
    conninfo = _conninfo(app_url)
    ways = {"portable": True, "PostgreSQL's own": False}
    batches = {way: units(tenant, account, args.units, p) for way, p in ways.items()}
    async with await psycopg.AsyncConnection.connect(
        conninfo, autocommit=True, prepare_threshold=None
    ) as conn:
        await _in_utc(conn)
        pid = conn.info.backend_pid
        for old, new in zip(*batches.values(), strict=True):
            assert (await sent(conn, old))[2:] == (await sent(conn, new))[2:], name
        best = {way: (float("inf"), float("inf")) for way in ways}
        for _ in range(args.rounds):
            for way, batch in batches.items():
                best[way] = min(best[way], await cpu_per_unit(conn, pid, batch))
    (old_db, old_app), (new_db, new_app) = best.values()
    print(f"{name}: CPU per unit, best of {args.rounds} rounds of {args.units}")
    print(
        f"  PostgreSQL  portable {old_db:6.2f} ms   own {new_db:6.2f} ms   "
        f"ratio {old_db / new_db:5.2f}x"
    )
    print(f"  client      portable {old_app:6.2f} ms   own {new_app:6.2f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postings", type=int, default=10_000_000)
    args = parser.parse_args()
    found = seed(args.postings)
    async with await psycopg.AsyncConnection.connect(
        _conninfo(found.app_url), autocommit=True
    ) as conn:
        await conn.execute("SELECT set_config('app.tenant_id', %s, false)", [str(found.tenant_id)])
        cursor = await conn.execute(
            "SELECT account_id FROM balance_month GROUP BY account_id ORDER BY sum(entries) DESC"
        )
        ranked = [row[0] for row in await cursor.fetchall()]
    accounts = {
        "hot account": found.hot_account_id,
        "median account": ranked[len(ranked) // 2],
        "quietest account": ranked[-1],
    }
    for name, account in accounts.items():
        await compare(found.app_url, found.tenant_id, name, account, args)


if __name__ == "__main__":
    asyncio.run(main())
