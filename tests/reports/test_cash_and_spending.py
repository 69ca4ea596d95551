"""Cash flow, spending by category and net worth over HTTP, against the worked books."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.reports.books import worked_books

PERIOD = {"from": "2025-07-01", "to": "2025-08-31"}


def flow(group: dict[str, Any]) -> list[tuple[str, str]]:
    return [(line["name"], line["amount"]) for line in group["lines"]]


def test_cash_flow_reconciles_opening_to_closing(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("cash-flow", **PERIOD)
    assert [a["name"] for a in report["accounts"]] == ["Bank", "Savings"]
    assert (report["opening"], report["closing"]) == ("3400.00", "9930.00")
    assert flow(report["inflows"]) == [("Salary", "3000.00"), ("Interest", "10.00")]
    assert flow(report["outflows"]) == [("Rent", "1200.00"), ("Food", "30.00")]
    # Bank -> Savings moves cash between cash accounts: not a flow at all.
    assert flow(report["transfers_in"]) == [("Loan", "5000.00")]
    assert flow(report["transfers_out"]) == [("Card", "250.00")]
    totals = [report[k]["total"] for k in ("inflows", "outflows", "transfers_in", "transfers_out")]
    assert totals == ["3010.00", "1230.00", "5000.00", "250.00"]
    movement = Decimal(totals[0]) - Decimal(totals[1]) + Decimal(totals[2]) - Decimal(totals[3])
    assert movement == Decimal(report["closing"]) - Decimal(report["opening"])
    assert (report["net_change"], report["exchange_effect"]) == ("6530.00", "0.00")


def test_cash_flow_ignores_deleted_entries(client: TestClient) -> None:
    books = worked_books(client)
    books.simple("2025-07-30", "expense", "99.00", "Bank", "Rent")
    listed = client.get(
        "/api/v1/transactions", params={"q": "expense 99.00"}, headers=books.owner.headers
    ).json()["items"]
    client.delete(f"/api/v1/transactions/{listed[0]['id']}", headers=books.owner.headers)
    report = books.report("cash-flow", **PERIOD)
    assert flow(report["outflows"]) == [("Rent", "1200.00"), ("Food", "30.00")]
    assert report["closing"] == "9930.00"


def test_spending_by_category_with_shares(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("spending-by-category", **PERIOD)
    assert [(r["name"], r["amount"], r["share"]) for r in report["rows"]] == [
        ("Rent", "1200.00", "81.08"),
        ("Food \u203a Groceries", "200.00", "13.51"),
        ("Food \u203a Dining", "50.00", "3.38"),
        ("Food", "30.00", "2.03"),
    ]
    assert report["total"] == "1480.00"
    empty = books.report("spending-by-category", **{"from": "2025-01-01", "to": "2025-01-31"})
    assert (empty["rows"], empty["total"]) == ([], "0.00")


def test_net_worth_at_every_month_end(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("net-worth", **{"from": "2025-06-01", "to": "2025-08-31"})
    assert [
        (p["date"], p["assets"], p["liabilities"], p["net_worth"]) for p in report["points"]
    ] == [
        ("2025-06-30", "3400.00", "0.00", "3400.00"),
        ("2025-07-31", "6380.00", "250.00", "6130.00"),
        ("2025-08-31", "9930.00", "5000.00", "4930.00"),
    ]
    cut = books.report("net-worth", **{"from": "2025-07-10", "to": "2025-08-15"}, interval="week")
    dates = [p["date"] for p in cut["points"]]
    # Weeks end on Sundays; the last point is the period's end.
    assert dates == [
        "2025-07-13",
        "2025-07-20",
        "2025-07-27",
        "2025-08-03",
        "2025-08-10",
        "2025-08-15",
    ]
