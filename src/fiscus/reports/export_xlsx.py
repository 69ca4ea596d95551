"""XLSX export: a titled sheet, money as numbers with the currency's decimals, text as text."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter

from fiscus.core.currency import exponent
from fiscus.core.money import Money
from fiscus.reports.table import Cell, Row, Table

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
HEADER_ROW = 3  # title, subtitle, a blank line, then the headings


def to_xlsx(table: Table) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(table.title[:31])
    formats = _Formats(book)
    sheet.write_string(0, 0, table.title, formats.get(bold=True, font_size=14))
    sheet.write_string(1, 0, table.subtitle, formats.get(italic=True))
    header = formats.get(bold=True, bottom=1)
    for col, column in enumerate(table.columns):
        sheet.write_string(HEADER_ROW, col, column.heading, header)
        sheet.set_column(col, col, 42 if col == 0 else 16)
    for offset, row in enumerate(table.rows, start=1):
        _write_row(sheet, formats, HEADER_ROW + offset, row)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    book.close()
    return buffer.getvalue()


def _write_row(sheet: Any, formats: _Formats, line: int, row: Row) -> None:
    style: dict[str, Any] = {}
    if row.style in ("heading", "subtotal", "total"):
        style["bold"] = True
    if row.style == "total":
        style["top"] = 1
    for col, cell in enumerate(row.cells):
        _write_cell(
            sheet, formats, line, col, cell, dict(style, indent=row.depth if col == 0 else 0)
        )


def _write_cell(
    sheet: Any, formats: _Formats, line: int, col: int, cell: Cell, style: dict[str, Any]
) -> None:
    if cell is None or cell == "":
        sheet.write_blank(line, col, None, formats.get(**style))
    elif isinstance(cell, Money):
        places = exponent(cell.currency)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        sheet.write_number(line, col, float(cell.amount), formats.get(num_format=pattern, **style))
    elif isinstance(cell, Decimal):
        sheet.write_number(line, col, float(cell), formats.get(num_format="0.00", **style))
    else:
        # A leading formula character is kept as typed and marked as text (quote prefix).
        quote = cell.startswith(_FORMULA_STARTS)
        sheet.write_string(line, col, cell, formats.get(quote_prefix=quote, **style))


class _Formats:
    """One workbook format per distinct set of properties (xlsxwriter wants them shared)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **properties: Any) -> Any:
        clean = {k: v for k, v in properties.items() if v not in (None, False, 0)}
        key = tuple(sorted(clean.items()))
        if key not in self._cache:
            self._cache[key] = self._book.add_format(clean)
        return self._cache[key]
