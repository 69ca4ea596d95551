"""Changing transactions from the table: inline edit of a row, bulk actions on the
selected rows — over HTTP with cookies, like a browser."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import new_account, register
from tests.web.ledger_helpers import (
    Chart,
    api,
    balance,
    create_account,
    expense,
    household,
    htmx,
    post_form,
)


@pytest.fixture
def chart(signed_in: TestClient) -> Chart:
    return household(signed_in)


def _read(client: TestClient, transaction_id: str) -> dict[str, object]:
    response = client.get(f"/api/v1/transactions/{transaction_id}", headers=api(client))
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def _edit_data(chart: Chart, **fields: str) -> dict[str, str]:
    return {
        "date": "2026-11-20",
        "description": "Groceries",
        "payee": "Aldi",
        "amount": "30.00",
        "account_id": chart.card,
        "category_id": chart.groceries,
        "tags": "food",
        "status": "cleared",
        **fields,
    }


def test_the_edit_form_starts_with_the_entry(signed_in: TestClient, chart: Chart) -> None:
    txn = expense(signed_in, chart, "12.50", payee="IGA", tags=["food"])
    response = signed_in.get(f"/transactions/{txn['id']}/edit", headers=htmx(signed_in))
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="txn-{txn["id"]}" class="txn-editing"')
    assert 'value="12.50"' in response.text
    assert 'value="IGA"' in response.text
    assert f'<option value="{chart.checking}" selected>' in response.text
    assert f'<option value="{chart.groceries}" selected>' in response.text


def test_editing_amount_and_account_moves_the_balances(signed_in: TestClient, chart: Chart) -> None:
    txn = expense(signed_in, chart, "12.50")
    path = f"/transactions/{txn['id']}/edit"
    response = post_form(signed_in, path, _edit_data(chart), hx=True)
    assert response.status_code == 200, response.text
    assert response.headers["HX-Trigger"] == "txn-changed"
    assert response.text.lstrip().startswith(f'<tr id="txn-{txn["id"]}" data-testid="txn-row"')
    assert "-30.00" in response.text
    assert "Aldi" in response.text
    assert balance(signed_in, chart.checking) == "0.00"
    assert balance(signed_in, chart.card) == "30.00"  # debt on the card, natural sign
    assert balance(signed_in, chart.groceries) == "30.00"


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"amount": "1.001"}, "amount", "at most 2 decimal places"),
        ({"amount": "0"}, "amount", "positive"),
        ({"description": ""}, "description", "Description is required"),
        ({"date": ""}, "date", "Date is required"),
        ({"category_id": ""}, "category_id", "Category is required"),
        ({"category_id": "00000000-0000-4000-8000-000000000000"}, "category_id", "no such"),
    ],
)
def test_edit_errors_are_shown_beside_the_field_and_nothing_changes(
    signed_in: TestClient, chart: Chart, fields: dict[str, str], field: str, text: str
) -> None:
    txn = expense(signed_in, chart, "12.50")
    path = f"/transactions/{txn['id']}/edit"
    response = post_form(signed_in, path, _edit_data(chart, **fields), hx=True)
    assert response.status_code == 422
    assert f'id="x-{txn["id"]}-{field}-msg" class="field-error"' in response.text
    assert text in response.text
    assert "HX-Trigger" not in response.headers
    assert balance(signed_in, chart.checking) == "-12.50"


def _split_entry(client: TestClient, chart: Chart) -> str:
    body = {
        "date": "2026-11-20",
        "description": "Split",
        "postings": [
            {"account_id": chart.groceries, "amount": "6.00"},
            {"account_id": chart.rent, "amount": "4.00"},
            {"account_id": chart.checking, "amount": "-10.00"},
        ],
    }
    created = client.post("/api/v1/transactions", json=body, headers=api(client))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _split_edit(chart: Chart, lines: list[tuple[str, str, str]]) -> dict[str, object]:
    return {
        "date": "2026-11-21",
        "description": "Market",
        "payee": "",
        "tags": "x",
        "status": "cleared",
        "account_id": [line[0] for line in lines],
        "debit": [line[1] for line in lines],
        "credit": [line[2] for line in lines],
        "memo": ["" for _ in lines],
    }


def test_a_split_edits_its_lines_inline(signed_in: TestClient, chart: Chart) -> None:
    txn_id = _split_entry(signed_in, chart)
    form = signed_in.get(f"/transactions/{txn_id}/edit", headers=htmx(signed_in)).text
    assert 'name="amount"' not in form
    assert form.count('name="debit"') == 3
    assert f'id="x-{txn_id}-line-1-debit" name="debit" value="6.00"' in form
    assert f'id="x-{txn_id}-line-3-credit" name="credit" value="10.00"' in form
    lines = [(chart.groceries, "7.00", ""), (chart.rent, "5.00", ""), (chart.card, "", "12.00")]
    path = f"/transactions/{txn_id}/edit"
    response = post_form(signed_in, path, _split_edit(chart, lines), hx=True)
    assert response.status_code == 200, response.text
    assert response.headers["HX-Trigger"] == "txn-changed"
    read = _read(signed_in, txn_id)
    assert read["description"] == "Market"
    assert read["date"] == "2026-11-21"
    assert read["tags"] == ["x"]
    assert balance(signed_in, chart.checking) == "0.00"
    assert balance(signed_in, chart.card) == "12.00"
    assert balance(signed_in, chart.groceries) == "7.00"


def test_an_unbalanced_split_edit_changes_nothing(signed_in: TestClient, chart: Chart) -> None:
    txn_id = _split_entry(signed_in, chart)
    lines = [(chart.groceries, "7.00", ""), (chart.rent, "", "1.001"), (chart.checking, "", "6")]
    path = f"/transactions/{txn_id}/edit"
    response = post_form(signed_in, path, _split_edit(chart, lines), hx=True)
    assert response.status_code == 422
    assert f'id="x-{txn_id}-line-2-credit-msg" class="field-error">AUD amounts' in response.text
    lines = [(chart.groceries, "7.00", ""), (chart.checking, "", "6.00")]
    response = post_form(signed_in, path, _split_edit(chart, lines), hx=True)
    assert response.status_code == 422
    assert "debits exceed credits by 1.00" in response.text
    assert "Difference 1.00" in response.text
    assert _read(signed_in, txn_id)["description"] == "Split"
    assert balance(signed_in, chart.checking) == "-10.00"
    more = post_form(signed_in, f"{path}/lines", _split_edit(chart, lines), hx=True)
    assert more.status_code == 200
    assert more.text.count('name="debit"') == 3
    assert 'value="7.00"' in more.text


def test_a_split_with_exchange_rates_edits_its_metadata_only(
    signed_in: TestClient, chart: Chart
) -> None:
    usd = [create_account(signed_in, f"USD {n}", currency="USD") for n in range(3)]
    body = {
        "date": "2026-11-20",
        "description": "Dollars",
        "postings": [
            {"account_id": usd[0], "amount": "10.00", "rate": "1.5"},
            {"account_id": usd[1], "amount": "-6.00", "rate": "1.5"},
            {"account_id": usd[2], "amount": "-4.00", "rate": "1.5"},
        ],
    }
    created = signed_in.post("/api/v1/transactions", json=body, headers=api(signed_in))
    txn_id = created.json()["id"]
    form = signed_in.get(f"/transactions/{txn_id}/edit", headers=htmx(signed_in)).text
    assert 'name="debit"' not in form
    assert "exchange rates" in form
    data = {"date": "2026-11-22", "description": "Dollars moved", "tags": "", "status": "cleared"}
    response = post_form(signed_in, f"/transactions/{txn_id}/edit", data, hx=True)
    assert response.status_code == 200, response.text
    read = _read(signed_in, txn_id)
    assert read["description"] == "Dollars moved"
    assert [p["rate"] for p in read["postings"]] == ["1.5", "1.5", "1.5"]  # type: ignore[attr-defined]


def test_cancel_puts_the_row_back(signed_in: TestClient, chart: Chart) -> None:
    txn = expense(signed_in, chart, "12.50")
    response = signed_in.get(f"/transactions/{txn['id']}/row", headers=htmx(signed_in))
    assert response.text.lstrip().startswith(f'<tr id="txn-{txn["id"]}" data-testid="txn-row"')


def test_another_tenants_row_cannot_be_read_or_edited(
    signed_in: TestClient, chart: Chart, web_app: object
) -> None:
    txn = expense(signed_in, chart, "12.50")
    with TestClient(web_app, follow_redirects=False) as other:  # type: ignore[arg-type]
        register(other, new_account())
        for path in (f"/transactions/{txn['id']}/row", f"/transactions/{txn['id']}/edit"):
            assert other.get(path, headers=htmx(other)).status_code == 404
        edit = post_form(other, f"/transactions/{txn['id']}/edit", _edit_data(chart))
        assert edit.status_code == 404
        bulk = post_form(other, "/transactions/bulk", {"action": "delete", "ids": [txn["id"]]})
        assert bulk.status_code == 303  # refused, with the reason as a flash
        assert "No such transaction" in other.get("/transactions").text
    assert balance(signed_in, chart.checking) == "-12.50"


def _ids(page: str) -> list[str]:
    return re.findall(r'name="ids" value="([^"]+)" form="bulk-form"', page)


def test_bulk_categorise_tag_and_status(signed_in: TestClient, chart: Chart) -> None:
    first = expense(signed_in, chart, "10.00", description="One", status="pending")
    second = expense(signed_in, chart, "20.00", description="Two", status="pending")
    ids = [first["id"], second["id"]]
    response = post_form(
        signed_in,
        "/transactions/bulk",
        {"action": "categorise", "category_id": chart.rent, "ids": ids},
        hx=True,
    )
    assert response.status_code == 200, response.text
    assert response.headers["HX-Trigger"] == "txn-changed"
    assert "Categorise: 2 changed, 0 already so." in response.text
    assert balance(signed_in, chart.rent) == "30.00"
    assert balance(signed_in, chart.groceries) == "0.00"
    post_form(signed_in, "/transactions/bulk", {"action": "tag", "tags": "a, b", "ids": ids})
    post_form(
        signed_in,
        "/transactions/bulk",
        {"action": "set_status", "status": "cleared", "ids": ids[:1]},
    )
    assert _read(signed_in, first["id"])["tags"] == ["a", "b"]
    assert _read(signed_in, first["id"])["status"] == "cleared"
    assert _read(signed_in, second["id"])["status"] == "pending"


def test_bulk_delete_is_all_or_nothing(signed_in: TestClient, chart: Chart) -> None:
    txn = expense(signed_in, chart, "10.00")
    missing = "00000000-0000-4000-8000-000000000000"
    refused = post_form(
        signed_in, "/transactions/bulk", {"action": "delete", "ids": [txn["id"], missing]}, hx=True
    )
    assert refused.status_code == 404
    assert "No such transaction" in refused.text
    assert balance(signed_in, chart.checking) == "-10.00"
    done = post_form(
        signed_in, "/transactions/bulk", {"action": "delete", "ids": [txn["id"]]}, hx=True
    )
    assert done.status_code == 200
    assert balance(signed_in, chart.checking) == "0.00"


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"action": "categorise"}, "b-category_id-msg", "Category is required for this action"),
        ({"action": "tag"}, "b-tags-msg", "Tags"),
        ({"action": "set_status"}, "b-status-msg", "Status is required for this action"),
        ({"action": "explode"}, "b-action-msg", "With the selected must be one of the options"),
    ],
)
def test_bulk_errors_are_shown_beside_the_field(
    signed_in: TestClient, chart: Chart, data: dict[str, str], field: str, text: str
) -> None:
    txn = expense(signed_in, chart, "10.00")
    response = post_form(signed_in, "/transactions/bulk", {**data, "ids": [txn["id"]]}, hx=True)
    assert response.status_code == 422
    assert f'id="{field}" class="field-error"' in response.text
    assert text in response.text


def test_bulk_with_nothing_selected_says_so(signed_in: TestClient, chart: Chart) -> None:
    response = post_form(signed_in, "/transactions/bulk", {"action": "delete"}, hx=True)
    assert response.status_code == 422
    assert "Select at least one transaction first." in response.text


def test_select_all_checks_every_row_on_the_page(signed_in: TestClient, chart: Chart) -> None:
    for n in range(3):
        expense(signed_in, chart, "1.00", description=f"Item {n}")
    page = signed_in.get("/transactions", params={"select": "all"}, headers=htmx(signed_in)).text
    assert len(_ids(page)) == 3
    assert page.count('form="bulk-form" aria-label="Select Item') == 3
    assert len(re.findall(r'form="bulk-form" aria-label="[^"]+" checked', page)) == 3
    plain = signed_in.get("/transactions", headers=htmx(signed_in)).text
    assert " checked" not in plain.split("<tbody>")[1]


def test_a_viewer_sees_no_forms_and_cannot_post(
    signed_in: TestClient, chart: Chart, web_app: object
) -> None:
    txn = expense(signed_in, chart, "12.50")
    tenant_id = signed_in.get("/api/v1/auth/me", headers=api(signed_in)).json()["tenant"]["id"]
    viewer = new_account()
    with TestClient(web_app, follow_redirects=False) as other:  # type: ignore[arg-type]
        register(other, viewer)
        added = signed_in.post(
            f"/api/v1/tenants/{tenant_id}/members",
            json={"email": viewer.email, "role": "viewer"},
            headers=api(signed_in),
        )
        assert added.status_code == 201, added.text
        switched = post_form(other, "/switch-tenant", {"tenant_id": tenant_id})
        assert switched.status_code == 303
        page = other.get("/transactions").text
        assert txn["description"] in page  # they can read
        for marker in ('id="add-form"', 'id="split-form"', 'id="bulk-form"', "Delete"):
            assert marker not in page
        assert 'id="cat-create"' not in other.get("/categories").text
        for path, data in (
            ("/transactions", {"type": "expense"}),
            (f"/transactions/{txn['id']}/delete", {}),
            ("/transactions/bulk", {"action": "delete", "ids": [txn["id"]]}),
            ("/categories/template", {"key": "household"}),
            ("/categories/merge", {"source_id": chart.groceries, "target_id": chart.rent}),
        ):
            assert post_form(other, path, data).status_code == 403, path
    assert balance(signed_in, chart.checking) == "-12.50"
