"""Cadences of recurring series and the calendar arithmetic they need. Pure functions.

Month-based cadences (monthly, quarterly, yearly) keep an anchor day of the month and
clamp it to short months: a series on the 31st falls on 30 April and 28 February, which
is also how "the last day of the month" is expressed (anchor 31). Day-based cadences
(weekly, fortnightly) are a fixed number of days apart.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

CadenceName = Literal["weekly", "fortnightly", "monthly", "quarterly", "yearly"]


@dataclass(frozen=True, slots=True)
class Cadence:
    name: CadenceName
    days: int  # nominal length in days (day-based: exact)
    months: int  # 0 for day-based cadences
    tolerance: int  # how many days a payment may land off its expected date
    min_count: int  # occurrences a series needs before it is suggested


CADENCES: dict[str, Cadence] = {
    c.name: c
    for c in (
        Cadence("weekly", 7, 0, 2, 3),
        Cadence("fortnightly", 14, 0, 4, 3),
        Cadence("monthly", 30, 1, 7, 3),
        Cadence("quarterly", 91, 3, 12, 3),
        Cadence("yearly", 365, 12, 14, 2),
    )
}


def add_months(day: date, months: int, anchor: int | None = None) -> date:
    """`months` calendar months after `day`, on `anchor` (default `day.day`) clamped to
    the length of the month reached."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    wanted = anchor if anchor is not None else day.day
    return date(year, month + 1, min(wanted, calendar.monthrange(year, month + 1)[1]))


def step(cadence: Cadence, day: date, count: int, anchor: int | None = None) -> date:
    """The date `count` periods after (negative: before) `day` on this cadence."""
    if cadence.months:
        return add_months(day, cadence.months * count, anchor)
    return day + timedelta(days=cadence.days * count)


def is_missed(cadence: Cadence, next_on: date, today: date) -> bool:
    """The expected payment is overdue: its date plus the tolerance has passed."""
    return today > next_on + timedelta(days=cadence.tolerance)


def roll_forward(cadence: Cadence, next_on: date, after: date, anchor: int | None) -> date:
    """The first date of the schedule through `next_on` that lies after `after`."""
    current, count = next_on, 0
    while current <= after:
        count += 1
        current = step(cadence, next_on, count, anchor)
    return current
