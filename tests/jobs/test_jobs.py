"""Jobs through the API with the inline runner: status, isolation, idempotency, failure,
and dispatch only after the enqueuing transaction commits."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.db.session import bind_scope, unit_of_work
from fiscus.jobs import runner
from fiscus.jobs import service as jobs_service
from fiscus.jobs.models import Job
from tests.jobs.helpers import get_job, start_verify_job
from tests.support.builders import Account, register


def context(account: Account) -> TenantContext:
    return TenantContext(tenant_id=account.tenant_id, user_id=account.user_id, role="owner")


def enqueue(factory: sessionmaker[Session], account: Account, kind: str) -> str:
    """Enqueue in a unit of work of its own, as a route would; it commits on exit."""
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=account.tenant_id, user_id=account.user_id)
        job = jobs_service.enqueue(session, context(account), kind=kind)
    return str(job.id)


@pytest.fixture
def dispatched(client: TestClient) -> list[uuid.UUID]:
    """Record dispatches instead of running them (the client fixture resets the runner)."""
    calls: list[uuid.UUID] = []
    runner.set_dispatcher(lambda _tenant_id, job_id: calls.append(job_id))
    return calls


AddBody = Callable[[str, runner.JobBody], None]


@pytest.fixture
def add_body(monkeypatch: pytest.MonkeyPatch) -> AddBody:
    """Register a job body for this test only."""

    def add(kind: str, body: runner.JobBody) -> None:
        monkeypatch.setitem(runner._BODIES, kind, body)

    return add


def test_verify_job_is_accepted_then_runs_and_reports(client: TestClient) -> None:
    alice = register(client, "Alice")

    accepted = start_verify_job(client, alice)

    assert (accepted["kind"], accepted["status"], accepted["attempts"]) == (
        "audit.verify_chain",
        "queued",
        0,
    )
    job = get_job(client, alice, accepted["id"])
    assert job["status"] == "succeeded"
    # register (3 events) + the job.enqueue event committed with the job
    assert job["result"] == {
        "valid": True,
        "events_checked": 4,
        "first_broken_seq": None,
        "reason": None,
    }
    assert (job["attempts"], job["progress"], job["total"], job["error"]) == (1, 4, 4, None)
    assert job["started_at"] is not None
    assert job["finished_at"] is not None
    listed = client.get("/api/v1/jobs", headers=alice.headers).json()
    assert [j["id"] for j in listed["items"]] == [accepted["id"]]
    assert listed["total"] == 1


def test_another_tenants_job_is_simply_not_found(client: TestClient) -> None:
    alice, mallory = register(client, "Alice"), register(client, "Mallory")
    job_id = start_verify_job(client, alice)["id"]

    theirs = client.get(f"/api/v1/jobs/{job_id}", headers=mallory.headers)
    missing = client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=mallory.headers)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["code"] == "job_not_found"
    # Identical problems but for the echoed path and the request id: nothing tells them apart.
    per_request = ("instance", "request_id")
    assert {k: v for k, v in theirs.json().items() if k not in per_request} == {
        k: v for k, v in missing.json().items() if k not in per_request
    }
    assert client.get("/api/v1/jobs", headers=mallory.headers).json()["items"] == []


def test_running_a_finished_job_again_has_no_effect(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    job_id = start_verify_job(client, alice)["id"]
    finished = get_job(client, alice, job_id)

    runner.run_job(session_factory, alice.tenant_id, uuid.UUID(job_id))
    runner.run_job(session_factory, alice.tenant_id, uuid.UUID(job_id))

    assert get_job(client, alice, job_id) == finished
    assert finished["attempts"] == 1


def test_a_job_delivered_twice_runs_its_body_once(
    client: TestClient, session_factory: sessionmaker[Session], add_body: AddBody
) -> None:
    alice = register(client, "Alice")
    runs: list[uuid.UUID] = []

    def count(_session: Session, job: Job, progress: runner.Progress) -> dict[str, Any]:
        runs.append(job.id)
        progress(1, 1)
        return {"runs": len(runs)}

    add_body("test.count", count)
    job_id = enqueue(session_factory, alice, "test.count")  # the inline runner runs it
    runner.run_job(session_factory, alice.tenant_id, uuid.UUID(job_id))  # a redelivery

    job = get_job(client, alice, job_id)
    assert runs == [uuid.UUID(job_id)]
    assert (job["status"], job["result"], job["attempts"]) == ("succeeded", {"runs": 1}, 1)


def test_a_failing_body_fails_the_job_without_revealing_internals(
    client: TestClient, session_factory: sessionmaker[Session], add_body: AddBody
) -> None:
    alice = register(client, "Alice")

    def crash(_session: Session, _job: Job, _progress: runner.Progress) -> dict[str, Any]:
        raise RuntimeError("could not reach postgresql://admin:hunter2@10.0.0.5/prod")

    def refuse(_session: Session, _job: Job, _progress: runner.Progress) -> dict[str, Any]:
        raise InvalidInput("The ledger is locked for the period close.")

    add_body("test.crash", crash)
    add_body("test.refuse", refuse)
    crashed = get_job(client, alice, enqueue(session_factory, alice, "test.crash"))
    refused = get_job(client, alice, enqueue(session_factory, alice, "test.refuse"))

    assert (crashed["status"], crashed["error"], crashed["result"]) == (
        "failed",
        "RuntimeError",
        None,
    )
    assert crashed["finished_at"] is not None
    assert "hunter2" not in str(crashed)
    assert "Traceback" not in str(crashed)
    assert (refused["status"], refused["error"]) == (
        "failed",
        "The ledger is locked for the period close.",
    )


def test_a_body_that_writes_and_then_fails_leaves_no_trace(
    client: TestClient, session_factory: sessionmaker[Session], add_body: AddBody
) -> None:
    alice = register(client, "Alice")

    def half_done(session: Session, job: Job, _progress: runner.Progress) -> dict[str, Any]:
        audit_service.record(session, context(alice), action="test.half", resource_type="job")
        raise RuntimeError("after writing")

    add_body("test.half", half_done)
    job = get_job(client, alice, enqueue(session_factory, alice, "test.half"))

    assert job["status"] == "failed"
    logs = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    assert "test.half" not in [e["action"] for e in logs]


def test_jobs_are_dispatched_only_after_commit(
    client: TestClient, session_factory: sessionmaker[Session], dispatched: list[uuid.UUID]
) -> None:
    alice = register(client, "Alice")
    session = session_factory()
    bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
    job = jobs_service.enqueue(session, context(alice), kind="audit.verify_chain")
    session.flush()

    assert dispatched == []  # written, but not committed: no runner may see it yet
    session.commit()
    session.close()

    assert dispatched == [job.id]
    assert get_job(client, alice, str(job.id))["status"] == "queued"


def test_a_job_enqueued_in_a_rolled_back_transaction_is_never_dispatched(
    client: TestClient, session_factory: sessionmaker[Session], dispatched: list[uuid.UUID]
) -> None:
    alice = register(client, "Alice")
    session = session_factory()
    bind_scope(session, tenant_id=alice.tenant_id, user_id=alice.user_id)
    job = jobs_service.enqueue(session, context(alice), kind="audit.verify_chain")
    session.rollback()
    session.close()
    # The next transaction on a fresh session commits and must not carry the stale job.
    enqueue(session_factory, alice, "audit.verify_chain")

    assert job.id not in dispatched
    assert len(dispatched) == 1
    assert client.get(f"/api/v1/jobs/{job.id}", headers=alice.headers).status_code == 404


def test_a_request_that_fails_after_enqueueing_dispatches_nothing(
    client: TestClient, dispatched: list[uuid.UUID], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")

    def broken(_job: Job) -> None:
        raise RuntimeError("the response could not be built")

    with monkeypatch.context() as patch:
        patch.setattr(jobs_service, "job_read", broken)
        response = client.post("/api/v1/audit/verify-jobs", headers=alice.headers)

    assert response.status_code == 500
    assert dispatched == []
    assert client.get("/api/v1/jobs", headers=alice.headers).json()["total"] == 0


def test_enqueueing_an_unknown_kind_is_refused(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    alice = register(client, "Alice")
    with pytest.raises(ValueError, match="no job body"):
        enqueue(session_factory, alice, "no.such.kind")
