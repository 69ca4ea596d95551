"""Budget vs actual over HTTP: spending limits against the worked books."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.reports.books import worked_books
from tests.reports.helpers import Ledger, read_csv, read_pdf

PERIOD = {"from": "2025-07-01", "to": "2025-08-31"}


def limit(books: Ledger, name: str, category: str, amount: str) -> None:
    response = books.client.post(
        "/api/v1/goals",
        json={
            "kind": "spending_limit",
            "name": name,
            "account_id": books.ids[category],
            "amount": amount,
            "period": "monthly",
            "starts_on": "2025-01-01",
        },
        headers=books.owner.headers,
    )
    assert response.status_code == 201, response.text


def test_budget_vs_actual_per_limit_with_totals(client: TestClient) -> None:
    books = worked_books(client)
    limit(books, "Eating", "Food", "250.00")  # Food and its children: 280.00 in the period
    limit(books, "Housing", "Rent", "1000.00")
    report = books.report("budget-vs-actual", **PERIOD)
    rows = [
        (
            r["goal_name"],
            r["category_name"],
            r["budget"],
            r["actual"],
            r["variance"],
            r["used_percent"],
        )
        for r in report["rows"]
    ]
    assert rows == [
        ("Eating", "Food", "500.00", "280.00", "220.00", "56.00"),
        ("Housing", "Rent", "2000.00", "1200.00", "800.00", "60.00"),
    ]
    assert (report["total_budget"], report["total_actual"], report["total_variance"]) == (
        "2500.00",
        "1480.00",
        "1020.00",
    )
    csv_rows = read_csv(books.get("budget-vs-actual", **PERIOD, format="csv"))
    assert csv_rows[0] == ["Budget", "Category", "Budgeted", "Actual", "Variance", "Used %"]
    assert csv_rows[-1] == ["Total", "", "2500.00", "1480.00", "1020.00", ""]
    assert "2,500.00" in read_pdf(books.get("budget-vs-actual", **PERIOD, format="pdf"))


def test_no_limits_no_rows(client: TestClient) -> None:
    books = Ledger(client)
    report = books.report("budget-vs-actual", **PERIOD)
    assert (report["rows"], report["total_budget"]) == ([], "0.00")
    bad = books.get("budget-vs-actual", **{"from": "2025-09-01", "to": "2025-08-01"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["from"]
