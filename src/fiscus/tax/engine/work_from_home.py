"""Work-from-home deduction by method and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fiscus.tax.engine.rounding import cents
from fiscus.tax.rules.base import WorkFromHomeMethod, YearRules


@dataclass(frozen=True)
class WorkFromHomeClaim:
    method: WorkFromHomeMethod
    deduction: Decimal
    detail: str


def available_method(
    rules: YearRules, name: str, starts: dt.date, ends: dt.date
) -> WorkFromHomeMethod | None:
    """The year's method of that name in force for the whole period, if there is one."""
    for method in rules.work_from_home:
        if method.name == name and method.starts <= starts and ends <= method.ends:
            return method
    return None


def claim(
    method: WorkFromHomeMethod, *, hours: Decimal, actual_costs: Decimal, other_costs: Decimal
) -> WorkFromHomeClaim:
    if method.cents_per_hour is None:
        return WorkFromHomeClaim(method, cents(actual_costs), "actual running costs claimed")
    by_hours = cents(hours * method.cents_per_hour / Decimal(100))
    detail = f"{hours} hours x {method.cents_per_hour}c"
    if method.name == "shortcut":
        # The shortcut rate covers every running cost: nothing else can be added.
        return WorkFromHomeClaim(method, by_hours, detail + " (all running costs included)")
    detail += f" + {cents(other_costs)} claimed separately"
    return WorkFromHomeClaim(method, by_hours + cents(other_costs), detail)
