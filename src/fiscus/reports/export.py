"""The exporter layer: a report's table as CSV, XLSX or PDF, with its media type and name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from fiscus.reports.export_csv import to_csv
from fiscus.reports.export_pdf import to_pdf
from fiscus.reports.export_xlsx import to_xlsx
from fiscus.reports.table import Table

FileFormat = Literal["csv", "xlsx", "pdf"]

_WRITERS: dict[str, tuple[Callable[[Table], bytes], str]] = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (to_pdf, "application/pdf"),
}


@dataclass(frozen=True, slots=True)
class ExportedFile:
    body: bytes
    media_type: str
    filename: str

    @property
    def disposition(self) -> str:
        return f'attachment; filename="{self.filename}"'


def export(table: Table, format: FileFormat) -> ExportedFile:
    writer, media_type = _WRITERS[format]
    return ExportedFile(writer(table), media_type, f"{table.filename}.{format}")
