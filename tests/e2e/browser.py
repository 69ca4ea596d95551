"""What the browser tests share: registering through the page, the JSON API with the
browser session's own token, and the console errors a page must not produce."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect


def open_page(chromium: Any, live_server: str, height: int = 900) -> tuple[Any, Page, list[str]]:
    """A fresh browser context on the live server, its page, and the page's problems as
    `watch_problems` collects them."""
    context = chromium.new_context(viewport={"width": 1280, "height": height}, base_url=live_server)
    page: Page = context.new_page()
    return context, page, watch_problems(page)


def register(page: Page, name: str, email: str, password: str) -> None:
    page.goto("/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Welcome to Fiscus, {name}.")).to_be_visible()


def api(page: Page, context: Any, method: str, path: str, body: Any = None) -> Any:
    """The JSON API with the browser session's own access token."""
    token = next(c["value"] for c in context.cookies() if c["name"] == "fiscus_access")
    response = page.request.fetch(
        path, method=method, data=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.ok, response.text()
    return response.json()


def watch_problems(page: Page) -> list[str]:
    """The page's script errors and console errors (CSP violations among them), as they
    happen; a test asserts the list stays empty. Failed resource loads are left to the
    test's own checks."""
    found: list[str] = []
    page.on(
        "console",
        lambda m: (
            found.append(f"{page.url}: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda exc: found.append(str(exc)))
    return found


def htmx_settled(page: Page) -> None:
    """Wait until htmx has swapped, settled and bound the new content: a control swapped
    in a moment ago is on the page before its hx-trigger listens, and a change made in
    that moment sends nothing."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
