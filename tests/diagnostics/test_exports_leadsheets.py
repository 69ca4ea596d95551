"""POST /api/v1/diagnostics/export/leadsheets: lead schedules A-O and Z with prior,
current and change, and roll-forward tabs for high-risk accounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.exports_support import (
    CURRENT,
    ENGAGEMENT,
    PRIOR,
    analyse,
    cents,
    exported,
    table,
    workbook,
)
from tests.support.builders import Account, register

LEAD_TABS = [
    "A Cash and cash equivalents",
    "B Trade and other receivables",
    "C Inventories",
    "D Prepayments and other current",
    "E Investments",
    "F Property, plant and equipment",
    "G Intangible assets",
    "H Trade and other payables",
    "I Tax balances",
    "J Borrowings",
    "K Provisions and employee benef",
    "L Other liabilities",
    "M Equity",
    "N Revenue and other income",
    "O Expenses",
    "Z Unclassified and suspense",
]


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


@pytest.fixture
def both(client: TestClient, alice: Account) -> dict[str, Any]:
    current = analyse(client, alice, CURRENT.read_bytes())
    prior = analyse(client, alice, PRIOR.read_bytes())
    return {**current, "prior": prior, "engagement": ENGAGEMENT}


def _line(book: Any, tab: str, number: str) -> dict[str, Any]:
    return next(r for r in table(book, tab, "Account No") if r["Account No"] == number)


def test_every_lead_sheet_has_a_tab_and_the_index_documents_the_letters(
    client: TestClient, alice: Account, both: dict[str, Any]
) -> None:
    book = workbook(exported(client, alice, "leadsheets", both))
    assert book.sheetnames[: 1 + len(LEAD_TABS)] == ["Index", *LEAD_TABS]
    index = {r["Lead"]: r for r in table(book, "Index", "Lead")}
    assert list(index) == [*"ABCDEFGHIJKLMNO", "Z"]
    assert index["A"]["Classification"] == "Cash and cash equivalents"
    assert index["C"]["Classification"] == "Inventories"
    assert index["Z"]["Classification"] == "Unclassified and suspense"
    assert index["G"]["Tab"] == "G Intangible assets"
    # Current totals are the analysis's, prior totals the prior analysis's, to the cent.
    for letter, amount in both["totals"]["by_lead_sheet"].items():
        assert cents(index[letter]["Current"]) == Decimal(amount), letter
    for letter, amount in both["prior"]["totals"]["by_lead_sheet"].items():
        assert cents(index[letter]["Prior 2025-06-30"]) == Decimal(amount), letter
    assert cents(index["A"]["Change"]) == Decimal("-3453.35")  # 149,812.37 - 153,265.72


def test_a_schedule_has_prior_current_change_and_a_total(
    client: TestClient, alice: Account, both: dict[str, Any]
) -> None:
    book = workbook(exported(client, alice, "leadsheets", both))
    tab = "F Property, plant and equipment"
    plant = _line(book, tab, "1-2110")
    assert plant["Account name"] == "Roasting Equipment at Cost"
    assert (cents(plant["Prior 2025-06-30"]), cents(plant["Current"])) == (
        Decimal("168500.00"),
        Decimal("212500.00"),
    )
    assert (cents(plant["Change"]), plant["Change %"]) == (Decimal("44000.00"), 0.2611)
    website = _line(book, tab, "1-2420")  # capitalised this year
    assert (website["Status"], cents(website["Prior 2025-06-30"]), website["Change %"]) == (
        "new",
        Decimal("0.00"),
        None,
    )
    overdraft = _line(book, "J Borrowings", "2-1520")  # repaid, gone from the current TB
    assert (overdraft["Status"], cents(overdraft["Current"])) == ("removed", Decimal("0.00"))
    assert cents(overdraft["Change"]) == Decimal("9350.00")
    rows = list(book[tab].iter_rows(values_only=True))
    total = next(r for r in rows if r[1] == "Total lead sheet F")
    assert [cents(v) for v in total[3:6]] == [
        Decimal("268124.04"),
        Decimal("260613.38"),
        Decimal("-7510.66"),
    ]


def test_high_risk_balance_sheet_accounts_get_a_roll_forward(
    client: TestClient, alice: Account, both: dict[str, Any]
) -> None:
    response = exported(client, alice, "leadsheets", both)
    book = workbook(response)
    tabs = [name for name in book.sheetnames if name.startswith("RF ")]
    # The suspense balance (high), the director's loan (material medium) and the round
    # accrual (material medium) are there; no revenue or expense account is.
    assert "RF 1-9000 Clearing Account" in tabs
    assert "RF 2-1610 Loan - Director (M. N" in tabs
    assert "RF 2-1120 Accrued Expenses" in tabs
    assert not any(name.startswith(("RF 4-", "RF 5-", "RF 6-")) for name in tabs)
    sheet = {
        r[0]: r[1] for r in book["RF 2-1610 Loan - Director (M. N"].iter_rows(values_only=True)
    }
    assert cents(sheet["Opening balance (prior closing)"]) == Decimal("-25000.00")
    assert sheet["Additions"] is None  # for the auditor to fill in
    assert cents(sheet["Closing balance per trial balance"]) == Decimal("-60000.00")
    assert cents(sheet["Expected closing balance"]) == Decimal("-25000.00")
    assert cents(sheet["Unexplained difference"]) == Decimal("-35000.00")
    assert "Prepared by: Priya Raman   Date: ____________" in sheet
    formulas = workbook(response, values=False)["RF 2-1610 Loan - Director (M. N"]
    cells = {r[0].value: r[1].value for r in formulas.iter_rows()}
    assert cells["Expected closing balance"] == "=SUM(B8:B12)"
    assert cells["Unexplained difference"] == "=B14-B13"
    listed = table(book, "Index", "Lead", after=6 + 16)  # below the lead sheets' table
    reasons = {r["Account"]: r["Why high risk"] for r in listed}
    assert len(listed) == len(tabs)
    assert "high finding: suspense_balance" in reasons["1-9000 Clearing Account"]


def test_without_a_prior_the_prior_and_change_columns_are_blank(
    client: TestClient, alice: Account, both: dict[str, Any]
) -> None:
    current = {k: v for k, v in both.items() if k not in ("prior", "engagement")}
    book = workbook(exported(client, alice, "leadsheets", current))
    debtors = _line(book, "B Trade and other receivables", "1-1210")
    assert (debtors["Prior"], cents(debtors["Current"]), debtors["Change"]) == (
        None,
        Decimal("128944.60"),
        None,
    )
    clearing = {r[0]: r for r in book["RF 1-9000 Clearing Account"].iter_rows(values_only=True)}
    opening = clearing["Opening balance (prior closing)"]
    assert opening[1] is None
    assert opening[2].startswith("No prior analysis posted")
    assert cents(clearing["Unexplained difference"][1]) == Decimal("3275.40")
