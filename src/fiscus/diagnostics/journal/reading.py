"""A general-ledger detail upload, in memory, to journal lines.

The file is read by the trial balance's readers (`ingest/reading.py`: delimited text
sniffed and split with `csv`, workbooks by calamine from the bytes, limits and the
zip-bomb guard first). A workbook's first non-empty sheet is the ledger. Columns are
detected (`columns.py`) or named by the request's `mapping`; the entry number, the
date, the account (number or name) and the amounts (debit and credit, or one signed
amount) are required, and below the confidence threshold the answer asks for a mapping
with the candidates instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fiscus.diagnostics.ingest.columns import Detection, candidates_payload
from fiscus.diagnostics.ingest.errors import AmountsMissing, MalformedRequest, MappingRequired
from fiscus.diagnostics.ingest.limits import Limits
from fiscus.diagnostics.ingest.mapping import ColumnMapping, choose_columns, parse_roles
from fiscus.diagnostics.ingest.reading import (
    Sheet,
    file_kind,
    open_workbook,
    read_text,
    read_workbook_sheet,
)
from fiscus.diagnostics.journal.building import Built, build_lines
from fiscus.diagnostics.journal.columns import ROLES, THRESHOLD, detect
from fiscus.diagnostics.journal.dates import DATE_ORDERS, NotADate, parse_datetime


@dataclass(frozen=True, slots=True)
class JournalMapping:
    columns: ColumnMapping
    date_order: str | None = None


@dataclass(frozen=True, slots=True)
class Ledger:
    file_format: str
    sheet: str | None
    header_line: int | None
    columns: dict[str, dict[str, Any]]  # role -> column, header, confidence, source
    built: Built


def parse_mapping(raw: object) -> JournalMapping:
    """`{"entry": "JE #", "date": 1, ..., "header_line": 2, "date_order": "mdy"}`."""
    columns, extras = parse_roles(raw, ROLES, {"date_order": _date_order})
    return JournalMapping(columns, extras.get("date_order"))


def _date_order(value: object) -> str:
    if value not in DATE_ORDERS:
        raise MalformedRequest(
            "mapping.date_order must be 'dmy' or 'mdy'.", field="mapping.date_order"
        )
    return str(value)


def _format(file_name: str | None, kind: str) -> str:
    extension = file_name.rsplit(".", 1)[-1].lower() if file_name and "." in file_name else ""
    if kind == "text":
        return extension if extension in ("csv", "tsv", "txt") else "csv"
    return extension if extension in ("xlsx", "xlsm", "xls", "ods") else "workbook"


def read_sheet(data: bytes, file_name: str | None, limits: Limits) -> tuple[str, Sheet]:
    kind = file_kind(file_name, data)
    if kind == "text":
        return _format(file_name, kind), read_text(data, limits)
    reader = open_workbook(data, limits)
    for name in reader.sheet_names:
        sheet = read_workbook_sheet(reader, name, limits)
        if any(any(cell.strip() for cell in row) for row in sheet.rows):
            return _format(file_name, kind), sheet
    raise AmountsMissing("The workbook has no sheet with data.", field="file")


def _columns(
    sheet: Sheet, mapping: JournalMapping | None, threshold: float
) -> tuple[int | None, dict[str, dict[str, Any]], Detection]:
    detection = detect(sheet.rows)
    header_row, chosen = choose_columns(
        detection, sheet.rows, mapping.columns if mapping else None, threshold
    )
    fields = ("column", "header", "confidence", "source")
    return header_row, {r: dict(zip(fields, v, strict=True)) for r, v in chosen.items()}, detection


def _timestamps_as_dates(sheet: Sheet, indices: dict[str, int], header_row: int | None) -> None:
    """Without a date column, a time column of full timestamps gives the dates too."""
    if "date" in indices or "time" not in indices:
        return
    start = 0 if header_row is None else header_row + 1
    cells = [
        r[indices["time"]] for r in sheet.rows[start : start + 200] if indices["time"] < len(r)
    ]
    filled = [c for c in cells if c.strip()]
    try:
        if filled and all(parse_datetime(c)[0].year > 1900 for c in filled):
            indices["date"] = indices.pop("time")
    except NotADate:
        return


def _missing(indices: dict[str, int]) -> list[str]:
    missing = [role for role in ("entry", "date") if role not in indices]
    if "account" not in indices and "account_name" not in indices:
        missing.append("account")
    if not ("debit" in indices and "credit" in indices) and "amount" not in indices:
        missing.append("debit and credit (or amount)")
    return missing


def read_ledger(
    data: bytes,
    file_name: str | None,
    *,
    mapping: JournalMapping | None,
    limits: Limits,
    threshold: float = THRESHOLD,
) -> Ledger:
    """The ledger's lines; columns below `threshold` (the practice's detection
    confidence setting, 0.6 by default) are not used."""
    file_format, sheet = read_sheet(data, file_name, limits)
    header_row, chosen, detection = _columns(sheet, mapping, threshold)
    indices = {role: int(v["column"]) for role, v in chosen.items()}
    if "debit" in indices and "credit" in indices:
        indices.pop("amount", None)
    _timestamps_as_dates(sheet, indices, header_row)
    where = f"sheet {sheet.name!r}" if sheet.name else "the file"
    missing = _missing(indices)
    if missing:
        labelled = {v for r, v in indices.items() if r not in ("debit", "credit", "amount")}
        amounts_seen = any(
            c.confidence > 0.2 and c.column not in labelled
            for role in ("debit", "credit", "amount")
            for c in detection.candidates[role]
        )
        if not amounts_seen and mapping is None and detection.header_row is not None:
            raise AmountsMissing(
                f"No debit, credit or amount column can be found in {where}; journal-entry "
                "testing needs the lines' amounts.",
                field="file",
            )
        raise MappingRequired(
            f"The {', '.join(missing)} column{'s' if len(missing) > 1 else ''} of {where} "
            f"cannot be identified with confidence {threshold} or more; send a mapping "
            "naming them.",
            sheet=sheet.name,
            candidates=candidates_payload(detection, threshold),
        )
    built = build_lines(
        sheet.rows,
        indices,
        header_row,
        from_doubles=sheet.from_doubles,
        order=mapping.date_order if mapping else None,
        where=where,
    )
    if not built.lines:
        raise AmountsMissing(
            f"{where.capitalize()} has no journal lines with amounts.", field="file"
        )
    columns = {role: chosen[role] for role in ROLES if role in chosen and role in indices}
    if "date" in indices and "date" not in columns:
        columns["date"] = chosen["time"]
    header_line = None if header_row is None else header_row + 1
    return Ledger(file_format, sheet.name, header_line, columns, built)
