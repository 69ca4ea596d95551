"""Authenticated API reads at scale on PostgreSQL, driven by wrk on the same machine.

Starts `fiscus serve --workers N` on the bench database (`bench/seed_ledger.py`: 10M
postings, 2M on the hot account), logs in as the seeded tenant's owner over HTTP, then
for each endpoint runs wrk for D seconds with C connections (a Lua script adds the bearer
token and picks a random date or account per request) and prints req/s and p50/p95/p99.
`GET /health` (no auth, no database) is the in-run baseline.

Each run also prints the CPU time it cost per request, from `/proc` accounting (utime +
stime) of the uvicorn workers, of the PostgreSQL backends serving them and of wrk: on a
machine shared with other work, req/s and latency move with the load, CPU per request
much less, and two cores sustain at most about 2,000 / (ms of CPU per request) req/s.

    .venv/bin/python bench/bench_api_reads.py [--seconds 20] [--connections 16] [--workers 2]
        [--only balance|accounts|list|search]
"""

from __future__ import annotations

import argparse
import os
import resource
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench.seed_ledger import APP_ROLE, seed
from bench.wrk_support import Server, WrkResult, bearer_lua, wrk
from sqlalchemy import text

from fiscus.db.session import make_engine

TICKS = os.sysconf("SC_CLK_TCK")

RANDOM_PATH_LUA = """
local accounts = {{{accounts}}}
math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
local function day()
  return string.format("%d-%02d-%02d", math.random(2016, 2025), math.random(1, 12),
    math.random(1, 28))
end
request = function()
  local account = accounts[math.random(#accounts)]
  local path = string.format("{template}", {args})
  return wrk.format(nil, path)
end
"""

TXN_LUA = """
local hot = "{hot}"
math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
request = function()
  local year, month = math.random(2016, 2025), math.random(1, 9)
  local path = string.format(
    "/api/v1/transactions?account_id=%s&date_from=%d-%02d-01&date_to=%d-%02d-28&limit=50",
    hot, year, month, year, month + 3)
  return wrk.format(nil, path)
end
"""


TEXT_LUA = """
local words = {"woolworths", "netflix", "qantas", "rent", "coffee"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local path = "/api/v1/transactions?limit=50&q=" .. words[math.random(#words)]
  return wrk.format(nil, path)
end
"""


def process_cpu(pid: int) -> float:
    """utime + stime of a process (all its threads) in seconds; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text_ = (task / "children").read_text().split()
        found.extend(int(x) for x in text_)
    return found


@dataclass(frozen=True, slots=True)
class CpuUse:
    app_ms: float
    db_ms: float
    wrk_ms: float

    def line(self) -> str:
        total = self.app_ms + self.db_ms + self.wrk_ms
        cores = os.cpu_count() or 1
        return (
            f"    CPU per request: app {self.app_ms:.2f} ms + PostgreSQL {self.db_ms:.2f} ms"
            f" + wrk {self.wrk_ms:.2f} ms = {total:.2f} ms"
            f" (ceiling on {cores} idle cores: {1000 * cores / max(total, 1e-9):,.0f} req/s)"
        )


class CpuMeter:
    """CPU seconds of the server's workers, their PostgreSQL backends and wrk."""

    def __init__(self, server_pid: int, admin_url: str, database: str) -> None:
        self.server_pid = server_pid
        self.admin = make_engine(admin_url, pool_size=1)
        self.database = database

    def backends(self) -> list[int]:
        query = text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND usename = :u")
        with self.admin.connect() as conn:
            return list(conn.scalars(query, {"d": self.database, "u": APP_ROLE}))

    def measure(self, run: Callable[[], WrkResult]) -> tuple[WrkResult, CpuUse]:
        workers, backends = children(self.server_pid), self.backends()
        app0 = {p: process_cpu(p) for p in workers}
        db0 = {p: process_cpu(p) for p in backends}
        wrk0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run()
        wrk1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        app = sum(process_cpu(p) - app0.get(p, 0.0) for p in {*workers, *children(self.server_pid)})
        db = sum(process_cpu(p) - db0.get(p, 0.0) for p in {*backends, *self.backends()})
        wrk_s = (wrk1.ru_utime + wrk1.ru_stime) - (wrk0.ru_utime + wrk0.ru_stime)
        n = max(result.requests, 1)
        return result, CpuUse(1000 * app / n, 1000 * db / n, 1000 * wrk_s / n)

    def close(self) -> None:
        self.admin.dispose()


def random_path_lua(template: str, accounts: list[str], args: str) -> str:
    listed = ", ".join(f'"{a}"' for a in accounts)
    return RANDOM_PATH_LUA.format(accounts=listed, template=template, args=args)


def endpoints(hot: str, everyone: list[str]) -> dict[str, tuple[str, str, str]]:
    """name: (group for --only, path for wrk's URL, Lua that picks the request; empty for
    a fixed path)."""
    balance = "/api/v1/accounts/%s/balance?date=%s"
    return {
        "GET /api/v1/accounts/{hot}/balance?date=<random>": (
            "balance",
            "/",
            random_path_lua(balance, [hot], "account, day()"),
        ),
        f"GET /api/v1/accounts/{{any of {len(everyone)}}}/balance?date=<random>": (
            "balance",
            "/",
            random_path_lua(balance, everyone, "account, day()"),
        ),
        f"GET /api/v1/accounts ({len(everyone)} accounts)": ("accounts", "/api/v1/accounts", ""),
        "GET /api/v1/transactions?account_id={hot}&<3-month range>": (
            "list",
            "/",
            TXN_LUA.format(hot=hot),
        ),
        "GET /api/v1/transactions?q=<one of 5 words> (whole history)": ("search", "/", TEXT_LUA),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000_000)
    parser.add_argument("--database", default="fiscus_bench")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("balance", "accounts", "list", "search"))
    args = parser.parse_args()
    found = seed(args.postings, args.database)
    with Server(found.admin_url, found.app_url, args.workers) as server:
        token = server.login(found.email, found.password)
        auth = {"Authorization": f"Bearer {token}"}
        listed = httpx.get(f"{server.base}/api/v1/accounts", headers=auth).json()
        hot = str(found.hot_account_id)
        everyone = [hot] + [a["id"] for a in listed if a["id"] != hot]
        print(
            f"{args.workers} uvicorn workers, wrk 2 threads x {args.connections} connections, "
            f"{args.seconds} s each, {os.cpu_count()} cores shared by server, PostgreSQL and wrk"
        )
        wrk(server.base + "/health", "", seconds=3, connections=args.connections)  # warm-up
        runs = {"GET /health (baseline: no auth, no database)": ("/health", None)}
        runs |= {
            name: (path, lua)
            for name, (group, path, lua) in endpoints(hot, everyone).items()
            # the text search is opt-in: each request counts ~60k matches (seconds), see
            # docs/performance.md, and would outlast the server's shutdown wait
            if args.only == group or (args.only is None and group != "search")
        }
        assert server.process is not None
        meter = CpuMeter(server.process.pid, found.admin_url, args.database)
        try:
            for name, (path, lua) in runs.items():
                script = "" if lua is None else bearer_lua(token) + lua
                url = server.base + path
                if lua is not None:  # warm the pool and the plans of this endpoint
                    wrk(url, script, seconds=2, connections=args.connections)
                result, cpu = meter.measure(
                    lambda url=url, script=script: wrk(
                        url, script, seconds=args.seconds, connections=args.connections
                    )
                )
                print(result.line(name), flush=True)
                print(cpu.line(), flush=True)
        finally:
            meter.close()


if __name__ == "__main__":
    main()
