"""QIF (Quicken Interchange Format): `!Type:Bank|CCard|Cash|Oth A|Oth L` sections of records
of one-letter fields (D date, T/U amount, P payee, M memo, N number, L category), each ended
by `^`. Dates come in many spellings (01/07'25, 7/ 1/2025, 2025-07-01): the format is
chosen from all the file's dates, month first when nothing decides (Quicken is American)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fiscus.imports.parsers.base import (
    Choice,
    Detection,
    FileFormat,
    Mapping,
    ParsedStatement,
    RowError,
    StatementLine,
)
from fiscus.imports.parsers.dates import choose_date_format, date_ratio
from fiscus.imports.parsers.errors import MalformedFile
from fiscus.imports.parsers.limits import Limits, check_cell, check_rows
from fiscus.imports.parsers.text import decode, detect_encoding
from fiscus.imports.parsers.values import DateReader, parse_amount, separator_votes

_CASH_TYPES = ("bank", "ccard", "cash", "oth a", "oth l")


@dataclass(slots=True)
class _Record:
    line_no: int
    fields: dict[str, str] = field(default_factory=dict)


def _records(text: str, limits: Limits) -> tuple[list[_Record], str | None]:
    records: list[_Record] = []
    account: str | None = None
    section = ""
    current: _Record | None = None
    for line_no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        check_cell(len(line), line_no, limits)
        if line.startswith("!"):
            section = line[1:].lower()
            current = None
            continue
        if line == "^":
            if current is not None and section.startswith("type:"):
                records.append(current)
            elif current is not None and section == "account" and "N" in current.fields:
                account = current.fields["N"]
            current = None
            continue
        if current is None:
            current = _Record(line_no)
        code, value = line[0], line[1:].strip()
        if code in "SE$%":  # split lines: the record's T is already the total
            continue
        current.fields.setdefault(code, value)
    if current is not None and section.startswith("type:"):
        records.append(current)  # a last record without its closing ^
    unsupported = section.startswith("type:") and section[5:].strip() not in _CASH_TYPES
    if unsupported and not records:
        raise MalformedFile(f"QIF section {section!r} holds no bank transactions.", field="file")
    return records, account


def _date_format(dates: list[str]) -> Choice[str]:
    _, candidates = date_ratio([d for d in dates if d])
    if not candidates:
        raise MalformedFile("The QIF file's dates are in no format we know.", field="file")
    return choose_date_format(candidates, dates, prefer_day=False)


def detect_qif(data: bytes, fmt: Choice[FileFormat], limits: Limits) -> Detection:
    """What the user may override in a QIF file: encoding, date format, decimal separator."""
    encoding = detect_encoding(data)
    records, _ = _records(decode(data, encoding.value), limits)
    dates = [r.fields.get("D", "").replace(" ", "") for r in records]
    amounts = [r.fields.get("T") or r.fields.get("U", "") for r in records]
    decimal, thousands, sure = separator_votes(amounts)
    detection = Detection(
        format=fmt,
        encoding=encoding,
        date_format=_date_format(dates),
        decimal_separator=Choice(decimal, sure, ("," if decimal == "." else ".",)),
        thousands_separator=thousands,
    )
    if detection.date_format is not None and detection.date_format.confidence < 0.9:
        detection.notes.append(detection.date_format.note or "")
    return detection


def parse_qif(data: bytes, mapping: Mapping | None, limits: Limits) -> ParsedStatement:
    text = decode(data, (mapping and mapping.encoding) or detect_encoding(data).value)
    records, account = _records(text, limits)
    check_rows(len(records), limits)
    dates = [r.fields.get("D", "").replace(" ", "") for r in records]
    amounts = [r.fields.get("T") or r.fields.get("U", "") for r in records]
    fmt = mapping.date_format if mapping and mapping.date_format else None
    if fmt is None:
        fmt = _date_format(dates).value
    decimal, thousands, _ = separator_votes(amounts)
    if mapping and mapping.decimal_separator:
        decimal, thousands = mapping.decimal_separator, mapping.thousands_separator
    read_date = DateReader(fmt)
    lines: list[StatementLine] = []
    errors: list[RowError] = []
    for record, text_date, text_amount in zip(records, dates, amounts, strict=True):
        booked_on = read_date(text_date)
        amount = parse_amount(text_amount, decimal, thousands)
        if booked_on is None:
            errors.append(RowError(record.line_no, "D", f"{text_date!r} is not a date like {fmt}"))
            continue
        if amount is None:
            errors.append(RowError(record.line_no, "T", f"{text_amount!r} is not an amount"))
            continue
        payee, memo = record.fields.get("P") or None, record.fields.get("M") or None
        lines.append(
            StatementLine(
                line_no=record.line_no,
                booked_on=booked_on,
                amount=-amount if mapping and mapping.invert_sign else amount,
                description=memo or payee or "",
                payee=payee,
                bank_ref=record.fields.get("N") or None,
                raw=dict(record.fields),
            )
        )
    return ParsedStatement(lines=lines, account_hint=account, errors=errors)
