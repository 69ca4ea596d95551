"""The analysis through POST /api/v1/diagnostics/trial-balance."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.builders import register

COMPANY = Path(__file__).parents[2] / "fixtures" / "diagnostics" / "company_tb_debit_credit.csv"
URL = "/api/v1/diagnostics/trial-balance"


def test_the_response_carries_classification_anomalies_ratios_and_materiality(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    form = {
        "materiality": json.dumps({"benchmark": "revenue", "percentage": "0.01"}),
        "overrides": json.dumps({"1-9999": {"category": "asset", "lead_sheet": "Z"}}),
    }
    files = {"file": ("tb.csv", COMPANY.read_bytes(), "text/csv")}
    response = client.post(URL, headers=alice.headers, data=form, files=files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["balanced"] is True
    assert body["materiality"]["basis"] == "revenue"
    # revenue 642300 + 118750 - 6420 + other income 1236 = 755866 -> 1 %
    assert body["materiality"]["overall"] == "7558.66"
    assert body["materiality"]["performance"] == "5669.00"  # 5668.995 half up
    suspense = next(a for a in body["accounts"] if a["number"] == "1-9999")
    assert suspense["classification"]["source"] == "override"
    assert suspense["lead_sheet"] == "Z"
    codes = {a["code"] for a in body["anomalies"]}
    assert {"suspense_balance", "related_party_account"} <= codes
    assert body["ratios"]["gross_margin"]["value"] == "0.4390"
    assert body["ratios"]["interest_coverage"]["value"] is not None
    assert 0 <= body["risk_score"] <= 100
    assert body["risk_tier"] in (
        "low",
        "moderate",
        "high",
        "critical",
    )


def test_a_bad_materiality_is_a_422_naming_the_fields(client: TestClient) -> None:
    alice = register(client, "Alice")
    files = {"file": ("tb.csv", COMPANY.read_bytes(), "text/csv")}
    form = {"materiality": json.dumps({"percentage": "5", "performance": "0"})}
    response = client.post(URL, headers=alice.headers, data=form, files=files)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "materiality.percentage" in detail
    assert "materiality.performance" in detail
