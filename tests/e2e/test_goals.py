"""Goals in a real browser: create a spending limit (an error first, shown beside its
field), post an expense, and see the progress bar fill and the warning appear."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, open_page, register

NAME = "Ada Lovelace"
EMAIL = "ada-goals@example.com"
PASSWORD = "analytical engine 1843"


@pytest.mark.browser
def test_spending_goal_progress_and_warning(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, NAME, EMAIL, PASSWORD)
        food, bank = _books(page, context)
        _create_goal(page)
        _spend(page, context, food, bank)
        page.reload()
        card = page.get_by_test_id("goal-card")
        expect(card.locator("progress")).to_have_attribute("value", "85.00")
        expect(card.locator("progress")).to_have_attribute("max", "100.00")
        expect(card.get_by_test_id("goal-status")).to_have_text("Warning")
        expect(card.get_by_text("85 % used")).to_be_visible()
        expect(page.get_by_test_id("goal-alert")).to_contain_text("Food budget: 80 % of the limit")
        page.screenshot(path=artifacts / "goals-warning.png", full_page=True)
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations


def _books(page: Page, context: Any) -> tuple[str, str]:
    food = api(page, context, "POST", "/api/v1/categories", {"name": "Food", "type": "expense"})
    bank = api(page, context, "POST", "/api/v1/accounts", {"name": "Everyday", "type": "asset"})
    return food["id"], bank["id"]


def _create_goal(page: Page) -> None:
    # No screenshot before an HTMX swap: htmx settles `style` attributes, and the
    # screenshot leaves some behind, which the CSP then (rightly) reports.
    page.get_by_role("link", name="Goals").click()
    expect(page).to_have_url(re.compile(r"/goals$"))
    expect(page.get_by_text("No goals yet")).to_be_visible()
    page.get_by_label("Kind").select_option("spending_limit")
    page.get_by_label("Name").fill("Food budget")
    page.get_by_label("Category or account").select_option(label="Food (AUD)")
    page.get_by_label("Amount").fill("100.005")
    page.get_by_role("button", name="Create goal").click()
    expect(page.locator("#f-amount-msg")).to_contain_text("at most 2 decimal places")
    expect(page.get_by_label("Name")).to_have_value("Food budget")
    page.get_by_label("Amount").fill("100.00")
    page.get_by_role("button", name="Create goal").click()
    expect(page.get_by_text("Created the goal “Food budget”.")).to_be_visible()
    card = page.get_by_test_id("goal-card")
    expect(card.get_by_test_id("goal-status")).to_have_text("On track")
    expect(card.locator("progress")).to_have_attribute("value", "0.00")


def _spend(page: Page, context: Any, food: str, bank: str) -> None:
    goals = api(page, context, "GET", "/api/v1/goals", {})
    goal = goals["items"][0]["id"]
    today = api(page, context, "GET", f"/api/v1/goals/{goal}/progress", {})["as_of"]
    api(
        page,
        context,
        "POST",
        "/api/v1/transactions",
        {
            "date": today,
            "description": "Big shop",
            "amount": "85.00",
            "type": "expense",
            "account_id": bank,
            "category_id": food,
        },
    )
