"""/api/v1/activity/history, /activity/clear, /clients/{id}/trends and /dashboard/stats
over HTTP: what an analysis leaves behind is aggregate metadata only."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, text, update

from fiscus.core.clock import utcnow
from fiscus.diagnostics.models import DiagnosticsAnalysis
from fiscus.schema import Base
from tests.diagnostics.practice import (
    COMPANY_NAMES,
    COMPANY_TB,
    UNNAMED,
    fixture,
    history,
    member_of,
    new_client,
    upload,
)
from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, xlsx
from tests.support.builders import Account, register

FILE_NAME = "Harbour Joinery FY26 TB.csv"
# Per-account amounts of the fixture (its totals, 1,186,980.33, are kept on purpose).
ACCOUNT_AMOUNTS = ("177260.83", "177,260.83", "254900.00", "4820.50", "168420.00")


def _scope(connection: Connection, who: Account) -> None:
    """On PostgreSQL the test connection is the RLS-bound app role: see the tenant's rows."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(who.tenant_id)}
        )


def _every_stored_value(connection: Connection) -> str:
    texts = []
    for table in Base.metadata.sorted_tables:
        for row in connection.execute(select(table)):
            texts.append(" | ".join(str(v) for v in row))
    return "\n".join(texts)


def test_a_history_row_holds_metadata_only_and_no_account_anywhere(
    client: TestClient, connection: Connection
) -> None:
    alice = register(client, "Alice")
    ours = new_client(client, alice, "Client H")
    answer = upload(client, alice, FILE_NAME, fixture(COMPANY_TB), client_id=ours)
    assert answer.status_code == 200, answer.text
    analysis = answer.json()
    items = history(client, alice)["items"]
    assert len(items) == 1
    row = items[0]
    digest = hashlib.sha256(FILE_NAME.encode()).hexdigest()
    assert (row["file_sha256"], row["file_ref"], row["file_format"]) == (digest, digest[:12], "csv")
    assert (row["client_id"], row["source"], row["sheet_count"], row["row_count"]) == (
        ours,
        "upload",
        1,
        37,
    )
    assert (row["total_debits"], row["total_credits"], row["balanced"]) == (
        "1186980.33",
        "1186980.33",
        True,
    )
    severities = [a["severity"] for a in analysis["anomalies"]]
    assert row["anomalies"] == {s: severities.count(s) for s in row["anomalies"]}
    assert row["anomaly_count"] == len(severities) > 0
    assert row["materiality"] == {
        k: analysis["materiality"][k] for k in ("basis", "overall", "performance", "trivial")
    }
    assert (row["risk_score"], row["risk_tier"]) == (analysis["risk_score"], analysis["risk_tier"])
    assert row["ratios"]["current_ratio"] == analysis["ratios"]["current_ratio"]["value"]
    assert "dupont" not in row["ratios"]
    # Natural signs: revenue (credits) positive; 642,300 + 118,750 - 6,420 + 1,236.
    assert Decimal(row["category_totals"]["revenue"]) == Decimal("755866.00")
    assert Decimal(row["category_totals"]["asset"]) > 0
    _scope(connection, alice)
    stored = _every_stored_value(connection)
    assert digest in stored
    for secret in (*COMPANY_NAMES, *ACCOUNT_AMOUNTS, "Harbour Joinery", FILE_NAME, "1-1250"):
        assert secret not in stored, secret


def test_history_is_newest_first_filtered_by_client_and_paginated(client: TestClient) -> None:
    alice = register(client, "Alice")
    first, second = new_client(client, alice, "First"), new_client(client, alice, "Second")
    for name, who in (("a.csv", first), ("b.csv", second), ("c.csv", first), ("d.csv", None)):
        extra = {"client_id": who} if who else {}
        assert upload(client, alice, name, fixture(COMPANY_TB), **extra).status_code == 200
    every = history(client, alice)
    assert every["total"] == 4
    hashes = [hashlib.sha256(n.encode()).hexdigest() for n in ("d.csv", "c.csv", "b.csv", "a.csv")]
    assert [i["file_sha256"] for i in every["items"]] == hashes
    of_first = history(client, alice, client_id=first)
    assert [i["file_sha256"] for i in of_first["items"]] == [hashes[1], hashes[3]]
    page = history(client, alice, limit=1, page=2)
    assert (page["total"], page["total_pages"], page["items"][0]["file_sha256"]) == (
        4,
        4,
        hashes[1],
    )
    listed = client.get("/api/v1/clients", headers=alice.headers).json()["items"]
    counts = {c["name"]: c["analysis_count"] for c in listed}
    assert counts == {"First": 2, "Second": 1}
    assert all(c["last_analysed_at"] for c in listed)
    unknown = client.get(
        "/api/v1/activity/history",
        params={"client_id": "00000000-0000-0000-0000-000000000000"},
        headers=alice.headers,
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "client_not_found")
    bad = client.get("/api/v1/activity/history", params={"limit": 0}, headers=alice.headers)
    assert bad.status_code == 422
    assert "limit" in bad.json()["detail"]


