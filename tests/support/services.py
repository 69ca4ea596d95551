"""Whether PostgreSQL, Redis and Chromium are reachable; skip or (in CI) fail when not."""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache

import pytest

PG_ADMIN_URL = os.environ.get(
    "FISCUS_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("FISCUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("FISCUS_TEST_CHROMIUM", "/usr/bin/chromium")


@cache
def _available(name: str) -> str | None:
    """None when available, otherwise why not."""
    if name == "postgres":
        return _probe_postgres()
    if name == "redis":
        return _probe_port("127.0.0.1", 6379)
    if name == "chromium":
        return None if shutil.which(CHROMIUM) else f"{CHROMIUM} not found"
    raise ValueError(name)


def _probe_port(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=1):
            return None
    except OSError as exc:
        return f"{host}:{port} unreachable ({exc})"


def _probe_postgres() -> str | None:
    import psycopg

    try:
        url = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, connect_timeout=2):
            return None
    except Exception as exc:
        return f"PostgreSQL unreachable ({type(exc).__name__})"


def require_service(name: str) -> None:
    reason = _available(name)
    if reason is None:
        return
    if os.environ.get("FISCUS_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required (FISCUS_REQUIRE_SERVICES=1): {reason}")
    pytest.skip(f"{name} not available: {reason}")
