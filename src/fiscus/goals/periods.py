"""Budget periods: calendar months, calendar quarters and calendar years. Pure functions.

A period is a closed range of dates `(start, end)`. Every date lies in exactly one
period of each length, consecutive periods touch (one's end is the day before the next
one's start), and quarters start in January, April, July and October.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

Period = tuple[date, date]


def _add_months(first: date, months: int) -> date:
    """The first of the month `months` after the month starting on `first`."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(length: str, day: date) -> Period:
    """The `length` ('monthly' | 'quarterly' | 'yearly') period containing `day`."""
    months = MONTHS[length]
    start_month = (day.month - 1) // months * months + 1
    start = date(day.year, start_month, 1)
    return start, _add_months(start, months) - timedelta(days=1)


def shift(length: str, period: Period, by: int) -> Period:
    """The period `by` periods after (or, negative, before) `period`."""
    return period_of(length, _add_months(period[0], by * MONTHS[length]))


def recent(length: str, day: date, past: int) -> list[Period]:
    """The period containing `day` and the `past` periods before it, newest first."""
    current = period_of(length, day)
    return [shift(length, current, -n) for n in range(past + 1)]


def covering(length: str, first: date, last: date) -> list[Period]:
    """Every period that overlaps `first..last`, oldest first."""
    periods: list[Period] = []
    period = period_of(length, first)
    while period[0] <= last:
        periods.append(period)
        period = shift(length, period, 1)
    return periods


def days(period: Period) -> int:
    return (period[1] - period[0]).days + 1


def overlap_days(period: Period, first: date, last: date) -> int:
    """How many days of `period` lie within `first..last` (0 if none)."""
    start, end = max(period[0], first), min(period[1], last)
    return max((end - start).days + 1, 0)


def months_until(today: date, target: date) -> int:
    """Whole or part months from `today` up to `target`: the monthly instalments still to
    pay. 0 when the target date has passed; a target later this month counts as one."""
    if target < today:
        return 0
    months = (target.year - today.year) * 12 + target.month - today.month
    return months + (1 if target.day >= today.day else 0)


def divide(numerator: int, denominator: int) -> int:
    """`numerator / denominator` rounded half-up (ties away from zero) to an integer."""
    quotient = Decimal(numerator) / Decimal(denominator)
    return int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ceil_divide(numerator: int, denominator: int) -> int:
    """`numerator / denominator` rounded up, for instalments that must reach a target."""
    return -(-numerator // denominator)


def fraction(part: int, whole: int) -> str:
    """`part / whole` as a decimal string with four places, e.g. '0.8420'."""
    if whole == 0:
        return "0.0000"
    value = (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return format(value.copy_abs() if value.is_zero() else value, "f")
