"""Uploading a bank file: checked before parsing, detected, previewed; mapping; presets."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from fiscus.imports import api, reading
from tests.imports.helpers import bank_account, csv_file, upload
from tests.support.builders import register

ROWS = [
    ("01/07/2025", "Coffee shop", "-4.50", "R1"),
    ("02/07/2025", "Salary ACME", "1000.00", "R2"),
    ("13/07/2025", "Rent", "-400.00", "R3"),
]


def test_upload_shows_detection_mapping_and_preview_and_books_nothing(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = upload(client, alice, account, csv_file(ROWS))
    assert found["status"] == "draft"
    assert found["format"] == "csv"
    detection = found["detection"]
    assert detection["format"]["value"] == "csv"
    assert 0 < detection["date_format"]["confidence"] <= 1
    assert detection["date_format"]["value"] == "%d/%m/%Y"  # 13/07 settles day first
    assert detection["columns"]["amount"]["value"] == 2
    assert found["mapping"]["columns"]["reference"] == 3
    preview = found["preview"]
    assert [(r["line_no"], r["date"], r["amount"], r["category"]) for r in preview["rows"]] == [
        (2, "2025-07-01", "-4.50", "Uncategorised expense"),
        (3, "2025-07-02", "1000.00", "Uncategorised income"),
        (4, "2025-07-13", "-400.00", "Uncategorised expense"),
    ]
    assert preview["errors"] == []
    assert preview["duplicates"] == []
    assert found["counts"] == {"lines": 3, "created": 0, "duplicates": 0, "skipped": 0, "errors": 0}
    listed = client.get(
        "/api/v1/transactions", params={"account_id": account}, headers=alice.headers
    ).json()
    assert listed["total"] == 0
    imports = client.get("/api/v1/imports", headers=alice.headers).json()
    assert [i["id"] for i in imports["items"]] == [found["id"]]
    assert imports["total"] == 1
    again = client.get(f"/api/v1/imports/{found['id']}", headers=alice.headers).json()
    assert again["preview"] == preview


def test_rows_in_error_are_reported_with_line_numbers(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    rows = [*ROWS, ("31/02/2025", "Bad date", "-1.00", "R4"), ("03/07/2025", "Bad", "abc", "R5")]
    found = upload(client, alice, account, csv_file(rows))
    errors = {e["line_no"]: e["field"] for e in found["preview"]["errors"]}
    assert set(errors) == {5, 6}
    assert found["counts"]["errors"] == 2
    assert len(found["preview"]["rows"]) == 3


def test_upload_refusals_name_the_problem(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    data = csv_file(ROWS)
    refused = upload(client, alice, account, data, content_type="image/png", expect=415)
    assert refused["code"] == "unsupported_media_type"
    empty = upload(client, alice, account, b"  \n", expect=422)
    assert empty["code"] == "empty_file"
    for garbage in (b"%PDF-1.7\n" + bytes(range(256)) * 20, bytes(range(256)) * 20):
        binary = upload(
            client, alice, account, garbage, content_type="application/octet-stream", expect=415
        )
        assert binary["code"] == "unsupported_media_type"
    bad_mapping = client.post(
        "/api/v1/imports",
        files={"file": ("s.csv", data, "text/csv")},
        data={"account_id": account, "mapping": "{not json"},
        headers=alice.headers,
    )
    assert bad_mapping.status_code == 422
    assert bad_mapping.json()["code"] == "invalid_mapping"
    unknown = upload(client, alice, account, data, mapping={"colour": "red"}, expect=422)
    assert "colour" in unknown["detail"]
    monkeypatch.setattr(reading, "MAX_BYTES", 64)
    monkeypatch.setattr(api, "MAX_BYTES", 64)
    too_big = upload(client, alice, account, data, expect=413)
    assert too_big["code"] == "file_too_large"
    assert client.get("/api/v1/imports", headers=alice.headers).json()["total"] == 0


def test_upload_needs_a_bank_account_of_ones_own(client: TestClient) -> None:
    alice, bob = register(client, "Alice"), register(client, "Bob")
    category = client.post(
        "/api/v1/categories", json={"name": "Food", "type": "expense"}, headers=alice.headers
    ).json()["id"]
    into_category = upload(client, alice, category, csv_file(ROWS), expect=422)
    assert into_category["code"] == "not_a_bank_account"
    bobs = bank_account(client, bob)
    into_bobs = upload(client, alice, bobs, csv_file(ROWS), expect=404)
    assert into_bobs["code"] == "account_not_found"


def test_a_new_mapping_gives_a_new_preview(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = upload(client, alice, account, csv_file(ROWS))
    response = client.put(
        f"/api/v1/imports/{found['id']}/mapping",
        json={"invert_sign": True, "date_format": "%m/%d/%Y"},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["mapping"]["invert_sign"] is True
    rows = [(r["date"], r["amount"]) for r in body["preview"]["rows"]]
    assert rows == [("2025-01-07", "4.50"), ("2025-02-07", "-1000.00")]
    assert {e["line_no"] for e in body["preview"]["errors"]} == {4}  # no 13th month
    bad = client.put(
        f"/api/v1/imports/{found['id']}/mapping",
        json={"delimiter": ";;"},
        headers=alice.headers,
    )
    assert bad.status_code == 422
    assert "delimiter" in bad.json()["detail"]


def test_a_committed_mapping_is_suggested_for_the_next_file_of_that_layout(
    client: TestClient,
) -> None:
    from tests.imports.helpers import commit

    alice = register(client, "Alice")
    account = bank_account(client, alice)
    first = upload(client, alice, account, csv_file(ROWS), mapping={"invert_sign": True})
    assert first["preset"] is None
    commit(client, alice, first["id"])
    presets = client.get(
        "/api/v1/imports/presets", params={"account_id": account}, headers=alice.headers
    ).json()
    assert sorted(p["scope"] for p in presets) == ["account", "bank"]
    assert all(p["mapping"]["invert_sign"] is True for p in presets)
    later = csv_file([("05/08/2025", "Book shop", "-20.00", "R9")])
    second = upload(client, alice, account, later)
    assert second["preset"]["scope"] == "account"
    assert second["preview"]["rows"][0]["amount"] == "20.00"
    other = bank_account(client, alice, "Savings")
    third = upload(client, alice, other, later)
    assert third["preset"]["scope"] == "bank"
