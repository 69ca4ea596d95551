"""How journal-entry testing reads a ledger's shapes, through HTTP: timestamps, dates
written once per entry, balance lines without an entry number, Dr/Cr amounts, workbook
date cells."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import xlsxwriter
from fastapi.testclient import TestClient

from tests.diagnostics.journal_support import flags, gl_csv, post
from tests.support.builders import Account, register


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def test_a_timestamp_column_gives_dates_and_times(client: TestClient, alice: Account) -> None:
    header = ("Entry No", "Timestamp", "Account", "Memo", "Debit", "Credit")
    rows = [
        ("7", "2025-03-04T21:15:00", "6100", "Fuel", "80.10", ""),
        ("7", "2025-03-04T21:15:00", "1100", "Fuel", "", "80.10"),
        ("8", "2025-03-05 09:00:00", "6100", "Fuel", "81.10", ""),
        ("8", "2025-03-05 09:00:00", "1100", "Fuel", "", "81.10"),
    ]
    body = ok(post(client, alice, gl_csv(rows, header=header)))
    assert body["ingestion"]["columns"]["date"]["header"] == "Timestamp"
    assert body["population"]["first_date"] == "2025-03-04"
    assert flags(body) == {"7": {"after_hours_posting"}}
    assert body["entries"][0]["lines"][0]["time"] == "21:15:00"


def test_a_date_written_on_an_entrys_first_line_dates_its_other_lines(
    client: TestClient, alice: Account
) -> None:
    header = ("Journal", "Date", "Account", "Description", "Debit", "Credit")
    rows = [
        ("1", "08/03/2025", "6100", "Stationery", "12.50", ""),
        ("1", "", "1100", "Stationery", "", "12.50"),
    ]
    body = ok(post(client, alice, gl_csv(rows, header=header)))
    lines = body["entries"][0]["lines"]
    assert [line["date"] for line in lines] == ["2025-03-08", "2025-03-08"]
    assert flags(body) == {"1": {"weekend_posting"}}


def test_a_blank_date_on_an_entrys_first_line_fails_naming_it(
    client: TestClient, alice: Account
) -> None:
    header = ("Journal", "Date", "Account", "Description", "Debit", "Credit")
    rows = [
        ("1", "03/03/2025", "6100", "Stationery", "12.50", ""),
        ("1", "", "1100", "Stationery", "", "12.50"),
        ("2", "", "6100", "Stamps", "3.10", ""),
        ("2", "04/03/2025", "1100", "Stamps", "", "3.10"),
    ]
    response = post(client, alice, gl_csv(rows, header=header))
    assert (response.status_code, response.json()["code"]) == (422, "malformed_file")
    assert "line 4: the date is blank" in response.json()["detail"]


def test_balance_lines_without_an_entry_number_are_excluded_with_the_reason(
    client: TestClient, alice: Account
) -> None:
    header = ("Journal", "Date", "Account", "Description", "Debit", "Credit")
    rows = [
        ("", "01/03/2025", "1100", "Opening balance", "5000.00", ""),
        ("1", "03/03/2025", "6100", "Stationery", "12.50", ""),
        ("1", "03/03/2025", "1100", "Stationery", "", "12.50"),
        ("2", "03/03/2025", "6100", "Memo only", "", ""),
        ("", "", "", "", "", ""),
        ("", "", "", "Total", "5012.50", "12.50"),
    ]
    body = ok(post(client, alice, gl_csv(rows, header=header)))
    assert body["excluded"] == [
        {"line_no": 2, "reason": "no entry number (a balance or heading line)"},
        {"line_no": 5, "reason": "no amount"},
        {"line_no": 6, "reason": "blank line"},
        {"line_no": 7, "reason": "total or subtotal"},
    ]
    assert (body["population"]["lines"], body["source_rows"]) == (2, 6)


def test_a_signed_amount_with_dr_cr_markers_decides_the_side(
    client: TestClient, alice: Account
) -> None:
    header = ("JE No", "Date", "Account", "Narration", "Amount")
    rows = [
        ("4", "03/03/2025", "6100", "Repairs", "250.00 Dr"),
        ("4", "03/03/2025", "1100", "Repairs", "250.00 Cr"),
        ("5", "03/03/2025", "6100", "Repairs", "(40.00)"),
        ("5", "03/03/2025", "1100", "Repairs", "40.00"),
    ]
    body = ok(post(client, alice, gl_csv(rows, header=header)))
    assert body["population"]["total_debits"] == "290.00"
    assert body["population"]["balanced"] is True
    assert body["summary"]["unbalanced_entry"]["entries"] == 0


def test_workbook_date_cells_at_midnight_carry_no_time(client: TestClient, alice: Account) -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("GL")
    dated = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Journal", "Date", "Account", "Description", "Debit", "Credit"])
    for row, (account, debit, credit) in enumerate((("6100", 10.5, None), ("1100", None, 10.5))):
        sheet.write_string(row + 1, 0, "1")
        sheet.write_datetime(row + 1, 1, dt.datetime(2025, 3, 8), dated)
        sheet.write_row(row + 1, 2, [account, "Repairs", debit, credit])
    workbook.close()
    body = ok(post(client, alice, buffer.getvalue(), name="gl.xlsx"))
    assert body["summary"]["after_hours_posting"]["status"] == "not_run"
    assert body["entries"][0]["lines"][0]["date"] == "2025-03-08"
    assert flags(body) == {"1": {"weekend_posting"}}


def test_the_practices_detection_threshold_applies(client: TestClient, alice: Account) -> None:
    header = ("Journal Ref", "Date", "Account", "Description", "Debit", "Credit")
    rows = [
        ("1", "03/03/2025", "6100", "Pens", "9.10", ""),
        ("1", "03/03/2025", "1100", "Pens", "", "9.10"),
    ]
    data = gl_csv(rows, header=header)
    # "Journal Ref" names the entry by a known word only: confidence 0.8.
    assert ok(post(client, alice, data))["ingestion"]["columns"]["entry"]["confidence"] == 0.8
    settings = client.put(
        "/api/v1/settings", json={"confidence_threshold": 0.9}, headers=alice.headers
    )
    assert settings.status_code == 200, settings.text
    asked = post(client, alice, data)
    assert (asked.status_code, asked.json()["code"]) == (422, "mapping_required")
    assert asked.json()["candidates"]["threshold"] == 0.9
    assert "entry column" in asked.json()["detail"]
