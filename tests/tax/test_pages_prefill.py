"""The prefill review page over HTTP: proposals with their transactions, a typed figure
replaced only when the person ticks "Replace my figure", and a prefilled figure that
keeps its provenance when its step is saved unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.recurring.test_recurring_pages import api, htmx_post, register
from tests.tax.test_pages import _new_return


@pytest.fixture
def signed_in(client: TestClient) -> TestClient:
    register(client)
    return client


def _entry(client: TestClient, bank: str, category: str, day: str, amount: str, what: str) -> Any:
    body = {
        "date": day,
        "description": what,
        "payee": what,
        "amount": amount,
        "type": "expense",
        "account_id": bank,
        "category_id": category,
    }
    return api(client, "POST", "/api/v1/transactions", json=body)["id"]


def test_prefill_review_asks_before_replacing_a_typed_figure(signed_in: TestClient) -> None:
    bank = api(signed_in, "POST", "/api/v1/accounts", json={"name": "Bank", "type": "asset"})["id"]
    body = {"name": "Work tools", "type": "expense", "tax_label": "ind.d5_other_work"}
    tools = api(signed_in, "POST", "/api/v1/categories", json=body)["id"]
    _entry(signed_in, bank, tools, "2024-09-01", "200.00", "Drill")
    _entry(signed_in, bank, tools, "2025-02-01", "99.95", "Saw")
    _entry(signed_in, bank, tools, "2025-07-01", "50.00", "Next year")  # 2025-26: not counted
    return_id = _new_return(signed_in)
    typed = {"step": "deductions", "deductions.d5_other_work": "120"}
    htmx_post(signed_in, f"/tax/returns/{return_id}/steps/deductions", typed)

    page = signed_in.get(f"/tax/returns/{return_id}/prefill")
    assert page.status_code == 200
    assert "No proposals waiting." in page.text
    ran = htmx_post(signed_in, f"/tax/returns/{return_id}/prefill")
    assert ran.status_code == 200
    assert "Prefill found 1 figure in the books for 2024-25." in ran.text
    assert "D5 Other work-related expenses" in ran.text
    assert "$299.95" in ran.text
    assert ran.text.count('data-testid="proposal-transaction"') == 2
    assert "Drill" in ran.text
    assert "Saw" in ran.text
    assert "Next year" not in ran.text
    assert "typed by you" in ran.text
    assert 'data-testid="overwrites-user"' in ran.text

    key = {"key": "deductions.d5_other_work", "action": "accept"}
    unasked = htmx_post(signed_in, f"/tax/returns/{return_id}/prefill/decide", key)
    assert unasked.status_code == 422
    assert "This replaces the figure you typed (120.00)" in unasked.text
    read = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")
    assert read["data"]["deductions"]["d5_other_work"]["amount"] == "120.00"

    accepted = htmx_post(
        signed_in, f"/tax/returns/{return_id}/prefill/decide", {**key, "replace": "1"}
    )
    assert accepted.status_code == 200
    assert "Accepted D5 Other work-related expenses." in accepted.text
    figure = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")["data"]["deductions"][
        "d5_other_work"
    ]
    assert figure["amount"] == "299.95"
    assert figure["source"] == "prefill"
    assert len(figure["transaction_ids"]) == 2

    step = signed_in.get(f"/tax/returns/{return_id}?step=deductions")
    assert 'data-testid="prefilled"' in step.text
    unchanged = {"step": "deductions", "deductions.d5_other_work": "299.95"}
    htmx_post(signed_in, f"/tax/returns/{return_id}/steps/deductions", unchanged)
    kept = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")["data"]["deductions"]
    assert kept["d5_other_work"]["source"] == "prefill"  # saving unchanged keeps provenance
    changed = {"step": "deductions", "deductions.d5_other_work": "300"}
    htmx_post(signed_in, f"/tax/returns/{return_id}/steps/deductions", changed)
    edited = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")["data"]["deductions"]
    assert edited["d5_other_work"] == {"amount": "300.00", "source": "user", "transaction_ids": []}


def test_rejecting_drops_the_proposal_and_writes_nothing(signed_in: TestClient) -> None:
    bank = api(signed_in, "POST", "/api/v1/accounts", json={"name": "Bank", "type": "asset"})["id"]
    body = {"name": "Donations", "type": "expense", "tax_label": "ind.d9_gifts"}
    gifts = api(signed_in, "POST", "/api/v1/categories", json=body)["id"]
    _entry(signed_in, bank, gifts, "2024-10-01", "100.00", "Red Cross")
    return_id = _new_return(signed_in)
    htmx_post(signed_in, f"/tax/returns/{return_id}/prefill")
    rejected = htmx_post(
        signed_in,
        f"/tax/returns/{return_id}/prefill/decide",
        {"key": "deductions.d9_gifts", "action": "reject"},
    )
    assert "Rejected D9 Gifts or donations." in rejected.text
    assert 'data-testid="proposal"' not in rejected.text
    read = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")
    assert read["data"]["deductions"]["d9_gifts"]["amount"] == "0.00"
    assert read["proposals"] == []
    unknown = htmx_post(
        signed_in,
        f"/tax/returns/{return_id}/prefill/decide",
        {"key": "deductions.d9_gifts", "action": "accept"},
    )
    assert unknown.status_code == 422
    assert "no pending proposal has this key" in unknown.text
