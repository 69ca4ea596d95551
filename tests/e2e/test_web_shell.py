"""A user's first minutes in a real browser: register, log out and in, two tenants, a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

NAME = "Grace Hopper"
EMAIL = "grace@example.com"
PASSWORD = "compilers are fun 1952"


@pytest.mark.browser
def test_register_login_tenants_and_phone_layout(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, base_url=live_server)
    page: Page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: _console_error(problems, m))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    try:
        _register(page, artifacts)
        _logout(page)
        _login(page, artifacts)
        _create_tenant(page, artifacts)
        _switch_tenant(page, artifacts)
        _phone_layout(page, artifacts)
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations


def _console_error(problems: list[str], message: Any) -> None:
    """Script errors and CSP violations; not the statuses of pages we expect to fail."""
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(message.text)


def _register(page: Page, artifacts: Path) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Password must be at least 8 characters")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value(EMAIL)
    page.screenshot(path=artifacts / "01-register-error.png", full_page=True)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#tenant-title")).to_have_text(NAME)
    expect(page.get_by_text(f"Welcome to Fiscus, {NAME}.")).to_be_visible()
    page.screenshot(path=artifacts / "02-dashboard.png", full_page=True)


def _logout(page: Page) -> None:
    page.get_by_label(f"User menu for {NAME}").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have been logged out.")).to_be_visible()


def _login(page: Page, artifacts: Path) -> None:
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("The e-mail address or password is not correct.")
    page.screenshot(path=artifacts / "03-login-error.png", full_page=True)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#tenant-title")).to_have_text(NAME)


def _create_tenant(page: Page, artifacts: Path) -> None:
    page.locator(".tenant-switcher summary").click()
    page.get_by_role("link", name="+ New tenant").first.click()
    expect(page).to_have_url(re.compile(r"/tenants/new$"))
    page.get_by_label("Name").fill("Kiwi Consulting Ltd")
    page.get_by_label("Kind").select_option("practice")
    page.get_by_label("Base currency").fill("A1")
    page.get_by_label("Time zone").fill("Pacific/Auckland")
    page.get_by_label("Financial year starts").fill("04-01")
    page.get_by_role("button", name="Create tenant").click()  # sent by HTMX
    expect(page.get_by_text("Base currency must be a three-letter ISO 4217 code")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Kiwi Consulting Ltd")
    page.screenshot(path=artifacts / "04-new-tenant-error.png", full_page=True)
    page.get_by_label("Base currency").fill("NZD")
    page.get_by_role("button", name="Create tenant").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Created Kiwi Consulting Ltd.")).to_be_visible()
    expect(page.locator("#tenant-title")).to_have_text(NAME)  # creating does not switch


def _switch_tenant(page: Page, artifacts: Path) -> None:
    page.locator(".tenant-switcher summary").click()
    page.screenshot(path=artifacts / "05-tenant-switcher.png")
    page.get_by_role("button", name=re.compile("Kiwi Consulting Ltd")).click()
    expect(page.locator("#tenant-title")).to_have_text("Kiwi Consulting Ltd")
    expect(page.get_by_test_id("tenant-currency")).to_have_text("NZD")
    expect(page.get_by_test_id("tenant-kind")).to_have_text("Accounting practice")
    expect(page.get_by_test_id("tenant-role")).to_have_text("owner")
    expect(page.get_by_text("Switched to Kiwi Consulting Ltd.")).to_be_visible()
    page.screenshot(path=artifacts / "06-switched.png", full_page=True)


def _phone_layout(page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    for path, name in (("/", "07-phone-dashboard"), ("/tenants/new", "08-phone-new-tenant")):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} is {overflow}px wide at a 375px viewport"
        page.screenshot(path=artifacts / f"{name}.png", full_page=True)
    page.goto("/")
    page.locator(".tenant-switcher summary").click()
    menu = page.locator(".tenant-switcher ul").bounding_box()
    assert menu is not None
    assert menu["x"] >= 0
    assert menu["x"] + menu["width"] <= 375
    page.screenshot(path=artifacts / "09-phone-tenant-menu.png")
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    page.screenshot(path=artifacts / "10-phone-error.png", full_page=True)
