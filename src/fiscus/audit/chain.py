"""Pure hash-chain arithmetic: canonical JSON, redaction and the link hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
REDACTED = "[REDACTED]"
_SECRET_MARKERS = ("password", "token", "secret", "hash", "api_key", "otp")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def redact(value: Any) -> Any:
    """Replace the value of every key that names a secret, at any depth."""
    if isinstance(value, dict):
        return {
            key: REDACTED if _is_secret(str(key)) else redact(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def _is_secret(key: str) -> bool:
    lowered = key.lower()
    return any(marker in lowered for marker in _SECRET_MARKERS)


def link_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the event's canonical fields and the previous link's hash."""
    payload = canonical_json({**{k: _plain(v) for k, v in fields.items()}, "prev_hash": prev_hash})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if value is None or isinstance(value, str | int):
        return value
    return str(value)
