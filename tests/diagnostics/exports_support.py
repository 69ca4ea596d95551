"""Helpers of the export tests: analyse a fixture over HTTP, post the analysis back to an
export, and read what comes out with real parsers (pypdf, openpyxl, csv)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from tests.support.builders import Account

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
CURRENT = FIXTURES / "bayside_tb_2026.csv"
PRIOR = FIXTURES / "bayside_tb_2025.csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENGAGEMENT = {
    "entity": "Bayside Coffee Roasters Pty Ltd",
    "period_end": "2026-06-30",
    "prior_period_end": "2025-06-30",
    "prepared_by": "Priya Raman",
    "reviewed_by": "Tom Okafor",
}


def analyse(client: TestClient, who: Account, data: bytes, **fields: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/diagnostics/trial-balance",
        files={"file": ("tb.csv", data, "text/csv")},
        data=fields,
        headers=who.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def export(client: TestClient, who: Account, kind: str, body: Any) -> httpx.Response:
    return client.post(f"/api/v1/diagnostics/export/{kind}", json=body, headers=who.headers)


def exported(client: TestClient, who: Account, kind: str, body: Any) -> httpx.Response:
    response = export(client, who, kind, body)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return response


def pdf_text(response: httpx.Response) -> str:
    """The memo's text with runs of whitespace (line wraps, justified spacing) as one space."""
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def workbook(response: httpx.Response, *, values: bool = True) -> Workbook:
    """The workbook; `values` reads formulas' cached values instead of the formulas."""
    assert response.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(response.content), data_only=values)


def table(book: Workbook, sheet: str, heading: str, *, after: int = 0) -> list[dict[str, Any]]:
    """The rows below the first heading row (at or after row index `after`) whose first
    cell is `heading`, as dicts, up to the first empty row."""
    rows = list(book[sheet].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if i >= after and row[0] == heading)
    names = rows[start]
    out = []
    for row in rows[start + 1 :]:
        if all(v is None for v in row):
            break
        out.append(dict(zip(names, row, strict=True)))
    return out


def cents(value: Any) -> Decimal:
    """A number cell's value to the cent (the cell holds the double of a 2-dp decimal)."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
