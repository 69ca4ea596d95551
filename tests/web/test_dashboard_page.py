"""The dashboard: a friendly start for an empty tenant, then balances, net worth over
twelve months, and the ten most recent transactions."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register
from tests.web.ledger_helpers import api, create_account, household, post_form
from tests.web.test_account_pages import _viewer_of, net_worth, post_txn

TODAY = date.today()


def test_an_empty_tenant_gets_a_friendly_start(signed_in: TestClient) -> None:
    page = signed_in.get("/").text
    assert "Let's set up your books" in page
    assert 'action="/start/template"' in page
    assert 'value="household"' in page
    assert 'value="au_sole_trader"' in page
    assert 'href="/accounts#new-account"' in page
    assert "<svg" not in page  # no chart of nothing
    assert "Recent transactions" not in page
    assert "Coming soon" not in page


def test_applying_a_template_from_the_dashboard(signed_in: TestClient) -> None:
    response = post_form(signed_in, "/start/template", {"key": "household"})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    page = signed_in.get("/").text
    assert re.search(r"Added \d+ categories from Personal household\.", page)
    assert 'action="/start/template"' not in page  # step one is done
    assert "Add your first account" in page
    names = signed_in.get("/api/v1/categories", headers=api(signed_in)).json()
    assert names
    again = post_form(signed_in, "/start/template", {"key": "household"})
    assert again.status_code == 409  # a template only starts an empty chart


def test_an_unknown_template_is_not_found(signed_in: TestClient) -> None:
    assert post_form(signed_in, "/start/template", {"key": "nope"}).status_code == 404
    assert signed_in.get("/api/v1/categories", headers=api(signed_in)).json() == []


def test_balances_net_worth_and_its_chart(signed_in: TestClient) -> None:
    chart = household(signed_in)
    last_month = TODAY.replace(day=1) - timedelta(days=1)
    post_txn(
        signed_in,
        type="income",
        amount="1000",
        account_id=chart.checking,
        category_id=chart.salary,
        date=last_month.isoformat(),
    )
    post_txn(
        signed_in,
        type="expense",
        amount="250",
        account_id=chart.card,
        category_id=chart.groceries,
    )
    page = signed_in.get("/").text
    assert "Let's set up your books" not in page
    assert net_worth(page) == "750.00 AUD"
    svg = page[page.index('<svg class="chart chart-line-chart"') : page.index("</svg>")]
    assert "Net worth (AUD), last 12 months" in svg
    values = re.findall(r"<title>Net worth, [^:]+: ([^<]+)</title>", svg)
    assert len(values) == 12
    assert values[-3:] == ["0.00", "1,000.00", "750.00"]  # month ends, then today
    assert 'href="/accounts/' + chart.card + '"' in page


def test_the_ten_most_recent_transactions_newest_first(signed_in: TestClient) -> None:
    chart = household(signed_in)
    for n in range(12):
        post_txn(
            signed_in,
            type="expense",
            amount=f"{n + 1}.00",
            account_id=chart.checking,
            category_id=chart.groceries,
            description=f"Shop {n:02}",
            date=(TODAY - timedelta(days=12 - n)).isoformat(),
        )
    page = signed_in.get("/").text
    listed = re.findall(r"<strong>(Shop \d\d)</strong>", page)
    assert listed == [f"Shop {n:02}" for n in range(11, 1, -1)]
    assert "-12.00" in page  # an expense shows as money going out


def test_another_tenants_books_do_not_show(page_client: TestClient, signed_in: TestClient) -> None:
    chart = household(signed_in)
    post_txn(
        signed_in,
        type="income",
        amount="99",
        account_id=chart.checking,
        category_id=chart.salary,
        description="Alice's pay",
    )
    with TestClient(page_client.app, follow_redirects=False) as bob:
        register(bob, new_account())
        create_account(bob, "Bob's wallet")
        page = bob.get("/").text
        assert "Alice&#39;s pay" not in page
        assert "/accounts/" + chart.checking not in page
        assert net_worth(page) == "0.00 AUD"


def test_a_viewer_sees_the_books_but_no_write_actions(signed_in: TestClient) -> None:
    household(signed_in)
    viewer = _viewer_of(signed_in)
    page = viewer.get("/").text
    assert 'data-testid="tenant-role">viewer<' in page
    assert "+ Transaction" not in page
    assert 'action="/start/template"' not in page
    assert 'data-testid="net-worth"' in page


def test_goal_progress_is_shown_as_bars(signed_in: TestClient) -> None:
    chart = household(signed_in)
    post_txn(
        signed_in,
        type="expense",
        amount="450",
        account_id=chart.checking,
        category_id=chart.groceries,
    )
    post_txn(
        signed_in,
        type="income",
        amount="2000",
        account_id=chart.savings,
        category_id=chart.salary,
    )
    for body in (
        {
            "kind": "spending_limit",
            "name": "Food budget",
            "account_id": chart.groceries,
            "amount": "500",
            "period": "monthly",
        },
        {
            "kind": "savings_target",
            "name": "Holiday",
            "account_id": chart.savings,
            "amount": "8000",
            "target_date": (TODAY + timedelta(days=400)).isoformat(),
        },
    ):
        created = signed_in.post("/api/v1/goals", json=body, headers=api(signed_in))
        assert created.status_code == 201, created.text
    page = signed_in.get("/").text
    food = page[page.index('data-goal="Food budget"') :]
    food = food[: food.index("</li>")]
    assert 'class="goal-bar goal-bar-warning" value="450.00" max="500.00"' in food
    assert "90 %" in food
    assert "450.00 of 500.00 AUD spent this month" in food
    holiday = page[page.index('data-goal="Holiday"') :]
    holiday = holiday[: holiday.index("</li>")]
    assert 'max="100"' in holiday
    assert "25 %" in holiday
    assert "2,000.00 of 8,000.00 AUD saved" in holiday


def test_without_goals_the_panel_invites_one(signed_in: TestClient) -> None:
    household(signed_in)
    page = signed_in.get("/").text
    assert 'id="goals-title"' in page
    assert "Set a budget or a savings target" in page
