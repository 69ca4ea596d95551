"""Property tests of the pure detection: a generated series of any cadence, with jitter
and noise mixed in, is found with its cadence and next date, whatever the input order."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from fiscus.recurring.cadence import CADENCES, add_months, step
from fiscus.recurring.detection import Movement, clean_payee, detect, in_band

ACCOUNT = uuid.UUID(int=1)
JITTER = {"weekly": 1, "fortnightly": 2, "monthly": 3, "quarterly": 4, "yearly": 5}
NOISE_PAYEES = ["Corner Grocer", "Fuel Stop 118", "Cafe Roma", "City Parking", "Bookshop"]


def _movement(on: date, payee: str, amount: int) -> Movement:
    return Movement(uuid.uuid4(), on, payee, amount, ACCOUNT, "AUD")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, date, list[Movement], list[Movement]]:
    name = draw(st.sampled_from(sorted(CADENCES)))
    cadence = CADENCES[name]
    count = draw(st.integers(min_value=cadence.min_count + 1, max_value=10))
    start = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2023, 12, 31)))
    anchor = draw(st.integers(min_value=1, max_value=31)) if cadence.months else None
    if anchor is not None:
        start = add_months(start, 0, anchor)
    amount = -draw(st.integers(min_value=500, max_value=50000))
    jitter = draw(st.integers(min_value=0, max_value=JITTER[name]))
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    nominal = [step(cadence, start, i, anchor) for i in range(count + 1)]
    series = [
        _movement(d + timedelta(days=rng.randint(-jitter, jitter)), "NETFLIX.COM 0423", amount)
        for d in nominal[:-1]
    ]
    span = (nominal[-2] - nominal[0]).days + 1
    noise = [
        _movement(
            nominal[0] + timedelta(days=rng.randrange(span)),
            rng.choice(NOISE_PAYEES),
            -rng.randint(100, 90000),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=12)))
    ]
    # the same merchant, far off the series' amount (a one-off purchase)
    noise += [
        _movement(nominal[0] + timedelta(days=rng.randrange(span)), "Netflix.com", amount * 7)
        for _ in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    return name, nominal[-1], series, noise


def _ours(found: list, amount: int) -> list:  # type: ignore[type-arg]
    return [s for s in found if s.payee_key == "netflix" and in_band(amount, s.amount)]


@given(scenarios(), st.randoms(use_true_random=False))
def test_a_series_is_found_with_its_cadence_and_next_date(scenario, shuffler) -> None:  # type: ignore[no-untyped-def]
    name, next_nominal, series, noise = scenario
    rows = series + noise
    found = detect(rows)
    (ours,) = _ours(found, series[0].amount)
    assert ours.cadence == name
    assert {m.id for m in ours.occurrences} == {m.id for m in series}
    assert ours.amount == series[0].amount
    assert not ours.amount_changed
    assert abs((ours.next_on - next_nominal).days) <= JITTER[name]
    if all(m.on == d for m, d in zip(series, sorted(m.on for m in series), strict=True)) and {
        (m.on - step(CADENCES[name], next_nominal, -len(series) + i, None)).days
        for i, m in enumerate(series)
    } == {0}:
        assert ours.next_on == next_nominal
    shuffled = list(rows)
    shuffler.shuffle(shuffled)
    assert detect(shuffled) == found


@given(
    st.sampled_from(["monthly", "quarterly", "yearly"]),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2023, 12, 31)),
)
def test_last_day_of_month_series_clamp_in_short_months(name: str, start: date) -> None:
    cadence = CADENCES[name]
    count = cadence.min_count + 2
    dates = [add_months(start, cadence.months * i, 31) for i in range(count + 1)]
    found = detect([_movement(d, "Rent Co", -150000) for d in dates[:-1]])
    (series,) = found
    assert series.cadence == name
    assert series.next_on == dates[-1]


def test_a_price_rise_is_followed_and_flagged() -> None:
    dates = [add_months(date(2024, 1, 15), i) for i in range(6)]
    amounts = [-1599] * 4 + [-2299] * 2
    (series,) = detect(
        [_movement(d, "Spotify P0423", a) for d, a in zip(dates, amounts, strict=True)]
    )
    assert (series.cadence, series.amount, series.previous_amount) == ("monthly", -2299, -1599)
    assert series.amount_changed
    assert series.next_on == date(2024, 7, 15)


def test_two_payments_a_year_apart_are_a_yearly_series_but_not_a_monthly_one() -> None:
    (series,) = detect(
        [
            _movement(date(2023, 3, 1), "Insurer", -90000),
            _movement(date(2024, 3, 2), "Insurer", -90000),
        ]
    )
    assert (series.cadence, series.next_on) == ("yearly", date(2025, 3, 1))
    assert (
        detect(
            [_movement(date(2024, 3, 1), "Gym", -5000), _movement(date(2024, 4, 1), "Gym", -5000)]
        )
        == []
    )


def test_payee_noise_is_cleaned() -> None:
    assert clean_payee("POS 1234 NETFLIX.COM 0423 AUS") == "netflix"
    assert clean_payee("EFTPOS Woolworths 3021 Sydney") == "woolworths sydney"
    assert clean_payee("12345") == ""


def test_frequent_spending_at_one_shop_is_not_a_series() -> None:
    day, rows = date(2024, 1, 1), []
    while day < date(2024, 7, 1):
        if day.weekday() < 5:  # the same coffee every weekday
            rows.append(_movement(day, "Cafe Roma 0423", -450))
        day += timedelta(days=1)
    rng = random.Random(3)
    rows += [  # and a supermarket every few days, any amount
        _movement(
            date(2024, 1, 1) + timedelta(days=rng.randrange(180)),
            "Grocer",
            -rng.randint(500, 30000),
        )
        for _ in range(70)
    ]
    assert detect(rows) == []


def test_a_series_that_ended_long_ago_is_not_reported() -> None:
    rows = [_movement(add_months(date(2022, 1, 5), i), "Old Magazine", -990) for i in range(12)]
    assert detect(rows, as_of=date(2023, 6, 1)) == []
    (running,) = detect(rows, as_of=date(2023, 1, 20))  # one missed: still running
    assert running.next_on == date(2023, 1, 5)
