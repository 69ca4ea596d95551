"""GET /api/v1/exports/transactions: CSV, XLSX and OFX of any transaction-list filter."""

from __future__ import annotations

import csv
import html
import io
import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from ofxtools.Parser import OFXTree

from fiscus.imports import export
from fiscus.ledger import export_rows
from tests.ledger.test_transactions_api import Books
from tests.support.builders import register
from tests.web.helpers import csrf_of

URL = "/api/v1/exports/transactions"


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client))


def post(books: Books, body: dict[str, Any]) -> str:
    response = books.post({"date": "2025-07-03", **body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def spend(books: Books, description: str, amount: str, **fields: Any) -> str:
    body = {"description": description, "amount": amount, "type": "expense"}
    return post(books, {**body, "account_id": books.bank, "category_id": books.groceries, **fields})


def download(books: Books, **params: Any) -> httpx.Response:
    response = books.client.get(URL, params=params, headers=books.owner.headers)
    assert response.status_code == 200, response.text
    return response


def csv_rows(books: Books, **params: Any) -> list[dict[str, str]]:
    response = download(books, format="csv", **params)
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_one_row_per_entry_and_one_per_posting_for_a_split(books: Books) -> None:
    shop = spend(books, "Weekly shop", "84.20", payee="Woolworths", tags=["food", "weekly"])
    pay = post(
        books,
        {
            "date": "2025-07-01",
            "description": "Pay",
            "amount": "3000.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
            "notes": "July",
            "status": "cleared",
        },
    )
    move = post(
        books,
        {
            "date": "2025-07-02",
            "description": "To savings",
            "amount": "500.00",
            "type": "transfer",
            "account_id": books.bank,
            "transfer_account_id": books.savings,
        },
    )
    split = post(
        books,
        {
            "date": "2025-07-04",
            "description": "Split",
            "postings": [
                {"account_id": books.groceries, "amount": "60.00", "memo": "food"},
                {"account_id": books.salary, "amount": "24.50"},
                {"account_id": books.card, "amount": "-84.50"},
            ],
        },
    )
    rows = csv_rows(books, sort="date")
    assert list(rows[0]) == list(export.COLUMNS)
    seen = [
        (r["entry_id"], r["date"], r["type"], r["amount"], r["account"], r["category"])
        for r in rows
    ]
    assert seen == [
        (pay, "2025-07-01", "income", "3000.00", "Everyday", "Salary"),
        (move, "2025-07-02", "transfer", "-500.00", "Everyday", ""),
        (shop, "2025-07-03", "expense", "-84.20", "Everyday", "Groceries"),
        (split, "2025-07-04", "journal", "60.00", "Groceries", ""),
        (split, "2025-07-04", "journal", "24.50", "Salary", ""),
        (split, "2025-07-04", "journal", "-84.50", "Visa", ""),
    ]
    assert rows[1]["transfer_account"] == "Savings"
    assert (rows[0]["notes"], rows[0]["status"]) == ("July", "cleared")
    assert (rows[2]["payee"], rows[2]["tags"]) == ("Woolworths", "food, weekly")
    assert [r["line"] for r in rows[3:]] == ["1", "2", "3"]
    assert rows[3]["memo"] == "food"
    # Seen from the savings account, the same transfer is money in.
    (incoming,) = csv_rows(books, account_id=books.savings)
    assert (incoming["amount"], incoming["account"]) == ("500.00", "Savings")
    assert incoming["transfer_account"] == "Everyday"


def test_the_list_filters_apply_to_the_export(books: Books) -> None:
    food = books.account("Food", "expense")
    cafes = books.account("Cafes", "expense", parent_id=food)
    spend(books, "Flat white", "4.50", category_id=cafes)
    spend(books, "Supermarket", "80.00", date="2025-08-01", payee="Coles")
    spend(books, "Market", "12.00", category_id=food, status="reconciled", tags=["farm"])

    def described(**params: Any) -> list[str]:
        return sorted(r["description"] for r in csv_rows(books, **params))

    assert described(category_id=food) == ["Flat white", "Market"]
    assert described(date_from="2025-07-15") == ["Supermarket"]
    assert described(amount_min="10", amount_max="50") == ["Market"]
    assert described(q="white") == ["Flat white"]
    assert described(status="reconciled") == ["Market"]
    assert described(tag="farm") == ["Market"]
    assert described(search="payee:coles") == ["Supermarket"]
    assert described(search="amount>10", date_to="2025-07-31") == ["Market"]
    bad = books.client.get(URL, params={"amount_min": "-5"}, headers=books.owner.headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "amount_min"


@pytest.mark.parametrize("sort", ["date", "-date", "amount", "-amount", "description", "payee"])
def test_rows_come_in_the_lists_order_across_batches(
    books: Books, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_rows, "BATCH", 2)  # several reads of the streaming cursor
    for i, (amount, payee) in enumerate([("5.00", "b"), ("7.00", None), ("5.00", "a")] * 2):
        spend(books, f"Entry {i % 4}", amount, payee=payee, date=f"2025-07-0{1 + i % 3}")
    listed = books.client.get(
        "/api/v1/transactions", params={"sort": sort}, headers=books.owner.headers
    ).json()["items"]
    assert [r["entry_id"] for r in csv_rows(books, sort=sort)] == [t["id"] for t in listed]


MALICIOUS = ['=HYPERLINK("http://evil")', "+1+cmd", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
TEXTS = ("description", "payee", "notes", "tags", "category")


def xlsx_rows(content: bytes) -> list[dict[str, Any]]:
    """Each data row as {column: openpyxl cell}."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Transactions"]
    header = [c.value for c in sheet[1]]
    assert header == list(export.COLUMNS)
    return [dict(zip(header, cells, strict=True)) for cells in sheet.iter_rows(min_row=2)]


def test_formula_injection_is_neutralised_in_csv_and_xlsx(books: Books) -> None:
    evil = books.account("=cmd|' /C calc'!A0", "expense")
    for i, text in enumerate(MALICIOUS[:4]):  # the API trims leading whitespace away
        spend(books, text, f"{i + 1}.00", payee=text, notes=text, tags=[f"-t{i}"], category_id=evil)
    for row in csv_rows(books):
        for column in TEXTS:
            assert row[column].startswith("'"), (column, row[column])
        assert Decimal(row["amount"]) < 0  # our own number keeps its sign
    described = set()
    for cells in xlsx_rows(download(books, format="xlsx").content):
        for column in TEXTS:
            cell = cells[column]
            assert (cell.data_type, str(cell.value)[0]) == ("s", "'"), (column, cell.value)
        assert (cells["amount"].data_type, cells["amount"].value < 0) == ("n", True)
        described.add(cells["description"].value[1:])
    assert described == set(MALICIOUS[:4])


def test_tab_and_carriage_return_prefixes_are_neutralised_in_both_writers() -> None:
    entries = [
        export_rows.ExportEntry(
            id=uuid.uuid4(),
            occurred_on=date(2025, 7, 1),
            description=text,
            payee=text,
            notes=None,
            tags=[],
            status="pending",
            kind="journal",
            postings=[export_rows.ExportPosting(uuid.uuid4(), -100, "AUD", text)],
        )
        for text in MALICIOUS
    ]
    rows = [row for entry in entries for row in export.rows_of(entry, {}, None)]
    out = io.BytesIO()
    export._write_csv(out, rows)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert [r["description"] for r in parsed] == ["'" + text for text in MALICIOUS]
    assert {r["memo"][0] for r in parsed} == {r["payee"][0] for r in parsed} == {"'"}
    assert {r["amount"] for r in parsed} == {"-1.00"}
    out = io.BytesIO()
    export._write_xlsx(out, rows)
    cells = xlsx_rows(out.getvalue())
    # XLSX stores a CR as the escape _x000D_, which Excel decodes and openpyxl does not.
    described = [r["description"].value.replace("_x000D_", "\r") for r in cells]
    assert described == ["'" + text for text in MALICIOUS]
    assert {r["memo"].value[0] for r in cells} == {"'"}


def test_xlsx_carries_dates_and_exact_amounts(books: Books) -> None:
    spend(books, "Café crème", "1234.56", payee="Üpsilon")
    sheet = openpyxl.load_workbook(io.BytesIO(download(books, format="xlsx").content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert row["date"].date().isoformat() == "2025-07-03"
    assert Decimal(str(row["amount"])) == Decimal("-1234.56")
    assert (row["description"], row["payee"]) == ("Café crème", "Üpsilon")


def ofx(books: Books, **params: Any) -> Any:
    response = download(books, format="ofx", **params)
    tree = OFXTree()
    tree.parse(io.BytesIO(response.content))
    return tree.convert()


def test_ofx_of_a_bank_account_parses_back_with_its_ledger_balance(books: Books) -> None:
    pay = post(
        books,
        {
            "description": "Pay",
            "amount": "100.00",
            "type": "income",
            "account_id": books.bank,
            "category_id": books.salary,
        },
    )
    shop = spend(books, "Fish <&> Chips", "30.25", payee='"Fish & Co" <Ltd>', date="2025-07-04")
    spend(books, "Later", "1.00", date="2025-09-01")
    parsed = ofx(books, account_id=books.bank, date_to="2025-07-31", sort="date")
    (statement,) = parsed.statements
    bank = books.client.get(f"/api/v1/accounts/{books.bank}", headers=books.owner.headers)
    assert statement.curdef == bank.json()["currency"]
    lines = [
        (t.fitid, t.trntype, t.trnamt, t.dtposted.date().isoformat())
        for t in statement.transactions
    ]
    assert lines == [
        (pay, "CREDIT", Decimal("100.00"), "2025-07-03"),
        (shop, "DEBIT", Decimal("-30.25"), "2025-07-04"),
    ]
    assert statement.banktranlist[1].name == '"Fish & Co" <Ltd>'
    assert statement.banktranlist[1].memo == "Fish <&> Chips"
    assert statement.ledgerbal.balamt == Decimal("69.75")  # at date_to, not today
    assert statement.ledgerbal.dtasof.date().isoformat() == "2025-07-31"
    assert statement.account.accttype == "CHECKING"


def test_ofx_of_a_credit_card_is_a_card_statement_with_debt_negative(books: Books) -> None:
    spend(books, "Petrol", "55.00", account_id=books.card)
    post(
        books,
        {
            "description": "Card repayment",
            "amount": "20.00",
            "type": "transfer",
            "account_id": books.bank,
            "transfer_account_id": books.card,
        },
    )
    (statement,) = ofx(books, account_id=books.card, sort="date").statements
    assert type(statement).__name__ == "CCSTMTRS"
    assert sorted((t.trntype, t.trnamt) for t in statement.transactions) == [
        ("DEBIT", Decimal("-55.00")),
        ("XFER", Decimal("20.00")),
    ]
    assert statement.ledgerbal.balamt == Decimal("-35.00")


def test_ofx_needs_one_balance_sheet_account(books: Books, client: TestClient) -> None:
    missing = client.get(URL, params={"format": "ofx"}, headers=books.owner.headers)
    assert missing.status_code == 422
    assert missing.json()["code"] == "ofx_needs_account"
    assert missing.json()["errors"][0]["field"] == "account_id"
    category = client.get(
        URL, params={"format": "ofx", "account_id": books.groceries}, headers=books.owner.headers
    )
    assert category.status_code == 422
    assert category.json()["errors"][0]["field"] == "account_id"
    unknown = client.get(
        URL, params={"format": "ofx", "account_id": str(uuid.uuid4())}, headers=books.owner.headers
    )
    assert unknown.status_code == 404


def test_an_export_beyond_the_row_cap_is_refused_before_any_row(
    books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "ROW_CAP", 2)
    spend(books, "One", "1.00")
    spend(books, "Two", "2.00")
    assert len(csv_rows(books)) == 2
    spend(books, "Three", "3.00")
    for format in ("csv", "xlsx"):
        refused = books.client.get(URL, params={"format": format}, headers=books.owner.headers)
        assert refused.status_code == 422
        assert refused.json()["code"] == "export_too_large"
        assert "3 transactions match" in refused.json()["detail"]
    assert len(csv_rows(books, date_to="2025-07-03", amount_max="2.00")) == 2


def test_deleted_entries_are_exported_only_from_the_bin(books: Books) -> None:
    gone = spend(books, "Mistake", "9.00")
    spend(books, "Kept", "1.00")
    books.client.delete(f"/api/v1/transactions/{gone}", headers=books.owner.headers)
    assert [r["description"] for r in csv_rows(books)] == ["Kept"]
    assert [r["description"] for r in csv_rows(books, deleted=True)] == ["Mistake"]


def test_the_transactions_page_downloads_its_current_filter(client: TestClient) -> None:
    """Signed in by cookies like a browser: the page's links carry its filter (its search
    box is the search syntax), and the download answers with just those rows."""
    client.post(
        "/register",
        data={
            "name": "Page User",
            "email": f"page-{uuid.uuid4().hex[:8]}@example.com",
            "password": "correct horse battery",
            "csrf_token": csrf_of(client, "/register"),
        },
        follow_redirects=False,
    )
    books = Books(client, register(client))  # a second user's books must not show up
    headers = {"Authorization": f"Bearer {client.cookies['fiscus_access']}"}
    bank = client.post(
        "/api/v1/accounts", json={"name": "Cheque", "type": "asset"}, headers=headers
    ).json()["id"]
    food = client.post(
        "/api/v1/categories", json={"name": "Food", "type": "expense"}, headers=headers
    ).json()["id"]
    for payee in ("Coles", "Aldi"):
        body = {"date": "2025-07-01", "description": f"At {payee}", "payee": payee}
        body |= {"amount": "5.00", "type": "expense", "account_id": bank, "category_id": food}
        assert client.post("/api/v1/transactions", json=body, headers=headers).is_success
    spend(books, "Someone else's", "1.00", payee="Coles")

    page = client.get("/transactions", params={"q": "payee:coles", "account_id": bank})
    links = re.findall(r'href="(/exports/transactions\?[^"]+)"', page.text)
    assert [html.unescape(link).rsplit("format=", 1)[1] for link in links] == [
        "csv",
        "xlsx",
        "ofx",
    ]
    response = client.get(html.unescape(links[0]))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    described = [r["description"] for r in csv.DictReader(io.StringIO(response.text))]
    assert [d.lstrip("\ufeff") for d in described] == ["At Coles"]
    statement = OFXTree()
    statement.parse(io.BytesIO(client.get(html.unescape(links[2])).content))
    assert [t.name for t in statement.convert().statements[0].transactions] == ["Coles"]
    without_account = client.get("/transactions", params={"q": "payee:coles"}).text
    assert "OFX (choose an account)" in without_account
