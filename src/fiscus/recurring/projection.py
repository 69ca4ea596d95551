"""Projection arithmetic of the forecast. Pure: integers in, integers out.

A projection is, per account, one balance per day from today (index 0) to the horizon,
in minor units and in the account's natural sign. Changes are added as natural deltas
on a day and carried forward; the uncertainty band is a variance per day (floats only
here), turned into a half-width of 1.96 standard deviations rounded to the minor unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from fiscus.recurring.cadence import Cadence, step

BAND_Z = 1.96  # about 95 % of a normal spread


@dataclass
class Projection:
    start: date
    days: int  # points: start .. start + days
    baseline: list[int]  # ledger balance per day (scheduled items included)
    deltas: list[int] = field(default_factory=list)
    payment_variance: list[float] = field(default_factory=list)
    daily_variance: float = 0.0

    def __post_init__(self) -> None:
        self.deltas = [0] * (self.days + 1)
        self.payment_variance = [0.0] * (self.days + 1)

    def index(self, on: date) -> int | None:
        offset = (on - self.start).days
        return offset if 0 < offset <= self.days else None

    def add(self, on: date, natural_delta: int, variance: float = 0.0) -> None:
        """A change on `on`; days outside (today, horizon] are ignored."""
        at = self.index(on)
        if at is not None:
            self.deltas[at] += natural_delta
            self.payment_variance[at] += variance

    def balances(self) -> list[int]:
        running, out = 0, []
        for base, delta in zip(self.baseline, self.deltas, strict=True):
            running += delta
            out.append(base + running)
        return out

    def variances(self) -> list[float]:
        running, out = 0.0, []
        for day, extra in enumerate(self.payment_variance):
            running += extra
            out.append(running + day * self.daily_variance)
        return out


def half_width(variance: float) -> int:
    return round(BAND_Z * math.sqrt(max(variance, 0.0)))


def schedule(
    cadence: Cadence, next_on: date, anchor: int | None, after: date, until: date
) -> Iterator[date]:
    """The dates of a series from `next_on` on that fall in (after, until]."""
    count = 0
    current = next_on
    while current <= until:
        if current > after:
            yield current
        count += 1
        current = step(cadence, next_on, count, anchor)


def spread(amount: int, first: date, last: date) -> Iterator[tuple[date, int]]:
    """`amount` spread evenly over the days first..last, exactly: the shares sum to it,
    day k of n getting amount*k//n - amount*(k-1)//n."""
    days = (last - first).days + 1
    for k in range(1, days + 1):
        share = amount * k // days - amount * (k - 1) // days
        if share:
            yield first + timedelta(days=k - 1), share


def residual_variance(daily_deltas: list[int]) -> float:
    """Population variance of the day-to-day changes left after known payments."""
    if len(daily_deltas) < 2:
        return 0.0
    mean = sum(daily_deltas) / len(daily_deltas)
    return sum((d - mean) ** 2 for d in daily_deltas) / len(daily_deltas)
