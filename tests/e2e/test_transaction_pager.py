"""The transactions table in a real browser with a text filter: the list does not count
every match, so the table says which rows it shows and pages with newer/older links
driven by `has_more`; the last page knows the total."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, htmx_settled, open_page, register

NAME = "Luca Pacioli"
EMAIL = "luca-pager@example.com"
PASSWORD = "summa de arithmetica"


def _books(page: Page, context: Any) -> None:
    """110 coffees (newest first: Coffee 109 … Coffee 000) and 10 rents."""
    bank = api(page, context, "POST", "/api/v1/accounts", {"name": "Everyday", "type": "asset"})
    cafe = api(page, context, "POST", "/api/v1/accounts", {"name": "Cafe", "type": "expense"})
    entries = [
        {
            "date": f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}",
            "description": f"Coffee {n:03d}",
            "amount": "4.50",
            "type": "expense",
            "account_id": bank["id"],
            "category_id": cafe["id"],
        }
        for n in range(110)
    ] + [
        {
            "date": f"2026-06-{1 + n:02d}",
            "description": "Rent",
            "amount": "500.00",
            "type": "expense",
            "account_id": bank["id"],
            "category_id": cafe["id"],
        }
        for n in range(10)
    ]
    api(page, context, "POST", "/api/v1/transactions/batch", {"entries": entries})


@pytest.mark.browser
def test_a_text_filtered_table_pages_with_newer_and_older(chromium: Any, live_server: str) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, NAME, EMAIL, PASSWORD)
        _books(page, context)
        page.goto("/transactions")
        summary, rows = page.get_by_test_id("txn-total"), page.get_by_test_id("txn-row")
        pager = page.get_by_role("navigation", name="Pages")
        older, newer = pager.locator('a[rel="next"]'), pager.locator('a[rel="prev"]')
        expect(summary).to_have_text("120 transactions · page 1 of 3")  # counted: no filter
        htmx_settled(page)
        search = page.get_by_label("Search")
        search.fill("coffee")
        expect(summary).to_have_text("Showing 1\u201350")  # a text filter: not counted
        htmx_settled(page)
        search.blur()  # its change event re-sends the filter form: let that land first
        htmx_settled(page)
        expect(rows).to_have_count(50)
        expect(rows.first).to_contain_text("Coffee 109")
        expect(pager).to_contain_text("Page 1")
        expect(pager).not_to_contain_text(" of ")
        expect(newer).to_have_count(0)

        older.click()
        expect(summary).to_have_text("Showing 51\u2013100")
        htmx_settled(page)
        expect(page).to_have_url(f"{live_server}/transactions?q=coffee&page=2")
        expect(rows).to_have_count(50)
        expect(rows.first).to_contain_text("Coffee 059")
        expect(newer).to_have_count(1)

        older.click()  # the last page: the 100 before it and its own 10
        expect(summary).to_have_text("110 transactions · page 3 of 3")
        htmx_settled(page)
        expect(rows).to_have_count(10)
        expect(rows.last).to_contain_text("Coffee 000")
        expect(older).to_have_count(0)

        newer.click()
        expect(summary).to_have_text("Showing 51\u2013100")
        htmx_settled(page)
        expect(rows.first).to_contain_text("Coffee 059")
        newer.click()
        expect(summary).to_have_text("Showing 1\u201350")
        expect(rows.first).to_contain_text("Coffee 109")
    finally:
        context.close()
    assert problems == []
