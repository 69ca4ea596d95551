"""Creating transactions through the API, sustained, on PostgreSQL; then balances checked.

Starts `fiscus serve --workers N` on the bench database (`bench/seed_ledger.py`; the
writes go to a new tenant registered over HTTP, so the tables and their indexes are at
full size but the seeded tenant is left as it was), creates a small chart over HTTP, then
wrk POSTs simple-form transactions (expense, income and transfer in turn, random amounts
and dates) from C connections for D seconds. Afterwards, as the owner, it checks that
every entry balances, that every day and month snapshot row equals the GROUP BY of the
postings it stands for, that each account's balance from the snapshots equals a naive
SUM, and that the tenant's audit chain verifies.

    .venv/bin/python bench/bench_api_writes.py [--seconds 30] [--connections 8] [--workers 2]
        [--batch 100]

Around each wrk run it reads the CPU time (/proc utime+stime) of the server's processes
and of the bench database's PostgreSQL backends: on a shared machine the CPU each request
costs says more than a rate that a neighbour's load can halve. `--batch N` adds a run of
`POST /api/v1/transactions/batch` with N entries per request (an extra: the target is
about single POSTs).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from bench.seed_ledger import seed
from bench.wrk_support import Server, wrk
from sqlalchemy import text

from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.ledger.repository_balances import BalanceRepository

WRITE_LUA = """
local token = "{token}"
local everyday, groceries, salary, savings = "{everyday}", "{groceries}", "{salary}", "{savings}"
local counter = 0
math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
request = function()
  counter = counter + 1
  local kind = counter % 3
  local day = string.format("2026-%02d-%02d", math.random(1, 12), math.random(1, 28))
  local amount = string.format("%d.%02d", math.random(1, 400), math.random(0, 99))
  local body
  if kind == 0 then
    body = '{{"type": "expense", "date": "' .. day .. '", "description": "Groceries", '
      .. '"payee": "Coles", "amount": "' .. amount .. '", "account_id": "' .. everyday
      .. '", "category_id": "' .. groceries .. '", "status": "cleared"}}'
  elseif kind == 1 then
    body = '{{"type": "income", "date": "' .. day .. '", "description": "Salary", '
      .. '"amount": "' .. amount .. '", "account_id": "' .. everyday
      .. '", "category_id": "' .. salary .. '"}}'
  else
    body = '{{"type": "transfer", "date": "' .. day .. '", "description": "Saving", '
      .. '"amount": "' .. amount .. '", "account_id": "' .. everyday
      .. '", "transfer_account_id": "' .. savings .. '"}}'
  end
  return wrk.format("POST", "/api/v1/transactions",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}}, body)
end
"""

# The batch route: `{size}` simple-form entries per POST (the same three shapes in turn).
BATCH_LUA = """
local token = "{token}"
local everyday, groceries, salary, savings = "{everyday}", "{groceries}", "{salary}", "{savings}"
math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
request = function()
  local entries = {{}}
  for i = 1, {size} do
    local day = string.format("2026-%02d-%02d", math.random(1, 12), math.random(1, 28))
    local amount = string.format("%d.%02d", math.random(1, 400), math.random(0, 99))
    local kind = i % 3
    local tail
    if kind == 0 then
      tail = '"type": "expense", "category_id": "' .. groceries .. '"'
    elseif kind == 1 then
      tail = '"type": "income", "category_id": "' .. salary .. '"'
    else
      tail = '"type": "transfer", "transfer_account_id": "' .. savings .. '"'
    end
    entries[i] = '{{"date": "' .. day .. '", "description": "Batch", "amount": "' .. amount
      .. '", "account_id": "' .. everyday .. '", ' .. tail .. '}}'
  end
  local body = '{{"entries": [' .. table.concat(entries, ",") .. ']}}'
  return wrk.format("POST", "/api/v1/transactions/batch",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}}, body)
