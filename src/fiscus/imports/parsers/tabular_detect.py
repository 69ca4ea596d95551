"""Detection for tables (CSV/TSV and XLSX): encoding, delimiter, header row, columns,
date format, decimal separator and sign convention — from a sample of the rows."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import islice

from fiscus.imports.parsers.base import Choice, Detection, FileFormat, Role, SignConvention
from fiscus.imports.parsers.dates import choose_date_format
from fiscus.imports.parsers.errors import MalformedFile
from fiscus.imports.parsers.layout import (
    ColumnStats,
    balance_fit,
    column_stats,
    find_start,
    roles_from_content,
    roles_from_headers,
    with_alternatives,
)
from fiscus.imports.parsers.limits import Limits, check_cell, check_columns, check_rows
from fiscus.imports.parsers.text import decode, detect_encoding, head_and_spread, read_rows
from fiscus.imports.parsers.values import looks_numeric, separator_votes
from fiscus.imports.parsers.xlsx import read_xlsx_rows

_DELIMITERS = ("\t", ";", "|", ",")  # preference when several split the rows evenly
# All values of one column from a data row on: (column index, first data row) -> values.
ColumnValues = Callable[[int, int], Iterable[str]]


def detect_delimiter(head: str) -> Choice[str]:
    """The delimiter that splits the rows into the same number (> 1) of columns most often."""
    lines = head.splitlines()[:120]
    scored: list[tuple[float, int, str]] = []
    for delimiter in _DELIMITERS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        widths = [len(r) for r in rows if any(c.strip() for c in r)]
        tail = widths[len(widths) // 3 :] or widths
        common = Counter(w for w in tail if w > 1).most_common(1)
        if common:
            scored.append((common[0][1] / len(tail), common[0][0], delimiter))
    if not scored:
        return Choice(",", 0.3, note="every line is one column")
    best_share = max(s for s, _, _ in scored)
    even = [d for s, _, d in scored if s >= 0.9] or [d for s, _, d in scored if s == best_share]
    chosen = even[0]
    share = next(s for s, _, d in scored if d == chosen)
    alternatives = tuple(d for d in even[1:])
    return Choice(chosen, round(share * (0.9 if alternatives else 1.0), 3), alternatives)


def _xlsx_sample(
    data: bytes, limits: Limits
) -> tuple[list[list[str]], list[list[str]], ColumnValues]:
    rows = read_xlsx_rows(data, limits)
    spread = rows[200 :: max(1, (len(rows) - 200) // 200)]

    def column(index: int, start: int) -> Iterable[str]:
        return [r[index] for r in rows[start:] if index < len(r)]

    return rows[:200], spread, column


def _text_sample(
    detection: Detection, data: bytes, limits: Limits
) -> tuple[list[list[str]], list[list[str]], ColumnValues]:
    detection.encoding = detect_encoding(data)
    text = decode(data, detection.encoding.value)
    check_rows(text.count("\n") - 1, limits)
    head, spread = head_and_spread(text)
    if text[:4].lower() == "sep=" and len(text) > 4 and text[4] not in "\r\n":
        # Excel's "sep=;" first line names the delimiter; the line itself is then junk.
        detection.delimiter = Choice(text[4], 0.99, note="named by a sep= line")
    else:
        detection.delimiter = detect_delimiter(head)
    delimiter = detection.delimiter.value

    def column(index: int, start: int) -> Iterable[str]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [cells[index] for cells in islice(reader, start, None) if index < len(cells)]

    head_rows = [cells for _, cells in read_rows(head, delimiter)]
    return head_rows, [cells for _, cells in read_rows(spread, delimiter)], column


def detect_tabular(data: bytes, fmt: Choice[FileFormat], limits: Limits) -> Detection:
    detection = Detection(format=fmt)
    if fmt.value is FileFormat.XLSX:
        head_rows, spread, column = _xlsx_sample(data, limits)
    else:
        head_rows, spread, column = _text_sample(detection, data, limits)
    for line_no, row in enumerate(head_rows, 1):
        check_columns(len(row), line_no, limits)
        check_cell(max(map(len, row), default=0), line_no, limits)
    _analyse(detection, head_rows, spread, column)
    return detection


def _analyse(
    detection: Detection, head_rows: list[list[str]], spread: list[list[str]], column: ColumnValues
) -> None:
    start = find_start(head_rows)
    detection.header_row = Choice(start.header_row, start.confidence)
    detection.first_data_row = start.data_row
    if start.header_row is not None:
        header = head_rows[start.header_row]
        detection.headers = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
    data = [r for r in head_rows[start.data_row :] + spread if any(c.strip() for c in r)]
    if not data:
        raise MalformedFile("The file has no rows that look like transactions.", field="file")
    width = max(start.width, max(len(r) for r in data[:50]))
    if not detection.headers:
        detection.headers = [f"column {i + 1}" for i in range(width)]
    numbers = [c for r in data for c in r if looks_numeric(c)]
    decimal, thousands, sure = separator_votes(numbers)
    detection.decimal_separator = Choice(decimal, sure, ("," if decimal == "." else ".",))
    detection.thousands_separator = thousands
    stats = column_stats(data, width, decimal, thousands)
    named = roles_from_headers(detection.headers, stats) if start.header_row is not None else {}
    roles = roles_from_content(data, stats, named, decimal, thousands)
    detection.columns = with_alternatives(roles, stats)
    _choose_dates(detection, stats, start.data_row, column)
    detection.sign_convention = _sign_convention(detection.columns)
    _check_sign_against_balance(detection, data)
    missing = [r.value for r in (Role.DATE,) if r not in detection.columns]
    if missing or not ({Role.AMOUNT, Role.DEBIT, Role.CREDIT} & detection.columns.keys()):
        detection.notes.append("No date or amount column was recognised: map them by hand.")


def _choose_dates(
    detection: Detection, stats: list[ColumnStats], data_row: int, column: ColumnValues
) -> None:
    chosen = detection.columns.get(Role.DATE)
    if chosen is None:
        return
    formats = stats[chosen.value].date_formats
    if not formats:
        return
    detection.date_format = choose_date_format(formats, column(chosen.value, data_row))
    if detection.date_format.note and detection.date_format.confidence < 0.9:
        detection.notes.append(detection.date_format.note)


def _check_sign_against_balance(detection: Detection, rows: list[list[str]]) -> None:
    """A running balance that falls by each positive amount: the bank writes money out as
    positive (card statements often do). Said in a note; `invert_sign` fixes it."""
    columns = detection.columns
    if Role.AMOUNT not in columns or Role.BALANCE not in columns:
        return
    decimal = detection.decimal_separator.value if detection.decimal_separator else "."
    args = (rows, columns[Role.AMOUNT].value, columns[Role.BALANCE].value, decimal)
    plain = balance_fit(*args, detection.thousands_separator)
    inverted = balance_fit(*args, detection.thousands_separator, -1)
    if inverted >= 0.8 > plain:
        detection.notes.append(
            "The balance falls by the positive amounts: this bank writes money out as "
            "positive. Set invert_sign."
        )


def _sign_convention(columns: dict[Role, Choice[int]]) -> Choice[SignConvention]:
    if Role.DEBIT in columns or Role.CREDIT in columns:
        if Role.AMOUNT in columns:
            columns.pop(Role.DEBIT, None)
            columns.pop(Role.CREDIT, None)
            return Choice(SignConvention.SIGNED, 0.6, (SignConvention.DEBIT_CREDIT,))
        sure = min(c.confidence for r, c in columns.items() if r in (Role.DEBIT, Role.CREDIT))
        return Choice(SignConvention.DEBIT_CREDIT, sure)
    if Role.INDICATOR in columns and Role.AMOUNT in columns:
        return Choice(SignConvention.INDICATOR, columns[Role.INDICATOR].confidence)
    return Choice(SignConvention.SIGNED, 0.9 if Role.AMOUNT in columns else 0.3)
