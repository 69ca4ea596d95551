"""Every report in every format opens and carries its totals; bad parameters are named."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.reports.books import worked_books
from tests.reports.helpers import Ledger, pdf_words, read_csv, read_pdf, read_xlsx

PERIOD = {"from": "2025-07-01", "to": "2025-08-31"}
# report -> (parameters, the total row's label and its amount as written in CSV)
REPORTS: dict[str, tuple[dict[str, str], str, str]] = {
    "income-statement": ({**PERIOD, "compare": "previous_period"}, "Net profit", "1530.00"),
    "balance-sheet": ({"as_of": "2025-08-31"}, "Total liabilities and equity", "9930.00"),
    "cash-flow": (PERIOD, "Closing balance", "9930.00"),
    "spending-by-category": (PERIOD, "Total", "1480.00"),
    "net-worth": ({"from": "2025-06-01", "to": "2025-08-31"}, "2025-08-31", "4930.00"),
    "trial-balance": ({"as_of": "2025-08-31"}, "Total", "11510.00"),
}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_every_format_opens_with_the_totals(client: TestClient, report: str) -> None:
    books = worked_books(client)
    params, label, amount = REPORTS[report]
    rows = read_csv(books.get(report, **params, format="csv"))
    total = next(row for row in rows if row[0].strip() == label or row[:2] == ["", label])
    assert amount in total

    sheet = read_xlsx(books.get(report, **params, format="xlsx"))
    row = next(r for r in sheet if label in [str(c).strip() for c in r if c is not None])
    assert float(amount) in row  # a number, not text

    text = read_pdf(books.get(report, **params, format="pdf"))
    printed = f"{float(amount):,.2f}"
    assert label in text
    assert printed in text
    # On the page, left to right: the label, then its amount, both inside the page.
    runs = pdf_words(books.get(report, **params, format="pdf"))
    width = runs[-1][1]
    spot = {text: (x, y) for text, x, y in runs}
    assert 0 < spot[label][0] < spot[printed][0] < width


def test_statement_files_show_the_comparison_columns(client: TestClient) -> None:
    books = worked_books(client)
    params = {**PERIOD, "compare": "previous_period"}
    rows = read_csv(books.get("income-statement", **params, format="csv"))
    assert rows[0] == ["Account", "Amount", "Previous", "Change", "Change %"]
    assert rows[1] == ["Income", "", "", "", ""]
    assert rows[2] == ["  Salary", "3000.00", "1000.00", "2000.00", "200.00"]
    assert ["    Groceries", "200.00", "0.00", "200.00", ""] in rows
    assert rows[-1] == ["Net profit", "1530.00", "1000.00", "530.00", "53.00"]


@pytest.mark.parametrize(
    ("report", "params", "field"),
    [
        ("income-statement", {"from": "2025-08-01", "to": "2025-07-01"}, "from"),
        ("income-statement", {"from": "2025-02-30"}, "from"),
        ("income-statement", {"compare": "last_week"}, "compare"),
        ("balance-sheet", {"as_of": "3000-01-01"}, "as_of"),
        ("balance-sheet", {"compare": "yesterday"}, "compare"),
        ("cash-flow", {"to": "1899-12-31"}, "to"),
        ("cash-flow", {"from": "2025-09-01", "to": "2025-08-31"}, "from"),
        ("spending-by-category", {"format": "html"}, "format"),
        ("net-worth", {"interval": "fortnight"}, "interval"),
        ("net-worth", {"from": "1990-01-01", "to": "2025-01-01", "interval": "day"}, "interval"),
        ("net-worth", {"from": "2025-01-01", "to": "2024-01-01"}, "from"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(
    client: TestClient, report: str, params: dict[str, Any], field: str
) -> None:
    response = Ledger(client).get(report, **params)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
