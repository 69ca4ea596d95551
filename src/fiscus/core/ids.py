"""Identifiers and random tokens."""

from __future__ import annotations

import os
import secrets
import time
import uuid


def new_id() -> uuid.UUID:
    """A new row's id: a time-ordered UUID (version 7, RFC 9562).

    48 bits of Unix milliseconds, then 74 random bits. New rows' keys land at the end of
    their indexes, not on a random page of each: with random (version 4) ids every
    insert into a table of millions of rows touched a leaf page that was seldom cached,
    and PostgreSQL paid for reading it and, after a checkpoint, for a full-page image in
    the WAL (docs/performance.md, "Two round trips without a Session, time-ordered ids,
    and the backstop's index"; docs/architecture.md). The random bits keep ids
    unguessable enough to be no help to a caller; access is checked on every request
    anyway, never by knowing an id. The creation time an id reveals is shown as the row's
    `created_at` already."""
    value = bytearray((time.time_ns() // 1_000_000).to_bytes(6, "big") + os.urandom(10))
    value[6] = (value[6] & 0x0F) | 0x70  # version 7
    value[8] = (value[8] & 0x3F) | 0x80  # the RFC's variant
    return uuid.UUID(bytes=bytes(value))


def new_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe token carrying `nbytes` bytes of entropy (256 bits default)."""
    return secrets.token_urlsafe(nbytes)
