"""Writing workpaper cells with xlsxwriter, safely and exactly.

- Text is always written as a string cell, and text a spreadsheet would read as a
  formula (leading `= + - @`, tab, CR, ...) gets a `'` prefix (`core.spreadsheet.
  safe_cell`, as every export of the project does): an account named `=HYPERLINK(...)`
  shows as that text and is never evaluated, here or after a copy into another tool.
  The workbook is also opened with xlsxwriter's string-to-formula/URL/number
  conversions off.
- Money is a number cell with a two-decimal format (`#,##0.00`, negatives in brackets):
  the value is the analysis's exact `Decimal`, or a sum/difference computed in
  `Decimal`, converted to the cell's double only when written.
- The only formulas are the workbook's own (a roll-forward's expected closing balance
  and unexplained difference), written with their computed value cached.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fiscus.core.spreadsheet import safe_cell

MONEY = "#,##0.00;(#,##0.00)"
FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"italic": True},
    "heading": {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"},
    "bold": {"bold": True},
    "text": {},
    "wrap": {"text_wrap": True, "valign": "top"},
    "money": {"num_format": MONEY},
    "money_total": {"num_format": MONEY, "bold": True, "top": 1, "bottom": 6},
    "total_label": {"bold": True, "top": 1, "bottom": 6},
    "percent": {"num_format": "0.00%"},
    "times": {"num_format": "0.00"},
    "days": {"num_format": "0.0"},
    "integer": {"num_format": "0"},
    "date": {"num_format": "yyyy-mm-dd"},
    "input": {"num_format": MONEY, "bg_color": "#FFF7D6", "border": 1},
}

_VISIBLE_WHEN_EMPTY = frozenset(("input", "money_total", "total_label", "heading"))


class Book:
    """A workbook in memory with the shared formats and safe writers."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.formats = {name: self.book.add_format(props) for name, props in FORMATS.items()}
        self.book.set_properties({"title": "Trial balance diagnostics", "author": "Fiscus"})

    def sheet(self, name: str) -> Worksheet:
        return self.book.add_worksheet(name)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()

    def text(self, sheet: Worksheet, row: int, col: int, value: object, fmt: str = "text") -> None:
        if value is None or value == "":
            self._blank(sheet, row, col, fmt)
        else:
            sheet.write_string(row, col, safe_cell(value), self.formats[fmt])

    def number(
        self, sheet: Worksheet, row: int, col: int, value: Decimal | int | None, fmt: str = "money"
    ) -> None:
        if value is None:
            self._blank(sheet, row, col, fmt)
        else:
            sheet.write_number(row, col, float(value), self.formats[fmt])

    def _blank(self, sheet: Worksheet, row: int, col: int, fmt: str) -> None:
        """An empty cell is only written where its format shows (an input box, a total's
        rule): a TB's many empty cells would otherwise cost as much as its figures."""
        if fmt in _VISIBLE_WHEN_EMPTY:
            sheet.write_blank(row, col, None, self.formats[fmt])

    def day(self, sheet: Worksheet, row: int, col: int, value: date) -> None:
        sheet.write_datetime(row, col, value, self.formats["date"])

    def formula(
        self, sheet: Worksheet, row: int, col: int, formula: str, value: Decimal, fmt: str
    ) -> None:
        sheet.write_formula(row, col, formula, self.formats[fmt], float(value))

    def link(self, sheet: Worksheet, row: int, col: int, tab: str) -> None:
        """A link to another sheet of the workbook, showing its name."""
        target = "internal:'" + tab.replace("'", "''") + "'!A1"
        sheet.write_url(row, col, target, string=safe_cell(tab))

    def headings(self, sheet: Worksheet, row: int, names: list[str], widths: list[int]) -> None:
        for col, (name, width) in enumerate(zip(names, widths, strict=True)):
            sheet.write_string(row, col, name, self.formats["heading"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(row + 1, 0)

    def pairs(self, sheet: Worksheet, row: int, items: list[tuple[str, Any, str]]) -> int:
        """Label/value rows (the value a number when the format is numeric); the next row."""
        for label, value, fmt in items:
            self.text(sheet, row, 0, label, "bold")
            if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
                self.number(sheet, row, 1, value, fmt)
            elif isinstance(value, date):
                self.day(sheet, row, 1, value)
            else:
                self.text(sheet, row, 1, _shown(value), fmt)
            row += 1
        return row


def _shown(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet name: no `[]:*?/\\`, not starting or ending with a quote,
    at most 31 characters (Excel compares names case-insensitively)."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip().strip("'") or "Sheet"
    name, n = clean[:31], 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name
