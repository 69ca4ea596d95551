"""Australian national public holidays: Easter by computus, weekend substitutes."""

from __future__ import annotations

from datetime import date

import pytest

from fiscus.diagnostics.journal.holidays import easter_sunday, holidays_for, national_holidays

# Easter Sundays from the published tables (e.g. the Astronomical Society of South
# Australia's Easter dates), including the earliest (22 March) and latest (25 April)
# possible dates.
KNOWN_EASTERS = {
    1818: date(1818, 3, 22),
    1943: date(1943, 4, 25),
    2000: date(2000, 4, 23),
    2008: date(2008, 3, 23),
    2011: date(2011, 4, 24),
    2019: date(2019, 4, 21),
    2022: date(2022, 4, 17),
    2023: date(2023, 4, 9),
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2038: date(2038, 4, 25),
    2285: date(2285, 3, 22),
}


@pytest.mark.parametrize(("year", "easter"), sorted(KNOWN_EASTERS.items()))
def test_easter_sunday_matches_the_published_dates(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_2025_has_the_seven_national_holidays_and_the_australia_day_substitute() -> None:
    assert national_holidays(2025) == {
        date(2025, 1, 1): "New Year's Day",
        date(2025, 1, 26): "Australia Day",
        date(2025, 1, 27): "Australia Day (substitute)",
        date(2025, 4, 18): "Good Friday",
        date(2025, 4, 21): "Easter Monday",
        date(2025, 4, 25): "Anzac Day",
        date(2025, 12, 25): "Christmas Day",
        date(2025, 12, 26): "Boxing Day",
    }


def test_christmas_on_a_saturday_moves_both_days_to_monday_and_tuesday() -> None:
    days = national_holidays(2021)  # Christmas Saturday, Boxing Day Sunday
    assert days[date(2021, 12, 27)] == "Christmas Day (substitute)"
    assert days[date(2021, 12, 28)] == "Boxing Day (substitute)"


def test_christmas_on_a_sunday_moves_to_tuesday_boxing_day_being_monday() -> None:
    days = national_holidays(2022)
    assert days[date(2022, 12, 26)] == "Boxing Day"
    assert days[date(2022, 12, 27)] == "Christmas Day (substitute)"
    assert date(2022, 12, 28) not in days
    assert days[date(2022, 1, 3)] == "New Year's Day (substitute)"  # 1 January a Saturday


def test_boxing_day_on_a_saturday_moves_to_monday() -> None:
    days = national_holidays(2026)  # Christmas Friday, Boxing Day Saturday
    assert days[date(2026, 12, 28)] == "Boxing Day (substitute)"
    assert date(2026, 12, 29) not in days


def test_anzac_day_on_a_weekend_has_no_national_substitute() -> None:
    days = national_holidays(2026)  # Anzac Day a Saturday
    assert days[date(2026, 4, 25)] == "Anzac Day"
    assert date(2026, 4, 27) not in days
    assert date(2027, 4, 26) not in national_holidays(2027)  # Anzac Day a Sunday


def test_anzac_day_on_easter_monday_adds_the_tuesday() -> None:
    days = national_holidays(2011)
    assert days[date(2011, 4, 25)] == "Easter Monday and Anzac Day"
    assert days[date(2011, 4, 26)] == "Anzac Day (additional day)"


def test_australia_day_on_a_saturday_moves_to_monday_on_a_weekday_it_stays() -> None:
    assert national_holidays(2020)[date(2020, 1, 27)] == "Australia Day (substitute)"  # Sunday
    assert national_holidays(2019)[date(2019, 1, 28)] == "Australia Day (substitute)"  # Saturday
    assert date(2024, 1, 27) not in national_holidays(2024)  # a Friday: no substitute


def test_holidays_for_several_years_join_them() -> None:
    days = holidays_for([2024, 2025, 2024])
    assert date(2024, 3, 29) in days
    assert date(2025, 4, 18) in days
    assert len(days) == len(national_holidays(2024)) + len(national_holidays(2025))
