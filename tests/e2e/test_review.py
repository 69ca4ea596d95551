"""The review queue in a real browser: a queued entry is corrected on the page, and the
next similar entry is offered the corrected category at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import api, open_page, register

NAME = "Grace Hopper"
EMAIL = "grace-review@example.com"
PASSWORD = "cobol compiler 1959"


@pytest.mark.browser
def test_a_correction_on_the_page_teaches_the_next_suggestion(
    chromium: Any, live_server: str, artifacts: Path
) -> None:
    context, page, problems = open_page(chromium, live_server)
    try:
        register(page, NAME, EMAIL, PASSWORD)
        _books(page, context)
        page.get_by_role("link", name="Review").click()
        expect(page).to_have_url(re.compile(r"/review$"))
        expect(page.get_by_text("Nothing to review.")).to_be_visible()
        page.get_by_test_id("categorise").click()
        expect(page.get_by_text("0 categorised automatically, 2 to review")).to_be_visible()
        first = _item(page, "PETBARN 12 ALEXANDRIA")
        second = _item(page, "PETBARN 99 ROZELLE")
        # before: the model only knows groceries
        expect(second.get_by_test_id("suggestion")).to_contain_text("Groceries")
        first.get_by_test_id("correct-select").select_option(label="Pets")
        first.get_by_test_id("correct").click()
        expect(page.get_by_text("Filed “EFTPOS PETBARN 12 ALEXANDRIA” under Pets.")).to_be_visible()
        expect(page.get_by_test_id("review-item")).to_have_count(1)
        expect(_item(page, "PETBARN 99 ROZELLE").get_by_test_id("suggestion")).to_contain_text(
            "Pets"
        )
        expect(page.get_by_test_id("model-status")).to_contain_text("learned from 4 confirmed")
        page.reload()
        expect(_item(page, "PETBARN 99 ROZELLE").get_by_test_id("suggestion")).to_contain_text(
            "Pets"
        )
        page.screenshot(path=artifacts / "review-queue.png", full_page=True)
        _item(page, "PETBARN 99 ROZELLE").get_by_test_id("suggestion").click()
        expect(page.get_by_text("Filed “EFTPOS PETBARN 99 ROZELLE” under Pets.")).to_be_visible()
        expect(page.get_by_text("Nothing to review.")).to_be_visible()
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations


def _item(page: Page, text: str) -> Any:
    return page.get_by_test_id("review-item").filter(has_text=text)


def _books(page: Page, context: Any) -> None:
    """Three hand-filed supermarket entries, a Pets category nobody used yet, and two
    pet-shop lines booked on Uncategorised as a bank import leaves them."""

    def category(name: str, **extra: str) -> str:
        body = {"name": name, "type": "expense", **extra}
        return str(api(page, context, "POST", "/api/v1/categories", body)["id"])

    bank = api(page, context, "POST", "/api/v1/accounts", {"name": "Everyday", "type": "asset"})
    groceries, _pets = category("Groceries"), category("Pets")
    uncategorised = category("Uncategorised expense", code="UNCAT-EXP")
    lines = [
        ("EFTPOS WOOLWORTHS 1234 SYDNEY", groceries),
        ("EFTPOS WOOLWORTHS METRO 88 NEWTOWN", groceries),
        ("EFTPOS COLES 0455 BONDI", groceries),
        ("EFTPOS PETBARN 12 ALEXANDRIA", uncategorised),
        ("EFTPOS PETBARN 99 ROZELLE", uncategorised),
    ]
    for day, (description, category_id) in enumerate(lines, start=1):
        api(
            page,
            context,
            "POST",
            "/api/v1/transactions",
            {
                "date": f"2026-03-0{day}",
                "description": description,
                "amount": "55.00",
                "type": "expense",
                "account_id": bank["id"],
                "category_id": category_id,
            },
        )
    api(page, context, "PATCH", "/api/v1/insights/model", {"auto_threshold": 1.0})
