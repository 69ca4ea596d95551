"""Reports in a real browser: a trial balance of real books, then its CSV downloaded."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "ledgers balance 1494"


def _register(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Name").fill("Luca Pacioli")
    page.get_by_label("E-mail").fill("luca@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#tenant-title")).to_have_text("Luca Pacioli")


def _books(page: Page) -> None:
    """A bank account, a category and two entries, through the API with the page's session."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "fiscus_access")
    headers = {"Authorization": f"Bearer {token}"}

    def post(path: str, body: dict[str, Any]) -> Any:
        response = page.request.post(path, data=body, headers=headers)
        assert response.status == 201, response.text()
        return response.json()

    bank = post("/api/v1/accounts", {"name": "Bank", "type": "asset", "code": "1-100"})["id"]
    pay = post("/api/v1/categories", {"name": "Salary", "type": "income", "code": "4-100"})["id"]
    food = post("/api/v1/categories", {"name": "Groceries", "type": "expense", "code": "5-100"})
    for kind, amount, category in (("income", "2500.00", pay), ("expense", "120.50", food["id"])):
        post(
            "/api/v1/transactions",
            {
                "date": "2025-07-01",
                "description": kind,
                "amount": amount,
                "type": kind,
                "account_id": bank,
                "category_id": category,
            },
        )


@pytest.mark.browser
def test_trial_balance_on_the_page_and_its_csv(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server, accept_downloads=True
    )
    page: Page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        _register(page)
        _books(page)
        page.get_by_role("link", name="Reports").click()
        expect(page).to_have_url(re.compile(r"/reports$"))
        page.get_by_label("Report").select_option("trial-balance")
        # Choosing a report swaps in its form (over HTMX): wait for it before typing.
        expect(page).to_have_url(re.compile(r"report=trial-balance"))
        page.get_by_label("As of").fill("2025-07-31")
        page.get_by_role("button", name="Show report").click()
        expect(page).to_have_url(re.compile(r"as_of=2025-07-31"))
        table = page.get_by_test_id("report-table")
        total = table.locator("tr", has_text="Total")
        expect(total).to_contain_text("2,500.00")
        expect(table.locator("tr", has_text="Bank")).to_contain_text("2,379.50")
        page.screenshot(path=artifacts / "reports-trial-balance.png", full_page=True)
        with page.expect_download() as info:
            page.get_by_role("button", name="CSV").click()
        download = info.value
        assert download.suggested_filename == "trial-balance-2025-07-31.csv"
        rows = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
        assert rows[0] == ["Code", "Name", "Type", "Debit", "Credit"]
        assert ["1-100", "Bank", "asset", "2379.50", "0.00"] in rows
        assert rows[-1] == ["", "Total", "", "2500.00", "2500.00"]
    finally:
        context.close()
    assert problems == []
