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


# `link_template` cuts the payload at these stand-ins: letters and digits only, so JSON
# writes them as they are.
_PREV_MARK = "PrevHashStandIn9c1e4b7a"
_SEQ_MARK = "SeqStandIn5d2f8a03"


def link_template(fields: dict[str, Any]) -> tuple[str, str, str] | None:
    """The payload `link_hash` hashes, cut around the two values only the chain head
    knows: for every `seq` and `prev_hash`, `link_hash({**fields, "seq": seq}, prev_hash)`
    is the SHA-256 of `a + prev_hash + b + str(seq) + c` (UTF-8), so the database can
    link an event in the statement that reads the head. None when a stand-in occurs in
    the fields themselves (the cut would be ambiguous; link in Python then)."""
    payload = canonical_json(
        {**{k: _plain(v) for k, v in fields.items()}, "seq": _SEQ_MARK, "prev_hash": _PREV_MARK}
    )
    seq_mark = f'"{_SEQ_MARK}"'  # a string stands in for the number: cut its quotes too
    if payload.count(_PREV_MARK) != 1 or payload.count(seq_mark) != 1:
        return None
    head, _, rest = payload.partition(_PREV_MARK)
    if seq_mark not in rest:  # "prev_hash" sorts before "seq": always the case
        return None
    middle, _, tail = rest.partition(seq_mark)
    return head, middle, tail


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if value is None or isinstance(value, str | int):
        return value
    return str(value)
