"""Tax pages in a real browser: the quick calculator as fields change; a return filled
step by step (a salary with tax withheld, a deduction) with the running estimate and the
refund to the cent, then ready, lodged and amended; and prefill from a books entry on a
tax-labelled category, accepted on the review page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, open_page, register
from tests.e2e.test_accounts_dashboard import _too_wide

PASSWORD = "income tax assessment 1997"


@pytest.mark.browser
def test_calculator_updates_as_fields_change(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, "Tess Calc", "tess-tax-calc@example.com", PASSWORD)
        page.get_by_role("link", name="Tax", exact=True).click()
        expect(page).to_have_url(re.compile(r"/tax$"))
        page.get_by_label("Income year").select_option("2024-25")
        page.get_by_label("Taxable income", exact=True).fill("85000")
        result = page.get_by_test_id("calc-result")
        # 2024-25: 4,288 + 30 % x (85,000 - 45,000) = 16,288; Medicare 2 % = 1,700.
        expect(result.get_by_test_id("refund-or-owed")).to_have_text("Owed $17,988.00")
        expect(result.get_by_test_id("income-tax")).to_have_text("$16,288.00")
        page.get_by_label("Tax withheld").fill("19000")
        expect(result.get_by_test_id("refund-or-owed")).to_have_text("Refund $1,012.00")
        expect(result.get_by_test_id("tax-line").first).to_be_visible()
        page.get_by_label("Taxable income", exact=True).fill("85000.555")
        expect(result).to_contain_text("must be an amount with at most 2 decimals")
        page.screenshot(path=artifacts / "tax-calculator.png", full_page=True)
    finally:
        context.close()
    assert problems == []


def _start_return(page: Page, person: str) -> None:
    page.goto("/tax/returns")
    expect(page.get_by_text("No tax returns yet.")).to_be_visible()
    page.get_by_label("Person").fill(person)
    page.get_by_label("Income year").select_option("2024-25")
    page.get_by_role("button", name="Start the return").click()
    expect(page.get_by_role("heading", name=person)).to_be_visible()
    expect(page.get_by_text("Started the 2024-25 return of " + person)).to_be_visible()


@pytest.mark.browser
def test_fill_a_return_step_by_step_and_see_the_refund(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, "Ada Return", "ada-tax-return@example.com", PASSWORD)
        _start_return(page, "Ada Return")
        page.get_by_label("Payer (row 1)", exact=True).fill("Acme Pty Ltd")
        page.get_by_label("1D Gross payments (row 1)").fill("85000.555")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("#f-income-salary_wages-0-gross-msg")).to_contain_text(
            "must be a non-negative amount with at most 2 decimals"
        )
        page.get_by_label("1D Gross payments (row 1)").fill("85,000")
        page.get_by_label("1C Tax withheld (row 1)").fill("19000")
        # Unsaved: tax 16,288 + Medicare 1,700 = 17,988; withheld 19,000 -> refund 1,012.
        estimate = page.get_by_test_id("estimate-outcome")
        expect(estimate).to_have_text("Refund $1,012.00")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", name="Deductions")).to_be_visible()
        page.get_by_label("D5 Other work-related expenses").fill("500")
        # Taxable 84,500: 4,288 + 30 % x 39,500 = 16,138; Medicare 1,690; 19,000 - 17,828.
        expect(estimate).to_have_text("Refund $1,172.00")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", name="Offsets and other")).to_be_visible()
        page.get_by_label("Months of private patient hospital cover").fill("12")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", name="Review")).to_be_visible()
        expected = api(
            page,
            context,
            "POST",
            "/api/v1/tax/calculate",
            {
                "year": "2024-25",
                "residency": "resident",
                "income": [{"label": "Salary", "amount": "85000.00"}],
                "deductions": [{"label": "D5", "amount": "500.00"}],
                "private_hospital_cover": True,
                "tax_withheld": "19000.00",
            },
        )
        assert expected["refund_or_owed"] == "1172.00"
        expect(page.get_by_test_id("refund-or-owed")).to_have_text("Refund $1,172.00")
        expect(page.get_by_test_id("tax-line").first).to_be_visible()
        _lodge_and_amend(page)
        page.screenshot(path=artifacts / "tax-return-amended.png", full_page=True)
    finally:
        context.close()
    assert problems == []


@pytest.mark.browser
def test_one_edit_asks_for_one_estimate(chromium: Any, live_server: str) -> None:
    """An edit is estimated once, after its typing pauses, and leaving the field does not
    ask again: two requests for one edit raced (the second replaced, so aborted, the
    first, which the browser logs as an error) when the field lost focus to a click."""
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, "Eve Estimate", "eve-tax-estimate@example.com", PASSWORD)
        _start_return(page, "Eve Estimate")
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/estimate") else None)
        page.get_by_label("Payer (row 1)", exact=True).fill("Acme Pty Ltd")
        page.get_by_label("1D Gross payments (row 1)").fill("85000")
        page.get_by_label("1C Tax withheld (row 1)").fill("19000")
        expect(page.get_by_test_id("estimate-outcome")).to_have_text("Refund $1,012.00")
        page.wait_for_timeout(800)  # past the typing pause an estimate waits for
        before = len(asked)
        page.get_by_label("Payer (row 1)", exact=True).focus()  # withheld loses focus
        page.wait_for_timeout(800)
        assert len(asked) == before, asked
    finally:
        context.close()
    assert problems == []


def _lodge_and_amend(page: Page) -> None:
    page.get_by_role("button", name="Mark ready").click()
    expect(page.get_by_test_id("return-status")).to_have_text("ready")
    page.get_by_label("ATO reference number").fill("MYTAX-2025-0001")
    page.get_by_label("Lodged on").fill("2025-08-15")
    page.get_by_role("button", name="Record lodgement").click()
    expect(page.get_by_test_id("action-error")).to_be_visible()
    expect(page.locator("#f-confirm-msg")).to_contain_text("must be true")
    page.get_by_label("I confirm this return was lodged with the ATO").check()
    page.get_by_role("button", name="Record lodgement").click()
    expect(page.get_by_test_id("lodgement")).to_contain_text("MYTAX-2025-0001")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the summary (PDF)").click()
    assert download.value.suggested_filename == "tax-return-2024-25-v1.pdf"
    page.get_by_role("button", name="Amend this return").click()
    expect(page.get_by_text("This is an amendment of version 1.")).to_be_visible()
    page.get_by_role("link", name="2. Deductions").click()
    page.get_by_label("D5 Other work-related expenses").fill("800")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved deductions.")).to_be_visible()
    page.get_by_role("link", name="See what changed").click()
    # 300 more deducted at 30 % + 2 % = 96.00 more refund.
    expect(page.get_by_test_id("refund-change")).to_contain_text(
        "Refund $1,172.00 → Refund $1,268.00"
    )
    expect(page.get_by_test_id("diff-row")).to_contain_text("D5 Other work-related expenses")


@pytest.mark.browser
def test_prefill_from_a_labelled_category_and_accept(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, "Pat Prefill", "pat-tax-prefill@example.com", PASSWORD)
        bank = api(page, context, "POST", "/api/v1/accounts", {"name": "Bank", "type": "asset"})
        salary = api(
            page,
            context,
            "POST",
            "/api/v1/categories",
            {"name": "Salary", "type": "income", "tax_label": "ind.salary_wages"},
        )
        body = {
            "date": "2024-07-15",
            "description": "Pay July",
            "payee": "Acme Pty Ltd",
            "amount": "3000.00",
            "type": "income",
            "account_id": bank["id"],
            "category_id": salary["id"],
        }
        api(page, context, "POST", "/api/v1/transactions", body)
        _start_return(page, "Pat Prefill")
        page.get_by_role("button", name="Prefill from the books").click()
        page.get_by_role("button", name="Read the books for 2024-25").click()
        proposal = page.get_by_test_id("proposal")
        expect(proposal).to_contain_text("1D Gross payments")
        expect(proposal.get_by_test_id("proposal-amount")).to_have_text("$3,000.00")
        proposal.get_by_text("1 transaction").click()
        expect(proposal.get_by_test_id("proposal-transaction")).to_contain_text("Pay July")
        proposal.get_by_role("button", name="Accept").click()
        expect(page.get_by_text("Accepted 1D Gross payments.")).to_be_visible()
        expect(page.get_by_test_id("no-proposals")).to_be_visible()
        page.get_by_role("link", name="Back to the return").click()
        expect(page.get_by_label("Payer (row 1)", exact=True)).to_have_value("Acme Pty Ltd")
        expect(page.get_by_label("1D Gross payments (row 1)")).to_have_value("3000.00")
        expect(page.get_by_test_id("prefilled")).to_be_visible()
        page.screenshot(path=artifacts / "tax-prefilled.png", full_page=True)
        _phone(page, artifacts)
    finally:
        context.close()
    assert problems == []


def _phone(page: Page, artifacts: Path) -> None:
    """The tax pages fit a 375 px phone: nothing sticks out to the right."""
    page.set_viewport_size({"width": 375, "height": 812})
    ret = page.url.split("?")[0]
    for path in ("/tax", "/tax/returns", f"{ret}?step=income", f"{ret}/prefill"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide at 375px: {_too_wide(page)}"
    page.screenshot(path=artifacts / "tax-phone-return.png", full_page=True)
