"""XLSX through calamine, and the limits every upload meets before any parser runs."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
import xlsxwriter

from fiscus.core.errors import DomainError, ErrorKind
from fiscus.imports.parsers import FileFormat, detect, parse
from fiscus.imports.parsers import xlsx as xlsx_module
from fiscus.imports.parsers.errors import (
    CellTooLong,
    FileTooLarge,
    TooManyColumns,
    TooManyRows,
    UnsafeArchive,
    UnsupportedFormat,
)
from fiscus.imports.parsers.limits import Limits
from fiscus.web.errors import STATUS


def nab_workbook() -> bytes:
    """A NAB-style export: a title, a blank row, then the table; real date cells and text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Transactions")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, "Transaction history for account 083-004 12-345-6789")
    sheet.write_row(2, 0, ["Date", "Amount", "Transaction Details", "Balance", "Category"])
    rows = [
        (datetime(2025, 7, 1), -45.2, "EFTPOS WOOLWORTHS 1234", 954.8, "Groceries"),
        (datetime(2025, 7, 3), 2500, "ACME PTY LTD SALARY", 3454.8, "Income"),
        ("13/07/2025", -1200, "TRANSFER TO RENT", 2254.8, "Housing"),
        (datetime(2025, 7, 15), -0.1, "ROUNDING FEE", 2254.7, "Fees"),
    ]
    for offset, (when, amount, details, balance, category) in enumerate(rows):
        row = 3 + offset
        if isinstance(when, datetime):
            sheet.write_datetime(row, 0, when, day)
        else:
            sheet.write_string(row, 0, when)
        sheet.write_number(row, 1, amount)
        sheet.write_string(row, 2, details)
        sheet.write_number(row, 3, balance)
        sheet.write_string(row, 4, category)
    book.close()
    return buffer.getvalue()


def test_xlsx_with_title_rows_date_cells_and_text_dates() -> None:
    data = nab_workbook()
    detection = detect(data, "export.xlsx")
    assert detection.format.value is FileFormat.XLSX
    assert detection.header_row is not None
    assert detection.header_row.value == 2
    statement = parse(data, detection)
    assert statement.errors == []
    assert [(line.booked_on, line.amount) for line in statement.lines] == [
        (date(2025, 7, 1), Decimal("-45.2")),
        (date(2025, 7, 3), Decimal("2500")),
        (date(2025, 7, 13), Decimal("-1200")),
        (date(2025, 7, 15), Decimal("-0.1")),
    ]
    assert statement.lines[0].description == "EFTPOS WOOLWORTHS 1234"
    assert statement.lines[1].balance_after == Decimal("3454.8")
    assert statement.lines[0].line_no == 4


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_before_calamine_sees_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def must_not_open(*_: object) -> None:
        raise AssertionError("the spreadsheet reader ran on a zip bomb")

    monkeypatch.setattr(xlsx_module.fastexcel, "read_excel", must_not_open)
    bomb = zip_of(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * 20_000_000}
    )
    assert len(bomb) < 100_000
    with pytest.raises(UnsafeArchive) as refused:
        detect(bomb, "statement.xlsx")
    assert "compressed" in refused.value.detail
    assert STATUS[refused.value.kind] == 413


def test_a_zip_declaring_too_much_in_total_or_too_many_parts_is_refused() -> None:
    big = zip_of({f"xl/part{i}.xml": bytes(range(256)) * 4000 for i in range(3)})
    with pytest.raises(UnsafeArchive):
        detect(big, "x.xlsx", limits=Limits(max_zip_uncompressed=2_000_000))
    many = zip_of({f"xl/part{i}.xml": b"x" for i in range(20)})
    with pytest.raises(UnsafeArchive) as refused:
        detect(many, "x.xlsx", limits=Limits(max_zip_entries=10))
    assert "20 parts" in refused.value.detail


def test_an_oversize_file_is_refused_with_413_before_parsing() -> None:
    data = b"Date,Description,Amount\n" + b"01/07/2025,COFFEE,-3.50\n" * 100
    small = Limits(max_bytes=1_000)
    with pytest.raises(FileTooLarge) as refused:
        detect(data, "x.csv", limits=small)
    assert refused.value.kind is ErrorKind.TOO_LARGE
    assert STATUS[refused.value.kind] == 413
    detection = detect(data, "x.csv")
    with pytest.raises(FileTooLarge):
        parse(data, detection, limits=small)


@pytest.mark.parametrize(
    ("data", "limits", "error"),
    [
        (b"Date,Amount\n" + b"01/07/2025,1.00\n" * 50, Limits(max_rows=20), TooManyRows),
        (b",".join([b"x"] * 100) + b"\n01/07/2025,1.00\n", Limits(), TooManyColumns),
        (b"Date,Description,Amount\n01/07/2025," + b"y" * 5000 + b",1.00\n", Limits(), CellTooLong),
    ],
)
def test_structural_limits_are_typed_errors(
    data: bytes, limits: Limits, error: type[DomainError]
) -> None:
    with pytest.raises(error) as refused:
        parse(data, detect(data, "x.csv", limits=limits), limits=limits)
    assert STATUS[refused.value.kind] == 413
    assert refused.value.field == "file"


def test_rows_beyond_the_limit_deep_in_a_file_are_refused_while_parsing() -> None:
    data = b"Date,Description,Amount\n" + b"01/07/2025,COFFEE,-3.50\n" * 30
    detection = detect(data, "x.csv")
    with pytest.raises(TooManyRows):
        parse(data, detection, limits=Limits(max_rows=10))


def test_an_empty_or_binary_file_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormat) as refused:
        detect(b"  \n", "x.csv")
    assert STATUS[refused.value.kind] == 415
