"""CSRF protection for the HTML pages: a double-submit token.

The browser session lives in cookies, which the browser attaches to any request,
including one forged by another site. So every state-changing page request must also
carry a secret the other site cannot read: the token kept in the `fiscus_csrf` cookie,
echoed back in the form field `csrf_token` or, for HTMX, the `X-CSRF-Token` header.
A cross-site page can make the browser send the cookie but cannot read it, so it
cannot echo it. The two are compared in constant time.

The token rotates at login and logout, so a token planted before login (cookie
fixation) is useless afterwards. API routes (/api/...) authenticate with a bearer
header, which browsers never attach on their own, and are not affected.
"""

from __future__ import annotations

import hmac
import re
import secrets

from fastapi import Request
from starlette.responses import Response

from fiscus.config import Settings
from fiscus.core.errors import Forbidden

COOKIE = "fiscus_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
_STATE = "csrf_new_token"


class CsrfRejected(Forbidden):
    """The form has expired or did not come from this site; reload the page and try again."""

    code = "csrf_failed"


def token_for(request: Request) -> str:
    """The token to embed in this page: the cookie's, or a new one set with the response."""
    pending: str | None = getattr(request.state, _STATE, None)
    if pending:
        return pending
    current = request.cookies.get(COOKIE, "")
    if _TOKEN.match(current):
        return current
    return rotate(request)


def rotate(request: Request) -> str:
    """Issue a fresh token with this response (at login and logout)."""
    token = secrets.token_urlsafe(32)
    setattr(request.state, _STATE, token)
    return token


def apply(request: Request, response: Response, settings: Settings) -> None:
    """Set the cookie if this request issued a token.

    Deliberately not HttpOnly: the token is not a credential on its own, and
    client-side code may need it for requests the page builds itself.
    """
    token: str | None = getattr(request.state, _STATE, None)
    if token:
        response.set_cookie(
            COOKIE,
            token,
            path="/",
            httponly=False,
            samesite="lax",
            secure=settings.cookie_secure,
        )


async def protect(request: Request) -> None:
    """Router dependency: reject an unsafe request whose token does not match the cookie.

    Async because it may read the form body; Starlette caches the parsed form on the
    request, so the route's own `Form()` parameters see the same data.
    """
    if request.method in SAFE_METHODS:
        return
    expected = request.cookies.get(COOKIE, "")
    supplied = request.headers.get(HEADER)
    if supplied is None:
        value = (await request.form()).get(FIELD)
        supplied = value if isinstance(value, str) else ""
    if not _TOKEN.match(expected) or not hmac.compare_digest(expected.encode(), supplied.encode()):
        raise CsrfRejected()
