"""Trial-balance diagnostics in a real browser: a CSV chosen with the file input (one
sheet: analysed at once), the risk dashboard, an override that re-runs the analysis, a
fixed materiality; a two-sheet XLSX dropped on the drop zone, one sheet picked, then
both consolidated; the mapping dialog for unnamed columns; a refusal shown in the page;
the page at phone width. No console errors or CSP violations anywhere."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, xlsx
from tests.e2e.browser import htmx_settled, open_page, register

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
COMPANY = FIXTURES / "company_tb_debit_credit.csv"
UNNAMED = b"A;B;C\n1000;Cash at bank;500,00\n2000;Bank loan;-500,00\n"


def choose(page: Page, name: str, data: bytes) -> None:
    page.set_input_files("#diag-file", files=[{"name": name, "mimeType": "", "buffer": data}])


def drop(page: Page, name: str, data: bytes) -> None:
    """Drop a file on the drop zone the way a desktop drag does (a DataTransfer)."""
    page.evaluate(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            const zone = document.getElementById("diag-drop");
            const init = {dataTransfer: transfer, bubbles: true, cancelable: true};
            zone.dispatchEvent(new DragEvent("dragover", init));
            zone.dispatchEvent(new DragEvent("drop", init));
        }""",
        [name, base64.b64encode(data).decode()],
    )


@pytest.mark.browser
def test_analyse_a_csv_and_a_workbook_override_and_map(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, "Ada Auditor", "ada-diagnostics@example.com", "ledger lines 1843")
        page.get_by_role("link", name="Diagnostics").click()
        expect(page.get_by_role("heading", name="Trial-balance diagnostics")).to_be_visible()
        _csv(page, artifacts)
        _downloads(page, artifacts)
        _override(page, artifacts)
        _materiality(page)
        _workbook(page, artifacts)
        _mapping(page, artifacts)
        _refusal(page)
        _books(page)
        _phone(page, artifacts)
    finally:
        context.close()
    assert problems == []


