"""The transactions page: table, filters, sort, pages, inline add (simple and split),
delete and restore — over HTTP with cookies, like a browser."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register
from tests.web.ledger_helpers import (
    Chart,
    api,
    balance,
    category_names,
    expense,
    household,
    htmx,
    post_form,
)


@pytest.fixture
def chart(signed_in: TestClient) -> Chart:
    return household(signed_in)


def _simple(chart: Chart, **fields: str) -> dict[str, str]:
    return {
        "type": "expense",
        "date": "2026-11-21",
        "description": "Weekly shop",
        "payee": "Woolworths",
        "amount": "84.20",
        "account_id": chart.checking,
        "category_id": chart.groceries,
        "tags": "food, weekly",
        "status": "cleared",
        **fields,
    }


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr id="txn-[^"]+" data-testid="txn-row".*?</tr>', page, re.S)


def test_the_page_lists_transactions_with_signed_coloured_amounts(
    signed_in: TestClient, chart: Chart
) -> None:
    expense(signed_in, chart, "12.50", payee="IGA", tags=["food"])
    body = {
        "type": "income",
        "date": "2026-11-15",
        "description": "Pay",
        "amount": "3000.00",
        "account_id": chart.checking,
        "category_id": chart.salary,
    }
    assert signed_in.post("/api/v1/transactions", json=body, headers=api(signed_in)).is_success
    page = signed_in.get("/transactions")
    assert page.status_code == 200
    assert 'href="/transactions" aria-current="page"' in page.text
    rows = _rows(page.text)
    assert len(rows) == 2
    assert "amount-neg" in rows[0]
    assert "-12.50" in rows[0]
    assert "IGA" in rows[0]
    assert "Everyday" in rows[0]
    assert "Groceries" in rows[0]
    assert "tag-chip" in rows[0]
    assert "amount-pos" in rows[1]
    assert "3,000.00" in rows[1]
    assert "Salary and wages" in rows[1]
    assert "2 transactions" in page.text


def test_adding_an_expense_posts_it_and_moves_the_balance(
    signed_in: TestClient, chart: Chart
) -> None:
    response = post_form(signed_in, "/transactions", _simple(chart))
    assert response.status_code == 303
    assert response.headers["location"] == "/transactions"
    assert balance(signed_in, chart.checking) == "-84.20"
    assert balance(signed_in, chart.groceries) == "84.20"
    page = signed_in.get("/transactions").text
    assert "Added “Weekly shop”." in page  # the flash
    assert "Woolworths" in _rows(page)[0]


def test_htmx_add_returns_a_fresh_form_and_tells_the_table_to_reload(
    signed_in: TestClient, chart: Chart
) -> None:
    response = post_form(signed_in, "/transactions", _simple(chart), hx=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "txn-changed"
    assert response.text.lstrip().startswith('<form id="add-form"')
    assert "Added “Weekly shop”." in response.text
    assert 'value="Weekly shop"' not in response.text  # cleared for the next one
    assert f'<option value="{chart.checking}" selected>' in response.text  # account kept
    table = signed_in.get("/transactions", headers={"HX-Request": "true"})
    assert table.text.lstrip().startswith('<div id="txn-table"')
    assert "<nav" not in table.text
    assert len(_rows(table.text)) == 1


def test_a_transfer_moves_money_between_accounts(signed_in: TestClient, chart: Chart) -> None:
    data = _simple(
        chart, type="transfer", amount="500", category_id="", transfer_account_id=chart.savings
    )
    assert post_form(signed_in, "/transactions", data).status_code == 303
    assert balance(signed_in, chart.checking) == "-500.00"
    assert balance(signed_in, chart.savings) == "500.00"
    row = _rows(signed_in.get("/transactions").text)[0]
    assert "Everyday → Savings" in row
    assert "Transfer" in row
    assert "amount-neutral" in row


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"amount": "12.345"}, "AUD amounts have at most 2 decimal places", "a-amount"),
        ({"amount": "-5"}, "Amount must be a positive amount", "a-amount"),
        ({"amount": ""}, "Amount", "a-amount"),
        ({"description": " "}, "Description is required", "a-description"),
        ({"category_id": ""}, "Category is required for this type", "a-category_id"),
        ({"date": ""}, "Date is required", "a-date"),
        ({"tags": "ok, not/ok"}, "Tags", "a-tags"),
    ],
)
def test_errors_are_shown_beside_the_field_and_nothing_is_posted(
    signed_in: TestClient, chart: Chart, fields: dict[str, str], message: str, field: str
) -> None:
    response = post_form(signed_in, "/transactions", _simple(chart, **fields), hx=True)
    assert response.status_code == 422
    assert f'id="{field}-msg" class="field-error"' in response.text
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert balance(signed_in, chart.checking) == "0.00"


def test_a_plain_post_with_errors_re_renders_the_whole_page(
    signed_in: TestClient, chart: Chart
) -> None:
    response = post_form(signed_in, "/transactions", _simple(chart, amount="abc"))
    assert response.status_code == 422
    assert "<nav" in response.text
    assert 'id="a-amount-msg"' in response.text
    assert 'value="Weekly shop"' in response.text  # what was typed is kept


def test_changing_the_type_swaps_the_category_for_a_to_account(
    signed_in: TestClient, chart: Chart
) -> None:
    response = signed_in.get(
        "/transactions/new",
        params={"type": "transfer", "description": "Move", "amount": "10"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'name="transfer_account_id"' in response.text
    assert 'name="category_id"' not in response.text
    assert 'value="Move"' in response.text
    income = signed_in.get("/transactions/new", params={"type": "income"}, headers=htmx(signed_in))
    assert "Salary and wages" in income.text
    assert "Groceries" not in income.text


def _split(chart: Chart, lines: list[tuple[str, str, str]]) -> dict[str, object]:
    return {
        "date": "2026-11-22",
        "description": "Big shop",
        "payee": "Costco",
        "tags": "",
        "status": "cleared",
        "account_id": [line[0] for line in lines],
        "debit": [line[1] for line in lines],
        "credit": [line[2] for line in lines],
        "memo": ["" for _ in lines],
    }


def test_a_split_posts_every_line(signed_in: TestClient, chart: Chart) -> None:
    lines = [
        (chart.groceries, "60.00", ""),
        (chart.rent, "40", ""),
        (chart.checking, "", "100.00"),
        ("", "", ""),  # an untouched spare line is ignored
    ]
    response = post_form(signed_in, "/transactions/split", _split(chart, lines), hx=True)
    assert response.status_code == 200, response.text
    assert response.headers["HX-Trigger"] == "txn-changed"
    assert "Added the split “Big shop”." in response.text
    assert balance(signed_in, chart.checking) == "-100.00"
    assert balance(signed_in, chart.groceries) == "60.00"
    assert balance(signed_in, chart.rent) == "40.00"
    row = _rows(signed_in.get("/transactions").text)[0]
    assert "Everyday" in row
    assert "Groceries, Rent" in row
    assert "100.00" in row


def test_an_unbalanced_split_shows_the_difference_and_posts_nothing(
    signed_in: TestClient, chart: Chart
) -> None:
    lines = [(chart.groceries, "60.00", ""), (chart.checking, "", "55.00")]
    response = post_form(signed_in, "/transactions/split", _split(chart, lines), hx=True)
    assert response.status_code == 422
    assert "AUD debits exceed credits by 5.00" in response.text
    assert 'data-testid="split-difference">Difference 5.00' in response.text
    assert 'value="60.00"' in response.text  # kept
    assert balance(signed_in, chart.checking) == "0.00"


def test_split_line_errors_are_shown_on_their_line(signed_in: TestClient, chart: Chart) -> None:
    lines = [
        (chart.groceries, "60.001", ""),
        ("", "", "60.00"),
        (chart.rent, "1", "1"),
    ]
    response = post_form(signed_in, "/transactions/split", _split(chart, lines), hx=True)
    assert response.status_code == 422
    page = response.text
    assert re.search(r'id="s-line-2-account-msg" class="field-error">Choose an account', page)
    assert re.search(
        r'id="s-line-3-credit-msg" class="field-error">Enter a debit or a credit, not both', page
    )
    one = post_form(signed_in, "/transactions/split", _split(chart, lines[:1] * 2), hx=True)
    assert re.search(
        r'id="s-line-1-debit-msg" class="field-error">AUD amounts have at most 2', one.text
    )


def test_adding_a_line_keeps_what_was_typed(signed_in: TestClient, chart: Chart) -> None:
    lines = [(chart.groceries, "60.00", ""), (chart.checking, "", "60.00")]
    data = _split(chart, lines)
    response = post_form(signed_in, "/transactions/split/lines", data, hx=True)
    assert response.status_code == 200
    assert response.text.count('name="account_id"') == 3
    assert 'value="60.00"' in response.text
    assert 'value="Big shop"' in response.text
    assert "Balanced" in response.text
    assert balance(signed_in, chart.checking) == "0.00"  # nothing posted


def test_filters_narrow_the_table_and_survive_in_the_url(
    signed_in: TestClient, chart: Chart
) -> None:
    expense(signed_in, chart, "10.00", description="Milk", date="2026-10-01")
    expense(signed_in, chart, "20.00", description="Bread", date="2026-11-01", status="pending")
    expense(
        signed_in,
        chart,
        "30.00",
        description="Rent",
        category_id=chart.rent,
        account_id=chart.card,
        date="2026-11-02",
    )

    def descriptions(**params: str) -> list[str]:
        page = signed_in.get("/transactions", params=params, headers={"HX-Request": "true"}).text
        return re.findall(r'<span class="txn-description">([^<]+)</span>', page)

    assert descriptions() == ["Rent", "Bread", "Milk"]
    assert descriptions(account_id=chart.card) == ["Rent"]
    assert descriptions(status="pending") == ["Bread"]
    assert descriptions(date_from="2026-10-15", date_to="2026-11-01") == ["Bread"]
    assert descriptions(q="mil") == ["Milk"]
    assert descriptions(type="income") == []
    assert descriptions(account_id="not-an-id") == ["Rent", "Bread", "Milk"]  # ignored
    full = signed_in.get("/transactions", params={"status": "pending", "q": "br"}).text
    assert '<option value="pending" selected>' in full
    assert 'id="t-q" name="q" type="search" value="br"' in full


def test_the_account_filter_shows_amounts_as_that_account_saw_them(
    signed_in: TestClient, chart: Chart
) -> None:
    data = _simple(
        chart, type="transfer", amount="50", category_id="", transfer_account_id=chart.savings
    )
    post_form(signed_in, "/transactions", data)
    page = signed_in.get("/transactions", params={"account_id": chart.savings}).text
    assert "amount-pos" in _rows(page)[0]
    page = signed_in.get("/transactions", params={"account_id": chart.checking}).text
    assert "amount-neg" in _rows(page)[0]
    assert "-50.00" in _rows(page)[0]


def test_sorting_by_clicking_headers(signed_in: TestClient, chart: Chart) -> None:
    for amount, day in (("5.00", "01"), ("50.00", "02"), ("7.00", "03")):
        expense(signed_in, chart, amount, description=f"E{amount}", date=f"2026-11-{day}")

    def order(sort: str) -> list[str]:
        page = signed_in.get("/transactions", params={"sort": sort}, headers=htmx(signed_in))
        return re.findall(r'<span class="txn-description">([^<]+)</span>', page.text)

    assert order("-date") == ["E7.00", "E50.00", "E5.00"]
    assert order("date") == ["E5.00", "E50.00", "E7.00"]
    assert order("amount") == ["E5.00", "E7.00", "E50.00"]
    assert order("-amount") == ["E50.00", "E7.00", "E5.00"]
    assert order("description") == ["E5.00", "E50.00", "E7.00"]
    page = signed_in.get("/transactions", params={"sort": "amount"}).text
    assert 'aria-sort="ascending"' in page
    assert 'href="/transactions?sort=-amount"' in page  # a second click reverses
    assert 'href="/transactions?sort=description"' in page


def test_the_search_box_speaks_the_search_syntax(signed_in: TestClient, chart: Chart) -> None:
    expense(signed_in, chart, "12.00", description="Milk", payee="IGA", date="2026-07-03")
    expense(signed_in, chart, "80.00", description="Weekly", payee="Woolworths", date="2026-07-09")
    expense(signed_in, chart, "95.00", description="Big", payee="Woolworths", date="2026-08-01")

    def found(q: str, **params: str) -> list[str]:
        page = signed_in.get("/transactions", params={"q": q, **params}, headers=htmx(signed_in))
        return re.findall(r'<span class="txn-description">([^<]+)</span>', page.text)

    assert found("payee:woolworths amount>50 date:2026-07") == ["Weekly"]
    assert found("payee:woolworths", sort="amount") == ["Weekly", "Big"]
    assert found("milk") == ["Milk"]
    assert found("category:Food") == ["Big", "Weekly", "Milk"]  # a parent covers its children
    assert found("payee:woolworths", date_from="2026-07-15") == ["Big"]  # and the fields apply
    bad = signed_in.get("/transactions", params={"q": "amount>lots"}, headers=htmx(signed_in))
    assert bad.status_code == 200
    assert 'data-testid="search-error">Search: ' in bad.text
    page = signed_in.get("/transactions", params={"q": "amount>lots"}).text
    assert 'id="t-q-msg" class="field-error"' in page


def test_the_category_filter_includes_sub_categories(signed_in: TestClient, chart: Chart) -> None:
    expense(signed_in, chart, "10.00", description="Apples")
    expense(signed_in, chart, "900.00", description="Rent", category_id=chart.rent)
    food = category_names(signed_in)["Food"]
    page = signed_in.get("/transactions", params={"category_id": food}, headers=htmx(signed_in))
    assert re.findall(r'<span class="txn-description">([^<]+)</span>', page.text) == ["Apples"]


def test_pages_of_fifty(signed_in: TestClient, chart: Chart) -> None:
    for n in range(52):
        expense(signed_in, chart, "1.00", description=f"Item {n:02d}")
    first = signed_in.get("/transactions", params={"q": "item"}).text
    assert len(_rows(first)) == 50
    # a text filter is not counted: the first page knows only that more follow
    assert "Showing 1\u201350</p>" in first
    assert " of " not in _pager(first)
    assert 'href="/transactions?q=item&amp;page=2"' in first
    assert 'rel="next"' in first
    second = signed_in.get("/transactions", params={"q": "item", "page": "2"}).text
    assert len(_rows(second)) == 2
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    # the last page knows the total: the entries before it and its own
    assert "52 transactions · page 2 of 2" in second
    beyond = signed_in.get("/transactions", params={"q": "item", "page": "3"}).text
    assert _rows(beyond) == []
    assert "No transactions on page 3" in beyond
    assert 'rel="prev"' in beyond
    assert 'rel="next"' not in beyond


def test_a_counted_list_keeps_its_total_and_page_numbers(
    signed_in: TestClient, chart: Chart
) -> None:
    for n in range(52):
        expense(signed_in, chart, "1.00", description=f"Item {n:02d}")
    first = signed_in.get("/transactions").text  # the whole list: a kept count
    assert "52 transactions · page 1 of 2" in first
    assert "Page 1 of 2" in _pager(first)
    assert 'rel="next"' in first
    register = signed_in.get("/transactions", params={"account_id": chart.checking}).text
    assert "52 transactions · page 1 of 2" in register


def _pager(page: str) -> str:
    found = re.search(r'<nav class="txn-pager".*?</nav>', page, re.S)
    return found.group(0) if found else ""


def test_delete_and_restore(signed_in: TestClient, chart: Chart) -> None:
    txn = expense(signed_in, chart, "12.00", description="Oops")
    response = signed_in.post(f"/transactions/{txn['id']}/delete", headers=htmx(signed_in))
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "txn-changed"
    assert response.headers["HX-Retarget"] == "#toasts"
    assert "Deleted “Oops”." in response.text
    assert balance(signed_in, chart.checking) == "0.00"
    assert _rows(signed_in.get("/transactions").text) == []
    bin_page = signed_in.get("/transactions", params={"deleted": "1"}).text
    assert "Oops" in _rows(bin_page)[0]
    assert "Restore" in _rows(bin_page)[0]
    plain = post_form(signed_in, f"/transactions/{txn['id']}/restore", {})
    assert plain.status_code == 303
    assert balance(signed_in, chart.checking) == "-12.00"


def test_another_tenants_transaction_is_not_found(
    signed_in: TestClient, chart: Chart, web_app: object
) -> None:
    txn = expense(signed_in, chart, "12.00")
    with TestClient(web_app, follow_redirects=False) as other:  # type: ignore[arg-type]
        register(other, new_account())
        theirs = post_form(other, f"/transactions/{txn['id']}/delete", {})
        random = post_form(other, "/transactions/00000000-0000-4000-8000-000000000000/delete", {})
        assert theirs.status_code == random.status_code == 404
        assert "Not Found" in theirs.text
    assert balance(signed_in, chart.checking) == "-12.00"


def test_posting_needs_the_csrf_token(signed_in: TestClient, chart: Chart) -> None:
    response = signed_in.post("/transactions", data=_simple(chart))
    assert response.status_code == 403
    assert balance(signed_in, chart.checking) == "0.00"


def test_anonymous_visitors_are_sent_to_log_in(page_client: TestClient) -> None:
    response = page_client.get("/transactions?status=pending")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_the_balances_block_reloads_on_its_own(signed_in: TestClient, chart: Chart) -> None:
    expense(signed_in, chart, "9.95")
    block = signed_in.get("/transactions/balances", headers={"HX-Request": "true"}).text
    assert block.lstrip().startswith('<section id="balances"')
    assert re.search(r"Everyday</span>.*?-9.95", block, re.S)


def test_a_double_submit_posts_once(signed_in: TestClient, chart: Chart) -> None:
    form = signed_in.get("/transactions").text
    key = re.search(r'id="add-form".*?name="submission" value="([0-9a-f]{32})"', form, re.S)
    assert key
    data = {**_simple(chart), "submission": key.group(1)}
    first = post_form(signed_in, "/transactions", data, hx=True)
    again = post_form(signed_in, "/transactions", data, hx=True)
    assert first.status_code == again.status_code == 200
    assert balance(signed_in, chart.checking) == "-84.20"  # once
    fresh = re.search(r'name="submission" value="([0-9a-f]{32})"', first.text)
    assert fresh
    assert fresh.group(1) != key.group(1)  # the next entry gets a new key
    split_key = re.search(r'id="split-form".*?name="submission" value="([0-9a-f]{32})"', form, re.S)
    assert split_key
    lines = [(chart.groceries, "5.00", ""), (chart.checking, "", "5.00")]
    split = {**_split(chart, lines), "submission": split_key.group(1)}
    post_form(signed_in, "/transactions/split", split, hx=True)
    post_form(signed_in, "/transactions/split", split, hx=True)
    assert balance(signed_in, chart.checking) == "-89.20"
