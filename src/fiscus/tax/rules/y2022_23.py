"""Income year 1 July 2022 - 30 June 2023."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2022-23",
    starts=dt.date(2022, 7, 1),
    ends=dt.date(2023, 6, 30),
    resident=c.RESIDENT_2020,
    foreign=c.FOREIGN_2020,
    whm=c.WHM_2020,
    part_year=c.PART_YEAR,
    medicare=c.medicare("24276", "40939", "3760", "38365", "53406"),
    surcharge=c.MLS_FROZEN,
    lito=c.LITO_700,
    lmito=None,
    sapto=c.SAPTO,
    sbito=c.sbito("0.16"),
    help=c.help_bands(
        ("48361", "0.01"),
        ("55837", "0.02"),
        ("59187", "0.025"),
        ("62739", "0.03"),
        ("66503", "0.035"),
        ("70493", "0.04"),
        ("74723", "0.045"),
        ("79207", "0.05"),
        ("83959", "0.055"),
        ("88997", "0.06"),
        ("94337", "0.065"),
        ("99997", "0.07"),
        ("105997", "0.075"),
        ("112356", "0.08"),
        ("119098", "0.085"),
        ("126244", "0.09"),
        ("133819", "0.095"),
        ("141848", "0.10"),
    ),
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.FIXED_67,
        c.actual_cost(dt.date(2022, 7, 1), dt.date(2023, 6, 30)),
    ),
)
