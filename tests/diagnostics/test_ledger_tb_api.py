"""POST /api/v1/diagnostics/ledger over HTTP: the diagnostics of the books' own trial
balance (from the reports domain), the ledger's account types as the `file` source."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.diagnostics.practice import field_of, history, member_of
from tests.reports.helpers import Ledger
from tests.support.builders import Account

URL = "/api/v1/diagnostics/ledger"


def company_books(client: TestClient) -> Ledger:
    books = Ledger(client)
    books.account("Operating account", "asset", code="1-1000", subtype="checking")
    books.account("Trade debtors", "asset", code="1-1200")
    books.account("Trade creditors", "liability", code="2-1000")
    books.account("Share capital", "equity", code="3-1000")
    books.account("Consulting fees", "income", code="4-1000")
    books.account("Subcontractors", "expense", code="5-1000")
    books.account("Office rent", "expense", code="6-1000")
    books.journal("2025-07-01", ("Operating account", "10000.00"), ("Share capital", "-10000.00"))
    books.journal("2025-07-10", ("Trade debtors", "8800.00"), ("Consulting fees", "-8800.00"))
    books.journal("2025-07-15", ("Subcontractors", "3300.00"), ("Trade creditors", "-3300.00"))
    books.simple("2025-07-20", "expense", "2000.00", "Operating account", "Office rent")
    books.simple("2025-08-05", "income", "1200.00", "Operating account", "Consulting fees")
    return books


def analyse(
    client: TestClient, who: Account, as_of: str | None = None, **body: Any
) -> httpx.Response:
    params = {"as_of": as_of} if as_of else {}
    return client.post(URL, params=params, json=body or None, headers=who.headers)


def test_the_books_trial_balance_is_analysed_with_the_ledgers_types(client: TestClient) -> None:
    books = company_books(client)
    response = analyse(client, books.owner, "2025-07-31")
    assert response.status_code == 200, response.text
    body = response.json()
    report = books.report("trial-balance", as_of="2025-07-31")
    assert (body["total_debits"], body["total_credits"]) == (
        report["total_debits"],
        report["total_credits"],
    )
    assert (body["balanced"], body["row_count"], body["as_of"], body["source"]) == (
        True,
        len(report["rows"]),
        "2025-07-31",
        "ledger",
    )
    assert body["currency"] == "AUD"
    by_number = {a["number"]: a for a in body["accounts"]}
    assert set(by_number) == {"1-1000", "1-1200", "2-1000", "3-1000", "4-1000", "5-1000", "6-1000"}
    categories = {n: a["classification"]["category"] for n, a in by_number.items()}
    assert categories == {
        "1-1000": "asset",
        "1-1200": "asset",
        "2-1000": "liability",
        "3-1000": "equity",
        "4-1000": "revenue",
        "5-1000": "expense",
        "6-1000": "expense",
    }
    assert {a["classification"]["source"] for a in body["accounts"]} == {"file"}
    assert Decimal(by_number["4-1000"]["net"]) == Decimal("-8800.00")  # the August fee later
    assert body["materiality"]["basis"] == "pre_tax_profit"  # 8,800 - 3,300 - 2,000 profit
    assert body["materiality"]["overall"] == "175.00"


def test_as_of_defaults_to_today_and_each_run_is_in_the_history(client: TestClient) -> None:
    books = company_books(client)
    today = analyse(client, books.owner)
    assert today.status_code == 200, today.text
    assert Decimal(today.json()["total_debits"]) == Decimal("23300.00")
    july = analyse(client, books.owner, "2025-07-31")
    items = history(client, books.owner)["items"]
    assert [(i["source"], i["as_of"], i["file_sha256"]) for i in items] == [
        ("ledger", "2025-07-31", None),
        ("ledger", today.json()["as_of"], None),
    ]
    assert items[0]["total_debits"] == july.json()["total_debits"]
    assert items[0]["category_totals"]["revenue"] == "8800.00"


def test_materiality_of_the_request_and_the_practice_apply(client: TestClient) -> None:
    books = company_books(client)
    owner = books.owner
    put = client.put(
        "/api/v1/settings",
        json={"materiality": {"amount": "500", "trivial": "0.1"}},
        headers=owner.headers,
    )
    assert put.status_code == 200, put.text
    practice = analyse(client, owner, "2025-07-31").json()
    assert (practice["materiality"]["overall"], practice["materiality"]["trivial"]) == (
        "500.00",
        "50.00",
    )
    assert practice["materiality_sources"]["basis"] == "practice"
    asked = analyse(client, owner, "2025-07-31", materiality={"amount": "250"}).json()
    assert (asked["materiality"]["overall"], asked["materiality"]["trivial"]) == ("250.00", "25.00")
    overridden = analyse(
        client, owner, "2025-07-31", overrides={"6-1000": {"category": "asset"}}
    ).json()
    rent = next(a for a in overridden["accounts"] if a["number"] == "6-1000")
    assert (rent["classification"]["category"], rent["classification"]["source"]) == (
        "asset",
        "override",
    )


def test_books_without_balances_are_refused_never_an_empty_report(client: TestClient) -> None:
    books = company_books(client)
    response = analyse(client, books.owner, "2025-06-30")
    assert (response.status_code, response.json()["code"]) == (422, "ledger_empty")
    assert field_of(response) == "as_of"
    assert "2025-06-30" in response.json()["detail"]
    assert history(client, books.owner)["total"] == 0


def test_bad_input_is_a_422_naming_the_field(client: TestClient) -> None:
    books = company_books(client)
    owner = books.owner
    for as_of in ("2025-13-01", "yesterday", "1800-01-01"):
        response = analyse(client, owner, as_of)
        assert response.status_code == 422, as_of
        assert "as_of" in response.json()["detail"]
    bad_materiality = analyse(client, owner, materiality={"percentage": "3"})
    assert (bad_materiality.status_code, field_of(bad_materiality)) == (
        422,
        "materiality.percentage",
    )
    bad_override = analyse(client, owner, overrides={"6-1000": {"category": "cash"}})
    assert bad_override.status_code == 422
    assert field_of(bad_override).startswith("overrides.6-1000")
    unknown = client.post(URL, json={"client_id": "x"}, headers=owner.headers)
    assert unknown.status_code == 422
    assert "client_id" in unknown.json()["detail"]
    assert history(client, owner)["total"] == 0


def test_a_viewer_may_analyse_the_books(client: TestClient) -> None:
    books = company_books(client)
    viewer = member_of(client, books.owner, "viewer")
    response = analyse(client, viewer, "2025-07-31")
    assert response.status_code == 200, response.text
    assert response.json()["balanced"] is True
