"""Income year 1 July 2026 - 30 June 2027."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules import common as c
from fiscus.tax.rules.base import YearRules

RULES = YearRules(
    year="2026-27",
    starts=dt.date(2026, 7, 1),
    ends=dt.date(2027, 6, 30),
    resident=c.RESIDENT_2026,
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
        c.actual_cost(dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
    ),
    provisional_notes=(
        (
            "medicare: 2026-27 Medicare levy low-income thresholds not yet published; the "
            "2024-25 figures are used"
        ),
        (
            "surcharge: 2026-27 Medicare levy surcharge thresholds not yet published; the "
            "2025-26 figures ($101,000 / $118,000 / $158,000; families $202,000 / $236,000 / "
            "$316,000) are used"
        ),
        (
            "help: 2026-27 study-loan thresholds are CPI-indexed and not yet published; the "
            "2025-26 figures ($67,000 / $125,000 / $8,700 / $179,286) are used"
        ),
        (
            "whm: working holiday maker and foreign-resident rates assumed unchanged from "
            "2025-26 (the legislated cut applies to the 16 % resident bracket only)"
        ),
    ),
)
