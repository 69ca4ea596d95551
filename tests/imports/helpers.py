"""Building bank files and walking an import through the API."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.jobs.helpers import wait_for_job
from tests.support.builders import Account

CSV_HEADER = "Date,Description,Amount,Reference\n"


def csv_file(rows: list[tuple[str, str, str, str]], header: str = CSV_HEADER) -> bytes:
    """Rows of (date dd/mm/yyyy, description, signed amount, bank reference or "")."""
    return (header + "".join(f"{d},{desc},{amt},{ref}\n" for d, desc, amt, ref in rows)).encode()


def bank_account(client: TestClient, owner: Account, name: str = "Everyday") -> str:
    response = client.post(
        "/api/v1/accounts",
        json={"name": name, "type": "asset", "subtype": "checking"},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def upload(
    client: TestClient,
    owner: Account,
    account_id: str,
    data: bytes,
    *,
    filename: str = "statement.csv",
    content_type: str = "text/csv",
    mapping: dict[str, Any] | None = None,
    expect: int = 201,
) -> dict[str, Any]:
    form: dict[str, str] = {"account_id": account_id}
    if mapping is not None:
        form["mapping"] = json.dumps(mapping)
    response = client.post(
        "/api/v1/imports",
        files={"file": (filename, data, content_type)},
        data=form,
        headers=owner.headers,
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


def commit(
    client: TestClient,
    owner: Account,
    import_id: str,
    body: dict[str, Any] | None = None,
    *,
    expect_job: str = "succeeded",
) -> dict[str, Any]:
    """Commit, wait for the job, and return the import as GET shows it afterwards."""
    response = client.post(
        f"/api/v1/imports/{import_id}/commit", json=body or {}, headers=owner.headers
    )
    assert response.status_code == 202, response.text
    job = wait_for_job(client, owner, response.json()["job_id"])
    assert job["status"] == expect_job, job
    found = client.get(f"/api/v1/imports/{import_id}", headers=owner.headers)
    assert found.status_code == 200, found.text
    result: dict[str, Any] = found.json()
    result["job"] = job
    return result


def balance(client: TestClient, owner: Account, account_id: str, on: str = "2030-12-31") -> str:
    response = client.get(
        f"/api/v1/accounts/{account_id}/balance", params={"date": on}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    return str(response.json()["balance"])


def entries(client: TestClient, owner: Account, account_id: str) -> list[dict[str, Any]]:
    response = client.get(
        "/api/v1/transactions",
        params={"account_id": account_id, "limit": 200},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