def _csv(page: Page, artifacts: Path) -> None:
    choose(page, "company_tb.csv", COMPANY.read_bytes())
    dashboard = page.get_by_test_id("risk-dashboard")
    expect(dashboard).to_be_visible()
    expect(page.get_by_test_id("risk-score")).to_have_text("39/100")
    expect(page.get_by_test_id("risk-tier")).to_have_text("Moderate risk")
    suspense = page.locator('[data-testid="finding"][data-code="suspense_balance"]')
    expect(suspense).to_contain_text("Suggested procedure:")
    expect(suspense.locator(".badge")).to_have_text("Immaterial")
    expect(page.get_by_test_id("ratio-current_ratio")).to_contain_text(
        "comfortably covers short-term debts"
    )
    expect(page.get_by_test_id("materiality-overall")).to_have_text("9,731.33")
    page.screenshot(path=artifacts / "diagnostics-10-result.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the result page is {width}px wide at a 1280px viewport"


def _downloads(page: Page, artifacts: Path) -> None:
    """The PDF memo and the Excel workpaper, made from the analysis the page holds."""
    page.get_by_text("Headings for the exports").click()
    page.get_by_label("Prepared by").fill("Ada Auditor")
    with page.expect_download() as pdf_download:
        page.get_by_test_id("export-pdf").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == "diagnostic-memo.pdf"
    pdf_path = artifacts / "diagnostics-memo.pdf"
    pdf.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    expect(page.get_by_test_id("export-status")).to_have_text("Downloaded diagnostic-memo.pdf.")
    with page.expect_download() as excel_download:
        page.get_by_test_id("export-excel").click()
    excel = excel_download.value
    assert excel.suggested_filename == "diagnostic-workpaper.xlsx"
    excel_path = artifacts / "diagnostics-workpaper.xlsx"
    excel.save_as(excel_path)
    assert excel_path.read_bytes()[:2] == b"PK"


def _override(page: Page, artifacts: Path) -> None:
    row = page.locator('[data-testid="account-row"][data-key="1-9999"]')
    expect(row).to_have_attribute("data-source", "file")
    htmx_settled(page)
    row.get_by_test_id("override").select_option("expense")
    row = page.locator('[data-testid="account-row"][data-key="1-9999"]')
    expect(row).to_have_attribute("data-source", "override")
    expect(row).to_have_attribute("data-category", "expense")
    expect(row.get_by_test_id("override")).to_have_value("expense")
    # The re-run kept the file (nothing on the server): the dashboard is still complete.
    expect(page.get_by_test_id("risk-dashboard")).to_be_visible()
    page.screenshot(path=artifacts / "diagnostics-20-override.png", full_page=True)


def _materiality(page: Page) -> None:
    page.get_by_text("Change materiality").click()
    page.get_by_test_id("mat-mode").select_option("amount")
    page.get_by_test_id("mat-amount").fill("1000")
    page.get_by_test_id("mat-apply").click()
    expect(page.get_by_test_id("materiality-overall")).to_have_text("1,000.00")
    suspense = page.locator('[data-testid="finding"][data-code="suspense_balance"]')
    expect(suspense.locator(".badge")).to_have_text("Material")  # 1,500 over 1,000 now
    # The override survived the materiality re-run.
    row = page.locator('[data-testid="account-row"][data-key="1-9999"]')
    expect(row).to_have_attribute("data-source", "override")


def _workbook(page: Page, artifacts: Path) -> None:
    drop(page, "group.xlsx", xlsx({"Head office": HEAD_OFFICE, "Branch": BRANCH}))
    picker = page.get_by_test_id("sheet-picker")
    expect(picker).to_contain_text("2 sheets")
    expect(page.get_by_test_id("analysis")).to_have_count(0)  # the old result is gone
    page.get_by_test_id("sheet-Branch").uncheck()
    page.get_by_test_id("analyse-button").click()
    expect(page.get_by_test_id("analysis")).to_contain_text("7 accounts")
    page.get_by_test_id("sheet-Branch").check()
    page.get_by_test_id("analyse-button").click()
    expect(page.get_by_test_id("analysis")).to_contain_text("consolidated from Head office, Branch")
    page.screenshot(path=artifacts / "diagnostics-30-workbook.png", full_page=True)


def _mapping(page: Page, artifacts: Path) -> None:
    choose(page, "unnamed.csv", UNNAMED)
    dialog = page.get_by_test_id("mapping-dialog")
    expect(dialog).to_be_visible()
    page.screenshot(path=artifacts / "diagnostics-40-mapping.png")
    expect(dialog.get_by_test_id("mapping-preview")).to_contain_text("Cash at bank")
    dialog.get_by_test_id("map-number").select_option(label="Column 1: A, 1000, 2000")
    dialog.get_by_test_id("map-name").select_option("1")
    dialog.get_by_test_id("map-net").select_option("2")
    dialog.get_by_test_id("map-debit").select_option("")
    dialog.get_by_test_id("map-credit").select_option("")
    dialog.get_by_test_id("map-header_line").fill("1")
    dialog.get_by_test_id("mapping-submit").click()
    expect(page.get_by_test_id("analysis")).to_contain_text("2 accounts")
    row = page.locator('[data-testid="account-row"][data-key="2000"]')
    htmx_settled(page)
    row.get_by_test_id("override").select_option("liability")  # the mapping rides along
    expect(page.locator('[data-testid="account-row"][data-key="2000"]')).to_have_attribute(
        "data-source", "override"
    )


def _refusal(page: Page) -> None:
    choose(page, "empty.csv", b"")
    expect(page.get_by_test_id("sheet-error")).to_contain_text("The uploaded file is empty.")


def _books(page: Page) -> None:
    """The books' own trial balance: this tenant has booked nothing, which is said."""
    page.get_by_text("Or analyse the books' own trial balance").click()
    page.get_by_test_id("ledger-as-of").fill("2026-06-30")
    page.get_by_test_id("ledger-button").click()
    expect(page.get_by_test_id("diag-error")).to_contain_text(
        "The books have no balances at 2026-06-30"
    )


def _phone(page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    choose(page, "company_tb.csv", COMPANY.read_bytes())
    expect(page.get_by_test_id("risk-dashboard")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=artifacts / "diagnostics-50-phone.png", full_page=True)
    assert width <= 375, f"the page is {width}px wide at a 375px viewport"


FLUX_CURRENT = FIXTURES / "flux_current_fy2026.csv"
FLUX_PRIOR = FIXTURES / "flux_prior_fy2025.csv"


@pytest.mark.browser
def test_flux_and_a_client_portfolio_with_trends(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, "Fred Flux", "fred-flux@example.com", "variance analysis 2026")
        _flux(page, artifacts)
        _journal(page, artifacts)
        _client_trends(page, artifacts)
    finally:
        context.close()
    assert problems == []


def _flux(page: Page, artifacts: Path) -> None:
    page.goto("/diagnostics/flux")
    page.set_input_files("#flux-current", str(FLUX_CURRENT))
    drop_on = page.locator(".diag-drop").nth(1)
    page.evaluate(
        """([b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "fy2025.csv"));
            const zone = document.querySelectorAll(".diag-drop")[1];
            const init = {dataTransfer: transfer, bubbles: true, cancelable: true};
            zone.dispatchEvent(new DragEvent("drop", init));
        }""",
        [base64.b64encode(FLUX_PRIOR.read_bytes()).decode()],
    )
    assert drop_on.locator("input").evaluate("input => input.files.length") == 1
    page.get_by_test_id("flux-button").click()
    expect(page.get_by_test_id("flux-high")).to_have_text("19 / 43")
    expect(page.get_by_test_id("flux-changes")).to_contain_text("Term Deposit - Westpac")
    first = page.get_by_test_id("flux-row").first
    expect(first).to_have_attribute("data-risk", "high")
    page.get_by_text("Thresholds and materiality").click()
    page.get_by_test_id("thr-high_pct").fill("95")
    page.get_by_test_id("flux-button").click()
    expect(page.get_by_test_id("flux-summary")).to_contain_text("High / medium risk")
    expect(page.locator('[data-testid="flux-row"][data-key="1-1110"]')).not_to_have_attribute(
        "data-risk", "high"
    )
    page.screenshot(path=artifacts / "diagnostics-60-flux.png", full_page=True)


def _client_trends(page: Page, artifacts: Path) -> None:
    page.goto("/diagnostics/clients")
    page.get_by_label("Name").fill("Coastal Provisions Pty Ltd")
    page.get_by_label("Industry").fill("Wholesale food")
    page.get_by_test_id("client-submit").click()
    expect(page.get_by_text("Client Coastal Provisions Pty Ltd added.")).to_be_visible()
    expect(page.get_by_test_id("no-trends")).to_be_visible()
    for source in (FLUX_PRIOR, FLUX_CURRENT):
        page.get_by_test_id("analyse-for-client").click()
        expect(page.get_by_test_id("diag-client")).to_have_value(re.compile(".+"))
        choose(page, source.name, source.read_bytes())
        expect(page.get_by_test_id("risk-dashboard")).to_be_visible()
        page.get_by_role("link", name="Clients", exact=True).click()
        page.get_by_role("link", name="Coastal Provisions Pty Ltd").click()
    expect(page.get_by_test_id("history-row")).to_have_count(2)
    expect(page.get_by_test_id("trends").locator("svg")).to_have_count(4)
    page.screenshot(path=artifacts / "diagnostics-70-client.png", full_page=True)
    page.goto("/diagnostics/history")
    expect(page.get_by_test_id("history-row")).to_have_count(2)
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/diagnostics/history", "/diagnostics/clients", "/diagnostics/flux"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide at a 375px viewport"


def _journal(page: Page, artifacts: Path) -> None:
    page.get_by_role("link", name="Journal entries").click()
    page.get_by_test_id("je-period_end").fill("2025-06-30")
    page.set_input_files("#journal-file", str(FIXTURES / "general_ledger_fy2025.csv"))
    page.get_by_test_id("journal-button").click()
    expect(page.get_by_test_id("je-flagged")).to_contain_text("14 entries")
    expect(page.get_by_test_id("je-entry").first).to_have_attribute("data-score", "50")
    page.screenshot(path=artifacts / "diagnostics-65-journal.png", full_page=True)
