"""The findings as CSV: one header row, then one row per finding in memo order (most
severe first, material before immaterial). Text cells are formula-safe
(`core.spreadsheet.safe_cell`); amounts are plain decimals (`-25000.00`), never quoted
text; UTF-8 with a byte-order mark so Excel reads accents."""

from __future__ import annotations

import csv
import io

from fiscus.core.spreadsheet import safe_cell
from fiscus.diagnostics.exports.labels import finding_title
from fiscus.diagnostics.exports.request import ExportRequest
from fiscus.diagnostics.exports.view import findings_in_order

COLUMNS = (
    "severity",
    "material",
    "code",
    "title",
    "account",
    "line_no",
    "amount",
    "explanation",
    "procedure",
)


def findings_csv(request: ExportRequest) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in findings_in_order(request):
        writer.writerow(
            (
                f.severity,
                "yes" if f.material else "no",
                safe_cell(f.code),
                safe_cell(finding_title(f.code)),
                safe_cell(f.account),
                "" if f.line_no is None else f.line_no,
                "" if f.amount is None else format(f.amount, "f"),
                safe_cell(f.explanation),
                safe_cell(f.procedure),
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
