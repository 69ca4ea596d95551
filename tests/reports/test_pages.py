"""The reports page over HTTP: the form, the table, charts, HTMX blocks and downloads."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.reports.books import worked_books
from tests.reports.helpers import Ledger, read_csv


def signed_in(client: TestClient) -> Ledger:
    books = worked_books(client)
    client.cookies.set("fiscus_access", books.owner.access_token)
    return books


def test_the_page_shows_the_chosen_report_with_downloads(client: TestClient) -> None:
    signed_in(client)
    page = client.get(
        "/reports",
        params={"report": "income-statement", "from": "2025-07-01", "to": "2025-08-31"},
    )
    assert page.status_code == 200, page.text
    assert "<html" in page.text
    assert 'href="/reports" aria-current="page"' in page.text  # the nav knows where we are
    assert "Net profit" in page.text
    assert "1,530.00" in page.text
    assert 'class="report-depth-2">Groceries' in page.text  # a child under its parent
    assert "style=" not in page.text  # the CSP forbids inline styles
    links = re.findall(r'href="(/reports/export\?[^"]+)"', page.text)
    assert len(links) == 3
    csv_link = next(link for link in links if "format=csv" in link).replace("&amp;", "&")
    download = client.get(csv_link)
    assert download.status_code == 200
    assert read_csv(download)[-1][:2] == ["Net profit", "1530.00"]


def test_htmx_gets_only_the_panel_and_charts_where_they_help(client: TestClient) -> None:
    signed_in(client)
    headers = {"HX-Request": "true"}
    spending = client.get(
        "/reports",
        params={"report": "spending-by-category", "from": "2025-07-01", "to": "2025-08-31"},
        headers=headers,
    )
    assert spending.status_code == 200
    assert "<html" not in spending.text
    assert spending.text.lstrip().startswith('<div id="report-panel">')
    assert "<svg" in spending.text
    assert "chart-bar" in spending.text
    worth = client.get(
        "/reports",
        params={"report": "net-worth", "from": "2025-06-01", "to": "2025-08-31"},
        headers=headers,
    )
    assert "chart-line" in worth.text
    assert '<option value="month" selected>' in worth.text  # the interval the report used
    assert "4,930.00" in worth.text
    trial = client.get("/reports", params={"report": "trial-balance"}, headers=headers)
    assert "<svg" not in trial.text
    # Only the fields the report takes are shown.
    assert 'name="as_of"' in trial.text
    assert 'name="interval"' not in trial.text


def test_bad_fields_are_shown_beside_the_input(client: TestClient) -> None:
    signed_in(client)
    page = client.get(
        "/reports",
        params={"report": "cash-flow", "from": "2025-09-01", "to": "2025-08-01"},
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 422
    assert 'id="f-from" name="from"' in page.text
    assert "must not be after" in page.text
    assert "report-table" not in page.text
    bad = client.get("/reports/export", params={"report": "cash-flow", "format": "docx"})
    assert bad.status_code == 422


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    page = client.get("/reports", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")
    download = client.get("/reports/export", params={"format": "csv"}, follow_redirects=False)
    assert download.status_code == 303
