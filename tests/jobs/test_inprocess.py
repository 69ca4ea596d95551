"""The default runner for real: the app's own thread pool, on a committed database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope, unit_of_work
from fiscus.jobs import service as jobs_service
from fiscus.main import create_app
from fiscus.worker.dispatch import InProcessDispatcher
from tests.jobs.helpers import start_verify_job, wait_for_job
from tests.support.builders import register
from tests.support.databases import MigratedDatabase

VERIFY = "audit.verify_chain"


@pytest.fixture
def live(committed: MigratedDatabase, tmp_path: Path) -> Iterator[TestClient]:
    """The app as `fiscus serve` runs it: the lifespan installs the thread-pool runner."""
    app = create_app(Settings(database_url=committed.app_url, var_dir=tmp_path, env="test"))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert isinstance(app.state.dispatcher, InProcessDispatcher)
        yield client


def test_verify_job_runs_in_the_background_and_succeeds(live: TestClient) -> None:
    alice = register(live, "Alice")

    job = wait_for_job(live, alice, start_verify_job(live, alice)["id"])

    assert job["status"] == "succeeded", job
    assert job["result"] == {
        "valid": True,
        "events_checked": 4,
        "first_broken_seq": None,
        "reason": None,
    }
    assert (job["attempts"], job["progress"], job["total"]) == (1, 4, 4)


def test_several_jobs_committed_together_all_finish(live: TestClient) -> None:
    alice = register(live, "Alice")
    ctx = TenantContext(tenant_id=alice.tenant_id, user_id=alice.user_id, role="owner")
    factory = live.app.state.session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
        ids = [str(jobs_service.enqueue(session, ctx, kind=VERIFY).id) for _ in range(4)]

    jobs = [wait_for_job(live, alice, job_id) for job_id in ids]

    assert [j["status"] for j in jobs] == ["succeeded"] * 4, jobs
    # All four were committed, with their job.enqueue events, before any of them ran.
    assert [j["result"]["events_checked"] for j in jobs] == [3 + 4] * 4
    assert all(j["result"]["valid"] and j["attempts"] == 1 for j in jobs)
