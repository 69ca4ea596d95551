"""The accounts pages: grouped balances, the new-account form, archive, an account's
page with its balance history, and who may do what."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from fiscus.ledger.views import router
from fiscus.web import csrf
from tests.web.helpers import csrf_of, new_account, register
from tests.web.ledger_helpers import Chart, api, create_account, household, post_form

TODAY = date.today()  # UTC: never after the tenant's today (Australia/Sydney)


def post_txn(client: TestClient, **body: str) -> None:
    body.setdefault("date", TODAY.isoformat())
    body.setdefault("description", "Entry")
    response = client.post("/api/v1/transactions", json=body, headers=api(client))
    assert response.status_code == 201, response.text


def balances_on(page: str) -> dict[str, str]:
    """Account name -> the balance cell's text, from the grouped tables."""
    rows = re.findall(
        r'<tr data-account="([^"]+)">.*?data-testid="balance">([^<]+)<small>(\w+)</small>',
        page,
        flags=re.S,
    )
    return {name: f"{amount.strip()} {currency}" for name, amount, currency in rows}


def net_worth(page: str) -> str:
    match = re.search(r'data-testid="net-worth">([^<]+)<small>(\w+)', page)
    assert match, "no net worth on the page"
    return f"{match.group(1).strip()} {match.group(2)}"


@pytest.fixture
def books(signed_in: TestClient) -> Chart:
    chart = household(signed_in)
    post_txn(
        signed_in,
        type="income",
        amount="3000.00",
        account_id=chart.checking,
        category_id=chart.salary,
        description="Salary",
    )
    post_txn(
        signed_in,
        type="expense",
        amount="120.50",
        account_id=chart.card,
        category_id=chart.groceries,
        description="Weekly shop",
    )
    post_txn(
        signed_in,
        type="transfer",
        amount="500",
        account_id=chart.checking,
        transfer_account_id=chart.savings,
        description="Save some",
    )
    return chart


def test_accounts_are_grouped_with_natural_sign_balances(
    signed_in: TestClient, books: Chart
) -> None:
    page = signed_in.get("/accounts")
    assert page.status_code == 200
    assert balances_on(page.text) == {
        "Everyday": "2,500.00 AUD",
        "Savings": "500.00 AUD",
        "Visa": "120.50 AUD",  # debt on a card is positive
    }
    assert page.text.index('id="group-asset"') < page.text.index('id="group-liability"')
    assert 'data-testid="total-asset">3,000.00 <small>AUD' in page.text
    assert 'data-testid="total-liability">120.50 <small>AUD' in page.text
    assert net_worth(page.text) == "2,879.50 AUD"
    assert 'aria-current="page">Accounts</a>' in page.text  # the nav link


def test_an_empty_chart_says_how_to_start(signed_in: TestClient) -> None:
    page = signed_in.get("/accounts").text
    assert "No accounts yet" in page
    assert 'id="account-form"' in page
    assert 'value="AUD"' in page  # the tenant's currency is the default


