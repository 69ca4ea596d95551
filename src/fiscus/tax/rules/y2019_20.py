"""Income year 1 July 2019 - 30 June 2020."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2019-20",
    starts=dt.date(2019, 7, 1),
    ends=dt.date(2020, 6, 30),
    resident=c.RESIDENT_2019,
    foreign=c.FOREIGN_2019,
    whm=c.WHM_2019,
    part_year=c.PART_YEAR,
    medicare=c.medicare("22801", "38474", "3533", "36056", "50191"),
    surcharge=c.MLS_FROZEN,
    lito=c.LITO_445,
    lmito=c.LMITO_1080,
    sapto=c.SAPTO,
    sbito=c.sbito("0.08"),
    help=c.help_bands(
        ("45881", "0.01"),
        ("52974", "0.02"),
        ("56152", "0.025"),
        ("59522", "0.03"),
        ("63093", "0.035"),
        ("66878", "0.04"),
        ("70891", "0.045"),
        ("75145", "0.05"),
        ("79653", "0.055"),
        ("84433", "0.06"),
        ("89499", "0.065"),
        ("94869", "0.07"),
        ("100561", "0.075"),
        ("106594", "0.08"),
        ("112990", "0.085"),
        ("119770", "0.09"),
        ("126956", "0.095"),
        ("134573", "0.10"),
    ),
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.SHORTCUT,
        c.FIXED_52,
        c.actual_cost(dt.date(2019, 7, 1), dt.date(2020, 6, 30)),
    ),
)