end
"""

CHECKS = {
    "entries that do not balance": """
        SELECT count(*) FROM (SELECT transaction_id FROM posting WHERE tenant_id = :t
        GROUP BY transaction_id HAVING sum(amount) <> 0) x""",
    "day snapshot rows that differ from their postings": """
        SELECT count(*) FROM (SELECT p.account_id, p.occurred_on AS day, sum(p.amount) AS delta
        FROM posting p JOIN ledger_transaction x ON x.id = p.transaction_id
        WHERE p.tenant_id = :t AND x.deleted_at IS NULL GROUP BY 1, 2) p
        FULL JOIN (SELECT * FROM balance_day WHERE tenant_id = :t AND delta <> 0) d
        USING (account_id, day) WHERE p.delta IS DISTINCT FROM d.delta""",
    "month snapshot rows that differ from their postings": """
        SELECT count(*) FROM (SELECT p.account_id,
        date_trunc('month', p.occurred_on)::date AS month, sum(p.amount) AS delta
        FROM posting p JOIN ledger_transaction x ON x.id = p.transaction_id
        WHERE p.tenant_id = :t AND x.deleted_at IS NULL GROUP BY 1, 2) p
        FULL JOIN (SELECT * FROM balance_month WHERE tenant_id = :t AND delta <> 0) m
        USING (account_id, month) WHERE p.delta IS DISTINCT FROM m.delta""",
}


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the uvicorn supervisor and its workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in process_tree(int(child)))]


def backends(admin_url: str, database: str) -> list[int]:
    owner = make_engine(admin_url, pool_size=1)
    with owner.connect() as conn:
        pids = conn.scalars(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
            ),
            {"d": database},
        ).all()
    owner.dispose()
    return [int(pid) for pid in pids]


@dataclass
class CpuUse:
    app: float = 0.0  # seconds of CPU of the server's processes during the run
    database: float = 0.0  # ... and of the PostgreSQL backends of the bench database
    load: str = ""

    def per_request(self, requests: int) -> str:
        n = max(requests, 1)
        return (
            f"  CPU per request: app {1000 * self.app / n:.2f} ms, PostgreSQL "
            f"{1000 * self.database / n:.2f} ms (load average during the run: {self.load})"
        )


@contextmanager
def cpu_accounting(server_pid: int, admin_url: str, database: str) -> Iterator[CpuUse]:
    """CPU of the app processes and of the database's backends over the `with` (the
    machine is shared: CPU per request says more than a rate a neighbour can halve).
    Backends that connect during the run count whole: they started inside it."""
    use = CpuUse()
    app_pids, pg_pids = process_tree(server_pid), backends(admin_url, database)
    app_before = {pid: cpu_seconds(pid) for pid in app_pids}
    pg_before = {pid: cpu_seconds(pid) for pid in pg_pids}
    yield use
    use.app = sum(cpu_seconds(pid) - app_before.get(pid, 0.0) for pid in process_tree(server_pid))
    use.database = sum(
        cpu_seconds(pid) - pg_before.get(pid, 0.0) for pid in backends(admin_url, database)
    )
    use.load = " ".join(Path("/proc/loadavg").read_text().split()[:3])


def chart(server: Server, token: str) -> dict[str, str]:
    auth = {"Authorization": f"Bearer {token}"}
    ids = {}
    for key, body in {
        "everyday": {"name": "Everyday", "type": "asset", "subtype": "checking"},
        "savings": {"name": "Savings", "type": "asset", "subtype": "savings"},
        "groceries": {"name": "Groceries", "type": "expense"},
        "salary": {"name": "Salary", "type": "income"},
    }.items():
        response = httpx.post(f"{server.base}/api/v1/accounts", json=body, headers=auth)
        response.raise_for_status()
        ids[key] = response.json()["id"]
    return ids


def verify(admin_url: str, app_url: str, tenant_id: uuid.UUID, accounts: list[str]) -> int:
    """Raise unless the books are exact; return the number of transactions stored."""
    owner = make_engine(admin_url, pool_size=1)
    with owner.connect() as conn:
        stored = int(
            conn.scalar(
                text("SELECT count(*) FROM ledger_transaction WHERE tenant_id = :t"),
                {"t": tenant_id},
            )
            or 0
        )
        for what, query in CHECKS.items():
            bad = conn.scalar(text(query), {"t": tenant_id})
            print(f"  {what}: {bad}")
            assert bad == 0, what
        naive = dict(
            conn.execute(
                text("SELECT account_id, sum(amount) FROM posting WHERE tenant_id = :t GROUP BY 1"),
                {"t": tenant_id},
            ).all()
        )
    owner.dispose()
    engine = make_engine(app_url, pool_size=1)
    with unit_of_work(make_session_factory(engine), read_only=True) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        repo = BalanceRepository(session, tenant_id)
        for account in accounts:
            account_id = uuid.UUID(account)
            fast = repo.raw_balance(account_id, date(2026, 12, 31))
            assert fast == naive.get(account_id, 0), (account, fast, naive.get(account_id))
    engine.dispose()
    print(f"  every account's balance from the snapshots equals the naive SUM ({len(accounts)})")
    return stored


def tenant_of(server: Server, token: str) -> uuid.UUID:
    me = httpx.get(f"{server.base}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    me.raise_for_status()
    body = me.json()
    return uuid.UUID(body.get("tenant_id") or body["tenant"]["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000_000)
    parser.add_argument("--database", default="fiscus_bench")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--batch", type=int, default=0, help="also POST /transactions/batch of this many entries"
    )
    args = parser.parse_args()
    found = seed(args.postings, args.database)
    server = Server(found.admin_url, found.app_url, args.workers)
    runs: dict[str, Any] = {}
    try:
        with server:
            measure(server, found.admin_url, args, runs)
    except subprocess.TimeoutExpired:
        # A loaded machine can take longer than wrk_support's 20 s to stop the workers
        # (the figures are printed already): stop them now, then check the books.
        assert server.process is not None
        for pid in reversed(process_tree(server.process.pid)):
            os.kill(pid, signal.SIGKILL)
    stored = verify(found.admin_url, found.app_url, runs["tenant_id"], list(runs["ids"].values()))
    answered = runs["answered"]
    print(
        f"  transactions stored {stored:,}; answered 201 {answered:,} (in flight at the end: "
        f"{stored - answered})"
    )
    audit = subprocess.run(
        [".venv/bin/fiscus", "audit", "verify", "--tenant", str(runs["tenant_id"])],
        env=server.env,
        capture_output=True,
        text=True,
    )
    print(f"  audit chain: {audit.stdout.strip() or audit.stderr.strip()}")


def measure(server: Server, admin_url: str, args: argparse.Namespace, runs: dict[str, Any]) -> None:
    """The wrk runs, printed as they end; `runs` gets what the checks afterwards need."""
    token = server.register(f"writer-{uuid.uuid4().hex[:8]}@example.com", "a bench passphrase")
    runs["tenant_id"] = tenant_of(server, token)
    runs["ids"] = ids = chart(server, token)
    print(
        f"POST /api/v1/transactions: {args.connections} connections, {args.seconds} s, "
        f"{args.workers} uvicorn workers, {args.postings:,} postings already in the tables"
    )
    lua = WRITE_LUA.format(token=token, **ids)
    # The warm-up fills both workers' connection pools, so the run's backends exist when
    # the CPU accounting starts.
    warm = wrk(server.base, lua, seconds=3, connections=args.connections)
    assert server.process is not None
    with cpu_accounting(server.process.pid, admin_url, args.database) as cpu:
        result = wrk(server.base, lua, seconds=args.seconds, connections=args.connections)
    print(result.line("POST /api/v1/transactions (simple form)"))
    print(cpu.per_request(result.requests))
    runs["answered"] = warm.requests + result.requests - warm.non2xx - result.non2xx
    if not args.batch:
        return
    batch_lua = BATCH_LUA.format(token=token, size=args.batch, **ids)
    with cpu_accounting(server.process.pid, admin_url, args.database) as batch_cpu:
        batched = wrk(server.base, batch_lua, seconds=args.seconds, connections=args.connections)
    entries = (batched.requests - batched.non2xx) * args.batch
    print(batched.line(f"POST /api/v1/transactions/batch ({args.batch} entries)"))
    print(f"  = {entries / batched.seconds:,.0f} entries/s")
    print(batch_cpu.per_request(entries).replace("per request", "per entry"))
    runs["answered"] += entries


if __name__ == "__main__":
    main()
