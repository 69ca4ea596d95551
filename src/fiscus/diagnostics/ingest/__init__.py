"""Trial-balance ingestion: an uploaded file, in memory, to normalised trial balances.

`ingest` reads the chosen sheets (all of a workbook's non-empty sheets by default, the
one sheet of a delimited file), detects or applies the column mapping of each, builds
its `TrialBalance` and the consolidated one. `inspect` lists a workbook's sheets
without reading them whole. Nothing here touches a disk or a database.
"""

from __future__ import annotations

from dataclasses import dataclass

from fiscus.diagnostics.ingest.columnar import build_columns
from fiscus.diagnostics.ingest.columns import THRESHOLD, candidates_payload, detect
from fiscus.diagnostics.ingest.errors import (
    AmountsMissing,
    MalformedFile,
    MappingRequired,
    UnknownSheet,
)
from fiscus.diagnostics.ingest.frame import FrameSheet, read_text_frame, workbook_frame
from fiscus.diagnostics.ingest.layouts import build_trial_balance, layout_of
from fiscus.diagnostics.ingest.limits import DEFAULT_LIMITS, Limits
from fiscus.diagnostics.ingest.mapping import ColumnMapping, choose_columns
from fiscus.diagnostics.ingest.reading import (
    Sheet,
    SheetInfo,
    file_kind,
    inspect_workbook,
    load_workbook_sheet,
    open_workbook,
    read_text,
)
from fiscus.diagnostics.trial_balance import TrialBalance, consolidate

__all__ = ["ColumnMapping", "Ingested", "IngestedSheet", "Limits", "ingest", "inspect"]

REQUIRED = ("name",)


@dataclass(frozen=True, slots=True)
class IngestedSheet:
    trial_balance: TrialBalance
    layout: str
    header_line: int | None
    columns: dict[str, tuple[int, str, float, str]]  # role -> (index, header, confidence, source)


@dataclass(frozen=True, slots=True)
class Ingested:
    file_format: str
    sheets: tuple[IngestedSheet, ...]
    consolidated: TrialBalance | None  # None for a single sheet


def _format(file_name: str | None, kind: str) -> str:
    extension = (
        (file_name or "").rsplit(".", 1)[-1].lower() if file_name and "." in file_name else ""
    )
    if kind == "text":
        return extension if extension in ("csv", "tsv", "txt") else "csv"
    return extension if extension in ("xlsx", "xlsm", "xls", "ods") else "workbook"


AnySheet = Sheet | FrameSheet


def _read_sheets(
    data: bytes, file_name: str | None, wanted: list[str] | None, limits: Limits
) -> tuple[str, list[AnySheet]]:
    """The chosen sheets: as frames (the columnar read) where that is exact, else as
    lists of cells (see frame.py)."""
    kind = file_kind(file_name, data)
    if kind == "text":
        if wanted:
            raise UnknownSheet(
                "A delimited text file has no named sheets; send 'sheets' with workbooks only.",
                field="sheets",
            )
        return _format(file_name, kind), [read_text_frame(data, limits) or read_text(data, limits)]
    reader = open_workbook(data, limits)
    names = wanted if wanted else list(reader.sheet_names)
    if len(names) > limits.max_sheets:
        raise MalformedFile(f"Choose at most {limits.max_sheets} sheets.", field="sheets")
    sheets: list[AnySheet] = [
        workbook_frame(load_workbook_sheet(reader, name, limits), name) for name in names
    ]
    if not wanted:  # by default, empty sheets (a cover, a notes tab) are skipped
        sheets = [s for s in sheets if _has_cells(s)]
    return _format(file_name, kind), sheets


def _has_cells(sheet: AnySheet) -> bool:
    if any(any(c.strip() for c in r) for r in sheet.rows):
        return True
    return isinstance(sheet, FrameSheet) and any(
        any(c.strip() for c in r) for r in sheet.frame.iter_rows()
    )


def _trial_balance(
    sheet: AnySheet, indices: dict[str, int], header_row: int | None, data: bytes, limits: Limits
) -> TrialBalance:
    if isinstance(sheet, FrameSheet):
        columnar = build_columns(sheet, indices, header_row)
        if columnar is not None:
            return columnar
        sheet = _as_rows(sheet, data, limits)
    return build_trial_balance(
        sheet.rows, indices, header_row, sheet.name, from_doubles=sheet.from_doubles
    )


