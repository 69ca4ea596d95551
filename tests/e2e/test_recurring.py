"""Recurring payments in a real browser: seed a monthly subscription through the API,
run detection, confirm the series on the page, and see the forecast chart there (with
the 3/6/12 months switch) and on the dashboard."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, open_page, register

NAME = "Grace Hopper"
EMAIL = "grace-recurring@example.com"
PASSWORD = "compiler cobol 1959"


def _months_back(today: date, months: int, day: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day, calendar.monthrange(year, month + 1)[1]))


def _seed(page: Page, context: Any) -> None:
    bank = api(page, context, "POST", "/api/v1/accounts", {"name": "Everyday", "type": "asset"})
    fun = api(page, context, "POST", "/api/v1/categories", {"name": "Fun", "type": "expense"})
    equity = api(page, context, "POST", "/api/v1/accounts", {"name": "Opening", "type": "equity"})
    today = date.fromisoformat(api(page, context, "GET", "/api/v1/balances/forecast")["start"])
    api(
        page,
        context,
        "POST",
        "/api/v1/transactions",
        {
            "date": _months_back(today, 6, 1).isoformat(),
            "description": "Opening balance",
            "postings": [
                {"account_id": bank["id"], "amount": "500.00"},
                {"account_id": equity["id"], "amount": "-500.00"},
            ],
        },
    )
    for months in (4, 3, 2, 1):
        api(
            page,
            context,
            "POST",
            "/api/v1/transactions",
            {
                "date": _months_back(today, months, 7).isoformat(),
                "description": "STREAMFLIX.COM 0423",
                "payee": "STREAMFLIX.COM 0423",
                "amount": "15.99",
                "type": "expense",
                "account_id": bank["id"],
                "category_id": fun["id"],
            },
        )


@pytest.mark.browser
def test_detect_confirm_and_see_the_forecast(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, NAME, EMAIL, PASSWORD)
        _seed(page, context)
        page.get_by_role("link", name="Recurring").click()
        expect(page.get_by_text("No suggestions")).to_be_visible()
        page.get_by_role("button", name="Find recurring payments").click()
        suggested = page.get_by_test_id("group-suggested").get_by_test_id("series")
        expect(suggested).to_have_count(1)
        expect(suggested.get_by_test_id("series-amount")).to_have_text("-15.99 AUD")
        suggested.get_by_role("button", name="Confirm").click()
        confirmed = page.get_by_test_id("group-confirmed").get_by_test_id("series")
        expect(confirmed).to_have_count(1)
        expect(confirmed.locator(".series-name")).to_contain_text("STREAMFLIX")
        expect(page.get_by_test_id("group-suggested").get_by_test_id("series")).to_have_count(0)
        page.reload()  # the forecast now counts the confirmed series
        forecast = page.get_by_test_id("forecast")
        expect(forecast.get_by_text("1 confirmed series")).to_be_visible()
        expect(forecast.locator("svg[role=img]")).to_be_visible()
        expect(forecast.locator("svg title").first).to_contain_text("next 3 months")
        page.get_by_test_id("forecast-12").click()
        expect(page.get_by_test_id("forecast").locator("svg title").first).to_contain_text(
            "next 12 months"
        )
        page.get_by_role("link", name="Dashboard").click()
        chart = page.get_by_test_id("dashboard-forecast")
        expect(chart.locator("svg[role=img]")).to_be_visible()
        page.screenshot(path=artifacts / "recurring-dashboard.png", full_page=True)
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations
