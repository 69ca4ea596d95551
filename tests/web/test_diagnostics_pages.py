"""The trial-balance diagnostics pages over HTTP: the upload page, the sheet picker, the
mapping dialog, the result (risk, findings, classification with overrides, ratios,
materiality) and the refusals shown in the page; CSRF by header only, zero storage."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fiscus.diagnostics.ingest.limits import Limits
from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, xlsx

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
COMPANY = (FIXTURES / "company_tb_debit_credit.csv").read_bytes()
HTMX = {"HX-Request": "true"}


def token(client: TestClient) -> str:
    return client.cookies.get("fiscus_csrf") or ""


def post(
    client: TestClient,
    path: str,
    name: str,
    data: bytes,
    fields: dict[str, str] | None = None,
    *,
    htmx: bool = True,
    csrf: bool = True,
) -> httpx.Response:
    headers = dict(HTMX) if htmx else {}
    if csrf:
        headers["X-CSRF-Token"] = token(client)
    return client.post(path, files={"file": (name, data)}, data=fields or {}, headers=headers)


def analyse(client: TestClient, name: str, data: bytes, **fields: str) -> httpx.Response:
    return post(client, "/diagnostics/analyse", name, data, fields)


def rows(html: str) -> dict[str, tuple[str, str]]:
    """Account key -> (category, source) of the classification table."""
    found = re.findall(
        r'data-testid="account-row" data-key="([^"]*)" data-category="(\w+)" data-source="(\w+)"',
        html,
    )
    return {key: (category, source) for key, category, source in found}


def embedded_analysis(html: str) -> Any:
    match = re.search(r'<div id="diag-analysis" hidden>(.*?)</div>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_anonymous_is_sent_to_log_in(page_client: TestClient) -> None:
    response = page_client.get("/diagnostics")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/diagnostics"


def test_the_upload_page_has_a_drop_zone_a_file_input_and_the_nav_entry(
    signed_in: TestClient,
) -> None:
    page = signed_in.get("/diagnostics")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="dropzone"' in html
    assert 'type="file"' in html
    assert 'name="file"' in html
    assert ".xlsx" in html
    assert '<a href="/diagnostics" aria-current="page">' in html
    assert '<script src="/static/diagnostics.js" defer></script>' in html
    assert signed_in.get("/static/diagnostics.js").status_code == 200


def test_a_post_without_the_csrf_header_is_refused_before_the_body_is_read(
    signed_in: TestClient,
) -> None:
    # Even with the token as a form field: reading the form could spool the file to disk.
    refused = signed_in.post(
        "/diagnostics/analyse",
        files={"file": ("tb.csv", COMPANY)},
        data={"csrf_token": token(signed_in)},
        headers=HTMX,
    )
    assert refused.status_code == 403
    assert "turn on JavaScript" in refused.text
    wrong = signed_in.post(
        "/diagnostics/analyse",
        files={"file": ("tb.csv", COMPANY)},
        headers={**HTMX, "X-CSRF-Token": "x" * 43},
    )
    assert wrong.status_code == 403


def test_a_csv_is_analysed_into_the_risk_dashboard_ratios_materiality_and_table(
    signed_in: TestClient,
) -> None:
    response = analyse(signed_in, "company.csv", COMPANY)
    assert response.status_code == 200, response.text
    html = response.text
    assert "<html" not in html  # the fragment only
    assert 'data-risk-score="39"' in html
    assert 'data-testid="risk-tier">Moderate risk' in html
    assert 'data-code="suspense_balance" data-severity="high"' in html
    assert "Suggested procedure:" in html
    assert "badge-material" in html
    assert "badge-immaterial" in html
    # Severity groups in order, most severe first.
    heads = re.findall(r'<h3 class="diag-severity severity-(\w+)">', html)
    assert heads == sorted(heads, key=["critical", "high", "medium", "low", "info"].index)
    assert 'data-testid="ratio-current_ratio" data-tone="good"' in html
    assert "comfortably covers short-term debts" in html
    assert "3.20\N{MULTIPLICATION SIGN}" in html
    assert "43.9 %" in html  # gross margin 0.4390 shown as a percentage
    assert 'data-testid="materiality-overall">9,731.33<' in html
    assert "5.00 % of pre-tax profit (194,626.50)" in html
    assert rows(html)["1-1000"] == ("asset", "file")
    assert "not meaningful here: 37 balances, 500 needed" in html
    assert embedded_analysis(html)["risk_score"] == 39


def test_an_override_re_runs_the_analysis_with_the_account_reclassified(
    signed_in: TestClient,
) -> None:
    first = analyse(signed_in, "company.csv", COMPANY).text
    keys = list(rows(first))
    index = keys.index("1-9999")  # the suspense account, on lead sheet Z
    again = analyse(
        signed_in, "company.csv", COMPANY, **{f"ovk.{index}": "1-9999", f"ovc.{index}": "expense"}
    )
    assert again.status_code == 200, again.text
    assert rows(again.text)["1-9999"] == ("expense", "override")
    assert '<option value="expense" selected>' in again.text
    analysis = embedded_analysis(again.text)
    suspense = next(a for a in analysis["accounts"] if a["number"] == "1-9999")
    assert suspense["classification"]["source"] == "override"
    # A blank choice is "as classified": nothing is overridden.
    plain = analyse(signed_in, "company.csv", COMPANY, **{"ovk.0": "1-1000", "ovc.0": ""})
    assert rows(plain.text)["1-1000"] == ("asset", "file")
    bad = analyse(signed_in, "company.csv", COMPANY, **{"ovk.0": "1-1000", "ovc.0": "cash"})
    assert bad.status_code == 422
    assert "overrides.1-1000: &#39;cash&#39; is not a category." in bad.text


def test_materiality_can_be_a_fixed_amount_or_a_benchmark_and_bad_input_is_named(
    signed_in: TestClient,
) -> None:
    fixed = analyse(signed_in, "c.csv", COMPANY, **{"mat.mode": "amount", "mat.amount": "50,000"})
    assert 'data-testid="materiality-overall">50,000.00<' in fixed.text
    assert 'value="50,000"' in fixed.text  # what was typed is kept for the next re-run
    revenue = analyse(signed_in, "c.csv", COMPANY, **{"mat.mode": "revenue", "mat.percentage": "2"})
    assert "2.00 % of revenue (755,866.00)" in revenue.text
    missing = analyse(signed_in, "c.csv", COMPANY, **{"mat.mode": "amount"})
    assert missing.status_code == 422
    assert "materiality.amount is required" in missing.text
    junk = analyse(signed_in, "c.csv", COMPANY, **{"mat.mode": "amount", "mat.amount": "lots"})
    assert junk.status_code == 422
    assert "materiality.amount must be a number" in junk.text
    negative = analyse(signed_in, "c.csv", COMPANY, **{"mat.mode": "amount", "mat.amount": "-5"})
    assert negative.status_code == 422
    assert "materiality.amount" in negative.text


def test_unnamed_columns_open_the_mapping_dialog_and_the_mapping_then_works(
    signed_in: TestClient,
) -> None:
    data = b"A;B;C\n1000;Cash;500,00\n2000;Loan;-500,00\n"
    asked = analyse(signed_in, "tb.csv", data)
    assert asked.status_code == 422
    assert 'data-testid="mapping-dialog"' in asked.text
    assert 'name="map.debit"' in asked.text
    assert '<option value="2"' in asked.text
    mapped = analyse(
        signed_in,
        "tb.csv",
        data,
        **{"map.number": "0", "map.name": "1", "map.net": "2", "map.header_line": "1"},
    )
    assert mapped.status_code == 200, mapped.text
    assert embedded_analysis(mapped.text)["total_debits"] == "500.00"
    # The mapping rides along as hidden fields, so an override re-run keeps it.
    assert '<input type="hidden" name="map.net" value="2">' in mapped.text


def test_a_workbook_shows_the_sheet_picker_and_the_chosen_sheets_are_analysed(
    signed_in: TestClient,
) -> None:
    book = xlsx({"Head office": HEAD_OFFICE, "Branch": BRANCH})
    picker = post(signed_in, "/diagnostics/inspect", "group.xlsx", book)
    assert picker.status_code == 200, picker.text
    assert 'data-sheet-count="2"' in picker.text
    assert 'name="sheet.0" value="Head office" checked' in picker.text
    assert 'name="sheet.1" value="Branch" checked' in picker.text
    assert 'data-testid="auto-analyse"' not in picker.text  # the user picks, then analyses
    one = analyse(signed_in, "group.xlsx", book, **{"sheet.1": "Branch"})
    assert one.status_code == 200, one.text
    assert embedded_analysis(one.text)["row_count"] == 3
    both = analyse(signed_in, "group.xlsx", book, **{"sheet.0": "Head office", "sheet.1": "Branch"})
    assert "consolidated from Head office, Branch" in both.text
    assert embedded_analysis(both.text)["consolidated"] is True
    single = post(signed_in, "/diagnostics/inspect", "tb.csv", COMPANY)
    assert 'data-testid="auto-analyse"' in single.text  # nothing to choose: run at once


def test_refusals_are_shown_in_the_page_with_their_status(
    signed_in: TestClient, web_app: FastAPI
) -> None:
    empty = analyse(signed_in, "tb.csv", b"")
    assert empty.status_code == 422
    assert "The uploaded file is empty." in empty.text
    junk = analyse(signed_in, "tb.xlsx", b"\x00\x01\x02binary junk\xff" * 10)
    assert junk.status_code in (415, 422)
    assert 'data-testid="diag-error"' in junk.text
    web_app.state.diagnostics_limits = Limits(max_bytes=1024)
    try:
        big = analyse(signed_in, "tb.csv", COMPANY)
        inspected = post(signed_in, "/diagnostics/inspect", "tb.csv", COMPANY)
    finally:
        del web_app.state.diagnostics_limits
    assert big.status_code == 413
    assert "The file is too large to analyse" in big.text
    assert "file_too_large" in big.text
    assert inspected.status_code == 413
    assert 'data-testid="sheet-error"' in inspected.text


def test_a_plain_request_gets_the_whole_page_with_the_result(signed_in: TestClient) -> None:
    response = post(signed_in, "/diagnostics/analyse", "c.csv", COMPANY, htmx=False)
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'data-testid="risk-dashboard"' in response.text


def test_zero_storage_the_page_writes_no_temporary_file(
    signed_in: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    spooled: list[str] = []
    original = tempfile.SpooledTemporaryFile.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        spooled.append("SpooledTemporaryFile")
        original(self, *args, **kwargs)

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "__init__", spy)
    lines = [b"Account No,Account Name,Debit,Credit"]
    lines += [b"%d,Expense account %d,1.00," % (10000 + i, i) for i in range(40_000)]
    lines.append(b"99999,Offset,,40000.00")
    data = b"\n".join(lines) + b"\n"
    assert len(data) > 1024 * 1024  # over Starlette's in-memory size for a form part
    response = analyse(signed_in, "large.csv", data)
    assert response.status_code == 200, response.text[:300]
    assert "shows the first 2,000 of 40,001 accounts" in response.text
    assert spooled == []
