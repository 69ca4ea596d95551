"""Limits every trial-balance upload is checked against before or while it is parsed.

Why these numbers: a worksheet holds at most 1,048,576 rows and the largest ledgers an
accountant exports as a trial balance stay far below that; a trial balance has a handful
of columns (number, name, type, debit, credit, maybe comparatives), never hundreds; no
account name approaches 1,000 characters. The byte cap fits a full-height CSV (~40 MB at
1M rows). Anything beyond is a mistake or an attack, and refusing it early keeps one
upload from exhausting a worker's memory (the file lives only in memory: zero storage).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from fiscus.diagnostics.ingest.errors import (
    CellTooLong,
    FileTooLarge,
    MalformedFile,
    TooManyColumns,
    TooManyRows,
    UnsafeArchive,
)

MB = 1_048_576


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 96 * MB
    max_rows: int = 1_048_576
    max_columns: int = 64
    max_cell_chars: int = 1_024
    max_sheets: int = 32
    # XLSX/ODS (zips): what the central directory declares, checked before inflating.
    max_zip_entries: int = 500
    max_zip_uncompressed: int = 1_024 * MB
    max_zip_ratio: float = 100.0


DEFAULT_LIMITS = Limits()


def file_too_large(limits: Limits) -> FileTooLarge:
    return FileTooLarge(
        f"The upload exceeds {limits.max_bytes // MB} MB, the most an analysis may read.",
        limit="max_bytes",
        allowed=limits.max_bytes,
    )


def check_rows(count: int, limits: Limits) -> None:
    if count > limits.max_rows:
        raise TooManyRows(
            f"The sheet has more than {limits.max_rows:,} rows.",
            limit="max_rows",
            allowed=limits.max_rows,
        )


def check_columns(count: int, line_no: int, limits: Limits) -> None:
    if count > limits.max_columns:
        raise TooManyColumns(
            f"Line {line_no} has {count} columns; at most {limits.max_columns} are allowed.",
            limit="max_columns",
            allowed=limits.max_columns,
        )


def check_cell(length: int, line_no: int, limits: Limits) -> None:
    if length > limits.max_cell_chars:
        raise CellTooLong(
            f"Line {line_no} has a cell of {length:,} characters; at most "
            f"{limits.max_cell_chars:,} are allowed.",
            limit="max_cell_chars",
            allowed=limits.max_cell_chars,
        )


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from its central directory alone, before anything is inflated
    (calamine inflates the parts it reads; it must never see a bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise MalformedFile("The workbook is not a valid XLSX/ODS (zip) file.") from exc
    with archive:
        entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise UnsafeArchive(
            f"The workbook holds {len(entries)} parts; at most {limits.max_zip_entries} "
            "are allowed.",
            limit="max_zip_entries",
            allowed=limits.max_zip_entries,
        )
    declared = sum(e.file_size for e in entries)
    if declared > limits.max_zip_uncompressed:
        raise UnsafeArchive(
            f"The workbook expands to {declared / MB:,.0f} MB; at most "
            f"{limits.max_zip_uncompressed // MB} MB are allowed.",
            limit="max_zip_uncompressed",
            allowed=limits.max_zip_uncompressed,
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        # Small parts compress absurdly well (a repeated style): only large ones count.
        if entry.file_size > MB and ratio > limits.max_zip_ratio:
            raise UnsafeArchive(
                f"The workbook part {entry.filename!r} is compressed {ratio:,.0f}:1; at most "
                f"{limits.max_zip_ratio:.0f}:1 is allowed.",
                limit="max_zip_ratio",
                allowed=limits.max_zip_ratio,
            )


def app_limits(state: object) -> Limits:
    """The application's `diagnostics_limits` (set by tests), else the defaults."""
    limits = getattr(state, "diagnostics_limits", None)
    return limits if isinstance(limits, Limits) else Limits()
