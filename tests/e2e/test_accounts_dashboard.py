"""A new household in a real browser: start from a template, add two accounts on the
accounts page, post transactions through the API, and watch the balances, the net worth
and the charts change on the accounts page, an account's page and the dashboard."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.test_web_shell import _console_error

NAME = "Ada Lovelace"
EMAIL = "ada@example.com"
PASSWORD = "analytical engine 1843"


@pytest.mark.browser
def test_accounts_and_dashboard_follow_the_books(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    page: Page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: _console_error(problems, m))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        _register_and_start(page, artifacts)
        _add_accounts(page, artifacts)
        _post_transactions(context)
        _see_balances(page, artifacts)
        _account_page(page, artifacts)
        _phone(page, artifacts)
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations


def _register_and_start(page: Page, artifacts: Path) -> None:
    page.goto("/register")
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#tenant-title")).to_have_text(NAME)
    expect(page.get_by_text("Let's set up your books")).to_be_visible()
    page.screenshot(path=artifacts / "20-dashboard-new-tenant.png", full_page=True)
    page.get_by_role("button", name="Personal household").click()
    expect(
        page.get_by_text(re.compile(r"Added \d+ categories from Personal household"))
    ).to_be_visible()
    page.get_by_role("link", name="Add your first account").click()
    expect(page).to_have_url(re.compile(r"/accounts#new-account$"))


def _add_accounts(page: Page, artifacts: Path) -> None:
    expect(page.get_by_text("No accounts yet")).to_be_visible()
    page.get_by_label("Name").fill("Everyday")
    page.get_by_label("Currency").fill("ZZZ")
    page.get_by_role("button", name="Add account").click()  # sent by HTMX
    expect(page.get_by_text("Currency is not a known ISO 4217 currency")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Everyday")
    page.screenshot(path=artifacts / "21-new-account-error.png", full_page=True)
    page.get_by_label("Currency").fill("AUD")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_text("Added the account Everyday.")).to_be_visible()

    page.get_by_label("Name").fill("Visa")
    page.get_by_label("Type").select_option("liability")
    page.get_by_label("Kind").select_option("credit_card")
    page.get_by_label("Last four digits").fill("4242")
    page.get_by_label("Credit limit").fill("5000")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_text("Added the account Visa.")).to_be_visible()
    expect(_balance(page, "Everyday")).to_have_text("0.00 AUD")
    expect(_balance(page, "Visa")).to_have_text("0.00 AUD")


def _post_transactions(context: BrowserContext) -> None:
    """The transactions page is another page's job: post through the JSON API instead."""
    token = next(c["value"] for c in context.cookies() if c["name"] == "fiscus_access")
    auth = {"Authorization": f"Bearer {token}"}
    accounts = {
        a["name"]: a["id"] for a in context.request.get("/api/v1/accounts", headers=auth).json()
    }
    tree = context.request.get("/api/v1/categories", headers=auth).json()
    categories = {n["name"]: n["id"] for n in _walk(tree)}
    today = date.today()  # UTC: never after the tenant's today (Australia/Sydney)
    for days_ago, body in enumerate(
        (
            {
                "type": "income",
                "amount": "3000.00",
                "description": "Salary",
                "account_id": accounts["Everyday"],
                "category_id": categories["Salary and wages"],
            },
            {
                "type": "expense",
                "amount": "120.50",
                "description": "Weekly shop",
                "account_id": accounts["Visa"],
                "category_id": categories["Groceries"],
            },
            {
                "type": "transfer",
                "amount": "100.00",
                "description": "Pay the card",
                "account_id": accounts["Everyday"],
                "transfer_account_id": accounts["Visa"],
            },
        )
    ):
        body["date"] = (today - timedelta(days=2 - days_ago)).isoformat()
        response = context.request.post("/api/v1/transactions", data=body, headers=auth)
        assert response.status == 201, response.text()


def _see_balances(page: Page, artifacts: Path) -> None:
    page.reload()
    expect(_balance(page, "Everyday")).to_have_text("2,900.00 AUD")
    expect(_balance(page, "Visa")).to_have_text("20.50 AUD")  # owed: positive
    expect(page.get_by_test_id("net-worth")).to_have_text("2,879.50 AUD")
    page.screenshot(path=artifacts / "22-accounts.png", full_page=True)

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("net-worth")).to_have_text("2,879.50 AUD")
    expect(page.get_by_text("Let's set up your books")).to_have_count(0)
    recent = page.locator(".recent-list li")
    expect(recent).to_have_count(3)
    expect(recent.first).to_contain_text("Pay the card")  # newest first
    expect(page.get_by_role("img", name=re.compile("Net worth"))).to_be_visible()
    page.screenshot(path=artifacts / "23-dashboard.png", full_page=True)


def _account_page(page: Page, artifacts: Path) -> None:
    page.get_by_role("link", name="Everyday").first.click()
    expect(page.locator("#account-title")).to_have_text("Everyday")
    expect(page.get_by_test_id("account-balance")).to_have_text("2,900.00 AUD")
    expect(page.get_by_role("cell", name="Pay the card")).to_be_visible()
    chart = page.locator("#balance-chart svg")
    expect(chart).to_have_attribute("aria-labelledby", re.compile("chart-"))
    expect(page.get_by_role("link", name="Monthly")).to_have_attribute("aria-current", "true")
    page.get_by_role("link", name="Daily").click()  # HTMX swaps only the chart
    expect(page.get_by_role("link", name="Daily")).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(re.compile(r"interval=day$"))
    expect(page.locator("#balance-chart circle")).to_have_count(30)
    page.get_by_label("Balance", exact=True).fill("2900.001")
    page.get_by_role("button", name="Record balance").click()  # sent by HTMX
    expect(page.locator("#anchor-balance-msg")).to_contain_text("decimal")
    page.get_by_label("Balance", exact=True).fill("2900")
    page.get_by_role("button", name="Record balance").click()
    expect(page.get_by_text("Recorded a balance of 2900")).to_be_visible()
    expect(page.get_by_test_id("anchor-difference")).to_have_text("matches")
    page.screenshot(path=artifacts / "24-account-detail.png", full_page=True)


def _phone(page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    detail = page.url
    for path, name in (
        ("/", "25-phone-dashboard"),
        ("/accounts", "26-phone-accounts"),
        (detail, "27-phone-account"),
    ):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide at 375px: {_too_wide(page)}"
        page.screenshot(path=artifacts / f"{name}.png", full_page=True)


def _too_wide(page: Page) -> list[str]:
    """The innermost elements that stick out to the right (what to fix)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > 376
                && ![...e.children].some(c => c.getBoundingClientRect().right > 376))
            .slice(0, 8)
            .map(e => [e.tagName, e.className, e.getBoundingClientRect().right].join(" "))"""
    )
    return found


def _balance(page: Page, account: str) -> Any:
    return page.locator(f'tr[data-account="{account}"] [data-testid="balance"]')


def _walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node["children"]))
    return out
