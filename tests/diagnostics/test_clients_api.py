"""/api/v1/clients over HTTP: CRUD, validation, roles, and what a client brings to an
analysis (its saved mapping, its materiality between the request's and the practice's)."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from fiscus.diagnostics.repository import ClientRepository
from tests.diagnostics.practice import (
    COMPANY_TB,
    UNNAMED,
    UNNAMED_MAPPING,
    field_of,
    fixture,
    member_of,
    new_client,
    upload,
)
from tests.support.builders import register

URL = "/api/v1/clients"


def test_a_client_is_created_listed_read_changed_and_deleted(client: TestClient) -> None:
    alice = register(client, "Alice")
    created = client.post(
        URL,
        json={
            "name": "  Harbour Joinery Pty Ltd ",
            "industry": "Construction",
            "fiscal_year_end": "06-30",
            "materiality": {"benchmark": "revenue", "percentage": "0.02", "cap": "50000"},
        },
        headers=alice.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["name"], body["industry"], body["fiscal_year_end"]) == (
        "Harbour Joinery Pty Ltd",
        "Construction",
        "06-30",
    )
    assert body["materiality"] == {"benchmark": "revenue", "percentage": "0.02", "cap": "50000"}
    assert (body["mapping"], body["analysis_count"], body["last_analysed_at"]) == (None, 0, None)
    new_client(client, alice, "Acme Widgets", fiscal_year_end="12-31")
    listed = client.get(URL, headers=alice.headers).json()
    assert [c["name"] for c in listed["items"]] == ["Acme Widgets", "Harbour Joinery Pty Ltd"]
    assert listed["total"] == 2
    found = client.get(URL, params={"q": "harbour"}, headers=alice.headers).json()["items"]
    assert [c["id"] for c in found] == [body["id"]]
    changed = client.patch(
        f"{URL}/{body['id']}",
        json={"industry": None, "fiscal_year_end": "03-31", "materiality": {"amount": "12000"}},
        headers=alice.headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["industry"], changed.json()["fiscal_year_end"]) == (None, "03-31")
    assert changed.json()["materiality"] == {"amount": "12000"}
    assert changed.json()["name"] == "Harbour Joinery Pty Ltd"
    assert client.delete(f"{URL}/{body['id']}", headers=alice.headers).status_code == 204
    gone = client.get(f"{URL}/{body['id']}", headers=alice.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "client_not_found")
    events = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    actions = {e["action"] for e in events}
    assert {"diagnostics.client_create", "diagnostics.client_update"} <= actions
    assert "diagnostics.client_delete" in actions


def test_a_second_client_of_the_same_name_is_a_conflict(client: TestClient) -> None:
    alice = register(client, "Alice")
    first = new_client(client, alice, "Harbour Joinery")
    again = client.post(URL, json={"name": "harbour  JOINERY"}, headers=alice.headers)
    assert (again.status_code, again.json()["code"]) == (409, "client_name_taken")
    other = new_client(client, alice, "Acme")
    renamed = client.patch(
        f"{URL}/{other}", json={"name": "Harbour Joinery"}, headers=alice.headers
    )
    assert (renamed.status_code, field_of(renamed)) == (409, "name")
    same = client.patch(f"{URL}/{first}", json={"name": "HARBOUR JOINERY"}, headers=alice.headers)
    assert same.status_code == 200


def test_bad_input_is_a_422_naming_the_field(client: TestClient) -> None:
    alice = register(client, "Alice")
    cases = [
        ({"name": "  "}, "name"),
        ({"name": "A", "fiscal_year_end": "13-01"}, "fiscal_year_end"),
        ({"name": "A", "fiscal_year_end": "02-30"}, "fiscal_year_end"),
        ({"name": "A", "fiscal_year_end": "6/30"}, "fiscal_year_end"),
        ({"name": "A", "materiality": {"percentage": "5"}}, "materiality.percentage"),
        ({"name": "A", "materiality": {"amount": "-1"}}, "materiality.amount"),
        ({"name": "A", "materiality": {"benchmark": "ebitda"}}, "materiality.benchmark"),
        ({"name": "A", "materiality": {"bogus": "1"}}, "materiality.bogus"),
        ({"name": "A", "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = client.post(URL, json=body, headers=alice.headers)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["detail"], (body, response.json())
    both = client.post(
        URL,
        json={"name": "A", "materiality": {"amount": "1000", "benchmark": "revenue"}},
        headers=alice.headers,
    )
    assert both.status_code == 422
    assert "materiality" in both.json()["detail"]
    mapping = client.post(URL, json={"name": "A", "mapping": {"colour": 1}}, headers=alice.headers)
    assert (mapping.status_code, field_of(mapping)) == (422, "mapping.colour")
    assert client.get(URL, headers=alice.headers).json()["total"] == 0
    harbour = new_client(client, alice)
    for body, field in (
        ({"name": None}, "name"),
        ({"fiscal_year_end": "00-10"}, "fiscal_year_end"),
    ):
        response = client.patch(f"{URL}/{harbour}", json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert field in response.json()["detail"]
    assert client.get(f"{URL}/{harbour}", headers=alice.headers).json()["name"] == "Harbour Joinery"
    bad_id = client.get(f"{URL}/not-a-uuid", headers=alice.headers)
    assert bad_id.status_code == 422
    assert "client_id" in bad_id.json()["detail"]


def test_a_viewer_reads_clients_but_cannot_change_them(client: TestClient) -> None:
    alice = register(client, "Alice")
    harbour = new_client(client, alice)
    viewer = member_of(client, alice, "viewer")
    assert client.get(URL, headers=viewer.headers).json()["total"] == 1
    assert client.get(f"{URL}/{harbour}", headers=viewer.headers).status_code == 200
    refused = [
        client.post(URL, json={"name": "Mine"}, headers=viewer.headers),
        client.patch(f"{URL}/{harbour}", json={"name": "Mine"}, headers=viewer.headers),
        client.delete(f"{URL}/{harbour}", headers=viewer.headers),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert client.get(f"{URL}/{harbour}", headers=alice.headers).json()["name"] == "Harbour Joinery"
    member = member_of(client, alice, "member", "Mo")
    assert client.post(URL, json={"name": "Mo's client"}, headers=member.headers).status_code == 201


def test_a_mapping_saved_with_an_analysis_is_reused_for_the_client(client: TestClient) -> None:
    alice = register(client, "Alice")
    harbour = new_client(client, alice)
    refused = upload(client, alice, "tb.csv", UNNAMED, client_id=harbour)
    assert (refused.status_code, refused.json()["code"]) == (422, "mapping_required")
    saved = upload(
        client, alice, "tb.csv", UNNAMED, client_id=harbour, mapping=UNNAMED_MAPPING,
        save_mapping="true",
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    assert (saved.json()["mapping_source"], saved.json()["client_id"]) == ("request", harbour)
    kept = client.get(f"{URL}/{harbour}", headers=alice.headers).json()["mapping"]
    assert kept == UNNAMED_MAPPING
    again = upload(client, alice, "tb.csv", UNNAMED, client_id=harbour)
    assert again.status_code == 200, again.text
    assert (again.json()["mapping_source"], again.json()["total_debits"]) == ("client", "500.00")
    assert again.json()["ingestion"]["columns"]["net"]["source"] == "mapping"
    # The mapping is the client's: without it the same file still needs one.
    assert upload(client, alice, "tb.csv", UNNAMED).status_code == 422
    # Without save_mapping a request's mapping is used once and not kept.
    other = new_client(client, alice, "Acme")
    upload(client, alice, "tb.csv", UNNAMED, client_id=other, mapping=UNNAMED_MAPPING)
    assert client.get(f"{URL}/{other}", headers=alice.headers).json()["mapping"] is None
    cleared = client.patch(f"{URL}/{harbour}", json={"mapping": None}, headers=alice.headers)
    assert cleared.json()["mapping"] is None


def test_save_mapping_needs_a_client_and_a_mapping(client: TestClient) -> None:
    alice = register(client, "Alice")
    harbour = new_client(client, alice)
    cases = [
        ({"save_mapping": "true", "mapping": UNNAMED_MAPPING}, "save_mapping"),
        ({"save_mapping": "true", "client_id": harbour}, "mapping"),
        ({"save_mapping": "maybe", "client_id": harbour}, "save_mapping"),
        ({"client_id": "not-a-uuid"}, "client_id"),
    ]
    for fields, field in cases:
        response = upload(client, alice, "tb.csv", UNNAMED, **fields)
        assert (response.status_code, field_of(response)) == (422, field), fields
    unknown = upload(client, alice, "tb.csv", UNNAMED, client_id=str(uuid.uuid4()))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "client_not_found")
    assert client.get(f"{URL}/{harbour}", headers=alice.headers).json()["mapping"] is None


def _materiality(client: TestClient, alice: object, **fields: object) -> dict[str, object]:
    response = upload(client, alice, "tb.csv", fixture(COMPANY_TB), **fields)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    body = response.json()
    return {**body["materiality"], "sources": body["materiality_sources"]}


def test_materiality_is_the_requests_over_the_clients_over_the_practices(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    practice = {"benchmark": "revenue", "percentage": "0.02", "performance": "0.6"}
    put = client.put("/api/v1/settings", json={"materiality": practice}, headers=alice.headers)
    assert put.status_code == 200, put.text
    # Revenue of the fixture: 642,300 + 118,750 - 6,420 + 1,236 = 755,866.
    by_practice = _materiality(client, alice)
    assert (by_practice["basis"], by_practice["overall"], by_practice["performance"]) == (
        "revenue",
        "15117.32",
        "9070.39",
    )
    assert by_practice["trivial"] == "755.87"  # the built-in 5 %
    assert by_practice["sources"] == {
        "basis": "practice",
        "performance": "practice",
        "trivial": "default",
    }
    harbour = new_client(client, alice, materiality={"amount": "25000", "cap": "20000"})
    by_client = _materiality(client, alice, client_id=harbour)
    assert (by_client["basis"], by_client["overall"], by_client["performance"]) == (
        "fixed",
        "20000.00",
        "12000.00",
    )
    assert by_client["sources"]["basis"] == "client"
    by_request = _materiality(
        client, alice, client_id=harbour, materiality={"amount": "30000", "trivial": "0.1"}
    )
    # The request's basis is taken whole: the client's cap does not bound its amount.
    assert (by_request["overall"], by_request["performance"], by_request["trivial"]) == (
        "30000.00",
        "18000.00",
        "3000.00",
    )
    assert by_request["sources"] == {
        "basis": "request",
        "performance": "practice",
        "trivial": "request",
    }
    # A request naming only a benchmark takes that benchmark's own default percentage,
    # not the practice's.
    revenue_only = _materiality(
        client, alice, client_id=harbour, materiality={"benchmark": "revenue"}
    )
    assert (revenue_only["overall"], revenue_only["sources"]["basis"]) == ("7558.66", "request")
    bad = upload(
        client, alice, "tb.csv", fixture(COMPANY_TB), client_id=harbour,
        materiality={"performance": "2"},
    )  # fmt: skip
    assert (bad.status_code, field_of(bad)) == (422, "materiality.performance")


def test_two_requests_racing_for_one_name_meet_the_unique_constraint(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    new_client(client, alice, "Harbour Joinery")
    # The second request's check ran before the first one's insert committed.
    monkeypatch.setattr(ClientRepository, "by_name_key", lambda self, key: None)
    raced = client.post(URL, json={"name": "Harbour Joinery"}, headers=alice.headers)
    assert (raced.status_code, raced.json()["code"]) == (409, "client_name_taken")
    assert client.get(URL, headers=alice.headers).json()["total"] == 1
    assert client.post(URL, json={"name": "Acme"}, headers=alice.headers).status_code == 201
