"""Trial balance over HTTP: figures against hand-computed books, every format, properties."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from tests.reports.helpers import Ledger, add_rate, read_csv, read_pdf, read_xlsx, xlsx_cells
from tests.support.builders import add_member, register, switch


def household(client: TestClient) -> Ledger:
    books = Ledger(client)
    books.account("Bank", "asset", code="1-100", subtype="checking")
    books.account("Cash jar", "asset", subtype="cash")
    books.account("Card", "liability", code="2-100", subtype="credit_card")
    books.account("Owner", "equity", code="3-100")
    books.account("Salary", "income", code="4-100")
    books.account("Groceries", "expense", code="5-100")
    books.account("Rent", "expense", code="5-200")
    books.journal("2025-06-01", ("Bank", "1000.00"), ("Owner", "-1000.00"))
    books.simple("2025-06-15", "income", "3000.00", "Bank", "Salary")
    books.simple("2025-06-20", "expense", "84.20", "Card", "Groceries")
    books.simple("2025-07-01", "expense", "1500.00", "Bank", "Rent")
    books.simple("2025-07-05", "transfer", "84.20", "Bank", "Card")
    return books


def rows_of(body: dict[str, Any]) -> list[tuple[str | None, str, str, str, str]]:
    return [(r["code"], r["name"], r["type"], r["debit"], r["credit"]) for r in body["rows"]]


def test_trial_balance_matches_the_books_worked_by_hand(client: TestClient) -> None:
    books = household(client)
    june = books.report("trial-balance", as_of="2025-06-30")
    assert rows_of(june) == [
        ("1-100", "Bank", "asset", "4000.00", "0.00"),
        ("2-100", "Card", "liability", "0.00", "84.20"),
        ("3-100", "Owner", "equity", "0.00", "1000.00"),
        ("4-100", "Salary", "income", "0.00", "3000.00"),
        ("5-100", "Groceries", "expense", "84.20", "0.00"),
    ]
    assert (june["total_debits"], june["total_credits"]) == ("4084.20", "4084.20")
    assert (june["as_of"], june["currency"]) == ("2025-06-30", "AUD")
    july = books.report("trial-balance", as_of="2025-07-31")
    # The card was paid off: a zero balance is not listed.
    assert rows_of(july) == [
        ("1-100", "Bank", "asset", "2415.80", "0.00"),
        ("3-100", "Owner", "equity", "0.00", "1000.00"),
        ("4-100", "Salary", "income", "0.00", "3000.00"),
        ("5-100", "Groceries", "expense", "84.20", "0.00"),
        ("5-200", "Rent", "expense", "1500.00", "0.00"),
    ]
    assert (july["total_debits"], july["total_credits"]) == ("4000.00", "4000.00")
    before = books.report("trial-balance", as_of="2025-05-31")
    assert (before["rows"], before["total_debits"], before["total_credits"]) == ([], "0.00", "0.00")


def test_uncoded_accounts_follow_the_coded_ones_by_name(client: TestClient) -> None:
    books = household(client)
    books.account("Aardvark fund", "asset")
    books.simple("2025-06-02", "transfer", "10.00", "Bank", "Cash jar")
    books.simple("2025-06-02", "transfer", "5.00", "Bank", "Aardvark fund")
    names = [r["name"] for r in books.report("trial-balance", as_of="2025-06-30")["rows"]]
    assert names == ["Bank", "Card", "Owner", "Salary", "Groceries", "Aardvark fund", "Cash jar"]


def test_every_format_opens_with_the_same_figures(client: TestClient) -> None:
    books = household(client)
    books.account('=HYPERLINK("http://evil")', "expense")
    books.simple("2025-06-21", "expense", "1.00", "Bank", '=HYPERLINK("http://evil")')
    csv_rows = read_csv(books.get("trial-balance", as_of="2025-06-30", format="csv"))
    assert csv_rows[0] == ["Code", "Name", "Type", "Debit", "Credit"]
    assert csv_rows[1] == ["1-100", "Bank", "asset", "3999.00", "0.00"]
    assert ["", '\'=HYPERLINK("http://evil")', "expense", "1.00", "0.00"] in csv_rows
    assert csv_rows[-1] == ["", "Total", "", "4084.20", "4084.20"]

    response = books.get("trial-balance", as_of="2025-06-30", format="xlsx")
    assert 'filename="trial-balance-2025-06-30.xlsx"' in response.headers["content-disposition"]
    sheet = read_xlsx(response)
    assert sheet[0][0] == "Trial balance"
    assert sheet[3] == ("Code", "Name", "Type", "Debit", "Credit")
    assert sheet[4] == ("1-100", "Bank", "asset", 3999.0, 0.0)  # numbers, not text
    assert sheet[-1] == (None, "Total", None, 4084.2, 4084.2)
    money = [c for c in xlsx_cells(response) if isinstance(c.value, float)]
    assert money
    assert {c.number_format for c in money} == {"#,##0.00"}
    evil = next(c for c in xlsx_cells(response) if str(c.value).startswith("=HYPER"))
    assert evil.data_type == "s"
    assert evil.quotePrefix

    pdf = read_pdf(books.get("trial-balance", as_of="2025-06-30", format="pdf"))
    assert "Trial balance" in pdf
    assert "Total" in pdf
    assert "4,084.20" in pdf


def test_foreign_accounts_convert_at_the_rate_on_the_date(
    client: TestClient, session_factory: Any
) -> None:
    books = household(client)
    books.account("US bank", "asset", code="1-200", currency="USD")
    books.account("FX USD", "equity", code="3-901", currency="USD")
    books.account("FX AUD", "equity", code="3-900")
    add_rate(session_factory, books.owner, "USD", date(2025, 1, 1), "1.50")
    add_rate(session_factory, books.owner, "USD", date(2025, 7, 1), "1.60")
    # 100 USD bought for 150 AUD: each currency balances through its clearing account.
    books.journal(
        "2025-06-10",
        ("US bank", "100.00"),
        ("FX USD", "-100.00"),
        ("FX AUD", "150.00"),
        ("Bank", "-150.00"),
    )
    june = rows_of(books.report("trial-balance", as_of="2025-06-30"))
    assert ("1-200", "US bank", "asset", "150.00", "0.00") in june
    assert ("3-901", "FX USD", "equity", "0.00", "150.00") in june
    july = books.report("trial-balance", as_of="2025-07-31")
    assert ("1-200", "US bank", "asset", "160.00", "0.00") in rows_of(july)
    assert ("3-901", "FX USD", "equity", "0.00", "160.00") in rows_of(july)
    assert july["total_debits"] == july["total_credits"] == "4160.00"


def test_rounding_of_converted_balances_is_shown_so_the_columns_agree(
    client: TestClient, session_factory: Any
) -> None:
    books = Ledger(client)
    for name, type_ in (("US bank", "asset"), ("US cash", "asset"), ("US equity", "equity")):
        books.account(name, type_, currency="USD")
    add_rate(session_factory, books.owner, "USD", date(2025, 1, 1), "1.50")
    books.journal("2025-06-10", ("US bank", "0.01"), ("US cash", "0.01"), ("US equity", "-0.02"))
    report = books.report("trial-balance", as_of="2025-06-30")
    # 0.01 USD is 0.015 AUD, rounded to 0.02 on each asset, while 0.02 USD is 0.03 AUD.
    assert rows_of(report) == [
        (None, "US bank", "asset", "0.02", "0.00"),
        (None, "US cash", "asset", "0.02", "0.00"),
        (None, "US equity", "equity", "0.00", "0.03"),
        (None, "Exchange differences", "equity", "0.00", "0.01"),
    ]
    assert report["total_debits"] == report["total_credits"] == "0.04"


def test_a_missing_rate_is_a_conflict_naming_the_currency(client: TestClient) -> None:
    books = household(client)
    books.account("Euro account", "asset", currency="EUR")
    books.account("Euro equity", "equity", currency="EUR")
    books.journal("2025-06-10", ("Euro account", "5.00"), ("Euro equity", "-5.00"))
    response = books.get("trial-balance", as_of="2025-06-30")
    assert response.status_code == 409
    assert response.json()["code"] == "exchange_rate_missing"
    assert "EUR" in response.json()["detail"]


def test_query_parameters_are_validated_by_name(client: TestClient) -> None:
    books = Ledger(client)
    for params, field in (
        ({"as_of": "2025-13-01"}, "as_of"),
        ({"as_of": "1800-01-01"}, "as_of"),
        ({"format": "docx"}, "format"),
    ):
        response = books.get("trial-balance", **params)
        assert response.status_code == 422, params
        assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_viewer_may_read_and_a_stranger_may_not(client: TestClient) -> None:
    assert client.get("/api/v1/reports/trial-balance").status_code == 401
    books = household(client)
    viewer = register(client, "Viewer")
    add_member(client, books.owner, books.owner.tenant_id, viewer, "viewer")
    switch(client, viewer, books.owner.tenant_id)
    seen = client.get(
        "/api/v1/reports/trial-balance", params={"as_of": "2025-06-30"}, headers=viewer.headers
    )
    assert seen.status_code == 200
    assert seen.json()["total_debits"] == "4084.20"
    fresh = Ledger(client).report("trial-balance")  # a new tenant: nothing at all, today
    assert (fresh["rows"], fresh["total_debits"], fresh["total_credits"]) == ([], "0.00", "0.00")


cents = st.integers(min_value=1, max_value=10**9)
TYPES = ["asset", "liability", "equity", "income", "expense"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 90),
            st.lists(st.tuples(st.integers(0, 4), cents), min_size=1, max_size=4),
            st.integers(0, 4),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 100),
)
def test_trial_balance_agrees_and_equals_a_recomputation_from_postings(
    client: TestClient, connection: Connection, entries: list[Any], cut: int
) -> None:
    books = Ledger(client)
    names = [books.account(f"A{i}", t) for i, t in enumerate(TYPES)]
    start = date(2025, 1, 1)
    for offset, legs, closing in entries:
        totals: dict[int, int] = {}
        for index, amount in legs:
            totals[index] = totals.get(index, 0) + amount
        totals[closing] = totals.get(closing, 0) - sum(a for _, a in legs)
        postings = [
            {"account_id": names[i], "amount": str(Decimal(c).scaleb(-2))}
            for i, c in totals.items()
            if c
        ]
        if len(postings) < 2:
            continue
        body = {
            "date": str(start + timedelta(days=offset)),
            "description": "g",
            "postings": postings,
        }
        response = client.post("/api/v1/transactions", json=body, headers=books.owner.headers)
        assert response.status_code == 201, response.text
    as_of = start + timedelta(days=cut)
    report = books.report("trial-balance", as_of=as_of.isoformat())
    assert report["total_debits"] == report["total_credits"]
    expected = _recomputed(connection, books, as_of)
    got = {
        r["account_id"]: int(Decimal(r["debit"]).scaleb(2) - Decimal(r["credit"]).scaleb(2))
        for r in report["rows"]
    }
    assert got == expected
    debits = sum(v for v in expected.values() if v > 0)
    assert Decimal(report["total_debits"]).scaleb(2) == debits


def _recomputed(connection: Connection, books: Ledger, as_of: date) -> dict[str, int]:
    """Every account's debits minus credits by a plain SUM over live postings."""
    tenant: Any = books.owner.tenant_id
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})
    else:
        tenant = tenant.hex
    rows = connection.execute(
        text(
            "SELECT p.account_id, sum(p.amount) FROM posting p JOIN ledger_transaction t "
            "ON t.id = p.transaction_id WHERE p.tenant_id = :t AND t.deleted_at IS NULL "
            "AND p.occurred_on <= :d GROUP BY p.account_id"
        ),
        {"t": tenant, "d": as_of},
    ).all()
    return {str(uuid.UUID(str(a))): int(s) for a, s in rows if int(s)}
