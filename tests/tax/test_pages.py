"""The tax pages over HTTP: the calculator and its fragment, the list of returns, the
step form (errors beside the field, the running estimate), ready, lodge, amend, diff and
the PDF; permissions, CSRF and other tenants' returns."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.recurring.test_recurring_pages import api, htmx_post, register

YEAR = "2024-25"


@pytest.fixture
def signed_in(client: TestClient) -> TestClient:
    register(client)
    return client


def _new_return(client: TestClient, person: str = "Ada Lovelace") -> str:
    response = htmx_post(client, "/tax/returns", {"person": person, "year": YEAR})
    assert response.status_code == 200, response.text
    location = response.headers["HX-Redirect"]
    match = re.fullmatch(r"/tax/returns/([0-9a-f-]{36})", location)
    assert match, location
    return match.group(1)


def _income(**extra: str) -> dict[str, str]:
    return {
        "step": "income",
        "residency": "resident",
        "months_resident": "12",
        "income.salary_wages.count": "1",
        "income.salary_wages.0.payer_name": "Acme Pty Ltd",
        "income.salary_wages.0.gross": "85,000.00",
        "income.salary_wages.0.tax_withheld": "19000",
        **extra,
    }


def test_calculator_page_and_its_fragment_agree_with_the_api(signed_in: TestClient) -> None:
    page = signed_in.get("/tax")
    assert page.status_code == 200
    assert "Tax calculator" in page.text
    assert 'hx-post="/tax/calculate"' in page.text
    form = {"year": YEAR, "residency": "resident", "taxable_income": "85000", "tax_withheld": "0"}
    fragment = htmx_post(signed_in, "/tax/calculate", form)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'id="calc-result"' in fragment.text
    body = {"year": YEAR, "residency": "resident", "taxable_income": "85000"}
    expected = api(signed_in, "POST", "/api/v1/tax/calculate", json=body)
    # 2024-25: 4,288 + 30 % x (85,000 - 45,000) = 16,288.00; Medicare 2 % = 1,700.00
    assert expected["income_tax"] == "16288.00"
    assert expected["medicare_levy"] == "1700.00"
    assert "$16,288.00" in fragment.text
    assert "$1,700.00" in fragment.text
    assert "Owed $17,988.00" in fragment.text
    assert fragment.text.count('data-testid="tax-line"') == len(expected["lines"])


def test_calculator_names_the_bad_field(signed_in: TestClient) -> None:
    form = {"year": YEAR, "residency": "resident", "taxable_income": "12.345"}
    response = htmx_post(signed_in, "/tax/calculate", form)
    assert response.status_code == 422
    assert "Taxable income must be an amount with at most 2 decimals" in response.text
    both = htmx_post(signed_in, "/tax/calculate", {**form, "taxable_income": "1", "salary": "2"})
    assert both.status_code == 422
    assert "enter either taxable income or a salary" in both.text


def test_returns_list_create_and_a_second_for_the_same_year(signed_in: TestClient) -> None:
    assert "No tax returns yet." in signed_in.get("/tax/returns").text
    return_id = _new_return(signed_in)
    listing = signed_in.get("/tax/returns")
    assert f'href="/tax/returns/{return_id}"' in listing.text
    assert "2024-25" in listing.text
    again = htmx_post(signed_in, "/tax/returns", {"person": " ada  LOVELACE", "year": YEAR})
    assert again.status_code == 409
    assert "already has a return for this income year" in again.text
    blank = htmx_post(signed_in, "/tax/returns", {"person": "", "year": YEAR})
    assert blank.status_code == 422
    assert 'id="f-person-msg"' in blank.text


def test_a_step_shows_the_error_beside_its_field_then_saves(signed_in: TestClient) -> None:
    return_id = _new_return(signed_in)
    page = signed_in.get(f"/tax/returns/{return_id}?step=income")
    assert page.status_code == 200
    assert 'id="step-form"' in page.text
    bad = htmx_post(
        signed_in,
        f"/tax/returns/{return_id}/steps/income",
        _income(**{"income.salary_wages.0.gross": "12.345"}),
    )
    assert bad.status_code == 422
    assert 'id="f-income-salary_wages-0-gross-msg"' in bad.text
    assert "must be a non-negative amount with at most 2 decimals" in bad.text
    assert 'value="Acme Pty Ltd"' in bad.text  # what was typed is kept
    saved = htmx_post(signed_in, f"/tax/returns/{return_id}/steps/income", _income())
    assert saved.headers["HX-Redirect"] == f"/tax/returns/{return_id}?step=deductions"
    read = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")
    payer = read["data"]["income"]["salary_wages"][0]
    assert payer["gross"]["amount"] == "85000.00"
    assert payer["tax_withheld"]["amount"] == "19000.00"
    months = htmx_post(
        signed_in, f"/tax/returns/{return_id}/steps/income", _income(months_resident="13")
    )
    assert months.status_code == 422
    assert "must be at most 12" in months.text


def test_a_sale_outside_the_income_year_is_refused_beside_its_date(signed_in: TestClient) -> None:
    return_id = _new_return(signed_in)
    sale = {
        "income.capital_gains.entries.count": "2",
        "income.capital_gains.entries.1.description": "BHP shares",
        "income.capital_gains.entries.1.acquired_on": "2020-03-01",
        "income.capital_gains.entries.1.disposed_on": "2025-07-01",
        "income.capital_gains.entries.1.cost_base": "5000",
        "income.capital_gains.entries.1.proceeds": "9000",
    }
    refused = htmx_post(signed_in, f"/tax/returns/{return_id}/steps/income", _income(**sale))
    assert refused.status_code == 422
    # Row 0 was left blank, so the error of the document's entry 0 belongs to row 1.
    assert 'id="f-income-capital_gains-entries-1-disposed_on-msg"' in refused.text
    assert "must fall within the income year 2024-25" in refused.text
    sale["income.capital_gains.entries.1.disposed_on"] = "2024-09-10"
    saved = htmx_post(signed_in, f"/tax/returns/{return_id}/steps/income", _income(**sale))
    assert saved.status_code == 200
    entries = api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")["data"]["income"][
        "capital_gains"
    ]["entries"]
    assert [(e["description"], e["proceeds"]["amount"]) for e in entries] == [
        ("BHP shares", "9000.00")
    ]


def test_the_running_estimate_follows_unsaved_inputs(signed_in: TestClient) -> None:
    return_id = _new_return(signed_in)
    form = {**_income(), "step": "income"}
    estimate = htmx_post(signed_in, f"/tax/returns/{return_id}/estimate", form)
    assert estimate.status_code == 200
    assert 'id="estimate"' in estimate.text
    # 85,000: tax 16,288 + Medicare 1,700 = 17,988; withheld 19,000 -> refund 1,012.00
    assert "Refund $1,012.00" in estimate.text
    bad = htmx_post(
        signed_in,
        f"/tax/returns/{return_id}/estimate",
        {**form, "income.salary_wages.0.gross": "x"},
    )
    assert "Fix these to see the estimate" in bad.text
    assert (
        api(signed_in, "GET", f"/api/v1/tax/returns/{return_id}")["data"]["income"]["salary_wages"]
        == []
    )  # an estimate saves nothing


def _lodged(client: TestClient) -> str:
    return_id = _new_return(client)
    htmx_post(client, f"/tax/returns/{return_id}/steps/income", _income())
    ready = htmx_post(client, f"/tax/returns/{return_id}/status", {"status": "ready"})
    assert ready.headers["HX-Redirect"].endswith("?step=review")
    refused = client.post(
        f"/tax/returns/{return_id}/lodge",
        data={"reference": "ATO-123", "lodged_on": "2025-08-01"},
        headers={"X-CSRF-Token": client.cookies["fiscus_csrf"]},
    )
    assert refused.status_code == 422
    assert 'id="f-confirm-msg"' in refused.text
    assert "must be true" in refused.text
    lodged = htmx_post(
        client,
        f"/tax/returns/{return_id}/lodge",
        {"reference": "ATO-123", "lodged_on": "2025-08-01", "confirm": "1"},
    )
    assert lodged.status_code == 200, lodged.text
    return return_id


def test_ready_lodge_amend_diff_and_pdf(signed_in: TestClient) -> None:
    return_id = _lodged(signed_in)
    review = signed_in.get(f"/tax/returns/{return_id}?step=review")
    assert "reference <strong>ATO-123</strong>" in review.text
    assert "Amend this return" in review.text
    assert "Refund $1,012.00" in review.text
    edit = htmx_post(signed_in, f"/tax/returns/{return_id}/steps/income", _income())
    assert edit.status_code == 409
    assert "cannot be changed" in edit.text
    amended = htmx_post(signed_in, f"/tax/returns/{return_id}/amend")
    new_id = amended.headers["HX-Redirect"].split("/")[3].split("?")[0]
    htmx_post(
        signed_in,
        f"/tax/returns/{new_id}/steps/deductions",
        {"step": "deductions", "deductions.d5_other_work": "500"},
    )
    diff = signed_in.get(f"/tax/returns/{new_id}/diff")
    assert diff.status_code == 200
    assert "D5 Other work-related expenses" in diff.text
    # 500 less taxable income at 30 % + 2 % = 160.00 more refund
    assert "Refund $1,012.00 → Refund $1,172.00" in diff.text
    pdf = signed_in.get(f"/tax/returns/{new_id}/summary.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_csrf_and_other_tenants(signed_in: TestClient) -> None:
    return_id = _new_return(signed_in)
    no_token = signed_in.post(f"/tax/returns/{return_id}/steps/income", data=_income())
    assert no_token.status_code == 403
    signed_in.cookies.clear()
    register(signed_in)  # another user, in their own tenant
    assert signed_in.get(f"/tax/returns/{return_id}").status_code == 404
    other = htmx_post(signed_in, f"/tax/returns/{return_id}/steps/income", _income())
    assert other.status_code == 404
    assert signed_in.get(f"/tax/returns/{return_id}/prefill").status_code == 404


def test_a_viewer_reads_but_cannot_change(signed_in: TestClient) -> None:
    return_id = _new_return(signed_in)
    viewer = _viewer_of(signed_in)
    assert viewer.get(f"/tax/returns/{return_id}").status_code == 200
    assert "Save and continue" not in viewer.get(f"/tax/returns/{return_id}").text
    refused = htmx_post(viewer, f"/tax/returns/{return_id}/steps/income", _income())
    assert refused.status_code == 403
    assert htmx_post(viewer, f"/tax/returns/{return_id}/prefill").status_code == 403
    calc = htmx_post(viewer, "/tax/calculate", {"year": YEAR, "residency": "resident"})
    assert calc.status_code == 200  # the calculator reads nothing


def _viewer_of(owner: TestClient) -> Any:
    """A second user invited as a viewer, signed in to the owner's tenant."""
    from tests.web.helpers import csrf_of, new_account

    (listed,) = api(owner, "GET", "/api/v1/tenants")
    tenant = listed["id"]
    account = new_account()
    viewer = TestClient(owner.app, follow_redirects=False)
    viewer.post(
        "/register",
        data={
            "name": account.name,
            "email": account.email,
            "password": account.password,
            "csrf_token": csrf_of(viewer, "/register"),
        },
    )
    api(
        owner,
        "POST",
        f"/api/v1/tenants/{tenant}/members",
        json={"email": account.email, "role": "viewer"},
    )
    switched = viewer.post(
        "/switch-tenant",
        data={"tenant_id": tenant, "csrf_token": viewer.cookies["fiscus_csrf"]},
    )
    assert switched.status_code == 303, switched.text
    return viewer
