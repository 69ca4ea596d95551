"""Brute-force protection for logins: failed attempts per e-mail and per IP address.

Fixed one-window counters. With `FISCUS_REDIS_URL` they live in Redis, shared by every
process; otherwise in this process's memory (the single-process default of `make run`).
Only failures count; a success clears the e-mail's counter.
"""

from __future__ import annotations

import hashlib
import threading
import time
from functools import lru_cache
from typing import Protocol

from fiscus.config import Settings
from fiscus.core.errors import DomainError, ErrorKind

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_EMAIL = 10
MAX_FAILURES_PER_IP = 50


class TooManyAttempts(DomainError):
    """Too many failed logins; wait a few minutes before trying again."""

    kind = ErrorKind.RATE_LIMITED
    code = "too_many_attempts"


class Counter(Protocol):
    def get(self, key: str) -> int: ...
    def incr(self, key: str) -> None: ...
    def clear(self, key: str) -> None: ...


class MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def get(self, key: str) -> int:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            return count if expires > time.monotonic() else 0

    def incr(self, key: str) -> None:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            if expires <= time.monotonic():
                count, expires = 0, time.monotonic() + WINDOW_SECONDS
            self._counts[key] = (count + 1, expires)

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def get(self, key: str) -> int:
        value = self._redis.get(key)
        return int(value) if value else 0

    def incr(self, key: str) -> None:
        with self._redis.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS, nx=True)
            pipe.execute()

    def clear(self, key: str) -> None:
        self._redis.delete(key)


class LoginThrottle:
    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    @staticmethod
    def _keys(email: str, ip: str | None) -> tuple[str, str]:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return f"fiscus:login:email:{digest}", f"fiscus:login:ip:{ip or 'unknown'}"

    def check(self, email: str, ip: str | None) -> None:
        email_key, ip_key = self._keys(email, ip)
        if (
            self.counter.get(email_key) >= MAX_FAILURES_PER_EMAIL
            or self.counter.get(ip_key) >= MAX_FAILURES_PER_IP
        ):
            raise TooManyAttempts()

    def failed(self, email: str, ip: str | None) -> None:
        for key in self._keys(email, ip):
            self.counter.incr(key)

    def succeeded(self, email: str, ip: str | None) -> None:
        self.counter.clear(self._keys(email, ip)[0])


@lru_cache(maxsize=4)
def _throttle_for(redis_url: str | None) -> LoginThrottle:
    return LoginThrottle(RedisCounter(redis_url) if redis_url else MemoryCounter())


def login_throttle(settings: Settings) -> LoginThrottle:
    return _throttle_for(settings.redis_url)


def forget_all() -> None:
    """Drop the in-memory counters (a fresh process, in effect); Redis keys expire alone."""
    _throttle_for.cache_clear()
