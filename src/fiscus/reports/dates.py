"""Calendar arithmetic of reporting periods: financial years, comparatives, intervals."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

Interval = Literal["day", "week", "month", "quarter", "year"]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def is_month_end(day: date) -> bool:
    return day == month_end(day.year, day.month)


def shift_months(day: date, months: int) -> date:
    """`day` moved by whole months; a month end stays a month end, other days are clamped."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_end(year, month + 1)
    if is_month_end(day):
        return last
    return last.replace(day=min(day.day, last.day))


def financial_year_start(day: date, start_month: int, start_day: int) -> date:
    """First day of the financial year that contains `day` (e.g. 1 July in Australia)."""

    def start_in(year: int) -> date:
        return date(year, start_month, min(start_day, month_end(year, start_month).day))

    this_year = start_in(day.year)
    return this_year if this_year <= day else start_in(day.year - 1)


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length just before: whole months shift by whole months
    (a quarter compares with the quarter before), anything else by its number of days."""
    if date_from.day == 1 and is_month_end(date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        return shift_months(date_from, -months), date_from - timedelta(days=1)
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def previous_year(date_from: date, date_to: date) -> tuple[date, date]:
    return shift_months(date_from, -12), shift_months(date_to, -12)


def interval_ends(date_from: date, date_to: date, interval: Interval) -> list[date]:
    """The last day of every interval that overlaps the period, the last one cut at `date_to`."""
    ends: list[date] = []
    day = date_from
    while day <= date_to:
        end = min(_interval_end(day, interval), date_to)
        ends.append(end)
        day = end + timedelta(days=1)
    return ends


def count_intervals(date_from: date, date_to: date, interval: Interval) -> int:
    """How many points `interval_ends` would give, without building them."""
    if interval == "day":
        return (date_to - date_from).days + 1
    if interval == "week":
        return (date_to - date_from).days // 7 + 2
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
    return {"month": months, "quarter": months // 3 + 2, "year": date_to.year - date_from.year + 1}[
        interval
    ]


def _interval_end(day: date, interval: Interval) -> date:
    if interval == "day":
        return day
    if interval == "week":  # weeks end on Sunday
        return day + timedelta(days=6 - day.weekday())
    if interval == "month":
        return month_end(day.year, day.month)
    if interval == "quarter":
        last_month = (day.month - 1) // 3 * 3 + 3
        return month_end(day.year, last_month)
    return date(day.year, 12, 31)
