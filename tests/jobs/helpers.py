"""Starting a verification job and waiting (boundedly) for it to finish."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account

FINISHED = ("succeeded", "failed")


def start_verify_job(client: TestClient, account: Account) -> dict[str, Any]:
    response = client.post("/api/v1/audit/verify-jobs", headers=account.headers)
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def get_job(client: TestClient, account: Account, job_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/jobs/{job_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_for_job(
    client: TestClient, account: Account, job_id: str, *, give_up_after: float = 10.0
) -> dict[str, Any]:
    """Poll until the job has finished; give up (returning it unfinished) after a while.

    The limit only keeps a broken runner from hanging the suite: tests assert on the
    status, never on how long it took.
    """
    deadline = time.monotonic() + give_up_after
    while True:
        job = get_job(client, account, job_id)
        if job["status"] in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.05)
