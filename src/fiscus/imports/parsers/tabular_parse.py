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
from fiscus.imports.parsers.values import DateReader, indicator_sign, parse_amount
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


def _cell(cells: list[str], at: int) -> str:
    return cells[at].strip() if 0 <= at < len(cells) else ""


def _check_row(count: int, line_no: int, cells: list[str], limits: Limits) -> None:
    if count > limits.max_rows:
        check_rows(count, limits)
    if len(cells) > limits.max_columns:
        check_columns(len(cells), line_no, limits)
    longest = max(map(len, cells))
    if longest > limits.max_cell_chars:
        check_cell(longest, line_no, limits)


def _read_lines(
    rows: Iterable[tuple[int, list[str]]], layout: Layout, headers: list[str], limits: Limits
) -> ParsedStatement:
    lines: list[StatementLine] = []
    errors: list[RowError] = []
    currencies: Counter[str] = Counter()
    read_date = DateReader(layout.date_format)
    at = layout.columns
    date_at = at[Role.DATE]
    desc_at, payee_at, ref_at, balance_at, currency_at = (
        at.get(r, -1)
        for r in (Role.DESCRIPTION, Role.PAYEE, Role.REFERENCE, Role.BALANCE, Role.CURRENCY)
    )
    count = 0
    for line_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        count += 1
        _check_row(count, line_no, cells, limits)
        text = _cell(cells, date_at)
        booked_on = read_date(text)
        if booked_on is None:
            problem = f"{text!r} is not a date like {layout.date_format}"
            errors.append(RowError(line_no, "date", problem))
            continue
        amount = _amount(cells, len(cells), layout, line_no, errors)
        if amount is None:
            continue
        payee = _cell(cells, payee_at) or None
        if currency := _cell(cells, currency_at):
            currencies[currency.upper()] += 1
        lines.append(
            StatementLine(
                line_no=line_no,
                booked_on=booked_on,
                amount=amount,
                description=_cell(cells, desc_at) or payee or "",
                payee=payee,
                bank_ref=_cell(cells, ref_at) or None,
                balance_after=parse_amount(
                    _cell(cells, balance_at), layout.decimal, layout.thousands
                ),
                raw=dict(zip(headers, cells, strict=False)),
            )
        )
    usual = currencies.most_common(1)[0][0] if currencies else None
    return ParsedStatement(lines=lines, currency=usual, errors=errors)


def _amount(
    cells: list[str], width: int, layout: Layout, line_no: int, errors: list[RowError]
) -> Decimal | None:
    def read(role: Role) -> tuple[str, Decimal | None]:
        at = layout.columns.get(role, -1)
        text = cells[at].strip() if 0 <= at < width else ""
        return text, parse_amount(text, layout.decimal, layout.thousands) if text else None

    if layout.sign is SignConvention.DEBIT_CREDIT:
        debit_text, debit = read(Role.DEBIT)
        credit_text, credit = read(Role.CREDIT)
        if (debit_text and debit is None) or (credit_text and credit is None):
            bad = "debit" if debit_text and debit is None else "credit"
            errors.append(
                RowError(
                    line_no,
                    bad,
                    f"{(debit_text if bad == 'debit' else credit_text)!r} is not an amount",
                )
            )
            return None
        if debit is None and credit is None:
            errors.append(RowError(line_no, "amount", "neither a debit nor a credit amount"))
            return None
        amount = abs(credit or Decimal(0)) - abs(debit or Decimal(0))
    else:
        text, value = read(Role.AMOUNT)
        if value is None:
            errors.append(RowError(line_no, "amount", f"{text!r} is not an amount"))
            return None
        amount = value
        if layout.sign is SignConvention.INDICATOR:
            at = layout.columns[Role.INDICATOR]
            flag = cells[at].strip() if at < width else ""
            sign = indicator_sign(flag)
            if sign is None:
                errors.append(
                    RowError(line_no, "indicator", f"{flag!r} is neither debit nor credit")
                )
                return None
            amount = abs(value) * sign
    return -amount if layout.invert else amount
