"""POST /api/v1/diagnostics/export/{pdf,excel,csv}: a realistic trial balance analysed
over HTTP, its analysis posted back, the file read with a real parser."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.exports_support import (
    CURRENT,
    ENGAGEMENT,
    cents,
    exported,
    pdf_text,
    read_csv,
    table,
    workbook,
)
from tests.diagnostics.exports_support import analyse as analyse_file
from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, xlsx
from tests.support.builders import Account, register

SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


@pytest.fixture
def analysis(client: TestClient, alice: Account) -> dict[str, Any]:
    return analyse_file(client, alice, CURRENT.read_bytes())


def test_the_memo_has_summary_risk_materiality_findings_ratios_and_sign_off(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    text = pdf_text(exported(client, alice, "pdf", {**analysis, "engagement": ENGAGEMENT}))
    assert "Trial balance diagnostic memo" in text
    assert "Bayside Coffee Roasters Pty Ltd" in text
    assert "Period ended 2026-06-30" in text
    assert "Total debits 1,772,192.82" in text
    assert "Total credits 1,772,192.82" in text
    assert "Balanced Yes" in text
    assert f"Risk score {analysis['risk_score']} / 100" in text
    assert f"Risk tier {analysis['risk_tier'].capitalize()}" in text
    assert "Overall materiality 4,123.62" in text
    assert "Performance materiality 3,092.72" in text
    assert "Clearly trivial threshold 206.18" in text
    # Every finding with its suggested procedure.
    for finding in analysis["anomalies"]:
        assert finding["procedure"] in text, finding["code"]
    assert "Suspense or clearing balance: 1-9000 Clearing Account (line 21), 3,275.40" in text
    assert "Related-party balance: 2-1610 Loan - Director (M. Nguyen) (line 32), -60,000.00" in text
    assert "Gross margin 45.83 %" in text
    assert "Days sales outstanding 45.8 days" in text
    assert "Prepared by: Priya Raman" in text
    assert "Reviewed by: Tom Okafor" in text
    assert text.count("Date:") == 2
    assert text.count("Signature:") == 2


def test_the_memo_groups_findings_by_severity_then_material_first(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    text = pdf_text(exported(client, alice, "pdf", analysis))
    groups = ["High - below materiality (2)", "Medium - material (3)"]
    groups += ["Medium - below materiality (1)", "Low - material (4)", "Info - material (2)"]
    positions = [text.index(group) for group in groups]
    assert positions == sorted(positions)
    assert text.index("Findings and suggested procedures") < positions[0]
    assert positions[-1] < text.index("4. Ratios") < text.index("5. Sign-off")
    # Without engagement details the sign-off lines are left blank to be filled in.
    assert "Entity not stated" in text
    assert "Prepared by:" in text


def test_the_workpaper_has_its_sheets_and_every_figure_to_the_cent(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    book = workbook(exported(client, alice, "excel", analysis))
    assert book.sheetnames == ["Summary", "Standardised TB", "Findings", "Ratios", "Lead sheets"]
    rows = table(book, "Standardised TB", "Line")
    assert len(rows) == len(analysis["accounts"]) + 1  # and the total row
    for row, account in zip(rows, analysis["accounts"], strict=False):
        assert (row["Account No"], row["Account name"]) == (account["number"], account["name"])
        assert cents(row["Debit"]) == Decimal(account["debit"])
        assert cents(row["Credit"]) == Decimal(account["credit"])
        assert cents(row["Net (Dr +, Cr -)"]) == Decimal(account["net"])
        assert row["Category"] == account["classification"]["category"]
        assert row["Lead sheet"] == account["lead_sheet"]
    total = rows[-1]
    assert (total["Account name"], cents(total["Debit"]), cents(total["Credit"])) == (
        "Total",
        Decimal("1772192.82"),
        Decimal("1772192.82"),
    )
    clearing = next(r for r in rows if r["Account No"] == "1-9000")
    assert (clearing["Lead sheet"], clearing["Findings"]) == (
        "Z",
        "suspense_balance, unclassified_material_account",
    )


def test_workpaper_money_cells_are_numbers_with_a_two_decimal_format(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    sheet = workbook(exported(client, alice, "excel", analysis))["Standardised TB"]
    debtors = next(r for r in sheet.iter_rows() if r[1].value == "1-1210")
    assert debtors[3].data_type == "n"
    assert debtors[3].value == 128944.60
    assert debtors[3].number_format == "#,##0.00;(#,##0.00)"
    allowance = next(r for r in sheet.iter_rows() if r[1].value == "1-1220")
    assert allowance[5].value == -6000
    assert allowance[5].data_type == "n"


def test_the_workpaper_findings_ratios_summary_and_lead_sheets(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    book = workbook(exported(client, alice, "excel", analysis))
    findings = table(book, "Findings", "Severity")
    assert len(findings) == len(analysis["anomalies"])
    ranks = [SEVERITY_ORDER.index(f["Severity"]) for f in findings]
    assert ranks == sorted(ranks)
    director = next(f for f in findings if f["Code"] == "related_party_account")
    assert (director["Material"], cents(director["Amount"])) == ("yes", Decimal("-60000.00"))
    assert director["Suggested procedure"].startswith("Identify the related party")
    ratios = {r["Key"]: r for r in table(book, "Ratios", "Ratio")}
    assert Decimal(repr(ratios["gross_margin"]["Value"])) == Decimal(
        analysis["ratios"]["gross_margin"]["value"]
    )
    assert ratios["dupont.roe"]["Ratio"] == "DuPont: return on equity"
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Risk score (0-100)"] == analysis["risk_score"]
    assert cents(summary["Overall materiality"]) == Decimal("4123.62")
    assert cents(summary["Current-year result (profit +)"]) == Decimal(
        analysis["totals"]["current_year_result"]
    )
    leads = {r["Lead"]: r for r in table(book, "Lead sheets", "Lead")}
    for letter, amount in analysis["totals"]["by_lead_sheet"].items():
        assert cents(leads[letter]["Current"]) == Decimal(amount), letter
    assert leads["E"]["Lead sheet"] == "Investments"


def test_the_findings_csv_lists_every_finding_most_severe_first(
    client: TestClient, alice: Account, analysis: dict[str, Any]
) -> None:
    rows = read_csv(exported(client, alice, "csv", analysis))
    assert len(rows) == len(analysis["anomalies"])
    assert list(rows[0]) == [
        "severity",
        "material",
        "code",
        "title",
        "account",
        "line_no",
        "amount",
        "explanation",
        "procedure",
    ]
    ranks = [SEVERITY_ORDER.index(r["severity"]) for r in rows]
    assert ranks == sorted(ranks)
    suspense = next(r for r in rows if r["code"] == "suspense_balance")
    assert (suspense["account"], suspense["line_no"], suspense["amount"]) == (
        "1-9000 Clearing Account",
        "21",
        "3275.40",
    )
    assert suspense["material"] == "no"
    equation = next(r for r in rows if r["code"] == "accounting_equation")
    assert (equation["account"], equation["line_no"], equation["amount"]) == ("", "", "-3275.40")


def test_exports_need_a_signed_in_caller(client: TestClient, analysis: dict[str, Any]) -> None:
    for kind in ("pdf", "excel", "leadsheets", "csv"):
        response = client.post(f"/api/v1/diagnostics/export/{kind}", json=analysis)
        assert response.status_code == 401, kind


def test_the_memo_prints_fifteen_findings_of_a_code_and_summarises_the_rest(
    client: TestClient, alice: Account
) -> None:
    lines = ["Account No,Account Name,Debit,Credit"]
    lines += [f"2-{1100 + i},Accrued expenses {i},,{(i + 1) * 1000}.00" for i in range(40)]
    lines.append(f"1-1000,Cash at bank,{sum((i + 1) * 1000 for i in range(40))}.37,")
    lines.append("3-1000,Share capital,,0.37")
    body = analyse_file(client, alice, "\n".join(lines).encode())
    rounds = [f for f in body["anomalies"] if f["code"] == "round_balance"]
    assert len(rounds) == 40
    # Overall materiality is 1 % of total assets (820,000.37): accounts 8-39 are material.
    assert body["materiality"]["overall"] == "8200.00"
    text = pdf_text(exported(client, alice, "pdf", body))
    assert "Medium - material (32)" in text
    assert "Medium - below materiality (8)" in text
    assert "Accrued expenses 22 " in text  # the fifteenth material one
    assert "Accrued expenses 23 " not in text
    assert "Accrued expenses 7 " in text  # all eight immaterial ones
    # The 17 left out: 24,000 + ... + 40,000 = 544,000.
    assert "... and 17 more round-number balance findings" in text
    assert "(absolute amounts totalling 544,000.00)" in text
    assert len(read_csv(exported(client, alice, "csv", body))) == len(body["anomalies"])


def test_a_consolidated_workbook_exports_its_consolidated_view(
    client: TestClient, alice: Account
) -> None:
    data = xlsx({"Head office": HEAD_OFFICE, "Branch": BRANCH})
    response = client.post(
        "/api/v1/diagnostics/trial-balance",
        files={"file": ("group.xlsx", data)},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["consolidated"] is True
    assert len(body["sheets"]) == 2
    book = workbook(exported(client, alice, "excel", body))
    assert book["Summary"]["A3"].value == "Source: xlsx (consolidated)"
    rows = table(book, "Standardised TB", "Line")
    # Both sheets' line 2 (1000 cash) are there, each with its own name.
    cash = [r["Account name"] for r in rows if r["Account No"] == "1000"]
    assert cash == ["Cash at bank", "Cash at bank - branch"]
    assert (cents(rows[-1]["Debit"]), cents(rows[-1]["Credit"])) == (
        Decimal("132400.25"),
        Decimal("132400.25"),
    )
    text = pdf_text(exported(client, alice, "pdf", body))
    assert "from the analysis of the trial balance (xlsx, consolidated)." in text
