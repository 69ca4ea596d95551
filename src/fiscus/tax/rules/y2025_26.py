"""Income year 1 July 2025 - 30 June 2026."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2025-26",
    starts=dt.date(2025, 7, 1),
    ends=dt.date(2026, 6, 30),
    resident=c.RESIDENT_2024,
    foreign=c.FOREIGN_2024,
    whm=c.WHM_2024,
    part_year=c.PART_YEAR,
    medicare=c.medicare("27222", "45907", "4216", "43020", "59886"),
    surcharge=c.surcharge(("101000", "118000", "158000"), ("202000", "236000", "316000")),
    lito=c.LITO_700,
    lmito=None,
    sapto=c.SAPTO,
    sbito=c.sbito("0.16"),
    help=c.HELP_MARGINAL_2025_26,
    cgt=c.CGT,
    franking=c.FRANKING,
    work_from_home=(
        c.FIXED_70,
        c.actual_cost(dt.date(2025, 7, 1), dt.date(2026, 6, 30)),
    ),
    provisional_notes=(
        (
            "medicare: the 2025-26 Medicare levy low-income thresholds (singles, families, "
            "per dependant, seniors and pensioners) were not available to us; the 2024-25 "
            "figures ($27,222 / $45,907 + $4,216 / $43,020 / $59,886) are used until the "
            "indexed figures are confirmed"
        ),
    ),
)
