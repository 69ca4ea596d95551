"""The broker path for real: `fiscus worker` (Celery on Redis) runs jobs the app enqueues.

Each backend gets a committed database, a Redis database of its own (claimed with a key,
so that parallel runs do not steal each other's messages; flushed before and after) and
a worker subprocess that is always stopped, whatever happens to the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.main import create_app
from fiscus.worker.dispatch import CeleryDispatcher
from tests.jobs.helpers import start_verify_job, wait_for_job
from tests.support.builders import register
from tests.support.databases import MigratedDatabase
from tests.support.services import require_service

pytestmark = pytest.mark.redis

FISCUS = str(Path(sys.executable).with_name("fiscus"))
CLAIM_KEY = "fiscus-tests:claimed-by"
CANDIDATE_DBS = range(14, 0, -1)  # 15 is the suite's default, 0 everyone's


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A Redis database nobody else is using, empty, and emptied again afterwards."""
    require_service("redis")
    token = uuid.uuid4().hex
    for number in CANDIDATE_DBS:
        conn = redis.Redis(host="127.0.0.1", port=6379, db=number)
        if conn.set(CLAIM_KEY, token, nx=True, ex=900):
            conn.flushdb()
            conn.set(CLAIM_KEY, token, ex=900)
            try:
                yield f"redis://127.0.0.1:6379/{number}"
            finally:
                conn.flushdb()
                conn.close()
            return
        conn.close()
    pytest.fail("no free Redis database for the Celery tests")


@pytest.fixture
def worker(
    committed: MigratedDatabase, redis_url: str, tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "FISCUS_ENV": "test",
        "FISCUS_DATABASE_URL": committed.app_url,
        "FISCUS_REDIS_URL": redis_url,
        "FISCUS_VAR_DIR": str(tmp_path),
        "FISCUS_LOG_JSON": "false",
        "FISCUS_LOG_LEVEL": "INFO",
    }
    with (tmp_path / "worker.log").open("wb") as log:
        process = subprocess.Popen(
            [FISCUS, "worker", "--concurrency", "1"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture
def live(committed: MigratedDatabase, redis_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=committed.app_url, redis_url=redis_url, var_dir=tmp_path, env="test"
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert isinstance(app.state.dispatcher, CeleryDispatcher)
        yield client


def test_worker_runs_the_verify_job_and_stops_cleanly(
    live: TestClient, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    alice = register(live, "Alice")
    accepted = start_verify_job(live, alice)

    job = wait_for_job(live, alice, accepted["id"], give_up_after=90)

    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert worker.poll() is None, log  # still serving
    assert job["status"] == "succeeded", (job, log)
    assert job["result"] == {
        "valid": True,
        "events_checked": 4,
        "first_broken_seq": None,
        "reason": None,
    }
    assert job["attempts"] == 1
    assert "fiscus.run_job" in log

    worker.send_signal(signal.SIGTERM)  # Celery's warm shutdown
    assert worker.wait(timeout=60) == 0, log
