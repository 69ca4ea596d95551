"""The export buttons' route over HTTP: the analysis the result page holds, posted back
as JSON with the engagement headings, answers the PDF memo, the Excel workpaper, the
lead schedules and the findings CSV; a bad body is a problem JSON naming the fields; the
CSRF header is required; nothing is read from the server (the analysis comes from the
page)."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.test_diagnostics_pages import COMPANY, analyse, embedded_analysis, token


def export(client: TestClient, kind: str, body: object, *, csrf: bool = True) -> object:
    headers = {"Content-Type": "application/json"}
    if csrf:
        headers["X-CSRF-Token"] = token(client)
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(f"/diagnostics/export/{kind}", content=content, headers=headers)


@pytest.fixture
def analysis(signed_in: TestClient) -> dict[str, object]:
    page = analyse(signed_in, "company.csv", COMPANY)
    assert 'data-testid="export-pdf"' in page.text
    body: dict[str, object] = embedded_analysis(page.text)
    body["engagement"] = {"entity": "Harbour Bakery Pty Ltd", "period_end": "2026-06-30"}
    return body


def test_the_pdf_and_the_excel_are_downloaded_from_the_analysis_the_page_holds(
    signed_in: TestClient, analysis: dict[str, object]
) -> None:
    pdf = export(signed_in, "pdf", analysis)
    assert pdf.status_code == 200, pdf.text[:300]
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="diagnostic-memo.pdf"' in pdf.headers["content-disposition"]
    excel = export(signed_in, "excel", analysis)
    assert excel.status_code == 200
    book = load_workbook(io.BytesIO(excel.content), read_only=True)
    assert "Findings" in book.sheetnames
    leads = export(signed_in, "leadsheets", analysis)
    assert leads.status_code == 200
    assert leads.content[:2] == b"PK"
    csv = export(signed_in, "csv", analysis)
    assert csv.status_code == 200
    assert "suspense_balance" in csv.text


def test_a_bad_body_is_a_problem_json_naming_the_fields(
    signed_in: TestClient, analysis: dict[str, object]
) -> None:
    broken = {**analysis, "risk_score": 400}
    refused = export(signed_in, "pdf", broken)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "risk_score" in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"] == "risk_score"
    junk = export(signed_in, "excel", b"not json")
    assert junk.status_code == 422
    wrong_type = signed_in.post(
        "/diagnostics/export/pdf",
        content=b"x",
        headers={"Content-Type": "text/plain", "X-CSRF-Token": token(signed_in)},
    )
    assert wrong_type.status_code == 415
    assert export(signed_in, "docx", analysis).status_code == 422  # no such export


def test_an_export_needs_the_csrf_header(
    signed_in: TestClient, analysis: dict[str, object]
) -> None:
    assert export(signed_in, "pdf", analysis, csrf=False).status_code == 403
