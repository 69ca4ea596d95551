"""Books for report tests, built through the API, and readers of every export format."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker

from fiscus.db.session import bind_scope
from fiscus.ledger.models import ExchangeRate
from tests.support.builders import Account, register


class Ledger:
    """A tenant's chart of accounts (name -> id) and helpers to post to it."""

    def __init__(self, client: TestClient, owner: Account | None = None) -> None:
        self.client = client
        self.owner = owner or register(client)
        self.ids: dict[str, str] = {}

    def account(self, name: str, type_: str, **fields: Any) -> str:
        if "parent" in fields:
            fields["parent_id"] = self.ids[fields.pop("parent")]
        response = self.client.post(
            "/api/v1/accounts",
            json={"name": name, "type": type_, **fields},
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        self.ids[name] = str(response.json()["id"])
        return self.ids[name]

    def simple(self, on: str, type_: str, amount: str, account: str, other: str) -> None:
        body: dict[str, Any] = {
            "date": on,
            "description": f"{type_} {amount}",
            "amount": amount,
            "type": type_,
            "account_id": self.ids[account],
        }
        body["transfer_account_id" if type_ == "transfer" else "category_id"] = self.ids[other]
        self._post(body)

    def journal(self, on: str, *legs: tuple[str, str], **rates: str) -> None:
        postings = []
        for name, amount in legs:
            leg: dict[str, Any] = {"account_id": self.ids[name], "amount": amount}
            if name in rates:
                leg["rate"] = rates[name]
            postings.append(leg)
        self._post({"date": on, "description": "journal", "postings": postings})

    def _post(self, body: dict[str, Any]) -> None:
        response = self.client.post("/api/v1/transactions", json=body, headers=self.owner.headers)
        assert response.status_code == 201, response.text

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(f"/api/v1/reports/{path}", params=params, headers=self.owner.headers)

    def report(self, path: str, **params: Any) -> Any:
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        return response.json()


def add_rate(
    factory: sessionmaker[Session], owner: Account, currency: str, on: date, rate: str
) -> None:
    with factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=None)
        session.add(
            ExchangeRate(
                tenant_id=owner.tenant_id, currency=currency, effective_on=on, rate=Decimal(rate)
            )
        )
        session.commit()


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response: httpx.Response) -> list[tuple[Any, ...]]:
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def xlsx_cells(response: httpx.Response) -> list[Any]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return [cell for row in sheet.iter_rows() for cell in row]


def read_pdf(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_words(response: httpx.Response) -> list[tuple[str, float, float]]:
    """Every text run of the first page with its x and y, and the page width last."""
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, *_: Any) -> None:
        if text.strip():
            runs.append((text.strip(), float(tm[4]) * float(cm[0]) + float(cm[4]), float(tm[5])))

    page.extract_text(visitor_text=visit)
    runs.append(("", float(page.mediabox.width), 0.0))
    return runs
