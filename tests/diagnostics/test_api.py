"""POST /api/v1/diagnostics/trial-balance and /inspect-workbook over HTTP."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fiscus.diagnostics.ingest.limits import Limits
from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, ods, xlsx
from tests.support.builders import Account, add_member, register
from tests.support.zero_storage import no_file_written

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
URL = "/api/v1/diagnostics/trial-balance"
INSPECT = "/api/v1/diagnostics/inspect-workbook"


def post(
    client: TestClient, who: Account, name: str, data: bytes, url: str = URL, **fields: Any
) -> Any:
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return client.post(url, files={"file": (name, data)}, data=form, headers=who.headers)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_company_tb_is_analysed_with_totals_accounts_and_what_was_excluded(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    response = post(client, alice, "tb.csv", fixture("company_tb_debit_credit.csv"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["balanced"], body["total_debits"], body["total_credits"]) == (
        True,
        "1186980.33",
        "1186980.33",
    )
    assert (body["difference"], body["row_count"], body["file_format"]) == ("0.00", 37, "csv")
    assert body["excluded"] == [{"line_no": 41, "reason": "total or subtotal"}]
    allowance = next(a for a in body["accounts"] if a["number"] == "1-1250")
    assert (allowance["debit"], allowance["credit"], allowance["net"]) == (
        "0",
        "4820.50",
        "-4820.50",
    )
    assert body["ingestion"]["layout"] == "debit_credit"
    assert body["ingestion"]["columns"]["debit"] == {
        "column": 3,
        "header": "Debit",
        "confidence": 1.0,
        "source": "detected",
    }


def test_an_out_of_balance_tb_says_so_with_the_difference(client: TestClient) -> None:
    alice = register(client, "Alice")
    data = b"Account No,Account Name,Debit,Credit\n1000,Cash,100.00,\n2000,Loan,,90.50\n"
    body = post(client, alice, "tb.csv", data).json()
    assert (body["balanced"], body["difference"]) == (False, "9.50")


def test_unnamed_columns_answer_mapping_required_and_a_mapping_then_works(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    data = b"A;B;C\n1000;Cash;500,00\n2000;Loan;-500,00\n"
    refused = post(client, alice, "tb.csv", data)
    assert (refused.status_code, refused.json()["code"]) == (422, "mapping_required")
    candidates = refused.json()["candidates"]
    assert {"roles", "headers", "threshold"} <= set(candidates)
    mapping = {"header_line": 1, "number": "A", "name": "B", "net": 2}
    body = post(client, alice, "tb.csv", data, mapping=mapping).json()
    assert (body["total_debits"], body["total_credits"], body["row_count"]) == (
        "500.00",
        "500.00",
        2,
    )
    assert body["ingestion"]["columns"]["net"]["source"] == "mapping"


def test_a_file_without_amounts_fails_clearly_never_an_empty_report(client: TestClient) -> None:
    alice = register(client, "Alice")
    data = b"Account Number,Account Name,Notes\n1000,Cash,ok\n2000,Loan,check\n"
    response = post(client, alice, "tb.csv", data)
    assert (response.status_code, response.json()["code"]) == (422, "amounts_missing")
    assert "No debit, credit or balance column" in response.json()["detail"]


@pytest.mark.parametrize(("builder", "name"), [(xlsx, "group.xlsx"), (ods, "group.ods")])
def test_a_multi_sheet_workbook_is_analysed_per_sheet_and_consolidated(
    client: TestClient, builder: Any, name: str
) -> None:
    alice = register(client, "Alice")
    data = builder({"Cover": [["Group TB FY2026"]], "Head office": HEAD_OFFICE, "Branch": BRANCH})
    listed = post(client, alice, name, data, url=INSPECT).json()
    assert [(s["name"], s["rows"], s["columns"]) for s in listed["sheets"]] == [
        ("Cover", 1, 1),
        ("Head office", 9, 4),
        ("Branch", 4, 4),
    ]
    assert listed["sheets"][1]["preview"][0] == ["Account", "Description", "Debit", "Credit"]
    body = post(client, alice, name, data, sheets=["Head office", "Branch"]).json()
    assert (body["consolidated"], body["total_debits"], body["row_count"]) == (
        True,
        "132400.25",
        10,
    )
    assert [(s["sheet"], s["total_credits"]) for s in body["sheets"]] == [
        ("Head office", "120000.25"),
        ("Branch", "12400"),
    ]
    one = post(client, alice, name, data, sheets=["Branch"]).json()
    assert (one["consolidated"], one["sheet"], one["row_count"]) == (False, "Branch", 3)
    missing = post(client, alice, name, data, sheets=["Nope"])
    assert (missing.status_code, missing.json()["code"]) == (422, "unknown_sheet")


def _chunks() -> Iterator[bytes]:
    yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="tb.csv"\r\n\r\n'
    for _ in range(10_000):
        yield b"1,a,1,\n" * 100


def test_limits_are_named_in_413_answers(client: TestClient) -> None:
    alice = register(client, "Alice")
    client.app.state.diagnostics_limits = Limits(max_bytes=2048, max_rows=3)  # type: ignore[attr-defined]
    try:
        big = post(client, alice, "tb.csv", b"Account,Name,Debit,Credit\n" + b"1,a,1,\n" * 600)
        assert big.status_code == 413
        assert (big.json()["code"], big.json()["limit"], big.json()["allowed"]) == (
            "file_too_large",
            "max_bytes",
            2048,
        )
        streamed = client.post(  # chunked, no Content-Length: refused while it arrives
            URL,
            content=_chunks(),
            headers={**alice.headers, "content-type": "multipart/form-data; boundary=b"},
        )
        assert (streamed.status_code, streamed.json()["limit"]) == (413, "max_bytes")
        rows = post(client, alice, "tb.csv", b"Account,Name,Debit,Credit\n" + b"1,a,1,\n" * 5)
        assert (rows.status_code, rows.json()["limit"]) == (413, "max_rows")
    finally:
        del client.app.state.diagnostics_limits  # type: ignore[attr-defined]
    wide = post(client, alice, "tb.csv", b",".join([b"x"] * 70) + b"\n")
    assert (wide.status_code, wide.json()["limit"]) == (413, "max_columns")
    long = post(client, alice, "tb.csv", b"Account,Name,Debit\n1," + b"a" * 2000 + b",1\n")
    assert (long.status_code, long.json()["limit"]) == (413, "max_cell_chars")


def test_a_zip_bomb_is_refused_before_calamine_opens_it(client: TestClient) -> None:
    alice = register(client, "Alice")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    response = post(client, alice, "bomb.xlsx", buffer.getvalue())
    assert response.status_code == 413
    assert (response.json()["code"], response.json()["limit"]) == (
        "unsafe_archive",
        "max_zip_ratio",
    )


def test_a_renamed_non_workbook_and_a_binary_file_are_refused(client: TestClient) -> None:
    alice = register(client, "Alice")
    fake = post(client, alice, "tb.xlsx", b"Account,Name\n")
    assert (fake.status_code, fake.json()["code"]) == (422, "malformed_file")
    binary = post(client, alice, "tb.bin", b"\x00\x01\x02garbage")
    assert (binary.status_code, binary.json()["code"]) == (415, "unsupported_format")
    bare = client.post(URL, content=b"x", headers=alice.headers)
    assert (bare.status_code, bare.json()["code"]) == (422, "malformed_request")


@pytest.mark.parametrize("url", [URL, INSPECT, "/api/v1/diagnostics/journal-entries"])
def test_a_body_that_is_not_the_multipart_form_it_claims_is_422(
    client: TestClient, url: str
) -> None:
    alice = register(client, "Alice")
    broken = b"--b\r\n[not a header line]\r\n\r\nx\r\n--b--\r\n"  # had answered 500
    headers = {**alice.headers, "content-type": "multipart/form-data; boundary=b"}
    response = client.post(url, content=broken, headers=headers)
    assert (response.status_code, response.json()["code"]) == (422, "malformed_request")
    assert "multipart" in response.json()["detail"]


def test_a_client_id_names_no_client_of_this_tenant_so_it_is_404(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = post(
        client, alice, "tb.csv", fixture("net_with_drcr.txt"), client_id=str(uuid.uuid4())
    )
    assert (response.status_code, response.json()["code"]) == (404, "client_not_found")


def test_a_viewer_may_analyse_and_the_audit_event_holds_metadata_only(
    client: TestClient,
) -> None:
    alice, viewer = register(client, "Alice"), register(client, "Vera")
    add_member(client, alice, alice.tenant_id, viewer, "viewer")
    switched = client.post(
        "/api/v1/auth/switch-tenant",
        json={"tenant_id": str(alice.tenant_id)},
        headers=viewer.headers,
    )
    headers = (
        {"Authorization": f"Bearer {switched.json()['access_token']}"}
        if switched.status_code == 200
        else None
    )
    if headers is not None:
        as_viewer = client.post(
            URL, files={"file": ("tb.txt", fixture("net_with_drcr.txt"))}, headers=headers
        )
        assert as_viewer.status_code == 200, as_viewer.text
    assert (
        post(client, alice, "Secret Client TB.csv", fixture("net_with_drcr.txt")).status_code == 200
    )
    events = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    analysed = [e for e in events if e["action"] == "diagnostics.analyse"]
    assert analysed
    text = json.dumps(analysed)
    for secret in ("Cash", "Drawings", "Owner", "Secret Client"):
        assert secret not in text
    assert '"row_count": 10' in text or '"row_count":10' in text


def test_zero_storage_no_file_is_written_while_a_large_upload_is_analysed(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    lines = [b"Account No,Account Name,Debit,Credit"]
    lines += [b"%d,Expense account %d,%d.25," % (10000 + i, i, i) for i in range(60_000)]
    total = sum(range(60_000)) * 100 + 25 * 60_000
    lines.append(b"99999,Offset,,%d.%02d" % divmod(total, 100))
    data = b"\n".join(lines) + b"\n"
    assert len(data) > 2 * 1024 * 1024
    with no_file_written(tmp_path, monkeypatch):
        response = post(client, alice, "large.csv", data)
    assert response.status_code == 200, response.text[:500]
    assert (response.json()["row_count"], response.json()["balanced"]) == (60_001, True)
