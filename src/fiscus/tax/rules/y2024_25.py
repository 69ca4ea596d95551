"""Income year 1 July 2024 - 30 June 2025."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2024-25",
    starts=dt.date(2024, 7, 1),
    ends=dt.date(2025, 6, 30),
    resident=c.RESIDENT_2024,
    foreign=c.FOREIGN_2024,
    whm=c.WHM_2024,
    part_year=c.PART_YEAR,
    medicare=c.medicare("27222", "45907", "4216", "43020", "59886"),
    surcharge=c.surcharge(("97000", "113000", "151000"), ("194000", "226000", "302000")),
    lito=c.LITO_700,
    lmito=None,
    sapto=c.SAPTO,
    sbito=c.sbito("0.16"),
    help=c.help_bands(
        ("54435", "0.01"),
        ("62851", "0.02"),
        ("66621", "0.025"),
        ("70619", "0.03"),
        ("74856", "0.035"),
        ("79347", "0.04"),
        ("84108", "0.045"),
        ("89155", "0.05"),
        ("94504", "0.055"),
        ("100175", "0.06"),
        ("106186", "0.065"),
        ("112557", "0.07"),
        ("119310", "0.075"),
        ("126468", "0.08"),
        ("134057", "0.085"),
        ("142101", "0.09"),
        ("150627", "0.095"),
        ("159664", "0.10"),
    ),
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.FIXED_70,
        c.actual_cost(dt.date(2024, 7, 1), dt.date(2025, 6, 30)),
    ),
)
