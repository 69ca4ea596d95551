"""One-shot messages ("Tenant created") that survive the redirect after a POST.

They travel in a short-lived, HMAC-signed, HttpOnly cookie rather than the query string,
so a message cannot be forged through a link, never lands in logs or browser history,
and disappears once shown. Nothing is stored server-side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from starlette.responses import Response

from fiscus.config import Settings

COOKIE = "fiscus_flash"
MAX_AGE_SECONDS = 60
Level = Literal["success", "info", "warning", "error"]
_LEVELS = frozenset({"success", "info", "warning", "error"})
_OUTGOING = "flash_outgoing"
_CONSUMED = "flash_consumed"


@dataclass(frozen=True, slots=True)
class Message:
    level: str
    text: str


def push(request: Request, level: Level, text: str) -> None:
    """Queue a message for the next page this browser renders."""
    outgoing: list[Message] = getattr(request.state, _OUTGOING, [])
    outgoing.append(Message(level, text))
    setattr(request.state, _OUTGOING, outgoing)


def consume(request: Request, settings: Settings) -> list[Message]:
    """The messages waiting for this browser; the cookie is cleared with the response."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    setattr(request.state, _CONSUMED, True)
    return _decode(raw, settings, now=time.time())


def apply(request: Request, response: Response, settings: Settings) -> None:
    outgoing: list[Message] = getattr(request.state, _OUTGOING, [])
    if outgoing:
        response.set_cookie(
            COOKIE,
            _encode(outgoing, settings, now=time.time()),
            max_age=MAX_AGE_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
        )
    elif getattr(request.state, _CONSUMED, False):
        response.delete_cookie(
            COOKIE, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure
        )


def _key(settings: Settings) -> bytes:
    # A key of its own, so a flash signature can never stand in for another signature.
    return hmac.new(settings.secret().encode(), b"fiscus.web.flash", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encode(messages: list[Message], settings: Settings, *, now: float) -> str:
    body = {"e": int(now) + MAX_AGE_SECONDS, "m": [[m.level, m.text] for m in messages]}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    signature = hmac.new(_key(settings), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(signature)}"


def _decode(raw: str, settings: Settings, *, now: float) -> list[Message]:
    """Verified, unexpired messages; anything tampered with or stale is dropped silently."""
    payload, _, signature = raw.partition(".")
    expected = _b64(hmac.new(_key(settings), payload.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return []
    try:
        body = json.loads(_unb64(payload))
        if int(body["e"]) < now:
            return []
        return [Message(str(level), str(text)) for level, text in body["m"] if level in _LEVELS][:5]
    except (ValueError, KeyError, TypeError):
        return []
