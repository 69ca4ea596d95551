"""Timing tests: weekend, public-holiday and after-hours postings, and entries dated
after the period end.

- Weekend: a line dated a Saturday or Sunday.
- Public holiday: a line dated a holiday of the request's list, else of the Australian
  national holidays of the years in the file (`holidays.py`).
- After hours: a line whose time is before the start of business hours or at or after
  their end (07:00-19:00 by default: 06:59:59 and 19:00:00 are after hours, 07:00:00
  and 18:59:59 are not). Run only when the file has times.
- Post period end: a line dated after `period_end`. Run only when it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from fiscus.diagnostics.journal.lines import Entry
from fiscus.diagnostics.journal.scoring import Flag, flag

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _dates(entry: Entry) -> dict[date, list[int]]:
    found: dict[date, list[int]] = {}
    for line in entry.lines:
        found.setdefault(line.date, []).append(line.line_no)
    return found


def weekend(entries: Sequence[Entry]) -> list[tuple[Entry, Flag]]:
    found = []
    for entry in entries:
        days = {d: n for d, n in _dates(entry).items() if d.weekday() >= 5}
        if days:
            named = ", ".join(f"{_DAYS[d.weekday()]} {d.isoformat()}" for d in sorted(days))
            lines = sorted(n for ns in days.values() for n in ns)
            found.append((entry, flag("weekend_posting", f"Dated {named}.", lines)))
    return found


def public_holidays(
    entries: Sequence[Entry], holidays: dict[date, str]
) -> list[tuple[Entry, Flag]]:
    found = []
    for entry in entries:
        days = {d: n for d, n in _dates(entry).items() if d in holidays}
        if days:
            named = ", ".join(f"{holidays[d]} ({d.isoformat()})" for d in sorted(days))
            lines = sorted(n for ns in days.values() for n in ns)
            found.append((entry, flag("public_holiday_posting", f"Dated {named}.", lines)))
    return found


def after_hours(entries: Sequence[Entry], hours: tuple[time, time]) -> list[tuple[Entry, Flag]]:
    start, end = hours
    found = []
    for entry in entries:
        late = [
            line for line in entry.lines if line.time is not None and not start <= line.time < end
        ]
        if late:
            times = ", ".join(sorted({line.time.isoformat() for line in late if line.time}))
            detail = (
                f"Posted at {times}, outside business hours "
                f"{start.strftime('%H:%M')}-{end.strftime('%H:%M')}."
            )
            found.append((entry, flag("after_hours_posting", detail, (ln.line_no for ln in late))))
    return found


def post_period_end(entries: Sequence[Entry], period_end: date) -> list[tuple[Entry, Flag]]:
    found = []
    for entry in entries:
        late = [line for line in entry.lines if line.date > period_end]
        if late:
            last = max(line.date for line in late)
            detail = f"Dated {last.isoformat()}, after the period end {period_end.isoformat()}."
            found.append((entry, flag("post_period_end", detail, (ln.line_no for ln in late))))
    return found