def test_a_workbook_counts_its_sheets_and_a_failed_analysis_leaves_nothing(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    refused = upload(client, alice, "tb.csv", UNNAMED)
    assert refused.status_code == 422
    assert history(client, alice)["total"] == 0
    book = xlsx({"Head office": HEAD_OFFICE, "Branch": BRANCH})
    assert upload(client, alice, "group.xlsx", book).status_code == 200
    row = history(client, alice)["items"][0]
    assert (row["sheet_count"], row["file_format"], row["client_id"]) == (2, "xlsx", None)


def test_trends_are_the_clients_analyses_oldest_first(client: TestClient) -> None:
    alice = register(client, "Alice")
    ours = new_client(client, alice)
    company = fixture(COMPANY_TB)
    smaller = company.replace(b'"642,300.00"', b'"600,000.00"').replace(
        b'"1,186,980.33"', b'"1,144,680.33"'
    )
    for data in (company, smaller):
        assert upload(client, alice, "tb.csv", data, client_id=ours).status_code == 200
    trends = client.get(f"/api/v1/clients/{ours}/trends", headers=alice.headers)
    assert trends.status_code == 200, trends.text
    points = trends.json()["points"]
    revenues = [Decimal(p["category_totals"]["revenue"]) for p in points]
    assert revenues == [Decimal("755866.00"), Decimal("713566.00")]
    assert all(p["ratios"]["gross_margin"] is not None for p in points)
    latest = client.get(f"/api/v1/clients/{ours}/trends?limit=1", headers=alice.headers).json()
    assert [Decimal(p["category_totals"]["revenue"]) for p in latest["points"]] == revenues[1:]
    too_many = client.get(f"/api/v1/clients/{ours}/trends?limit=500", headers=alice.headers)
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["detail"]


def test_clear_deletes_all_or_one_clients_history_and_is_audited(client: TestClient) -> None:
    alice = register(client, "Alice")
    first, second = new_client(client, alice, "First"), new_client(client, alice, "Second")
    for who in (first, first, second):
        assert (
            upload(client, alice, "tb.csv", fixture(COMPANY_TB), client_id=who).status_code == 200
        )
    viewer = member_of(client, alice, "viewer")
    refused = client.post("/api/v1/activity/clear", json={}, headers=viewer.headers)
    assert refused.status_code == 403
    assert history(client, alice)["total"] == 3
    one = client.post("/api/v1/activity/clear", json={"client_id": first}, headers=alice.headers)
    assert (one.status_code, one.json()) == (200, {"deleted": 2})
    assert [i["client_id"] for i in history(client, alice)["items"]] == [second]
    everything = client.post("/api/v1/activity/clear", headers=alice.headers)
    assert everything.json() == {"deleted": 1}
    assert history(client, alice)["total"] == 0
    assert client.get(f"/api/v1/clients/{first}", headers=alice.headers).status_code == 200
    events = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    cleared = [e for e in events if e["action"] == "diagnostics.history_clear"]
    assert len(cleared) == 2
    bad = client.post("/api/v1/activity/clear", json={"client_id": "x"}, headers=alice.headers)
    assert bad.status_code == 422
    assert "client_id" in bad.json()["detail"]


def test_deleting_a_client_deletes_its_history(client: TestClient) -> None:
    alice = register(client, "Alice")
    ours = new_client(client, alice)
    upload(client, alice, "tb.csv", fixture(COMPANY_TB), client_id=ours)
    upload(client, alice, "tb.csv", fixture(COMPANY_TB))
    assert client.delete(f"/api/v1/clients/{ours}", headers=alice.headers).status_code == 204
    assert [i["client_id"] for i in history(client, alice)["items"]] == [None]


def test_dashboard_stats_count_clients_analyses_and_findings(
    client: TestClient, connection: Connection
) -> None:
    alice = register(client, "Alice")
    ours = new_client(client, alice)
    new_client(client, alice, "Idle")
    answers = [
        upload(client, alice, "tb.csv", fixture(COMPANY_TB), client_id=ours).json()
        for _ in range(2)
    ]
    _scope(connection, alice)
    one_of_them = next(iter(connection.execute(select(DiagnosticsAnalysis.id)).scalars()))
    connection.execute(
        update(DiagnosticsAnalysis)
        .where(DiagnosticsAnalysis.id == one_of_them)
        .values(analysed_at=utcnow() - timedelta(days=45))
    )
    stats = client.get("/api/v1/dashboard/stats", headers=alice.headers)
    assert stats.status_code == 200, stats.text
    body = stats.json()
    high = sum(a["severity"] == "high" for a in answers[0]["anomalies"])
    assert (body["clients"], body["all_time"]["analyses"], body["all_time"]["high"]) == (
        2,
        2,
        2 * high,
    )
    assert (body["last_30_days"]["analyses"], body["last_30_days"]["high"]) == (1, high)
    assert body["clients_analysed_last_30_days"] == 1
    viewer = member_of(client, alice, "viewer")
    assert client.get("/api/v1/dashboard/stats", headers=viewer.headers).json() == body
