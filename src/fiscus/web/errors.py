"""The one place that knows how a failure becomes an HTTP response.

API requests get RFC 9457 problem details (`application/problem+json`) with a stable
`code`; page requests get an HTML error page. No stack trace ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fiscus.core.errors import DomainError, ErrorKind

log = logging.getLogger("fiscus.errors")

STATUS = {
    ErrorKind.INVALID: 422,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNSUPPORTED: 415,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.UNAVAILABLE: 503,
}
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem(request: Request, status: int, code: str, detail: str, **extra: Any) -> Response:
    body = {
        "type": f"https://fiscus.dev/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
        **extra,
    }
    headers = {"X-Request-ID": body["request_id"] or ""}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    renderer = getattr(request.app.state, "render_error_page", None)
    if renderer is not None and not request.url.path.startswith("/api/"):
        return renderer(request, body, headers)  # type: ignore[no-any-return]
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(loc[-1] if loc else "request")


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    def _domain(request: Request, exc: DomainError) -> Response:
        extra: dict[str, Any] = {}
        if exc.field:
            extra["errors"] = [{"field": exc.field, "message": exc.detail, "code": exc.code}]
        return problem(request, STATUS[exc.kind], exc.code, exc.detail, **extra)

    @app.exception_handler(RequestValidationError)
    def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"field": _field_name(tuple(e["loc"])), "message": e["msg"], "code": e["type"]}
            for e in exc.errors()
        ]
        names = ", ".join(sorted({e["field"] for e in errors}))
        return problem(request, 422, "validation_error", f"Invalid input: {names}.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
        return problem(request, exc.status_code, code, detail)

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> Response:
        log.error(
            "unhandled error",
            exc_info=exc,
            extra={
                "path": request.url.path,
                "request_id": getattr(request.state, "request_id", None),
            },
        )
        return problem(
            request,
            500,
            "internal_error",
            "Something went wrong on our side. Quote the request id if you contact support.",
        )
