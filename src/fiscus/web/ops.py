"""Operational endpoints: liveness, readiness (database, broker) and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["operations"])


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
def ready(request: Request) -> JSONResponse:
    checks: dict[str, str] = {"database": _check_database(request)}
    redis_url = request.app.state.settings.redis_url
    if redis_url:
        checks["redis"] = _check_redis(redis_url)
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ready" if healthy else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503)


def _check_database(request: Request) -> str:
    # A raw DBAPI round trip: no transaction, so no write lock is taken on SQLite.
    try:
        connection = request.app.state.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        finally:
            connection.close()
        return "ok"
    except Exception:
        return "unreachable"


def _check_redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
        return "ok"
    except Exception:
        return "unreachable"


@router.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
