"""Identifiers and random tokens."""

from __future__ import annotations

import secrets
import uuid


def new_id() -> uuid.UUID:
    """A random UUID (version 4) for a new row."""
    return uuid.uuid4()


def new_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe token carrying `nbytes` bytes of entropy (256 bits default)."""
    return secrets.token_urlsafe(nbytes)
