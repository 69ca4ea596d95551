"""The printable summary PDF: ATO label codes and names, the figures, the assessment."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.support.builders import register
from tests.tax.returns_helpers import call, create, full_return_data, lodge


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_summary_pdf_has_the_labels_and_figures(client: TestClient) -> None:
    alice = register(client, "Alice")
    rid = create(client, alice, full_return_data())["id"]
    lodge(client, alice, rid)
    response = call(client, alice, "GET", f"/{rid}/summary.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "tax-return-2024-25-v1.pdf" in response.headers["content-disposition"]
    text = text_of(response.content)
    for expected in (
        "Individual tax return summary 2024-25",
        "Alice Example",
        "ATO-123456789",
        "1 Salary or wages",
        "Payer: Acme Pty Ltd (ABN 51824753556)",
        "78,500.00",
        "1C Tax withheld",
        "10L Gross interest",
        "450.37",
        "11U Franking credit",
        "18A Net capital gain",
        "2,500.00",
        "D1 Work-related car expenses",
        "1,200.00",
        "D5 Other work-related expenses",
        "350.50",
        "D15 Other deductions",
        "Total deductions",
        "1,900.50",
        "Taxable income or loss",
        "86,649.00",
        "T9 Other non-refundable tax offsets",
        "16,782.70",
        "1,732.98",
        "Amount owed",
        "995.68",
    ):
        assert expected in " ".join(text.split()) or expected in text, expected


def test_a_draft_prints_an_estimate(client: TestClient) -> None:
    alice = register(client, "Alice")
    rid = create(client, alice, {"income": {"interest": {"gross": "100"}}})["id"]
    text = text_of(call(client, alice, "GET", f"/{rid}/summary.pdf").content)
    assert "estimate, not yet calculated" in text
    assert "Refund" in text
    assert call(client, alice, "GET", f"/{rid}").json()["assessment"] is None  # nothing stored
