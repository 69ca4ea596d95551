"""XLSX rows via fastexcel (calamine), after the zip-bomb guard has read the directory."""

from __future__ import annotations

import fastexcel

from fiscus.imports.parsers.errors import MalformedFile
from fiscus.imports.parsers.limits import Limits, check_columns, check_rows, check_zip


def read_xlsx_rows(data: bytes, limits: Limits) -> list[list[str]]:
    """Every row of the first sheet as text cells ("" for empty); dates read as ISO."""
    check_zip(data, limits)
    try:
        reader = fastexcel.read_excel(data)
        if not reader.sheet_names:
            raise MalformedFile("The spreadsheet has no sheets.", field="file")
        sheet = reader.load_sheet(
            0, header_row=None, dtypes="string", n_rows=limits.max_rows + 1, skip_rows=[]
        )
        frame = sheet.to_polars()
    except fastexcel.FastExcelError as exc:
        raise MalformedFile(f"The spreadsheet cannot be read: {exc}", field="file") from exc
    check_rows(frame.height, limits)
    check_columns(frame.width, 1, limits)
    return [["" if cell is None else cell for cell in row] for row in frame.rows()]
