"""Errors as problem details, request ids, timing header, health, readiness, metrics, docs."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.main import create_app
from tests.support.builders import register
from tests.support.databases import MigratedDatabase


def test_validation_errors_name_every_bad_field(client: TestClient) -> None:
    response = client.post("/api/v1/auth/register", json={"email": "nope", "name": ""})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert {e["field"] for e in body["errors"]} == {"email", "name", "password"}
    assert body["status"] == 422
    assert body["request_id"] == response.headers["x-request-id"]


def test_malformed_json_is_a_validation_error(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    wrong = client.delete("/api/v1/auth/me")
    assert wrong.status_code == 405
    assert wrong.json()["code"] == "method_not_allowed"


def test_missing_token_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/v1/jobs")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "invalid_token"


def test_unexpected_errors_hide_internals(client: TestClient) -> None:
    router = APIRouter()

    @router.get("/api/v1/test-boom")
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    client.app.include_router(router)  # type: ignore[attr-defined]
    response = client.get("/api/v1/test-boom")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "internal_error"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert body["request_id"]


def test_request_id_and_process_time_on_every_response(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "client-chosen-id-123"})
    assert response.headers["x-request-id"] == "client-chosen-id-123"
    assert response.headers["x-process-time"].endswith("ms")
    unsafe = client.get("/health", headers={"X-Request-ID": "bad id\r\nInjected: yes"})
    assert unsafe.headers["x-request-id"] != "bad id\r\nInjected: yes"
    assert len(unsafe.headers["x-request-id"]) == 32


def test_health_ready_metrics_docs(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    register(client)
    metrics = client.get("/metrics").text
    assert (
        'fiscus_http_requests_total{method="POST",route="/api/v1/auth/register",status="201"}'
        in metrics
    )
    assert client.get("/docs").status_code == 200
    assert "/api/v1/auth/register" in client.get("/openapi.json").json()["paths"]


def test_ready_reports_an_unreachable_broker(database: MigratedDatabase, tmp_path: Path) -> None:
    settings = Settings(
        database_url=database.app_url,
        var_dir=tmp_path,
        env="test",
        redis_url="redis://127.0.0.1:1/0",  # nothing listens on port 1
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "unreachable"}
