"""Income statement and balance sheet over HTTP, against the books worked by hand."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.reports.books import worked_books


def lines(section: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(line["name"], line["depth"], line["amount"]) for line in section["lines"]]


def compared(section: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            line["name"],
            line["amount"],
            line["compare_amount"],
            line["change"],
            line["change_percent"],
        )
        for line in section["lines"]
    ]


def test_income_statement_by_category_tree_with_subtotals(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("income-statement", **{"from": "2025-07-01", "to": "2025-08-31"})
    assert (report["from"], report["to"], report["currency"]) == ("2025-07-01", "2025-08-31", "AUD")
    assert lines(report["income"]) == [("Salary", 0, "3000.00"), ("Interest", 0, "10.00")]
    assert report["income"]["total"]["amount"] == "3010.00"
    # Food's line includes its children and its own 30.00.
    assert lines(report["expenses"]) == [
        ("Food", 0, "280.00"),
        ("Groceries", 1, "200.00"),
        ("Dining", 1, "50.00"),
        ("Rent", 0, "1200.00"),
    ]
    assert report["expenses"]["total"]["amount"] == "1480.00"
    assert report["net_profit"] == {
        "amount": "1530.00",
        "compare_amount": None,
        "change": None,
        "change_percent": None,
    }


def test_income_statement_compares_with_the_previous_period(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report(
        "income-statement", **{"from": "2025-07-01", "to": "2025-08-31"}, compare="previous_period"
    )
    # Two whole months compare with the two whole months before.
    assert (report["compare_from"], report["compare_to"]) == ("2025-05-01", "2025-06-30")
    assert compared(report["income"]) == [
        ("Salary", "3000.00", "1000.00", "2000.00", "200.00"),
        ("Interest", "10.00", "0.00", "10.00", None),
    ]
    assert report["net_profit"] == {
        "amount": "1530.00",
        "compare_amount": "1000.00",
        "change": "530.00",
        "change_percent": "53.00",
    }
    last_year = books.report(
        "income-statement", **{"from": "2025-03-01", "to": "2025-03-31"}, compare="previous_year"
    )
    assert (last_year["compare_from"], last_year["compare_to"]) == ("2024-03-01", "2024-03-31")
    assert last_year["net_profit"]["amount"] == "1900.00"
    assert last_year["net_profit"]["compare_amount"] == "0.00"


def test_income_statement_defaults_to_the_financial_year_to_date(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("income-statement", to="2025-08-31")
    assert report["from"] == "2025-07-01"
    assert report["net_profit"]["amount"] == "1530.00"


def test_balance_sheet_balances_with_earnings_in_equity(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("balance-sheet", as_of="2025-08-31")
    assert lines(report["assets"]) == [("Bank", 0, "8920.00"), ("Savings", 0, "1010.00")]
    assert report["assets"]["total"]["amount"] == "9930.00"
    assert lines(report["liabilities"]) == [("Loan", 0, "5000.00")]  # the card is paid off
    assert lines(report["equity"]) == [
        ("Owner", 0, "500.00"),
        ("Retained earnings", 0, "2900.00"),  # 3000 salary - 100 groceries before 1 July
        ("Current-year earnings", 0, "1530.00"),
    ]
    assert report["equity"]["total"]["amount"] == "4930.00"
    assert report["liabilities_and_equity"]["amount"] == "9930.00"


def test_balance_sheet_compares_with_the_month_before(client: TestClient) -> None:
    books = worked_books(client)
    report = books.report("balance-sheet", as_of="2025-08-31", compare="previous_period")
    assert report["compare_as_of"] == "2025-07-31"
    assert compared(report["liabilities"]) == [
        ("Card", "0.00", "250.00", "-250.00", "-100.00"),
        ("Loan", "5000.00", "0.00", "5000.00", None),
    ]
    equity = {line["name"]: line["compare_amount"] for line in report["equity"]["lines"]}
    assert equity == {
        "Owner": "500.00",
        "Retained earnings": "2900.00",
        "Current-year earnings": "2730.00",
    }
    assert report["assets"]["total"]["compare_amount"] == "6380.00"
    assert report["liabilities_and_equity"]["compare_amount"] == "6380.00"
    year = books.report("balance-sheet", as_of="2025-08-31", compare="previous_year")
    assert year["compare_as_of"] == "2024-08-31"
    assert year["liabilities_and_equity"]["compare_amount"] == "0.00"
