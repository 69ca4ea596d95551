"""The import wizard in a real browser: a CSV file into the everyday account (live preview
of a changed date format, a likely duplicate of an entry already booked reviewed beside it
and skipped, progress bar, result), an OFX statement into savings (its closing balance an
anchor that agrees with the books), both seen on the account pages, then the OFX undone;
and the wizard at phone width."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, htmx_settled, open_page, register

NAME = "Grace Hopper"
EMAIL = "grace-imports@example.com"
PASSWORD = "cobol compiler 1959"

CSV = (
    "Date,Description,Amount,Balance\n"
    "01/07/2025,EFTPOS WOOLWORTHS 1234 SYDNEY,-45.20,954.80\n"
    "02/07/2025,SALARY ACME PTY LTD,2500.00,3454.80\n"
    "15/07/2025,DIRECT DEBIT TELSTRA,-89.99,3364.81\n"
)
OFX = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<DTSERVER>20250801120000</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<STMTRS><CURDEF>AUD</CURDEF><BANKACCTFROM><BANKID>062000</BANKID><ACCTID>12345678</ACCTID>
<ACCTTYPE>SAVINGS</ACCTTYPE></BANKACCTFROM><BANKTRANLIST><DTSTART>20250701</DTSTART>
<DTEND>20250731</DTEND>
<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20250703</DTPOSTED><TRNAMT>1200.00</TRNAMT>
<FITID>SAV-0001</FITID><NAME>TRANSFER FROM EVERYDAY</NAME></STMTTRN>
<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20250720</DTPOSTED><TRNAMT>-200.00</TRNAMT>
<FITID>SAV-0002</FITID><NAME>WITHDRAWAL</NAME><MEMO>Holiday &amp; travel</MEMO></STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>1000.00</BALAMT><DTASOF>20250731</DTASOF></LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


@pytest.mark.browser
def test_import_a_csv_and_an_ofx_file_and_undo_one(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, NAME, EMAIL, PASSWORD)
        everyday, savings = _books(page, context)
        _import_csv(page, artifacts)
        _see_account(page, everyday, "2,364.81", ["EFTPOS WOOLWORTHS", "DIRECT DEBIT TELSTRA"])
        _import_ofx(page, artifacts)
        _see_account(page, savings, "1,000.00", ["TRANSFER FROM EVERYDAY", "Holiday & travel"])
        _undo_ofx(page, savings, artifacts)
        _phone(page, artifacts)
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations


def _books(page: Page, context: Any) -> tuple[str, str]:
    """Two accounts, and the salary already booked by hand (the CSV's line 2 repeats it)."""
    everyday = api(
        page, context, "POST", "/api/v1/accounts", {"name": "Everyday", "type": "asset"}
    )["id"]
    savings = api(
        page,
        context,
        "POST",
        "/api/v1/accounts",
        {"name": "Savings", "type": "asset", "subtype": "savings"},
    )["id"]
    salary = api(page, context, "POST", "/api/v1/categories", {"name": "Salary", "type": "income"})[
        "id"
    ]
    body = {
        "date": "2025-07-02",
        "description": "Salary",
        "payee": "Salary Acme Pty Ltd",
        "amount": "2500.00",
        "type": "income",
        "account_id": everyday,
        "category_id": salary,
    }
    api(page, context, "POST", "/api/v1/transactions", body)
    return everyday, savings


def _nav(page: Page, name: str) -> Any:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def _upload(page: Page, name: str, content: str, mime: str, account: str) -> None:
    _nav(page, "Import").click()
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()
    page.get_by_label("Bank file").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content.encode()}
    )
    page.get_by_label("Into account").select_option(label=f"{account} (AUD)")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def _import_csv(page: Page, artifacts: Path) -> None:
    _upload(page, "everyday-july.csv", CSV, "text/csv", "Everyday")
    wizard = page.get_by_test_id("wizard")
    # Every detected choice is shown with its confidence, and can be changed.
    date_format = page.get_by_test_id("mapping-date_format")
    expect(date_format).to_have_value("%d/%m/%Y")
    expect(page.locator("label[for=m-date_format] .confidence")).to_have_text(re.compile(r"\d+ %"))
    expect(page.get_by_test_id("mapping-col_amount")).to_have_value("2")
    expect(page.get_by_test_id("preview-row")).to_have_count(3)
    page.screenshot(path=artifacts / "imports-01-mapping.png", full_page=True)
    # Month first: 15/07/2025 cannot be read; the preview follows at once.
    htmx_settled(page)
    date_format.select_option("%m/%d/%Y")
    expect(page.get_by_test_id("preview-summary")).to_contain_text("1 with errors")
    expect(page.get_by_test_id("row-errors")).to_contain_text("Line 4")
    htmx_settled(page)  # the mapping form was just swapped: its trigger must be bound
    page.get_by_test_id("mapping-date_format").select_option("%d/%m/%Y")
    expect(page.get_by_test_id("preview-summary")).not_to_contain_text("errors")
    expect(page.get_by_test_id("preview-row")).to_have_count(3)
    # The salary line is probably the entry booked by hand: shown beside it, then skipped.
    duplicate = page.get_by_test_id("duplicate")
    expect(duplicate).to_have_count(1)
    expect(duplicate).to_contain_text("SALARY ACME PTY LTD")
    expect(duplicate).to_contain_text("Salary Acme Pty Ltd")
    page.screenshot(path=artifacts / "imports-02-duplicate.png", full_page=True)
    page.get_by_test_id("commit-button").click()
    expect(page.locator("#commit-form .form-error")).to_be_visible()  # undecided: refused
    duplicate.get_by_label("Skip it").check()
    page.get_by_test_id("commit-button").click()
    expect(wizard.get_by_test_id("import-result")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("count-created")).to_have_text("2")
    expect(page.get_by_test_id("count-duplicates")).to_have_text("1")
    expect(page.get_by_test_id("count-errors")).to_have_text("0")
    page.screenshot(path=artifacts / "imports-03-result.png", full_page=True)


