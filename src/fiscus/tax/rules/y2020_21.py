"""Income year 1 July 2020 - 30 June 2021."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2020-21",
    starts=dt.date(2020, 7, 1),
    ends=dt.date(2021, 6, 30),
    resident=c.RESIDENT_2020,
    foreign=c.FOREIGN_2020,
    whm=c.WHM_2020,
    part_year=c.PART_YEAR,
    medicare=c.medicare("23226", "39167", "3597", "36705", "51094"),
    surcharge=c.MLS_FROZEN,
    lito=c.LITO_700,
    lmito=c.LMITO_1080,
    sapto=c.SAPTO,
    sbito=c.sbito("0.13"),
    help=c.help_bands(
        ("46620", "0.01"),
        ("53827", "0.02"),
        ("57056", "0.025"),
        ("60480", "0.03"),
        ("64109", "0.035"),
        ("67955", "0.04"),
        ("72032", "0.045"),
        ("76355", "0.05"),
        ("80936", "0.055"),
        ("85793", "0.06"),
        ("90940", "0.065"),
        ("96397", "0.07"),
        ("102180", "0.075"),
        ("108310", "0.08"),
        ("114708", "0.085"),
        ("121699", "0.09"),
        ("129000", "0.095"),
        ("136740", "0.10"),
    ),
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.SHORTCUT,
        c.FIXED_52,
        c.actual_cost(dt.date(2020, 7, 1), dt.date(2021, 6, 30)),
    ),
)
