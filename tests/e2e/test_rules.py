"""Rules in a real browser: write a rule, test it (the matching transactions shown under
the form, nothing changed yet), save and apply it, and see the new category on the
transactions page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, open_page, register

NAME = "Grace Hopper"
EMAIL = "grace-rules@example.com"
PASSWORD = "compiler pioneer 1952"


@pytest.mark.browser
def test_create_test_and_apply_a_rule(chromium: Any, live_server: str, artifacts: Path) -> None:
    context, page, problems = open_page(chromium, live_server, height=1000)
    try:
        register(page, NAME, EMAIL, PASSWORD)
        _books(page, context)
        page.get_by_role("link", name="Rules").click()
        expect(page.get_by_role("heading", name="Rules", level=1)).to_be_visible()
        form = page.locator("#rule-form")
        form.get_by_label("Name", exact=True).fill("Woolworths is groceries")
        form.get_by_label("Description text").fill("woolworths")
        form.get_by_label("Set category").select_option(label="Groceries (expense)")
        page.get_by_test_id("test-rule").click()
        preview = page.get_by_test_id("rule-preview")
        expect(preview.get_by_test_id("preview-summary")).to_contain_text(
            "2 transactions match; 2 would change"
        )
        expect(preview.get_by_test_id("preview-row")).to_have_count(2)
        expect(preview).to_contain_text("EFTPOS WOOLWORTHS 1234 SYDNEY")
        expect(preview).not_to_contain_text("COLES")
        page.get_by_role("button", name="Create rule").click()
        rule = page.get_by_test_id("rule").filter(has_text="Woolworths is groceries")
        expect(rule).to_be_visible()
        rule.get_by_test_id("apply-rule").click()
        expect(page.locator(".form-saved")).to_contain_text("2 transactions changed")
        page.get_by_role("link", name="Transactions").click()
        shop = page.get_by_test_id("txn-row").filter(has_text="EFTPOS WOOLWORTHS 1234 SYDNEY")
        expect(shop).to_contain_text("Groceries")
        coles = page.get_by_test_id("txn-row").filter(has_text="COLES")
        expect(coles).to_contain_text("Uncategorised expense")
        page.screenshot(path=artifacts / "rules-applied.png", full_page=True)
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations


def _books(page: Page, context: Any) -> None:
    """A bank account and imported-looking lines against Uncategorised expense."""
    bank = api(page, context, "POST", "/api/v1/accounts", {"name": "Everyday", "type": "asset"})
    uncat = api(
        page,
        context,
        "POST",
        "/api/v1/accounts",
        {"name": "Uncategorised expense", "type": "expense", "code": "UNCAT-EXP"},
    )
    api(page, context, "POST", "/api/v1/accounts", {"name": "Groceries", "type": "expense"})
    for day, description, amount in (
        ("2025-07-01", "EFTPOS WOOLWORTHS 1234 SYDNEY", "84.20"),
        ("2025-07-08", "VISA PURCHASE WOOLWORTHS METRO", "12.50"),
        ("2025-07-09", "COLES 0456 MOSMAN", "30.00"),
    ):
        api(
            page,
            context,
            "POST",
            "/api/v1/transactions",
            {
                "date": day,
                "description": description,
                "amount": amount,
                "type": "expense",
                "account_id": bank["id"],
                "category_id": uncat["id"],
            },
        )