def _see_account(page: Page, account_id: str, balance: str, texts: list[str]) -> None:
    page.goto(f"/accounts/{account_id}")
    expect(page.get_by_test_id("account-balance")).to_contain_text(balance)
    recent = page.locator(".txn-recent")
    for text in texts:
        expect(recent).to_contain_text(text)


def _import_ofx(page: Page, artifacts: Path) -> None:
    _upload(page, "savings-july.ofx", OFX, "application/x-ofx", "Savings")
    expect(page.get_by_test_id("wizard")).to_contain_text("OFX")
    expect(page.get_by_test_id("preview-row")).to_have_count(2)
    expect(page.get_by_test_id("preview-table")).to_contain_text("-200.00")
    expect(page.get_by_test_id("duplicate")).to_have_count(0)
    page.get_by_test_id("commit-button").click()
    expect(page.get_by_test_id("import-result")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("count-created")).to_have_text("2")
    anchors = page.get_by_test_id("anchors")
    expect(anchors).to_contain_text("2025-07-31")
    expect(anchors).to_contain_text("they agree")
    page.screenshot(path=artifacts / "imports-04-ofx-result.png", full_page=True)


def _undo_ofx(page: Page, savings: str, artifacts: Path) -> None:
    _nav(page, "Import").click()
    page.get_by_role("link", name="savings-july.ofx").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("undo-button").click()
    expect(page.get_by_role("heading", name="Undone")).to_be_visible()
    page.screenshot(path=artifacts / "imports-05-undone.png", full_page=True)
    page.goto(f"/accounts/{savings}")
    expect(page.get_by_test_id("account-balance")).to_contain_text("0.00")
    expect(page.get_by_text("No transactions in this account yet.")).to_be_visible()
    _nav(page, "Import").click()
    expect(page.get_by_test_id("import-item").filter(has_text="savings-july.ofx")).to_contain_text(
        "Undone"
    )


def _phone(page: Page, artifacts: Path) -> None:
    """The list, a result and a review (the same CSV again: its lines are now duplicates)
    fit a phone's width; their tables scroll inside their own box."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/imports")
    _fits(page, artifacts / "imports-06-phone-list.png")
    page.get_by_role("link", name="everyday-july.csv").click()
    expect(page.get_by_test_id("import-result")).to_be_visible()
    _fits(page, artifacts / "imports-07-phone-result.png")
    _upload(page, "everyday-july.csv", CSV, "text/csv", "Everyday")
    expect(page.get_by_test_id("duplicate").first).to_be_visible()
    assert page.get_by_test_id("duplicate").count() >= 2
    _fits(page, artifacts / "imports-08-phone-review.png")


def _fits(page: Page, screenshot: Path) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide at a 375px viewport"
    page.screenshot(path=screenshot, full_page=True)
