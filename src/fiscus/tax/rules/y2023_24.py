"""Income year 1 July 2023 - 30 June 2024."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2023-24",
    starts=dt.date(2023, 7, 1),
    ends=dt.date(2024, 6, 30),
    resident=c.RESIDENT_2020,
    foreign=c.FOREIGN_2020,
    whm=c.WHM_2020,
    part_year=c.PART_YEAR,
    medicare=c.medicare("26000", "43846", "4027", "41089", "57198"),
    surcharge=c.surcharge(("93000", "108000", "144000"), ("186000", "216000", "288000")),
    lito=c.LITO_700,
    lmito=None,
    sapto=c.SAPTO,
    sbito=c.sbito("0.16"),
    help=c.help_bands(
        ("51550", "0.01"),
        ("59519", "0.02"),
        ("63090", "0.025"),
        ("66876", "0.03"),
        ("70889", "0.035"),
        ("75141", "0.04"),
        ("79650", "0.045"),
        ("84430", "0.05"),
        ("89495", "0.055"),
        ("94866", "0.06"),
        ("100558", "0.065"),
        ("106591", "0.07"),
        ("112986", "0.075"),
        ("119765", "0.08"),
        ("126951", "0.085"),
        ("134569", "0.09"),
        ("142643", "0.095"),
        ("151201", "0.10"),
    ),
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.FIXED_67,
        c.actual_cost(dt.date(2023, 7, 1), dt.date(2024, 6, 30)),
    ),
)
