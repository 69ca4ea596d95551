"""From a sheet's rows and its column roles to journal lines.

Lines that are not journal lines are excluded with the reason: blank lines, a repeated
header, totals ("Total", "Subtotal", "Grand total" with no entry number), lines with no
entry number (an opening or closing balance line of a ledger report) and lines without
any amount. A line of an entry whose date cell is blank takes the date of the entry's
line above (some exports date the first line only). A date, time or amount that cannot
be read fails the file, naming the first five lines: a silently skipped line would
misstate the population every test runs on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from fiscus.diagnostics.ingest.amounts import NotAnAmount, column_uses_decimal_comma, parse_amount
from fiscus.diagnostics.ingest.errors import MalformedFile
from fiscus.diagnostics.journal.dates import NotADate, date_order, parse_datetime, parse_time
from fiscus.diagnostics.journal.lines import ZERO, JournalLine

_TOTAL = re.compile(r"^\W*(grand\s+|sub[\s-]?)?(totals?|sum)\b|\btotals?\W*$", re.IGNORECASE)
MAX_REPORTED_ERRORS = 5
AMOUNT_ROLES = ("debit", "credit", "amount")


@dataclass(frozen=True, slots=True)
class Excluded:
    line_no: int
    reason: str


@dataclass(frozen=True, slots=True)
class Built:
    lines: tuple[JournalLine, ...]
    excluded: tuple[Excluded, ...]
    source_rows: int
    has_time: bool


class _Builder:
    def __init__(
        self,
        rows: list[list[str]],
        columns: dict[str, int],
        header_row: int | None,
        *,
        from_doubles: bool,
        order: str | None,
    ) -> None:
        self.rows, self.columns, self.from_doubles = rows, columns, from_doubles
        self.start = 0 if header_row is None else header_row + 1
        self.header = rows[header_row] if header_row is not None else None
        self.errors: list[str] = []
        # Dates and times repeat line after line: each distinct text is parsed once.
        self.dates: dict[str, tuple[date, time | None]] = {}
        self.times: dict[str, time] = {}
        sample = rows[self.start : self.start + 2000]
        self.comma = {
            role: column_uses_decimal_comma([self._cell(r, role) for r in sample])
            for role in AMOUNT_ROLES
            if role in columns
        }
        self.order = order or date_order([self._cell(r, "date") for r in sample])
        # A date column rendered from a workbook carries "00:00:00" on every cell: it
        # holds times only if some cell's time is not midnight.
        self.date_times = "time" not in columns and any(
            self._clock_of(self._cell(r, "date")) not in (None, time(0)) for r in rows[self.start :]
        )

    def _cell(self, row: list[str], role: str) -> str:
        index = self.columns.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    def _clock_of(self, text: str) -> time | None:
        try:
            return parse_datetime(text, "dmy")[1] if text else None
        except NotADate:
            return None

    def _error(self, line_no: int, message: str) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(f"line {line_no}: {message}")

    def amount(self, text: str, role: str, line_no: int) -> tuple[Decimal, str | None]:
        if not text:
            return ZERO, None
        try:
            value, side = parse_amount(text, decimal_comma=self.comma[role])
        except NotAnAmount:
            self._error(line_no, f"the {role} {text[:40]!r} is not an amount")
            return ZERO, None
        if value is None:
            return ZERO, side
        if self.from_doubles and len(text) > 15:
            value = Decimal(repr(float(value)))
        return value, side

    def sides(self, row: list[str], line_no: int) -> tuple[Decimal, Decimal, bool]:
        """(debit, credit, any amount cell filled)."""
        if "debit" in self.columns:
            d_text, c_text = self._cell(row, "debit"), self._cell(row, "credit")
            debit, d_side = self.amount(d_text, "debit", line_no)
            credit, c_side = self.amount(c_text, "credit", line_no)
            debit = -debit if d_side == "cr" else debit
            credit = -credit if c_side == "dr" else credit
            net, present = debit - credit, bool(d_text or c_text)
            if debit >= 0 and credit >= 0:
                return debit, credit, present
        else:
            text = self._cell(row, "amount")
            value, side = self.amount(text, "amount", line_no)
            net = abs(value) if side == "dr" else -abs(value) if side == "cr" else value
            present = bool(text)
        return (net, ZERO, present) if net >= 0 else (ZERO, -net, present)

    def when(
        self, row: list[str], line_no: int, previous: date | None
    ) -> tuple[date | None, time | None]:
        text = self._cell(row, "date")
        day, clock = previous, None
        if text:
            parsed = self.dates.get(text)
            if parsed is None:
                try:
                    parsed = self.dates[text] = parse_datetime(text, self.order)
                except NotADate:
                    self._error(line_no, f"the date {text[:40]!r} is not a date")
            if parsed is not None:
                day, clock = parsed
        elif previous is None:
            self._error(line_no, "the date is blank")
        if "time" in self.columns:
            time_text = self._cell(row, "time")
            clock = None
            if time_text:
                clock = self.times.get(time_text)
                if clock is None:
                    try:
                        clock = self.times[time_text] = parse_time(time_text)
                    except NotADate:
                        self._error(line_no, f"the time {time_text[:40]!r} is not a time")
        elif not self.date_times:
            clock = None
        return day, clock

    def exclusion(self, row: list[str], entry: str, present: bool) -> str | None:
        if not any(cell.strip() for cell in row):
            return "blank line"
        if row == self.header:
            return "repeated header"
        if not entry:
            texts = " ".join(cell.strip() for cell in row if cell.strip())
            if _TOTAL.search(texts) or any(_TOTAL.search(cell.strip()) for cell in row):
                return "total or subtotal"
            return "no entry number (a balance or heading line)"
        if not present:
            return "no amount"
        return None

    def build(self) -> Built:
        lines: list[JournalLine] = []
        excluded: list[Excluded] = []
        last_entry, last_date = "", None
        for offset, row in enumerate(self.rows[self.start :]):
            line_no = self.start + offset + 1
            entry = self._cell(row, "entry")
            if row == self.header or not entry:
                reason = self.exclusion(row, entry, True)
                assert reason is not None
                excluded.append(Excluded(line_no, reason))
                continue
            debit, credit, present = self.sides(row, line_no)
            if not (present and (debit or credit)):
                reason = self.exclusion(row, entry, False)
                assert reason is not None
                excluded.append(Excluded(line_no, reason))
                continue
            day, clock = self.when(row, line_no, last_date if entry == last_entry else None)
            last_entry, last_date = entry, day
            if day is None:
                continue
            number, name = self._cell(row, "account"), self._cell(row, "account_name")
            if not (number or name):
                self._error(line_no, "the account is blank")
                continue
            lines.append(
                JournalLine(
                    line_no=line_no,
                    entry=entry,
                    date=day,
                    time=clock,
                    account=number or name,
                    account_name=name or number,
                    description=self._cell(row, "description"),
                    debit=debit,
                    credit=credit,
                    user=self._cell(row, "user") or None,
                )
            )
        has_time = "time" in self.columns or self.date_times
        return Built(tuple(lines), tuple(excluded), len(self.rows) - self.start, has_time)


def build_lines(
    rows: list[list[str]],
    columns: dict[str, int],
    header_row: int | None,
    *,
    from_doubles: bool = False,
    order: str | None = None,
    where: str = "the file",
) -> Built:
    built = _Builder(rows, columns, header_row, from_doubles=from_doubles, order=order)
    result = built.build()
    if built.errors:
        raise MalformedFile(f"Cells that cannot be read in {where}: {'; '.join(built.errors)}.")
    return result
