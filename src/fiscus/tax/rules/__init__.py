"""Australian individual income tax rules, one module per income year."""

from __future__ import annotations

from fiscus.tax.rules import (
    y2019_20,
    y2020_21,
    y2021_22,
    y2022_23,
    y2023_24,
    y2024_25,
    y2025_26,
    y2026_27,
)
from fiscus.tax.rules.base import YearRules

YEARS: dict[str, YearRules] = {
    module.RULES.year: module.RULES
    for module in (y2019_20, y2020_21, y2021_22, y2022_23, y2023_24, y2024_25, y2025_26, y2026_27)
}


def rules_for(year: str) -> YearRules | None:
    return YEARS.get(year)
