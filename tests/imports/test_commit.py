"""Committing an import: booked once, duplicates decided, one unit, anchors, undo."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from fiscus.imports import commit as commit_module
from fiscus.imports.repository import ImportRepository
from tests.imports.helpers import (
    balance,
    bank_account,
    commit,
    csv_file,
    entries,
    upload,
)
from tests.support.builders import Account, register

ROWS = [
    ("01/07/2025", "Coffee shop", "-4.50", "R1"),
    ("02/07/2025", "Salary ACME", "1000.00", "R2"),
    ("13/07/2025", "Rent", "-400.00", "R3"),
]


def _post(client: TestClient, owner: Account, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json=body, headers=owner.headers)


def test_commit_books_every_line_against_uncategorised(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = upload(client, alice, account, csv_file(ROWS))
    done = commit(client, alice, found["id"])
    assert done["status"] == "committed"
    assert done["counts"] == {"lines": 3, "created": 3, "duplicates": 0, "skipped": 0, "errors": 0}
    assert done["job"]["progress"] == done["job"]["total"]
    assert balance(client, alice, account) == "595.50"
    booked = entries(client, alice, account)
    assert sorted((e["date"], e["description"], e["kind"]) for e in booked) == [
        ("2025-07-01", "Coffee shop", "expense"),
        ("2025-07-02", "Salary ACME", "income"),
        ("2025-07-13", "Rent", "expense"),
    ]
    categories = client.get("/api/v1/categories", headers=alice.headers).json()
    names = {c["name"] for c in categories}
    assert {"Uncategorised income", "Uncategorised expense"} <= names
    audit = client.get("/api/v1/audit/logs", params={"limit": 200}, headers=alice.headers).json()[
        "items"
    ]
    commits = [e for e in audit if e["action"] == "import.commit"]
    assert len(commits) == 1
    assert commits[0]["after"]["counts"]["created"] == 3
    assert sorted(commits[0]["after"]["transactions"]) == sorted(e["id"] for e in booked)
    assert not [e for e in audit if e["action"] == "transaction.create"]
    again = _post(client, alice, f"/api/v1/imports/{found['id']}/commit", {})
    assert again.status_code == 409


def test_the_same_file_twice_is_booked_once(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    commit(client, alice, upload(client, alice, account, csv_file(ROWS))["id"])
    second = upload(
        client, alice, account, csv_file([*ROWS, ("20/07/2025", "Gym", "-30.00", "R4")])
    )
    duplicates = second["preview"]["duplicates"]
    assert [(d["line_no"], d["kind"], d["default"]) for d in duplicates] == [
        (2, "exact", "skip"),
        (3, "exact", "skip"),
        (4, "exact", "skip"),
    ]
    done = commit(client, alice, second["id"])
    assert done["counts"]["created"] == 1
    assert done["counts"]["duplicates"] == 3
    assert balance(client, alice, account) == "565.50"


def test_files_without_references_are_booked_once_by_line_fingerprint(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    twice = [("01/07/2025", "Coffee", "-4.50", ""), ("01/07/2025", "Coffee", "-4.50", "")]
    first = commit(client, alice, upload(client, alice, account, csv_file(twice))["id"])
    assert first["counts"]["created"] == 2  # two identical coffees are two lines
    more = [*twice, ("01/07/2025", "Coffee", "-4.50", "")]
    found = upload(client, alice, account, csv_file(more))
    kinds = [(d["line_no"], d["kind"]) for d in found["preview"]["duplicates"]]
    assert kinds == [(2, "exact"), (3, "exact"), (4, "fuzzy")]  # a third coffee: ask
    second = commit(client, alice, found["id"], {"decisions": {"4": "import"}})
    assert second["counts"] == {
        "lines": 3,
        "created": 1,
        "duplicates": 2,
        "skipped": 2,
        "errors": 0,
    }
    assert balance(client, alice, account) == "-13.50"


def test_a_fuzzy_duplicate_needs_a_decision(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    food = client.post(
        "/api/v1/categories", json={"name": "Food", "type": "expense"}, headers=alice.headers
    ).json()["id"]
    typed = _post(
        client,
        alice,
        "/api/v1/transactions",
        {
            "date": "2025-07-02",
            "description": "coffee",
            "payee": "Coffee Shop",
            "amount": "4.50",
            "type": "expense",
            "account_id": account,
            "category_id": food,
        },
    )
    assert typed.status_code == 201, typed.text
    found = upload(client, alice, account, csv_file(ROWS))
    [candidate] = found["preview"]["duplicates"]
    assert candidate["kind"] == "fuzzy"
    assert candidate["line_no"] == 2
    assert candidate["transaction_id"] == typed.json()["id"]
    assert candidate["default"] is None
    assert 0.6 <= candidate["score"] <= 1
    path = f"/api/v1/imports/{found['id']}/commit"
    refused = _post(client, alice, path, {})
    assert refused.status_code == 422
    assert refused.json()["code"] == "duplicates_undecided"
    assert "2" in refused.json()["detail"]
    stranger = _post(client, alice, path, {"decisions": {"3": "skip"}})
    assert stranger.status_code == 422
    assert "3" in stranger.json()["detail"]
    done = commit(client, alice, found["id"], {"decisions": {"2": "skip"}})
    assert done["counts"]["created"] == 2
    assert done["counts"]["duplicates"] == 1
    assert balance(client, alice, account) == "595.50"  # the typed coffee counts once


def test_a_fuzzy_candidate_can_be_imported_anyway(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    commit(client, alice, upload(client, alice, account, csv_file(ROWS[:1]))["id"])
    other_ref = [("02/07/2025", "COFFEE SHOP", "-4.50", "X9")]
    found = upload(client, alice, account, csv_file(other_ref))
    assert [d["kind"] for d in found["preview"]["duplicates"]] == ["fuzzy"]
    done = commit(client, alice, found["id"], {"decisions": {"2": "import"}})
    assert done["counts"]["created"] == 1
    assert balance(client, alice, account) == "-9.00"


def test_rows_in_error_are_skipped_unless_all_or_nothing(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    rows = [*ROWS, ("31/02/2025", "Bad date", "-1.00", "R4")]
    found = upload(client, alice, account, csv_file(rows))
    strict = _post(client, alice, f"/api/v1/imports/{found['id']}/commit", {"all_or_nothing": True})
    assert strict.status_code == 422
    assert strict.json()["code"] == "rows_in_error"
    assert "5" in strict.json()["detail"]
    assert entries(client, alice, account) == []
    done = commit(client, alice, found["id"])
    assert done["counts"]["created"] == 3
    assert done["counts"]["errors"] == 1


def test_a_failure_half_way_leaves_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = upload(client, alice, account, csv_file(ROWS))
    real_writer = ImportRepository.line_writer

    def writes_twice(self: ImportRepository) -> Any:
        writer = real_writer(self)
        real_stage = writer.stage
        writer.stage = lambda rows: real_stage([*rows, rows[0]])  # type: ignore[method-assign]
        return writer  # the database refuses the repeated line

    monkeypatch.setattr(ImportRepository, "line_writer", writes_twice)
    failed = commit(client, alice, found["id"], expect_job="failed")
    assert failed["job"]["error"] == IntegrityError.__name__  # the database refused it
    assert failed["status"] == "failed"
    assert entries(client, alice, account) == []
    assert balance(client, alice, account) == "0.00"
    names = {c["name"] for c in client.get("/api/v1/categories", headers=alice.headers).json()}
    assert "Uncategorised expense" not in names  # made in the unit that rolled back
    monkeypatch.setattr(ImportRepository, "line_writer", real_writer)
    done = commit(client, alice, found["id"])
    assert done["status"] == "committed"
    assert done["counts"]["created"] == 3
    assert balance(client, alice, account) == "595.50"


def test_a_failure_after_booking_leaves_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    found = upload(client, alice, account, csv_file(ROWS))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("suggestions store down")

    # the suggestions are written after the lines are booked, the lines stored, the anchors
    monkeypatch.setattr(commit_module.insights_batch, "record", broken)
    failed = commit(client, alice, found["id"], expect_job="failed")
    assert failed["status"] == "failed"
    assert failed["counts"]["created"] == 0
    assert entries(client, alice, account) == []
    assert balance(client, alice, account) == "0.00"


OFX = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>AUD
<BANKACCTFROM><BANKID>012003<ACCTID>123456789<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20250701<DTEND>20250731
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250701<TRNAMT>-45.20<FITID>F1<NAME>WOOLWORTHS</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250703<TRNAMT>2500.00<FITID>F2<NAME>ACME</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>{balance}<DTASOF>20250731</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""


def test_statement_balances_become_anchors_and_undo_takes_everything_back(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    data = OFX.format(balance="2454.80").encode()
    found = upload(client, alice, account, data, filename="s.ofx", content_type="application/x-ofx")
    assert found["format"] == "ofx"
    assert [b["amount"] for b in found["preview"]["balances"] if b["kind"] == "closing"] == [
        "2454.80"
    ]
    done = commit(client, alice, found["id"])
    [anchor] = done["result"]["anchors"]
    assert anchor["date"] == "2025-07-31"
    assert anchor["created"] is True
    assert anchor["agrees"] is True
    assert anchor["difference"] == "0.00"
    listed = client.get(f"/api/v1/accounts/{account}/anchors", headers=alice.headers).json()
    assert [a["id"] for a in listed] == [anchor["id"]]
    undone = _post(client, alice, f"/api/v1/imports/{found['id']}/undo", {})
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "undone"
    assert undone.json()["result"]["undo"]["removed"] == 2
    assert balance(client, alice, account) == "0.00"
    assert entries(client, alice, account) == []
    assert client.get(f"/api/v1/accounts/{account}/anchors", headers=alice.headers).json() == []
    twice = _post(client, alice, f"/api/v1/imports/{found['id']}/undo", {})
    assert twice.status_code == 409
    assert twice.json()["code"] == "import_not_undoable"
    audit = client.get("/api/v1/audit/logs", params={"limit": 200}, headers=alice.headers)
    assert [e["action"] for e in audit.json()["items"]].count("import.undo") == 1
    rebooked = upload(
        client, alice, account, data, filename="s.ofx", content_type="application/x-ofx"
    )
    assert rebooked["preview"]["duplicates"] == []  # an undone import holds no line back
    commit(client, alice, rebooked["id"])
    assert balance(client, alice, account) == "2454.80"


def test_an_anchor_that_disagrees_shows_the_difference(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    data = OFX.format(balance="2500.00").encode()
    found = upload(client, alice, account, data, filename="s.ofx", content_type="application/x-ofx")
    [anchor] = commit(client, alice, found["id"])["result"]["anchors"]
    assert anchor["agrees"] is False
    assert anchor["computed_balance"] == "2454.80"
    assert anchor["difference"] == "45.20"


def test_undo_keeps_entries_of_other_imports_and_typed_ones(client: TestClient) -> None:
    alice = register(client, "Alice")
    account = bank_account(client, alice)
    first = upload(client, alice, account, csv_file(ROWS[:2]))
    commit(client, alice, first["id"])
    second = upload(client, alice, account, csv_file(ROWS[2:]))
    commit(client, alice, second["id"])
    undone = _post(client, alice, f"/api/v1/imports/{first['id']}/undo", {})
    assert undone.status_code == 200
    assert balance(client, alice, account) == "-400.00"
    assert [e["description"] for e in entries(client, alice, account)] == ["Rent"]
    draft = upload(client, alice, account, csv_file(ROWS))
    not_committed = _post(client, alice, f"/api/v1/imports/{draft['id']}/undo", {})
    assert not_committed.status_code == 409


def test_unknown_imports_are_not_found(client: TestClient) -> None:
    alice = register(client, "Alice")
    missing = "00000000-0000-0000-0000-000000000000"
    for method, path in (
        ("GET", f"/api/v1/imports/{missing}"),
        ("PUT", f"/api/v1/imports/{missing}/mapping"),
        ("POST", f"/api/v1/imports/{missing}/commit"),
        ("POST", f"/api/v1/imports/{missing}/undo"),
    ):
        response = client.request(method, path, json={}, headers=alice.headers)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["code"] == "import_not_found"
