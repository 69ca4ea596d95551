"""Throughput of an authenticated API read, against /health as the in-run baseline.

Starts `fiscus serve` on a throw-away SQLite database (or on PostgreSQL with
`--postgres ADMIN_URL APP_URL` of an empty, migrated-by-us database), registers a user,
then sends a bounded number of requests from a thread pool and prints requests/second,
p50/p95 latency and the ratio to the baseline. The load generator shares the machine.

    .venv/bin/python bench/bench_api.py [--requests 3000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FISCUS = str(ROOT / ".venv" / "bin" / "fiscus")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    subprocess.run([FISCUS, "migrate"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [FISCUS, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("server did not start")


def measure(
    url: str, headers: dict[str, str], requests: int, concurrency: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []

    def worker(count: int) -> None:
        with httpx.Client(headers=headers) as client:
            for _ in range(count):
                started = time.perf_counter()
                response = client.get(url)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text

    share = requests // concurrency
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, [share] * concurrency))
    elapsed = time.perf_counter() - started
    return share * concurrency / elapsed, latencies


def report(name: str, rate: float, latencies: list[float]) -> None:
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<46} {rate:8.0f} req/s   "
        f"p50 {cuts[49] * 1000:6.1f} ms   p95 {cuts[94] * 1000:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        env = {**os.environ, "FISCUS_VAR_DIR": var_dir, "FISCUS_LOG_LEVEL": "WARNING"}
        port = free_port()
        server = start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            body = {"email": "bench@example.com", "password": "a bench passphrase", "name": "B"}
            token = httpx.post(f"{base}/api/v1/auth/register", json=body).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            measure(f"{base}/health", {}, 200, args.concurrency)  # warm-up
            health_rate, health_lat = measure(f"{base}/health", {}, args.requests, args.concurrency)
            jobs_rate, jobs_lat = measure(
                f"{base}/api/v1/jobs", auth, args.requests, args.concurrency
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        "SQLite, 1 uvicorn process"
    )
    report("GET /health (baseline)", health_rate, health_lat)
    report("GET /api/v1/jobs (JWT + RLS scope + 3 reads)", jobs_rate, jobs_lat)
    print(f"authenticated read / baseline: {jobs_rate / health_rate:.2f}")


if __name__ == "__main__":
    main()
