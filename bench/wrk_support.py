"""Shared helpers of the HTTP benchmarks: a real `fiscus serve` on PostgreSQL, and wrk.

The server runs as the app role (RLS on) against the bench database with N uvicorn
workers; wrk (Debian's `wrk`, written in C, so the load generator takes little of the
CPU it measures) drives it with a Lua script that adds the bearer token and reports
p50/p95/p99 from its full latency histogram.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FISCUS = str(ROOT / ".venv" / "bin" / "fiscus")
SECRET = "bench-" + "s" * 40

# wrk's done() hook: one JSON line with the figures wrk measured (latencies in µs).
REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int
    non2xx: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self, name: str) -> str:
        return (
            f"  {name:<58} {self.rate:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  "
            f"p95 {self.p95_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
            f"({self.requests:,} in {self.seconds:.0f} s, {self.errors} errors)"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`fiscus serve --workers N` on the bench database, for the length of a `with`."""

    def __init__(self, admin_url: str, app_url: str, workers: int) -> None:
        self.var_dir = tempfile.mkdtemp(prefix="fiscus-bench-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "FISCUS_DATABASE_URL": app_url,
            "FISCUS_DATABASE_ADMIN_URL": admin_url,
            "FISCUS_SECRET_KEY": SECRET,
            "FISCUS_VAR_DIR": self.var_dir,
            "FISCUS_LOG_LEVEL": "WARNING",
        }
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        command = [FISCUS, "serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(200):
            try:
                if httpx.get(f"{self.base}/health").status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.__exit__()
        raise SystemExit("server did not start")

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.var_dir, ignore_errors=True)

    def login(self, email: str, password: str) -> str:
        body = {"email": email, "password": password}
        response = httpx.post(f"{self.base}/api/v1/auth/login", json=body, timeout=30)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def register(self, email: str, password: str) -> str:
        body = {"email": email, "password": password, "name": "Bench writer"}
        response = httpx.post(f"{self.base}/api/v1/auth/register", json=body, timeout=30)
        response.raise_for_status()
        return str(response.json()["access_token"])


def wrk(url: str, lua: str, *, seconds: int, connections: int, threads: int = 2) -> WrkResult:
    """Run wrk with this Lua (plus the report hook) and return what it measured."""
    program = shutil.which("wrk")
    if program is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + REPORT_LUA)
    try:
        out = subprocess.run(
            [
                program,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    data = json.loads(line.removeprefix("WRK "))
    return WrkResult(
        data["requests"],
        data["seconds"],
        data["errors"],
        data["non2xx"],
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
    )


def bearer_lua(token: str, method: str = "GET") -> str:
    return f'wrk.method = "{method}"\nwrk.headers["Authorization"] = "Bearer {token}"\n'
