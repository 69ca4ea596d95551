"""Income year 1 July 2021 - 30 June 2022."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2021-22",
    starts=dt.date(2021, 7, 1),
    ends=dt.date(2022, 6, 30),
    resident=c.RESIDENT_2020,
    foreign=c.FOREIGN_2020,
    whm=c.WHM_2020,
    part_year=c.PART_YEAR,
    medicare=c.medicare("23365", "39402", "3619", "36925", "51401"),
    surcharge=c.MLS_FROZEN,
    lito=c.LITO_700,
    lmito=c.LMITO_1500,
    sapto=c.SAPTO,
    sbito=c.sbito("0.16"),
    help=c.help_bands(
        ("47014", "0.01"),
        ("54283", "0.02"),
        ("57540", "0.025"),
        ("60993", "0.03"),
        ("64652", "0.035"),
        ("68531", "0.04"),
        ("72643", "0.045"),
        ("77002", "0.05"),
        ("81622", "0.055"),
        ("86520", "0.06"),
        ("91711", "0.065"),
        ("97214", "0.07"),
        ("103046", "0.075"),
        ("109228", "0.08"),
        ("115680", "0.085"),
        ("122730", "0.09"),
        ("130093", "0.095"),
        ("137898", "0.10"),
    ),
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.SHORTCUT,
        c.FIXED_52,
        c.actual_cost(dt.date(2021, 7, 1), dt.date(2022, 6, 30)),
    ),
    provisional_notes=(
        (
            "help: the 2021-22 band boundaries come from secondary copies of the gazetted "
            "table which disagree by $1 at several boundaries (e.g. $57,539 or $57,540 for "
            "2.5 %); the minimum ($47,014) and the 10 % band ($137,898) agree; the "
            "gazetted notice itself was not available to check"
        ),
    ),
)
