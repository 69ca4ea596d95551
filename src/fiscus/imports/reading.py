"""From uploaded bytes to bank lines ready to book: checks before parsing, detection and
parsing (the `parsers` package), the layout fingerprint presets are keyed by, and each
line's amount in minor units and its fingerprint for duplicate detection."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fiscus.core.currency import exponent
from fiscus.core.errors import DomainError, ErrorKind, InvalidInput
from fiscus.imports import parsers
from fiscus.imports.parsers.errors import FileTooLarge
from fiscus.imports.parsers.limits import DEFAULT_LIMITS

MAX_BYTES = DEFAULT_LIMITS.max_bytes

# What browsers and banks send for statement files; anything else is refused before parsing.
CONTENT_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "text/csv",
        "text/plain",
        "text/tab-separated-values",
        "text/x-csv",
        "application/csv",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-ofx",
        "application/ofx",
        "application/vnd.intu.qfx",
        "application/x-qfx",
        "application/qif",
        "application/x-qif",
        "application/xml",
        "text/xml",
        "application/x-mt940",
    }
)


class UnsupportedFileType(DomainError):
    """Files of this type cannot be imported: upload a CSV, TSV, XLSX, OFX/QFX, QIF,
    CAMT.053 or MT940 bank statement."""

    kind = ErrorKind.UNSUPPORTED
    code = "unsupported_media_type"


class EmptyFile(InvalidInput):
    """The uploaded file is empty."""

    code = "empty_file"


def check_upload(content_type: str | None, data: bytes) -> None:
    """Size, emptiness and declared type, before any parser reads a byte."""
    if len(data) > MAX_BYTES:
        raise FileTooLarge(
            f"The file is {len(data) / 1_048_576:.1f} MB; an import may be at most "
            f"{MAX_BYTES // 1_048_576} MB.",
            field="file",
        )
    if not data.strip():
        raise EmptyFile(field="file")
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared not in CONTENT_TYPES:
        raise UnsupportedFileType(
            f"Files of type {declared} cannot be imported: upload a CSV, TSV, XLSX, OFX/QFX, "
            "QIF, CAMT.053 or MT940 bank statement.",
            field="file",
        )
    if _looks_binary(data):
        raise UnsupportedFileType(
            "This is not a bank statement (it looks like a document, image or program): "
            "upload a CSV, TSV, XLSX, OFX/QFX, QIF, CAMT.053 or MT940 file.",
            field="file",
        )


_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"MZ", b"\x7fELF", b"\x1f\x8b")
_CONTAINER_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xff\xfe", b"\xfe\xff")


def _looks_binary(data: bytes) -> bool:
    """A document, image or program rather than a statement: known magic numbers, or NUL
    bytes that are not the zeros of UTF-16 text (spreadsheets are zips, checked later)."""
    head = data[:4096]
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith(_CONTAINER_MAGIC) or b"\x00" not in head:
        return False
    half = len(head) // 4
    return not (head[0::2].count(0) > half or head[1::2].count(0) > half)


@dataclass(slots=True)  # not frozen: built 100k times per file, frozen __init__ is slower
class BankLine:
    """A parsed line in the account's currency, with what duplicates are recognised by."""

    line_no: int
    booked_on: date
    amount: int  # minor units, + money in
    description: str
    payee: str | None
    bank_ref: str | None
    fingerprint: str


@dataclass(slots=True)
class Reading:
    detection: parsers.Detection
    mapping: parsers.Mapping
    statement: parsers.ParsedStatement
    lines: list[BankLine]
    errors: list[parsers.RowError]
    fingerprint: str


def detect(data: bytes, filename: str) -> parsers.Detection:
    return parsers.detect(data, filename)


def parse_with(
    data: bytes,
    filename: str,
    detection: parsers.Detection,
    mapping: parsers.Mapping,
    currency: str,
) -> Reading:
    """Parse with `mapping` over the detection, and convert every line."""
    statement = parsers.parse(data, detection, mapping)
    lines, errors = _convert(statement, currency)
    fingerprint = layout_fingerprint(detection, statement)
    return Reading(detection, mapping, statement, lines, errors, fingerprint)


def read(data: bytes, filename: str, mapping: parsers.Mapping, currency: str) -> Reading:
    """Detect and parse again with a stored mapping (the commit reads the file anew)."""
    return parse_with(data, filename, detect(data, filename), mapping, currency)


def layout_fingerprint(
    detection: parsers.Detection, statement: parsers.ParsedStatement | None
) -> str:
    """The bank's file layout: the format and the header cells (tabular files) or the
    account the file names (structured ones, once parsed). Same bank, same export: same
    fingerprint."""
    parts: dict[str, Any] = {"format": str(detection.format.value)}
    if detection.headers:
        parts["headers"] = [h.strip().lower() for h in detection.headers]
    else:
        parts["account"] = statement.account_hint if statement is not None else None
    text = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _minor_units(amount: Decimal, places: int) -> int | str:
    """Exact minor units, or why not (the hot loop of a 100k-line file: plain Decimal
    arithmetic rather than a `Money` per line)."""
    if not amount.is_finite():
        return "is not a number"
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        return f"has more than {places} decimals"
    return int(scaled)


def _convert(
    statement: parsers.ParsedStatement, currency: str
) -> tuple[list[BankLine], list[parsers.RowError]]:
    errors = list(statement.errors)
    lines: list[BankLine] = []
    seen: Counter[tuple[str, int, str]] = Counter()
    places = exponent(currency)
    for line in statement.lines:
        amount = _minor_units(line.amount, places)
        if isinstance(amount, str) or amount == 0:
            why = "is zero: nothing to book" if amount == 0 else str(amount)
            errors.append(parsers.RowError(line.line_no, "amount", why))
            continue
        description = (line.description or line.payee or "").strip()[:500] or "(no description)"
        key = (line.booked_on.isoformat(), amount, " ".join(description.lower().split()))
        occurrence = seen[key]
        seen[key] += 1
        lines.append(
            BankLine(
                line_no=line.line_no,
                booked_on=line.booked_on,
                amount=amount,
                description=description,
                payee=(line.payee or "").strip()[:200] or None,
                bank_ref=(line.bank_ref or "").strip()[:120] or None,
                fingerprint=_line_fingerprint(key, occurrence),
            )
        )
    errors.sort(key=lambda e: e.line_no)
    return lines, errors


def _line_fingerprint(key: tuple[str, int, str], occurrence: int) -> str:
    """Date, amount, description and which of the file's identical lines this is: a file
    without bank references imported twice books each line once, and two identical
    coffees on one day stay two."""
    text = f"{key[0]}|{key[1]}|{key[2]}|{occurrence}"
    return hashlib.sha256(text.encode()).hexdigest()
