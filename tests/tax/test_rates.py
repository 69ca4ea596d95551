"""Income tax by year and residency against the ATO's published rate tables."""

from __future__ import annotations

import itertools

import pytest

from fiscus.tax.rules import YEARS as RULES
from tests.tax.helpers import YEARS, D, run

# Tax on taxable income, residents, as the ATO's tables give it (base + marginal).
RESIDENT = {
    "2019-20": {45000: "6172.00", 120000: "31897.00", 180000: "54097.00", 200000: "63097.00"},
    "2020-21": {45000: "5092.00", 120000: "29467.00", 180000: "51667.00", 200000: "60667.00"},
    "2021-22": {45000: "5092.00", 120000: "29467.00", 180000: "51667.00", 200000: "60667.00"},
    "2022-23": {45000: "5092.00", 120000: "29467.00", 180000: "51667.00", 200000: "60667.00"},
    "2023-24": {45000: "5092.00", 120000: "29467.00", 180000: "51667.00", 200000: "60667.00"},
    "2024-25": {45000: "4288.00", 120000: "26788.00", 180000: "47938.00", 200000: "56138.00"},
    "2025-26": {45000: "4288.00", 120000: "26788.00", 180000: "47938.00", 200000: "56138.00"},
    "2026-27": {45000: "4020.00", 120000: "26520.00", 180000: "47670.00", 200000: "55870.00"},
}


@pytest.mark.parametrize(
    ("year", "income", "tax"),
    [(y, i, t) for y, table in RESIDENT.items() for i, t in table.items()],
)
def test_resident_tax_on_taxable_income(year: str, income: int, tax: str) -> None:
    assert run(year, income).income_tax == D(tax)


@pytest.mark.parametrize(
    ("year", "residency", "income", "tax"),
    [
        ("2019-20", "foreign", 100000, "32950.00"),
        ("2022-23", "foreign", 100000, "32500.00"),
        ("2022-23", "foreign", 200000, "70200.00"),
        ("2024-25", "foreign", 50000, "15000.00"),
        ("2024-25", "foreign", 200000, "65350.00"),
        ("2019-20", "whm", 40000, "6525.00"),
        ("2023-24", "whm", 50000, "8375.00"),
        ("2024-25", "whm", 50000, "8250.00"),
        ("2026-27", "whm", 200000, "58600.00"),
    ],
)
def test_foreign_and_working_holiday_maker_rates(
    year: str, residency: str, income: int, tax: str
) -> None:
    result = run(year, income, residency)
    assert result.income_tax == D(tax)
    assert result.medicare_levy == result.lito == D(0)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("residency", ["resident", "foreign", "whm"])
def test_every_base_tax_is_the_tax_on_the_brackets_below(year: str, residency: str) -> None:
    """Catches a mistyped base or threshold in any year's table."""
    brackets = getattr(RULES[year], residency).brackets
    for below, above in itertools.pairwise(brackets):
        expected = below.base_tax + below.rate * (above.threshold - below.threshold)
        assert above.base_tax == expected


@pytest.mark.parametrize(
    ("year", "first_rate"),
    [("2019-20", "0.19"), ("2023-24", "0.19"), ("2024-25", "0.16"), ("2026-27", "0.15")],
)
def test_tax_free_threshold_both_sides(year: str, first_rate: str) -> None:
    assert run(year, 18200).income_tax == D(0)
    assert run(year, 18201).income_tax == D(first_rate)


def test_cents_of_taxable_income_are_dropped() -> None:
    assert run("2024-25", "18201.99").taxable_income == D(18201)
    assert run("2024-25", "18201.99").income_tax == D("0.16")


def test_part_year_tax_free_threshold() -> None:
    # 6 months: 13,464 + 4,736 x 6/12 = 15,832
    assert run("2024-25", 15832, months_resident=6).income_tax == D(0)
    assert run("2024-25", 15833, months_resident=6).income_tax == D("0.16")
    # the 2,368 taxed at 16 % carries into every later bracket
    assert run("2024-25", 45000, months_resident=6).income_tax == D("4666.88")
    # 1 month: 13,464 + 394.67 = 13,858.67; 16 % of 4,341.33... = 694.61 (part cent dropped)
    assert run("2024-25", 18200, months_resident=1).income_tax == D("694.61")
    assert run("2024-25", 45000, months_resident=12).income_tax == D("4288.00")


def test_lines_explain_the_rate_and_cite_the_source() -> None:
    line = next(x for x in run("2024-25", 100000).lines if x.step == "income_tax")
    assert line.rate == D("0.30")
    assert "$4288 + 30% over $45000" in line.detail
    assert "Income Tax Rates Act 1986" in line.rule
    assert line.source.startswith("https://www.ato.gov.au/")


def test_ato_part_year_examples() -> None:
    """ATO 'Tax-free threshold for newcomers to Australia' (John, 3 months: $14,648) and
    'Tax-free threshold if you're leaving Australia' (Britney, 6 months in 2024-25: $15,832):
    no tax up to the reduced threshold, then 16 %, other thresholds unchanged."""
    assert run("2024-25", 14648, months_resident=3).income_tax == D(0)
    assert run("2024-25", 14649, months_resident=3).income_tax == D("0.16")
    assert run("2024-25", 15832, months_resident=6).income_tax == D(0)
    # above $45,000 the extra is the 16 % on (18,200 - 14,648) and the 30 % bracket is unchanged
    full, part = run("2024-25", 60000), run("2024-25", 60000, months_resident=3)
    assert part.income_tax - full.income_tax == D("0.16") * (D(18200) - D(14648))
