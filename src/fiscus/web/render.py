"""Turning a template into a response, and the per-response cookie bookkeeping.

Route handlers and dependencies record what the response must carry (refreshed session
tokens, a new CSRF token, flash messages) on `request.state`; `finish` writes it all
onto whatever response is sent. Every page response goes through `render` or `redirect`,
so none of it can be forgotten. FastAPI only merges a dependency's cookies into
responses it builds itself, which is why this is explicit.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from fiscus.config import Settings
from fiscus.web import csrf, flash, page_auth

log = logging.getLogger("fiscus.web")

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a typo in a template fails loudly in tests
    trim_blocks=True,
    lstrip_blocks=True,
)

# `img-src data:` for Pico's inline SVG icons; no inline script or style anywhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


# Said instead of a detail that merely repeats the title ("Not Found: Not Found").
_FRIENDLY = {
    404: "There is no page at this address. Check the link, or start again from the dashboard.",
    405: "This page cannot be used that way.",
}


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment(request: Request) -> bool:
    """An HTMX request for a part of the page (not a history restore, which needs all)."""
    return is_htmx(request) and request.headers.get("HX-History-Restore-Request") != "true"


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    block: str | None = None,
) -> Response:
    """Render a whole page, or only `block` of it (the fragment an HTMX request swaps)."""
    settings = settings_of(request)
    full = {
        "request": request,
        "csrf_token": csrf.token_for(request),
        "messages": [] if block else flash.consume(request, settings),
        "shell": None,
        "guest": False,
        "active": "",
        **context,
    }
    template = env.get_template(name)
    if block is None:
        html = template.render(full)
    else:
        html = "".join(template.blocks[block](template.new_context(full)))
    return finish(request, HTMLResponse(html, status_code=status_code))


def redirect(request: Request, url: str) -> Response:
    """303 to `url`; for HTMX an `HX-Redirect`, so the whole page navigates, not a fragment."""
    if is_htmx(request):
        response: Response = Response(status_code=200, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    return finish(request, response)


def finish(request: Request, response: Response) -> Response:
    settings = settings_of(request)
    page_auth.apply(request, response, settings)
    csrf.apply(request, response, settings)
    flash.apply(request, response, settings)
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    return response


def render_error_page(request: Request, body: dict[str, Any], headers: dict[str, str]) -> Response:
    """`app.state.render_error_page`: how `web.errors` answers a failed page request.

    A 401 becomes a trip to /login (clearing dead session cookies). Anything else renders
    the error template with the status, the detail and the request id. The unit of work
    has been rolled back by now, so no session cookie from this request is set.
    """
    status = int(body.get("status") or 500)
    passthrough = {k: v for k, v in headers.items() if k.lower() != "www-authenticate"}
    if status == 401:
        page_auth.forget(request)
        return _with_headers(redirect(request, page_auth.login_url(request)), passthrough)
    page_auth.discard(request)
    title = str(body.get("title") or "Error")
    detail = str(body.get("detail") or "")
    context = {
        "status": status,
        "title": title,
        "detail": _FRIENDLY.get(status, detail) if detail in ("", title) else detail,
        "errors": body.get("errors") or [],
        "request_id": body.get("request_id") or "",
    }
    try:
        if is_htmx(request):
            # Swapped into the toast area, so an HTMX form shows what went wrong.
            response = render(request, "error.html", context, status_code=status, block="toast")
            response.headers["HX-Retarget"] = "#toasts"
            response.headers["HX-Reswap"] = "beforeend"
        else:
            response = render(request, "error.html", context, status_code=status)
    except Exception:  # the error page itself must never fail
        log.exception("error page failed to render")
        return PlainTextResponse(
            f"{status} {context['title']}", status_code=status, headers=passthrough
        )
    return _with_headers(response, passthrough)


def _with_headers(response: Response, headers: dict[str, str]) -> Response:
    for header, value in headers.items():
        response.headers[header] = value
    return response
