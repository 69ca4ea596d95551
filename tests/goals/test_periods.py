"""Period arithmetic: calendar months, quarters and years that tile the calendar."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from fiscus.goals import periods as p

lengths = st.sampled_from(["monthly", "quarterly", "yearly"])
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(lengths, days)
def test_a_day_lies_in_its_period_which_starts_on_a_calendar_boundary(
    length: str, day: date
) -> None:
    start, end = p.period_of(length, day)
    assert start <= day <= end
    assert start.day == 1
    assert (start.month - 1) % p.MONTHS[length] == 0  # quarters start Jan, Apr, Jul, Oct
    assert (end + timedelta(days=1)).day == 1  # ends on the last day of a month
    assert p.period_of(length, start) == p.period_of(length, end) == (start, end)


@given(lengths, days, st.integers(-50, 50))
def test_shifted_periods_tile_the_calendar(length: str, day: date, by: int) -> None:
    period = p.period_of(length, day)
    moved = p.shift(length, period, by)
    after = p.shift(length, moved, 1)
    assert after[0] == moved[1] + timedelta(days=1)  # consecutive periods touch
    assert p.shift(length, moved, -by) == period  # shifting back returns
    months = (moved[0].year - period[0].year) * 12 + moved[0].month - period[0].month
    assert months == by * p.MONTHS[length]


@given(lengths, days, st.integers(0, 30))
def test_recent_periods_are_newest_first_and_adjacent(length: str, day: date, past: int) -> None:
    recent = p.recent(length, day, past)
    assert len(recent) == past + 1
    assert recent[0] == p.period_of(length, day)
    for newer, older in itertools.pairwise(recent):
        assert older[1] + timedelta(days=1) == newer[0]


@given(lengths, days, st.integers(0, 800))
def test_covering_periods_partition_a_range(length: str, first: date, span: int) -> None:
    last = first + timedelta(days=span)
    covering = p.covering(length, first, last)
    assert covering[0][0] <= first <= covering[0][1]
    assert covering[-1][0] <= last <= covering[-1][1]
    assert sum(p.overlap_days(period, first, last) for period in covering) == span + 1


def test_calendar_quarters_and_leap_years() -> None:
    assert p.period_of("quarterly", date(2026, 11, 15)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert p.period_of("quarterly", date(2026, 4, 1)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert p.period_of("monthly", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert p.period_of("yearly", date(2026, 7, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert p.shift("monthly", p.period_of("monthly", date(2026, 1, 31)), -1) == (
        date(2025, 12, 1),
        date(2025, 12, 31),
    )


@given(days, st.integers(0, 400))
def test_months_until_counts_monthly_instalments(today: date, ahead: int) -> None:
    target = today + timedelta(days=ahead)
    months = p.months_until(today, target)
    assert months >= 1  # today's instalment counts
    assert months <= ahead // 28 + 1
    assert p.months_until(target + timedelta(days=1), target) == 0


def test_months_until_examples() -> None:
    assert p.months_until(date(2026, 12, 1), date(2026, 12, 31)) == 1
    assert p.months_until(date(2026, 12, 15), date(2027, 6, 15)) == 7
    assert p.months_until(date(2026, 12, 15), date(2027, 6, 14)) == 6


@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6))
def test_rounded_division_is_within_half_a_unit(numerator: int, denominator: int) -> None:
    quotient = p.divide(numerator, denominator)
    assert abs(quotient * denominator - numerator) * 2 <= denominator
    assert p.ceil_divide(numerator, denominator) * denominator >= numerator
    assert (p.ceil_divide(numerator, denominator) - 1) * denominator < numerator
