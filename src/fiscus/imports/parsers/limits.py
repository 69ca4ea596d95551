"""Limits every upload is checked against before any parser sees it.

Why these numbers: a decade of daily banking is ~40k rows; a bank CSV has < 30 columns and no
field near 4 kB. Anything beyond is a mistake or an attack, and refusing it early keeps one
upload from exhausting a worker's memory.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from fiscus.imports.parsers.errors import (
    CellTooLong,
    FileTooLarge,
    TooManyColumns,
    TooManyRows,
    UnsafeArchive,
)


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 25 * 1024 * 1024
    max_rows: int = 250_000
    max_columns: int = 64
    max_cell_chars: int = 4_096
    # XLSX (a zip): what its directory declares, checked before anything is inflated.
    max_zip_entries: int = 200
    max_zip_uncompressed: int = 200 * 1024 * 1024
    max_zip_ratio: float = 100.0


DEFAULT_LIMITS = Limits()


def check_size(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    if len(data) > limits.max_bytes:
        raise FileTooLarge(
            f"The file is {len(data) / 1_048_576:.1f} MB; an import may be at most "
            f"{limits.max_bytes // 1_048_576} MB.",
            field="file",
        )


def check_rows(count: int, limits: Limits = DEFAULT_LIMITS) -> None:
    if count > limits.max_rows:
        raise TooManyRows(
            f"The file has more than {limits.max_rows:,} rows; split it into smaller files.",
            field="file",
        )


def check_columns(count: int, line_no: int, limits: Limits = DEFAULT_LIMITS) -> None:
    if count > limits.max_columns:
        raise TooManyColumns(
            f"Line {line_no} has {count} columns; at most {limits.max_columns} are allowed.",
            field="file",
        )


def check_cell(length: int, line_no: int, limits: Limits = DEFAULT_LIMITS) -> None:
    if length > limits.max_cell_chars:
        raise CellTooLong(
            f"Line {line_no} has a cell of {length:,} characters; at most "
            f"{limits.max_cell_chars:,} are allowed.",
            field="file",
        )


def check_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip bomb from its central directory alone, before inflating anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsafeArchive(
            "The spreadsheet is not a valid XLSX (zip) file.", field="file"
        ) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_zip_entries:
            raise UnsafeArchive(
                f"The spreadsheet holds {len(entries)} parts; at most "
                f"{limits.max_zip_entries} are allowed.",
                field="file",
            )
        declared = sum(e.file_size for e in entries)
        packed = sum(e.compress_size for e in entries)
        if declared > limits.max_zip_uncompressed:
            raise UnsafeArchive(
                f"The spreadsheet expands to {declared / 1_048_576:.0f} MB; at most "
                f"{limits.max_zip_uncompressed // 1_048_576} MB are allowed.",
                field="file",
            )
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > 1_048_576 and ratio > limits.max_zip_ratio:
                raise UnsafeArchive(
                    f"The spreadsheet part {entry.filename!r} is compressed {ratio:.0f}:1, "
                    "which only a zip bomb is.",
                    field="file",
                )
        if declared > 1_048_576 and declared / max(packed, 1) > limits.max_zip_ratio:
            raise UnsafeArchive(
                f"The spreadsheet is compressed {declared / packed:.0f}:1 overall.", field="file"
            )