def _as_rows(sheet: AnySheet, data: bytes, limits: Limits) -> Sheet:
    """The sheet as lists of cells: the exact read, where a frame will not do."""
    if isinstance(sheet, Sheet):
        return sheet
    if sheet.name is None:
        return read_text(data, limits)
    return Sheet(sheet.name, [list(r) for r in sheet.frame.iter_rows()], from_doubles=True)


def _ingest_sheet(
    sheet: AnySheet,
    mapping: ColumnMapping | None,
    threshold: float = THRESHOLD,
    data: bytes = b"",
    limits: Limits = DEFAULT_LIMITS,
) -> IngestedSheet:
    if mapping is not None and (mapping.header_line or 0) > len(sheet.rows):
        sheet = _as_rows(sheet, data, limits)  # a header line below the first lines
    detection = detect(sheet.rows)
    header_row, chosen = choose_columns(detection, sheet.rows, mapping, threshold)
    indices = {role: v[0] for role, v in chosen.items()}
    layout = layout_of(indices)
    where = f"sheet {sheet.name!r}" if sheet.name else "the file"
    if layout == "none" or ("name" not in indices and "number" not in indices):
        labelled = set(indices.values())
        amounts_seen = any(
            c.confidence > 0.2 and c.column not in labelled
            for role in ("debit", "credit", "net")
            for c in detection.candidates[role]
        )
        if not amounts_seen and mapping is None and detection.header_row is not None:
            raise AmountsMissing(
                f"No debit, credit or balance column can be found in {where}; a trial balance "
                "needs its amounts.",
                field="file",
            )
        missing = (
            "the account name" if layout != "none" else "the debit and credit (or balance) columns"
        )
        raise MappingRequired(
            f"{missing.capitalize()} of {where} cannot be identified with confidence "
            f"{threshold} or more; send a mapping naming them.",
            sheet=sheet.name,
            candidates=candidates_payload(detection, threshold),
        )
    if "name" not in indices:  # accounts known only by number: the number is the name
        indices["name"] = indices["number"]
    trial_balance = _trial_balance(sheet, indices, header_row, data, limits)
    if not trial_balance.rows:
        raise AmountsMissing(
            f"{where.capitalize()} has no account lines with amounts.", field="file"
        )
    header_line = None if header_row is None else header_row + 1
    return IngestedSheet(trial_balance, layout, header_line, chosen)


def ingest(
    data: bytes,
    file_name: str | None,
    *,
    mapping: ColumnMapping | None = None,
    sheets: list[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    threshold: float = THRESHOLD,
) -> Ingested:
    """`threshold`: the confidence a detected column role needs to be used (the
    practice's setting; 0.6 by default)."""
    file_format, read = _read_sheets(data, file_name, sheets, limits)
    if not read:
        raise AmountsMissing("The workbook has no sheet with data.", field="file")
    parts = tuple(_ingest_sheet(sheet, mapping, threshold, data, limits) for sheet in read)
    combined = consolidate(tuple(p.trial_balance for p in parts)) if len(parts) > 1 else None
    return Ingested(file_format, parts, combined)


def inspect(
    data: bytes, file_name: str | None, *, preview_rows: int = 6, limits: Limits = DEFAULT_LIMITS
) -> tuple[str, list[SheetInfo]]:
    """The sheets with row and column counts and their first rows (the header among
    them); a delimited file is one sheet, counted by lines without splitting them all."""
    kind = file_kind(file_name, data)
    if kind == "workbook":
        return _format(file_name, kind), inspect_workbook(open_workbook(data, limits), preview_rows)
    head = data[: 64 * 1024]
    sheet = read_text(
        head.rsplit(b"\n", 1)[0] if b"\n" in head and len(data) > len(head) else head, limits
    )
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    width = max((len(r) for r in sheet.rows), default=0)
    return _format(file_name, kind), [SheetInfo(None, lines, width, sheet.rows[:preview_rows])]
