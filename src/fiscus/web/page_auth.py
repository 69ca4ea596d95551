"""The browser session: the API's tokens, kept in HttpOnly cookies.

Pages use the very same sessions as the API (access JWT + rotating refresh token,
issued by `fiscus.auth.service`); only the transport differs. The cookies are HttpOnly
(page scripts never see a token) and SameSite=Lax (not sent on cross-site POSTs; CSRF
tokens cover the rest), Secure when `settings.cookie_secure`.

When the access token has expired but the refresh cookie is valid, the session is
refreshed transparently: the auth service rotates the refresh token in the request's
unit of work and the new pair is set on the response (see `render.finish`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from starlette.responses import Response

from fiscus.auth import service as auth_service
from fiscus.config import Settings
from fiscus.core.context import TenantContext
from fiscus.core.errors import Unauthenticated
from fiscus.web.deps import AppSettings, DbSession, RequestOrigin

ACCESS_COOKIE = "fiscus_access"
REFRESH_COOKIE = "fiscus_refresh"
_ISSUED = "web_issued_tokens"
_FORGET = "web_forget_session"


class LoginRequired(Unauthenticated):
    """Log in to continue."""

    code = "login_required"


def optional_user(
    request: Request, session: DbSession, settings: AppSettings, origin: RequestOrigin
) -> TenantContext | None:
    """The signed-in user's context, refreshing an expired access token; None if signed out."""
    token = request.cookies.get(ACCESS_COOKIE)
    if token:
        try:
            return _authenticated(request, session, settings, token, origin)
        except Unauthenticated:
            pass
    refresh_token = request.cookies.get(REFRESH_COOKIE)
    if not refresh_token:
        return None
    try:
        issued = auth_service.refresh(session, settings, refresh_token=refresh_token, origin=origin)
    except Unauthenticated:
        # Expired, revoked or replayed: the service has already done (and, for a replay,
        # kept) what it must; the browser just has to log in again.
        forget(request)
        return None
    remember(request, issued)
    return _authenticated(request, session, settings, issued.access_token, origin)


def _authenticated(
    request: Request, session: DbSession, settings: Settings, token: str, origin: RequestOrigin
) -> TenantContext:
    ctx = auth_service.authenticate(session, settings, token, origin)
    request.state.user_id = ctx.user_id
    return ctx


def required_user(ctx: Annotated[TenantContext | None, Depends(optional_user)]) -> TenantContext:
    """The signed-in user's context, or a 401 that the error page turns into /login."""
    if ctx is None:
        raise LoginRequired()
    return ctx


MaybeUser = Annotated[TenantContext | None, Depends(optional_user)]
PageUser = Annotated[TenantContext, Depends(required_user)]


def remember(request: Request, issued: auth_service.IssuedTokens) -> None:
    """Set this session's tokens as cookies on the response (login, refresh, switch)."""
    setattr(request.state, _ISSUED, issued)
    setattr(request.state, _FORGET, False)


def forget(request: Request) -> None:
    """Clear the session cookies with the response (logout, dead session)."""
    setattr(request.state, _ISSUED, None)
    setattr(request.state, _FORGET, True)


def discard(request: Request) -> None:
    """Set no session cookie: the unit of work that issued the tokens was rolled back."""
    setattr(request.state, _ISSUED, None)


def apply(request: Request, response: Response, settings: Settings) -> None:
    issued: auth_service.IssuedTokens | None = getattr(request.state, _ISSUED, None)
    if issued is not None:
        _set(
            response,
            settings,
            ACCESS_COOKIE,
            issued.access_token,
            settings.access_token_ttl_seconds,
        )
        _set(
            response,
            settings,
            REFRESH_COOKIE,
            issued.refresh_token,
            settings.refresh_token_ttl_seconds,
        )
    elif getattr(request.state, _FORGET, False):
        clear(response, settings)


def clear(response: Response, settings: Settings) -> None:
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        response.delete_cookie(
            name, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure
        )


def _set(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` if it is a path on this site, else `default`: no open redirects.

    Refused: absolute URLs, scheme-relative `//host`, backslashes (browsers read
    `/\\host` as `//host`), control characters, and anything not starting with `/`.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def login_url(request: Request) -> str:
    """/login with `next` pointing back to the page asked for (GET pages only)."""
    if request.method != "GET":
        return "/login"
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if safe_next(target, default="") in ("", "/"):
        return "/login"
    return f"/login?next={quote(target, safe='/')}"
