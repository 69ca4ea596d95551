"""The ledger tests' app on its own engine and committed data (`live`): on PostgreSQL
its hot reads and its hot write take the asyncio pool, which the `client` fixture's
rolled-back connection never does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.main import create_app
from tests.support.databases import MigratedDatabase


@pytest.fixture(scope="module")
def live(
    committed: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=committed.app_url, var_dir=tmp_path_factory.mktemp("var"), env="test"
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()
