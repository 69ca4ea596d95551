"""Exports of a trial-balance analysis: the diagnostic memo (PDF), the workpaper (XLSX),
the lead schedules (XLSX) and the findings (CSV), each regenerated from the analysis the
client posts back; nothing is stored (see docs.md, "Exports")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fiscus.diagnostics.exports.csv_findings import findings_csv
from fiscus.diagnostics.exports.pdf_memo import memo_pdf
from fiscus.diagnostics.exports.request import ExportRequest, InvalidExport, parse
from fiscus.diagnostics.exports.xlsx_leadsheets import leadsheets_xlsx
from fiscus.diagnostics.exports.xlsx_workpaper import workpaper_xlsx
from fiscus.reports.export import ExportedFile

Kind = Literal["pdf", "excel", "leadsheets", "csv"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_WRITERS: dict[str, tuple[Callable[[ExportRequest], bytes], str, str]] = {
    "pdf": (memo_pdf, "application/pdf", "diagnostic-memo.pdf"),
    "excel": (workpaper_xlsx, XLSX, "diagnostic-workpaper.xlsx"),
    "leadsheets": (leadsheets_xlsx, XLSX, "lead-schedules.xlsx"),
    "csv": (findings_csv, "text/csv; charset=utf-8", "findings.csv"),
}


def export(kind: Kind, raw: bytes) -> ExportedFile:
    """The file of `kind` for the analysis JSON `raw`; `InvalidExport` naming every bad
    field when it is not one."""
    request = parse(raw)
    writer, media_type, filename = _WRITERS[kind]
    return ExportedFile(writer(request), media_type, filename)


__all__ = ["XLSX", "ExportRequest", "ExportedFile", "InvalidExport", "Kind", "export"]
