"""The books' own trial balance analysed from the upload page: empty books are refused
in the page, booked ones give the upload's result, and its re-runs (an override, a
materiality) post back to the books' analysis as a plain form, without a file."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tests.web.ledger_helpers import expense, household
from tests.web.test_diagnostics_pages import HTMX, embedded_analysis, rows, token


def books(client: TestClient, **fields: str) -> httpx.Response:
    headers = {**HTMX, "X-CSRF-Token": token(client)}
    return client.post("/diagnostics/ledger", data=fields, headers=headers)


def test_empty_books_are_refused_in_the_page(signed_in: TestClient) -> None:
    assert 'data-testid="ledger-button"' in signed_in.get("/diagnostics").text
    refused = books(signed_in, **{"ledger.as_of": "2026-11-30"})
    assert refused.status_code == 422
    assert "The books have no balances at 2026-11-30" in refused.text
    bad = books(signed_in, **{"ledger.as_of": "30/11/2026"})
    assert bad.status_code == 422
    assert "ledger.as_of must be a date" in bad.text


def test_the_books_are_analysed_and_re_run_with_an_override(signed_in: TestClient) -> None:
    chart = household(signed_in)
    expense(signed_in, chart, "125.40")
    result = books(signed_in, **{"ledger.as_of": "2026-11-30"})
    assert result.status_code == 200, result.text[:400]
    assert "The books at 2026-11-30" in result.text
    assert 'hx-post="/diagnostics/ledger" hx-encoding="application/x-www-form-urlencoded"' in (
        result.text
    )
    analysis = embedded_analysis(result.text)
    assert analysis["source"] == "ledger"
    key = next(iter(rows(result.text)))
    index = list(rows(result.text)).index(key)
    again = books(
        signed_in,
        **{"ledger.as_of": "2026-11-30", f"ovk.{index}": key, f"ovc.{index}": "equity"},
    )
    assert again.status_code == 200, again.text[:400]
    assert rows(again.text)[key] == ("equity", "override")
    fixed = books(signed_in, **{"mat.mode": "amount", "mat.amount": "10"})
    assert re.search(r'data-testid="materiality-overall">10\.00<', fixed.text)
