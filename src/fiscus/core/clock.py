"""The single source of 'now', so tests and jobs agree on time zones (always UTC)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
