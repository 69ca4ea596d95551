"""Australian national public holidays: the days that are a public holiday in every
state and territory, with their weekend substitutes.

Included: New Year's Day, Australia Day, Good Friday, Easter Monday, Anzac Day,
Christmas Day and Boxing Day. Left out because their date differs between states: the
King's Birthday (June in most states, September in WA, October in Queensland), Easter
Saturday and Sunday (not holidays in every state), Labour Day and the local show days.

Substitution rules (the common rule of the states' holiday acts):
- New Year's Day and Australia Day falling on a Saturday or Sunday are also observed on
  the following Monday.
- Christmas Day and Boxing Day falling on a weekend are also observed on the first
  following weekday that is not already a holiday (Christmas on a Saturday: Monday 27
  and Tuesday 28; Christmas on a Sunday: Tuesday 27, Boxing Day being Monday 26).
- Anzac Day has no national substitute: whether a Saturday or Sunday Anzac Day moves to
  Monday differs between states (WA and ACT move it, NSW and Victoria do not). When it
  falls on Easter Monday (2011, 2095) the states add Tuesday 26 April; so does this.

The weekend date itself stays a holiday: a posting on Christmas Day is on Christmas Day
whatever the weekday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus, as in
    Meeus, "Astronomical Algorithms", ch. 8)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def national_holidays(year: int) -> dict[date, str]:
    """The year's national public holidays, date -> name (substitutes named so)."""
    easter = easter_sunday(year)
    days: dict[date, str] = {
        date(year, 1, 1): "New Year's Day",
        date(year, 1, 26): "Australia Day",
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
    }
    anzac = date(year, 4, 25)
    if anzac in days:  # Anzac Day on Easter Monday: the Tuesday is added
        days[anzac] = "Easter Monday and Anzac Day"
        days[anzac + timedelta(days=1)] = "Anzac Day (additional day)"
    else:
        days[anzac] = "Anzac Day"
    for fixed, name in ((date(year, 1, 1), "New Year's Day"), (date(year, 1, 26), "Australia Day")):
        if _is_weekend(fixed):
            days[_next_monday(fixed)] = f"{name} (substitute)"
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    days[christmas] = "Christmas Day"
    days[boxing] = "Boxing Day"
    for day, name in ((christmas, "Christmas Day"), (boxing, "Boxing Day")):
        if _is_weekend(day):
            substitute = day + timedelta(days=1)
            while _is_weekend(substitute) or substitute in days:
                substitute += timedelta(days=1)
            days[substitute] = f"{name} (substitute)"
    return dict(sorted(days.items()))


def holidays_for(years: Iterable[int]) -> dict[date, str]:
    """The national holidays of every year given."""
    found: dict[date, str] = {}
    for year in sorted(set(years)):
        found.update(national_holidays(year))
    return found
