"""Parsing tables (CSV/TSV and XLSX) once detection and the mapping have settled the layout.

The loop is the hot path of a 100k-row import: one csv.reader pass, cached date parsing,
and Decimal straight from the cleaned text. A row that cannot be read becomes a RowError
and the loop goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fiscus.imports.parsers.base import (
    Detection,
    FileFormat,
    InvalidMapping,
    Mapping,
    ParsedStatement,
    Role,
    RowError,
    SignConvention,
    StatementLine,
)
from fiscus.imports.parsers.limits import Limits, check_cell, check_columns, check_rows
from fiscus.imports.parsers.text import decode, read_rows
from fiscus.imports.parsers.values import AmountReader, DateReader, indicator_sign
from fiscus.imports.parsers.xlsx import read_xlsx_rows


@dataclass(slots=True)
class Layout:
    """The effective choices: the mapping laid over the detection."""

    date_format: str
    decimal: str
    thousands: str | None
    sign: SignConvention
    columns: dict[Role, int]
    invert: bool


def _rows(
    data: bytes, detection: Detection, mapping: Mapping, limits: Limits
) -> Iterable[tuple[int, list[str]]]:
    if detection.format.value is FileFormat.XLSX:
        return enumerate(read_xlsx_rows(data, limits), 1)
    encoding = mapping.encoding or (detection.encoding.value if detection.encoding else "utf-8")
    text = decode(data, encoding)
    check_rows(text.count("\n") - 1, limits)
    delimiter = mapping.delimiter or (detection.delimiter.value if detection.delimiter else ",")
    return read_rows(text, delimiter)


def _position(detection: Detection, mapping: Mapping) -> tuple[int | None, int]:
    """(header row or None, first data row), the mapping's say over the detection's."""
    detected = detection.header_row.value if detection.header_row else None
    has_header = mapping.has_header if mapping.has_header is not None else detected is not None
    if has_header:
        header_row = mapping.header_row if mapping.header_row is not None else (detected or 0)
        return header_row, header_row + 1
    first = mapping.header_row if mapping.header_row is not None else detection.first_data_row
    return None, first


def _layout(detection: Detection, mapping: Mapping, headers: list[str]) -> Layout:
    decimal = mapping.decimal_separator or (
        detection.decimal_separator.value if detection.decimal_separator else "."
    )
    thousands: str | None = mapping.thousands_separator or detection.thousands_separator
    if thousands == decimal:
        thousands = None
    sign = mapping.sign_convention or (
        detection.sign_convention.value if detection.sign_convention else SignConvention.SIGNED
    )
    date_format = mapping.date_format or (
        detection.date_format.value if detection.date_format else ""
    )
    columns = _columns(detection, mapping, headers)
    _require(columns, sign, date_format)
    return Layout(date_format, decimal, thousands, sign, columns, mapping.invert_sign)


def _columns(detection: Detection, mapping: Mapping, headers: list[str]) -> dict[Role, int]:
    if mapping.columns is None:
        return {role: choice.value for role, choice in detection.columns.items()}
    by_name = {h.strip().lower(): i for i, h in enumerate(headers)}
    columns: dict[Role, int] = {}
    unknown: list[str] = []
    for role, column in mapping.columns.items():
        if isinstance(column, int):
            columns[role] = column
        elif column.strip().lower() in by_name:
            columns[role] = by_name[column.strip().lower()]
        else:
            unknown.append(f"columns.{role.value}")
    if unknown:
        raise InvalidMapping(
            f"No column has that header: {', '.join(unknown)}.", field=",".join(unknown)
        )
    return columns


def _require(columns: dict[Role, int], sign: SignConvention, date_format: str) -> None:
    needed = {
        SignConvention.SIGNED: ((Role.AMOUNT,),),
        SignConvention.INDICATOR: ((Role.AMOUNT,), (Role.INDICATOR,)),
        SignConvention.DEBIT_CREDIT: ((Role.DEBIT, Role.CREDIT),),
    }[sign]
    missing = [
        f"columns.{group[0].value}" for group in needed if not any(r in columns for r in group)
    ]
    if Role.DATE not in columns:
        missing.insert(0, "columns.date")
    if not date_format:
        missing.append("date_format")
    if missing:
        raise InvalidMapping(
            f"The mapping must name: {', '.join(missing)}.", field=",".join(missing)
        )


def parse_tabular(
    data: bytes, detection: Detection, mapping: Mapping, limits: Limits
) -> ParsedStatement:
    rows = iter(_rows(data, detection, mapping, limits))
    header_row, data_row = _position(detection, mapping)
    headers = list(detection.headers)
    for index in range(data_row):
        item = next(rows, None)
        if item is None:
            break
        if index == header_row:
            headers = [h.strip() or f"column {i + 1}" for i, h in enumerate(item[1])]
    if header_row is None:
        headers = [f"column {i + 1}" for i in range(max(len(headers), 1))]
    return _read_lines(rows, _layout(detection, mapping, headers), headers, limits)


def _check_row(count: int, line_no: int, cells: list[str], limits: Limits) -> None:
    if count > limits.max_rows:
        check_rows(count, limits)
    if len(cells) > limits.max_columns:
        check_columns(len(cells), line_no, limits)
    longest = max(map(len, cells))
    if longest > limits.max_cell_chars:
        check_cell(longest, line_no, limits)


class _RowReader:
    """Turns one padded row into a StatementLine or a RowError; built once per parse."""

    __slots__ = (
        "amount_at",
        "balance_at",
        "currencies",
        "currency_at",
        "date_at",
        "desc_at",
        "headers",
        "layout",
        "payee_at",
        "read_amount",
        "read_date",
        "ref_at",
        "signed",
    )

    def __init__(self, layout: Layout, headers: list[str]) -> None:
        at = layout.columns
        self.layout, self.headers = layout, headers
        self.read_date = DateReader(layout.date_format)
        self.read_amount = AmountReader(layout.decimal, layout.thousands)
        # A role without a column reads index -1: the "" appended to every row.
        self.date_at = at.get(Role.DATE, -1)
        self.amount_at = at.get(Role.AMOUNT, -1)
        self.desc_at = at.get(Role.DESCRIPTION, -1)
        self.payee_at = at.get(Role.PAYEE, -1)
        self.ref_at = at.get(Role.REFERENCE, -1)
        self.balance_at = at.get(Role.BALANCE, -1)
        self.currency_at = at.get(Role.CURRENCY, -1)
        self.signed = layout.sign is SignConvention.SIGNED and not layout.invert
        self.currencies: Counter[str] = Counter()

    def read(self, line_no: int, cells: list[str], date_text: str) -> StatementLine | RowError:
        booked_on = self.read_date(date_text)
        if booked_on is None:
            problem = f"{date_text!r} is not a date like {self.layout.date_format}"
            return RowError(line_no, "date", problem)
        # The common case inline; debit/credit, indicators and inversion in `_amount`.
        amount = self.read_amount(cells[self.amount_at]) if self.signed else None
        if amount is None:
            outcome = _amount(cells, self.layout, self.read_amount, line_no)
            if isinstance(outcome, RowError):
                return outcome
            amount = outcome
        payee = cells[self.payee_at].strip() or None
        if self.currency_at >= 0 and (currency := cells[self.currency_at].strip()):
            self.currencies[currency.upper()] += 1
        balance = cells[self.balance_at]
        return StatementLine(
            line_no,
            booked_on,
            amount,
            cells[self.desc_at].strip() or payee or "",
            payee,
            cells[self.ref_at].strip() or None,
            self.read_amount(balance) if balance else None,
            dict(zip(self.headers, cells, strict=False)),
        )


def _read_lines(
    rows: Iterable[tuple[int, list[str]]], layout: Layout, headers: list[str], limits: Limits
) -> ParsedStatement:
    reader = _RowReader(layout, headers)
    lines: list[StatementLine] = []
    errors: list[RowError] = []
    needed = max(layout.columns.values()) + 1
    max_columns, max_cell = limits.max_columns, limits.max_cell_chars
    count = 0
    for line_no, cells in rows:
        width = len(cells)
        if width > max_columns or max(map(len, cells), default=0) > max_cell:
            _check_row(count + 1, line_no, cells, limits)
        if width < needed:
            cells = cells + [""] * (needed - width)
        cells.append("")
        date_text = cells[reader.date_at].strip()
        if not date_text and not "".join(cells).strip():
            continue  # a blank line
        count += 1
        if count > limits.max_rows:
            check_rows(count, limits)
        outcome = reader.read(line_no, cells, date_text)
        if isinstance(outcome, RowError):
            errors.append(outcome)
        else:
            lines.append(outcome)
    usual = reader.currencies.most_common(1)[0][0] if reader.currencies else None
    return ParsedStatement(lines=lines, currency=usual, errors=errors)


def _amount(
    cells: list[str], layout: Layout, read: AmountReader, line_no: int
) -> Decimal | RowError:
    """The signed amount of a row (cells padded, see `_read_lines`), or why there is none."""
    at = layout.columns
    if layout.sign is SignConvention.DEBIT_CREDIT:
        debit_text = cells[at.get(Role.DEBIT, -1)].strip()
        credit_text = cells[at.get(Role.CREDIT, -1)].strip()
        debit = read(debit_text) if debit_text else None
        credit = read(credit_text) if credit_text else None
        if debit_text and debit is None:
            return RowError(line_no, "debit", f"{debit_text!r} is not an amount")
        if credit_text and credit is None:
            return RowError(line_no, "credit", f"{credit_text!r} is not an amount")
        if debit is None and credit is None:
            return RowError(line_no, "amount", "neither a debit nor a credit amount")
        amount = abs(credit or Decimal(0)) - abs(debit or Decimal(0))
    else:
        text = cells[at[Role.AMOUNT]].strip()
        value = read(text)
        if value is None:
            return RowError(line_no, "amount", f"{text!r} is not an amount")
        amount = value
        if layout.sign is SignConvention.INDICATOR:
            flag = cells[at[Role.INDICATOR]].strip()
            sign = indicator_sign(flag)
            if sign is None:
                return RowError(line_no, "indicator", f"{flag!r} is neither debit nor credit")
            amount = abs(value) * sign
    return -amount if layout.invert else amount