def test_a_new_account_from_the_form(signed_in: TestClient) -> None:
    response = post_form(
        signed_in,
        "/accounts",
        {
            "name": "Visa",
            "type": "liability",
            "subtype": "credit_card",
            "currency": "aud",
            "institution": "Big Bank",
            "last_four": "4242",
            "credit_limit": "5000",
            "opened_on": "2024-03-01",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/accounts"
    page = signed_in.get("/accounts").text
    assert "Added the account Visa." in page
    assert balances_on(page) == {"Visa": "0.00 AUD"}
    assert "Big Bank ••••4242" in page
    (created,) = signed_in.get("/api/v1/accounts", headers=api(signed_in)).json()
    assert created["type"] == "liability"
    assert created["subtype"] == "credit_card"
    assert created["currency"] == "AUD"
    assert created["credit_limit"] == "5000.00"
    assert created["opened_on"] == "2024-03-01"


def test_htmx_errors_come_back_beside_the_fields_and_nothing_is_created(
    signed_in: TestClient,
) -> None:
    response = post_form(
        signed_in,
        "/accounts",
        {
            "name": " ",
            "type": "asset",
            "subtype": "checking",
            "currency": "ZZZ",
            "last_four": "12",
            "credit_limit": "1.234",
        },
        hx=True,
    )
    assert response.status_code == 422
    text = response.text.lstrip()
    assert text.startswith('<form id="account-form"')  # only the form block
    assert "<html" not in text
    assert "Name is required" in text
    assert 'id="f-last_four-msg"' in text
    assert text.count('aria-invalid="true"') >= 2
    assert 'value="ZZZ"' in text  # what was typed is kept
    assert signed_in.get("/api/v1/accounts", headers=api(signed_in)).json() == []


def test_a_domain_error_is_shown_on_the_field_it_names(signed_in: TestClient) -> None:
    fields = {
        "name": "Cash",
        "type": "asset",
        "subtype": "cash",
        "currency": "AUD",
        "credit_limit": "1.234",
    }
    response = post_form(signed_in, "/accounts", fields)
    assert response.status_code == 422
    assert "<html" in response.text  # without HTMX: the whole page again
    assert 'id="f-credit_limit-msg" class="field-error"' in response.text
    assert signed_in.get("/api/v1/accounts", headers=api(signed_in)).json() == []


def test_archive_and_restore(signed_in: TestClient, books: Chart) -> None:
    response = post_form(signed_in, f"/accounts/{books.savings}/archive", {"archived": "1"})
    assert response.status_code == 303
    page = signed_in.get("/accounts").text
    assert "Archived the account Savings." in page
    assert "Savings" not in balances_on(page)
    assert "Archived accounts (1)" in page
    assert 'aria-label="Restore Savings"' in page
    post_form(signed_in, f"/accounts/{books.savings}/archive", {"archived": "0", "back": "detail"})
    page = signed_in.get("/accounts").text
    assert balances_on(page)["Savings"] == "500.00 AUD"
    assert "Archived accounts" not in page


def test_an_account_page_shows_balance_history_and_transactions(
    signed_in: TestClient, books: Chart
) -> None:
    page = signed_in.get(f"/accounts/{books.checking}")
    assert page.status_code == 200
    text = page.text
    assert 'id="account-title">Everyday<' in text
    assert 'data-testid="account-balance">2,500.00 <small>AUD' in text
    assert "Salary" in text
    assert "Save some" in text
    assert "Weekly shop" not in text  # another account's entry
    assert '<svg class="chart chart-line-chart"' in text
    assert 'href="/accounts/' + books.checking + '?interval=month"' in text
    assert re.search(r'interval=month"\s+aria-current="true"', text)
    # the last point of the history is today's balance
    assert text.count("<circle") == 12
    assert re.findall(r"<title>Balance \(AUD\), [^:]+: ([^<]+)</title>", text)[-1] == "2,500.00"


@pytest.mark.parametrize(("interval", "points"), [("month", 12), ("week", 12), ("day", 30)])
def test_the_chart_switch_renders_only_the_chart(
    signed_in: TestClient, books: Chart, interval: str, points: int
) -> None:
    response = signed_in.get(
        f"/accounts/{books.checking}/chart",
        params={"interval": interval},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.text.lstrip()
    assert text.startswith('<div id="balance-chart"')
    assert "<html" not in text
    assert text.count("<circle") == points
    assert re.search(rf'interval={interval}"\s+aria-current="true"', text)


def test_an_unknown_interval_is_refused(signed_in: TestClient, books: Chart) -> None:
    response = signed_in.get(f"/accounts/{books.checking}", params={"interval": "year"})
    assert response.status_code == 422


def test_another_tenants_account_is_not_found_like_a_random_id(
    page_client: TestClient, signed_in: TestClient, books: Chart
) -> None:
    with TestClient(page_client.app, follow_redirects=False) as bob:
        register(bob, new_account())
        answers = []
        for account_id in (books.checking, str(uuid.uuid4())):
            seen = []
            for path in (f"/accounts/{account_id}", f"/accounts/{account_id}/chart"):
                response = bob.get(path)
                assert response.status_code == 404
                assert "Everyday" not in response.text
                seen.append(_error_text(response.text))
            archive = post_form(bob, f"/accounts/{account_id}/archive", {"archived": "1"})
            assert archive.status_code == 404
            answers.append((*seen, _error_text(archive.text)))
        assert answers[0] == answers[1]
        assert balances_on(bob.get("/accounts").text) == {}
    assert balances_on(signed_in.get("/accounts").text)["Everyday"] == "2,500.00 AUD"


def _error_text(page: str) -> str:
    """The error page without its request id (which differs on every request)."""
    main = page[page.index('<main id="main"') : page.index("</main>")]
    return re.sub(r"[0-9a-f]{32}", "<id>", main)


def _viewer_of(owner: TestClient) -> TestClient:
    """A second browser, signed in as a viewer of the owner's tenant."""
    viewer_account = new_account()
    viewer = TestClient(owner.app, follow_redirects=False)
    register(viewer, viewer_account)
    (tenant,) = owner.get("/api/v1/tenants", headers=api(owner)).json()
    invited = owner.post(
        f"/api/v1/tenants/{tenant['id']}/members",
        json={"email": viewer_account.email, "role": "viewer"},
        headers=api(owner),
    )
    assert invited.status_code == 201, invited.text
    switched = post_form(viewer, "/switch-tenant", {"tenant_id": tenant["id"]})
    assert switched.status_code == 303
    return viewer


def test_a_viewer_sees_balances_but_no_write_forms(signed_in: TestClient, books: Chart) -> None:
    viewer = _viewer_of(signed_in)
    page = viewer.get("/accounts").text
    assert balances_on(page)["Everyday"] == "2,500.00 AUD"
    assert 'id="account-form"' not in page
    assert "Archive" not in page
    detail = viewer.get(f"/accounts/{books.checking}").text
    assert 'action="/accounts/' not in detail
    for path, data in (
        ("/accounts", {"name": "Sneaky", "type": "asset"}),
        (f"/accounts/{books.checking}/archive", {"archived": "1"}),
        ("/start/template", {"key": "household"}),
    ):
        response = post_form(viewer, path, data)
        assert response.status_code == 403, path
    names = [a["name"] for a in signed_in.get("/api/v1/accounts", headers=api(signed_in)).json()]
    assert "Sneaky" not in names
    assert balances_on(signed_in.get("/accounts").text)["Everyday"] == "2,500.00 AUD"


def test_posts_need_the_csrf_token(signed_in: TestClient) -> None:
    csrf_of(signed_in, "/accounts")
    response = signed_in.post("/accounts", data={"name": "X", "type": "asset"})
    assert response.status_code == 403
    assert signed_in.get("/api/v1/accounts", headers=api(signed_in)).json() == []
    assert any(dep.dependency is csrf.protect for dep in router.dependencies)


def test_the_pages_need_a_login(page_client: TestClient) -> None:
    response = page_client.get("/accounts")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/accounts"


def test_a_back_dated_entry_moves_the_history(signed_in: TestClient, books: Chart) -> None:
    months_ago = (TODAY.replace(day=1) - timedelta(days=70)).isoformat()
    post_txn(
        signed_in,
        type="income",
        amount="100",
        account_id=books.checking,
        category_id=books.salary,
        date=months_ago,
    )
    text = signed_in.get(f"/accounts/{books.checking}").text
    values = re.findall(r"<title>Balance \(AUD\), [^:]+: ([^<]+)</title>", text)
    assert values[0] == "0.00"
    assert "100.00" in values
    assert values[-1] == "2,600.00"


def test_an_account_without_an_exchange_rate_is_left_out_of_the_totals(
    signed_in: TestClient, books: Chart
) -> None:
    wallet = create_account(signed_in, "US wallet", currency="USD", subtype="cash")
    equity = create_account(signed_in, "Opening balances", "equity", currency="USD")
    entry = {
        "date": TODAY.isoformat(),
        "description": "Opening",
        "postings": [
            {"account_id": wallet, "amount": "100.00"},
            {"account_id": equity, "amount": "-100.00"},
        ],
    }
    response = signed_in.post("/api/v1/transactions", json=entry, headers=api(signed_in))
    assert response.status_code == 201, response.text
    page = signed_in.get("/accounts").text
    assert balances_on(page)["US wallet"] == "100.00 USD"
    assert "No exchange rate is in effect for USD" in page
    assert net_worth(page) == "2,879.50 AUD"  # unchanged: no rate to convert with
    rate = {"currency": "USD", "effective_on": TODAY.isoformat(), "rate": "1.5"}
    added = signed_in.post("/api/v1/exchange-rates", json=rate, headers=api(signed_in))
    assert added.status_code == 201, added.text
    page = signed_in.get("/accounts").text
    assert "No exchange rate" not in page
    assert net_worth(page) == "3,029.50 AUD"
    assert "No exchange rate is in effect for USD" not in signed_in.get("/").text


def test_every_accounts_page_post_is_behind_the_csrf_check() -> None:
    from fiscus.ledger.views_account import router as detail_router

    for pages in (router, detail_router):
        assert any(dep.dependency is csrf.protect for dep in pages.dependencies)


def test_the_pages_need_no_inline_style_or_script(signed_in: TestClient, books: Chart) -> None:
    """The CSP refuses both; charts are classes and presentation attributes only."""
    for path in ("/", "/accounts", f"/accounts/{books.checking}"):
        page = signed_in.get(path).text
        assert "<svg" in page or path == "/accounts"
        assert " style=" not in page, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
