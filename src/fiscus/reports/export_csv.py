"""CSV export: one header row, then the rows; text cells formula-safe, money as plain numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from fiscus.core.money import Money
from fiscus.core.spreadsheet import safe_cell
from fiscus.reports.table import Cell, Table

INDENT = "  "


def cell_text(cell: Cell) -> str:
    """Money and percentages as plain decimals ("-84.20"): numbers, never formulas."""
    if cell is None:
        return ""
    if isinstance(cell, Money):
        return cell.to_json()
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return cell


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(c.heading) for c in table.columns])
    for row in table.rows:
        cells = []
        for index, cell in enumerate(row.cells):
            if isinstance(cell, str):
                text = INDENT * row.depth + cell if index == 0 else cell
                cells.append(safe_cell(text))
            else:
                cells.append(cell_text(cell))
        writer.writerow(cells)
    # A byte-order mark, so Excel opens non-ASCII names (café, 東京) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
