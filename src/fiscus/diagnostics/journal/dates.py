"""Dates and times of journal lines, from the text of their cells.

Accepted dates: ISO (`2025-07-01`, `2025/07/01`, with or without a time, `T` or space
separated, seconds, fractions and a zone ignored), numeric day-month-year or
month-day-year with `/`, `-` or `.` and a two- or four-digit year (`01/07/2025`,
`1.7.25`), and month names (`1 Jul 2025`, `01-Jul-25`, `1 July 2025`, `Jul 1, 2025`).
Whether `01/07/2025` is the 1st of July or the 7th of January is decided per column
(`date_order`): a first part above 12 anywhere says day first, a second part above 12
says month first; a column where both are possible is read day first, the Australian
order. Times: `14:30`, `14:30:05`, `2:30 pm`, or the time of a timestamp (a workbook's
time-only cell comes as `1899-12-31 14:30:00`).
"""

from __future__ import annotations

import re
from datetime import date, time

_ISO = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(am|pm)?(?:Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"^(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{2}|\d{4})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$",
    re.IGNORECASE,
)
_NAMED_US = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(am|pm)?$", re.IGNORECASE)
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
DATE_ORDERS = ("dmy", "mdy")


class NotADate(ValueError):
    """The cell is not a date."""


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) == 2 else value


def _clock(
    hour: str | None, minute: str | None, second: str | None, half: str | None
) -> time | None:
    if hour is None or minute is None:
        return None
    h, m, s = int(hour), int(minute), int(second or 0)
    if half:
        if not 1 <= h <= 12:
            raise NotADate(f"{hour}:{minute} {half}")
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return time(h, m, s)
    except ValueError as exc:
        raise NotADate(f"{hour}:{minute}") from exc


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise NotADate(f"{year}-{month}-{day}") from exc


def parse_datetime(text: str, order: str = "dmy") -> tuple[date, time | None]:
    """(date, time or None) of a date or timestamp cell; raises NotADate."""
    cell = text.strip()
    if match := _ISO.match(cell):
        y, mo, d, hh, mm, ss, half = match.groups()
        return _make(int(y), int(mo), int(d)), _clock(hh, mm, ss, half)
    if match := _NUMERIC.match(cell):
        first, second, y, hh, mm, ss, half = match.groups()
        day, month = (first, second) if order == "dmy" else (second, first)
        return _make(_year(y), int(month), int(day)), _clock(hh, mm, ss, half)
    if match := _NAMED.match(cell):
        d, name, y, hh, mm, ss, half = match.groups()
        month_no = _MONTHS.get(name.lower())
        if month_no is None:
            raise NotADate(text)
        return _make(_year(y), month_no, int(d)), _clock(hh, mm, ss, half)
    if match := _NAMED_US.match(cell):
        name, d, y = match.groups()
        month_no = _MONTHS.get(name.lower())
        if month_no is None:
            raise NotADate(text)
        return _make(int(y), month_no, int(d)), None
    raise NotADate(text)


def parse_time(text: str) -> time:
    """The time of a time or timestamp cell; raises NotADate."""
    cell = text.strip()
    if match := _TIME.match(cell):
        clock = _clock(*match.groups())
        assert clock is not None
        return clock
    _, clock = parse_datetime(cell)
    if clock is None:
        raise NotADate(text)
    return clock


def is_date(text: str) -> bool:
    try:
        parse_datetime(text)
    except NotADate:
        return False
    return True


def is_time(text: str) -> bool:
    try:
        parse_time(text)
    except NotADate:
        return False
    return True


def date_order(cells: list[str]) -> str:
    """'dmy' or 'mdy' for a column, from its numeric dates (see the module doc)."""
    month_first = False
    for cell in cells:
        match = _NUMERIC.match(cell.strip())
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:
            return "dmy"
        if second > 12:
            month_first = True
    return "mdy" if month_first else "dmy"
