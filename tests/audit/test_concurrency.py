"""Concurrent writers of one tenant: every request succeeds and the chain stays gapless."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.main import create_app
from tests.support.builders import register
from tests.support.databases import MigratedDatabase

WRITERS, WRITES_EACH = 6, 5


@pytest.fixture
def committed_client(committed: MigratedDatabase, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=committed.app_url, var_dir=tmp_path, env="test"))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_concurrent_changes_keep_a_gapless_valid_chain(committed_client: TestClient) -> None:
    client = committed_client
    owner = register(client, "Owner")
    before = client.get("/api/v1/audit/verify", headers=owner.headers).json()["events_checked"]

    def writer(n: int) -> list[int]:
        return [
            client.patch(
                f"/api/v1/tenants/{owner.tenant_id}",
                json={"name": f"Writer {n} change {i}"},
                headers=owner.headers,
            ).status_code
            for i in range(WRITES_EACH)
        ]

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [s for batch in pool.map(writer, range(WRITERS)) for s in batch]

    assert statuses == [200] * WRITERS * WRITES_EACH
    report = client.get("/api/v1/audit/verify", headers=owner.headers).json()
    assert report == {
        "valid": True,
        "events_checked": before + WRITERS * WRITES_EACH,
        "first_broken_seq": None,
        "reason": None,
    }
    logs = client.get(
        "/api/v1/audit/logs",
        params={"action": "tenant.update", "limit": 200},
        headers=owner.headers,
    ).json()
    seqs = sorted(event["seq"] for event in logs["items"])
    assert seqs == list(range(before + 1, before + 1 + WRITERS * WRITES_EACH))
