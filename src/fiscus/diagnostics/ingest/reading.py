"""From the uploaded bytes to sheets of text cells, in memory, checked against the limits.

Delimited text (CSV, TSV, TXT) is decoded and split with the stdlib `csv` module; the
delimiter is sniffed from the first lines. Workbooks (XLSX, XLS, ODS) are read by
calamine (`fastexcel`) straight from the bytes; XLSX and ODS are zips, and their central
directory is checked for a bomb before calamine sees them. Every cell is text here:
amounts are parsed exactly later, never through a float of ours (a workbook's numeric
cell is a double in the file itself; calamine gives its shortest decimal text).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import fastexcel
import polars as pl

from fiscus.diagnostics.ingest.errors import MalformedFile, UnknownSheet, UnsupportedFormat
from fiscus.diagnostics.ingest.limits import (
    Limits,
    check_cell,
    check_columns,
    check_rows,
    check_zip,
)

TEXT_EXTENSIONS = ("csv", "tsv", "txt")
WORKBOOK_EXTENSIONS = ("xlsx", "xlsm", "xls", "ods")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet's rows of text cells, header included; row i is source line i + 1."""

    name: str | None
    rows: list[list[str]]
    # A workbook's numeric cell is a double; calamine may render it with 17 digits
    # ("43938171.049999997"), which the amounts read back as its shortest form.
    from_doubles: bool = False


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """What inspecting a workbook tells without reading all of it."""

    name: str | None
    rows: int
    columns: int
    preview: list[list[str]]


def file_kind(file_name: str | None, data: bytes) -> str:
    """'text' or 'workbook', from the content first (a renamed file still reads) and the
    extension second; anything else is refused (415)."""
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        return "workbook"
    extension = (file_name or "").rsplit(".", 1)[-1].lower() if file_name else ""
    if extension in WORKBOOK_EXTENSIONS:
        raise MalformedFile(f"The file is named .{extension} but is not a workbook.")
    if b"\x00" in data[:4096]:
        raise UnsupportedFormat()
    return "text"


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """The candidate splitting the first lines into the most, equally many, fields."""
    lines = [line for line in text[:16384].splitlines()[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if not counts or max(counts) == 0:
            continue
        common = max(set(counts), key=counts.count)
        score = common * counts.count(common) / len(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_text(data: bytes, limits: Limits) -> Sheet:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[list[str]] = []
    max_cols, max_cell = limits.max_columns, limits.max_cell_chars
    try:
        for row in reader:
            if len(row) > max_cols:
                check_columns(len(row), reader.line_num, limits)
            if row and max(map(len, row)) > max_cell:
                check_cell(max(map(len, row)), reader.line_num, limits)
            rows.append(row)
            if len(rows) > limits.max_rows:
                check_rows(len(rows), limits)
    except csv.Error as exc:
        raise MalformedFile(f"Line {reader.line_num}: {exc}.") from exc
    return Sheet(name=None, rows=rows)


def open_workbook(data: bytes, limits: Limits) -> fastexcel.ExcelReader:
    if data.startswith(_ZIP_MAGIC):
        check_zip(data, limits)
    try:
        reader = fastexcel.read_excel(data)
    except fastexcel.FastExcelError as exc:
        raise MalformedFile(f"The workbook cannot be read: {exc}") from exc
    if not reader.sheet_names:
        raise MalformedFile("The workbook has no sheets.")
    return reader


def _load(reader: fastexcel.ExcelReader, name: str, n_rows: int) -> fastexcel.ExcelSheet:
    try:
        return reader.load_sheet(name, header_row=None, dtypes="string", n_rows=n_rows)
    except fastexcel.FastExcelError as exc:
        raise MalformedFile(f"The sheet {name!r} cannot be read: {exc}") from exc


def load_workbook_sheet(
    reader: fastexcel.ExcelReader, name: str, limits: Limits
) -> fastexcel.ExcelSheet:
    """The sheet loaded by calamine (every cell as text), checked against the limits
    exactly as `read_workbook_sheet` checks it."""
    return _checked_sheet(reader, name, limits)[0]


def read_workbook_sheet(reader: fastexcel.ExcelReader, name: str, limits: Limits) -> Sheet:
    frame = _checked_sheet(reader, name, limits)[1]
    rows = [["" if cell is None else cell for cell in row] for row in frame.rows()]
    return Sheet(name=name, rows=rows, from_doubles=True)


def _checked_sheet(
    reader: fastexcel.ExcelReader, name: str, limits: Limits
) -> tuple[fastexcel.ExcelSheet, pl.DataFrame]:
    if name not in reader.sheet_names:
        raise UnknownSheet(
            f"The workbook has no sheet {name!r}; it has {', '.join(reader.sheet_names)}.",
            field="sheets",
        )
    sheet = _load(reader, name, limits.max_rows + 1)
    check_rows(sheet.height, limits)
    check_columns(sheet.width, 1, limits)
    frame = sheet.to_polars()
    longest = max((_longest(frame[c]) for c in frame.columns), default=0)
    if longest > limits.max_cell_chars:
        check_cell(longest, 0, limits)
    return sheet, frame


def _longest(column: pl.Series) -> int:
    value = column.str.len_chars().max()
    return int(value) if isinstance(value, int) else 0


def inspect_workbook(reader: fastexcel.ExcelReader, preview_rows: int) -> list[SheetInfo]:
    infos = []
    for name in reader.sheet_names:
        sheet = _load(reader, name, preview_rows)
        preview = [["" if c is None else c for c in row] for row in sheet.to_polars().rows()]
        infos.append(
            SheetInfo(name=name, rows=sheet.total_height, columns=sheet.width, preview=preview)
        )
    return infos
