"""The transaction list's cursor: the sort keys of a page's last entry, so the next page
is read from where that one stopped (keyset paging) rather than by skipping every entry
before it, which deep pages of a long, filtered list pay for (docs/performance.md).

A cursor is opaque to clients: URL-safe base64 of a JSON array, the sort it was made
for first. It holds nothing but that entry's sort keys (its date, creation time, id,
amount, or lower-cased description or payee), all of them the caller's own data; a
forged one only moves where the page starts within the caller's tenant.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date, datetime
from typing import Any

from fiscus.core.errors import InvalidInput
from fiscus.ledger.page_rows import SortKey, sort_columns
from fiscus.ledger.repository_transactions import SORTS

MAX_LENGTH = 8000  # a cursor of a sort by description holds the whole description


def encode(sort: str, keys: tuple[Any, ...]) -> str:
    values = [sort, *(_plain(value) for value in keys)]
    text = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(text).rstrip(b"=").decode("ascii")


def decode(cursor: str, sort: str) -> tuple[Any, ...]:
    """The sort keys a cursor holds, checked against `sort`'s keys and types."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise _unreadable() from None
    if not isinstance(values, list) or not values or not isinstance(values[0], str):
        raise _unreadable()
    made_for, *keys = values
    if made_for not in SORTS:
        raise _unreadable()
    if made_for != sort:
        message = f"was made for sort {made_for!r}, not {sort!r}: start again from page 1"
        raise InvalidInput(message, field="cursor")
    columns = sort_columns(sort)
    if len(keys) != len(columns):
        raise _unreadable()
    return tuple(_typed(value, key) for value, key in zip(keys, columns, strict=True))


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    return value.isoformat() if isinstance(value, date) else value  # a datetime is a date


def _typed(value: Any, key: SortKey) -> Any:
    if value is None and key.kind is str:  # a null payee
        return None
    try:
        if key.kind is date and isinstance(value, str):
            return date.fromisoformat(value)
        if key.kind is datetime and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError(value)
            return moment
        if key.kind is uuid.UUID and isinstance(value, str):
            return uuid.UUID(value)
    except ValueError:
        raise _unreadable() from None
    if key.kind is int and type(value) is int and -(2**63) <= value < 2**63:  # a BIGINT
        return value
    if key.kind is str and type(value) is str and "\x00" not in value:  # no text holds NUL
        return value
    if key.kind is bool and type(value) is bool:
        return value
    raise _unreadable()


def _unreadable() -> InvalidInput:
    return InvalidInput("is not a cursor this list gave: start again from page 1", field="cursor")
