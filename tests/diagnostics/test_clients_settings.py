"""GET/PUT /api/v1/settings over HTTP: the practice's diagnostics defaults."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.diagnostics.practice import COMPANY_TB, fixture, member_of, upload
from tests.support.builders import register

URL = "/api/v1/settings"


def test_settings_start_at_the_built_in_defaults_and_are_replaced_whole(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    start = client.get(URL, headers=alice.headers).json()
    assert start == {
        "materiality": {},
        "confidence_threshold": 0.6,
        "confidence_threshold_set": False,
        "updated_at": None,
    }
    put = client.put(
        URL,
        json={
            "materiality": {"benchmark": "total_assets", "percentage": "0.015", "floor": "1000"},
            "confidence_threshold": 0.8,
        },
        headers=alice.headers,
    )
    assert put.status_code == 200, put.text
    body = client.get(URL, headers=alice.headers).json()
    assert body["materiality"] == {
        "benchmark": "total_assets",
        "percentage": "0.015",
        "floor": "1000",
    }
    assert (body["confidence_threshold"], body["confidence_threshold_set"]) == (0.8, True)
    assert body["updated_at"] is not None
    # PUT replaces the whole: what is left out returns to its default.
    again = client.put(URL, json={"materiality": {"performance": "0.5"}}, headers=alice.headers)
    assert again.json()["materiality"] == {"performance": "0.5"}
    assert again.json()["confidence_threshold"] == 0.6
    events = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    assert sum(e["action"] == "diagnostics.settings_update" for e in events) == 2


def test_bad_settings_are_a_422_naming_the_field_and_change_nothing(client: TestClient) -> None:
    alice = register(client, "Alice")
    cases = [
        ({"confidence_threshold": 0.3}, "confidence_threshold"),
        ({"confidence_threshold": 1.5}, "confidence_threshold"),
        ({"materiality": {"trivial": "0"}}, "materiality.trivial"),
        ({"materiality": {"cap": "abc"}}, "materiality.cap"),
        ({"materiality": {"floor": "10", "cap": "5"}}, "materiality"),
        ({"threshold": 0.7}, "threshold"),
    ]
    for body, field in cases:
        response = client.put(URL, json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert field in response.json()["detail"], (body, response.json())
    assert client.get(URL, headers=alice.headers).json()["confidence_threshold_set"] is False


def test_a_viewer_reads_the_settings_but_cannot_change_them(client: TestClient) -> None:
    alice = register(client, "Alice")
    viewer = member_of(client, alice, "viewer")
    assert client.get(URL, headers=viewer.headers).status_code == 200
    refused = client.put(URL, json={"confidence_threshold": 0.9}, headers=viewer.headers)
    assert refused.status_code == 403
    assert client.get(URL, headers=alice.headers).json()["confidence_threshold"] == 0.6


def test_the_confidence_threshold_decides_which_detected_columns_are_used(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    # "YTD Debit" only contains a known word: its role scores 0.8, not 1.
    data = b"Code,Account,YTD Debit,YTD Credit\n1000,Cash,100.00,\n3000,Capital,,100.00\n"
    assert upload(client, alice, "tb.csv", data).status_code == 200
    client.put(URL, json={"confidence_threshold": 0.99}, headers=alice.headers)
    strict = upload(client, alice, "tb.csv", data)
    assert (strict.status_code, strict.json()["code"]) == (422, "mapping_required")
    assert strict.json()["candidates"]["threshold"] == 0.99
    assert "0.99" in strict.json()["detail"]
    assert upload(client, alice, "tb.csv", fixture(COMPANY_TB)).status_code == 200
