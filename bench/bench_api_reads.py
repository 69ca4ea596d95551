"""Authenticated API reads at scale on PostgreSQL, driven by wrk on the same machine.

Starts `fiscus serve --workers N` on the bench database (`bench/seed_ledger.py`: 10M
postings, 2M on the hot account), logs in as the seeded tenant's owner over HTTP, then
for each endpoint runs wrk for D seconds with C connections (a Lua script adds the bearer
token and picks a random date or account per request) and prints req/s and p50/p95/p99.
`GET /health` (no auth, no database) is the in-run baseline.

    .venv/bin/python bench/bench_api_reads.py [--seconds 20] [--connections 16] [--workers 2]
"""

from __future__ import annotations

import argparse
import os

import httpx
from bench.seed_ledger import seed
from bench.wrk_support import Server, bearer_lua, wrk

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


def random_path_lua(template: str, accounts: list[str], args: str) -> str:
    listed = ", ".join(f'"{a}"' for a in accounts)
    return RANDOM_PATH_LUA.format(accounts=listed, template=template, args=args)


def endpoints(hot: str, everyone: list[str]) -> dict[str, tuple[str, str]]:
    """name: (path for wrk's URL, Lua that picks the request; empty for a fixed path)."""
    balance = "/api/v1/accounts/%s/balance?date=%s"
    return {
        "GET /api/v1/accounts/{hot}/balance?date=<random>": (
            "/",
            random_path_lua(balance, [hot], "account, day()"),
        ),
        f"GET /api/v1/accounts/{{any of {len(everyone)}}}/balance?date=<random>": (
            "/",
            random_path_lua(balance, everyone, "account, day()"),
        ),
        f"GET /api/v1/accounts ({len(everyone)} accounts)": ("/api/v1/accounts", ""),
        "GET /api/v1/transactions?account_id={hot}&<3-month range>": (
            "/",
            TXN_LUA.format(hot=hot),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000_000)
    parser.add_argument("--database", default="fiscus_bench")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
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
        runs |= {name: (path, lua) for name, (path, lua) in endpoints(hot, everyone).items()}
        for name, (path, lua) in runs.items():
            script = "" if lua is None else bearer_lua(token) + lua
            result = wrk(
                server.base + path, script, seconds=args.seconds, connections=args.connections
            )
            print(result.line(name), flush=True)


if __name__ == "__main__":
    main()
