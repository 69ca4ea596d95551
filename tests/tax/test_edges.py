"""Every cliff and phase-in of the rules, tested on both sides."""

from __future__ import annotations

import pytest

from fiscus.tax.engine.model import Family
from tests.tax.helpers import D, run


@pytest.mark.parametrize(
    ("year", "income", "lito"),
    [
        ("2019-20", 37000, "445.00"),
        ("2019-20", 37001, "444.99"),  # 1.5 c withdrawn; part cent rounded up
        ("2019-20", 66666, "0.01"),
        ("2019-20", 66667, "0.00"),
        ("2020-21", 37500, "700.00"),
        ("2020-21", 37501, "699.95"),
        ("2024-25", 45000, "325.00"),
        ("2024-25", 45001, "324.99"),
        ("2024-25", 66666, "0.01"),
        ("2024-25", 66667, "0.00"),
    ],
)
def test_low_income_tax_offset_edges(year: str, income: int, lito: str) -> None:
    assert run(year, income).lito == D(lito)


@pytest.mark.parametrize(
    ("year", "income", "lmito"),
    [
        ("2019-20", 37000, "255.00"),
        ("2019-20", 37001, "255.08"),
        ("2019-20", 47999, "1079.93"),
        ("2019-20", 48000, "1080.00"),
        ("2019-20", 90000, "1080.00"),
        ("2019-20", 90001, "1079.97"),
        ("2020-21", 125999, "0.03"),
        ("2020-21", 126000, "0.00"),
        ("2021-22", 37000, "675.00"),
        ("2021-22", 48000, "1500.00"),
        ("2021-22", 90001, "1499.97"),
        ("2021-22", 125999, "420.03"),
        ("2021-22", 126000, "420.00"),  # s 61-107(1A): +$420 up to $126,000 ...
        ("2021-22", 126001, "0.00"),  # ... and nothing a dollar later: a cliff
        ("2019-20", 126001, "0.00"),
        ("2022-23", 50000, "0.00"),  # no LMITO after 2021-22
    ],
)
def test_low_and_middle_income_tax_offset_edges(year: str, income: int, lmito: str) -> None:
    assert run(year, income).lmito == D(lmito)


@pytest.mark.parametrize(
    ("income", "levy"),
    [(27222, "0.00"), (27223, "0.10"), (34027, "680.50"), (34028, "680.56"), (85000, "1700.00")],
)
def test_medicare_levy_single_shade_in_2024_25(income: int, levy: str) -> None:
    assert run("2024-25", income).medicare_levy == D(levy)


def test_medicare_levy_seniors_threshold() -> None:
    assert run("2024-25", 43020, sapto_eligible=True).medicare_levy == D(0)
    assert run("2024-25", 43021, sapto_eligible=True).medicare_levy == D("0.10")


def test_medicare_levy_family_threshold_with_dependants() -> None:
    # 2024-25: 45,907 + 2 x 4,216 = 54,339 family income
    at = Family(spouse=True, spouse_taxable_income=D(14339), dependants=2)
    above = Family(spouse=True, spouse_taxable_income=D(14340), dependants=2)
    assert run("2024-25", 40000, family=at).medicare_levy == D(0)
    # family levy 10 c, 40,000 / 54,340 of it is this spouse's share
    assert run("2024-25", 40000, family=above).medicare_levy == D("0.07")
    assert run("2024-25", 40000).medicare_levy == D("800.00")


@pytest.mark.parametrize(
    ("income", "surcharge"),
    [
        (97000, "0.00"),
        (97001, "970.01"),
        (113000, "1130.00"),
        (113001, "1412.51"),
        (151000, "1887.50"),
        (151001, "2265.01"),
    ],
)
def test_surcharge_tiers_single_2024_25(income: int, surcharge: str) -> None:
    assert run("2024-25", income).medicare_levy_surcharge == D(surcharge)
    assert run("2024-25", income, private_hospital_cover=True).medicare_levy_surcharge == 0


def test_surcharge_family_threshold_rises_per_child_after_first() -> None:
    # 2024-25 family 194,000 + 1,500 for the second child = 195,500
    at = Family(spouse=True, spouse_taxable_income=D(95500), dependants=2)
    above = Family(spouse=True, spouse_taxable_income=D(95501), dependants=2)
    assert run("2024-25", 100000, family=at).medicare_levy_surcharge == D(0)
    assert run("2024-25", 100000, family=above).medicare_levy_surcharge == D("1000.00")


def test_surcharge_frozen_thresholds_before_2023_24() -> None:
    assert run("2022-23", 90000).medicare_levy_surcharge == D(0)
    assert run("2022-23", 90001).medicare_levy_surcharge == D("900.01")
    assert run("2025-26", 101001).medicare_levy_surcharge == D("1010.01")


@pytest.mark.parametrize(
    ("year", "income", "repayment"),
    [
        ("2019-20", 45880, "0.00"),
        ("2019-20", 45881, "458.81"),
        ("2024-25", 54434, "0.00"),
        ("2024-25", 54435, "544.35"),
        ("2024-25", 159663, "15167.98"),
        ("2024-25", 159664, "15966.40"),
        ("2025-26", 67000, "0.00"),
        ("2025-26", 67001, "0.15"),
        ("2025-26", 125000, "8700.00"),
        ("2025-26", 125001, "8700.17"),
        ("2025-26", 179285, "17928.45"),
        ("2025-26", 179286, "17928.60"),
    ],
)
def test_study_loan_thresholds(year: str, income: int, repayment: str) -> None:
    assert run(year, income, help_debt=D(10**9)).help_repayment == D(repayment)


def test_study_loan_repayment_is_capped_at_the_debt() -> None:
    assert run("2024-25", 100000, help_debt=D("1234.56")).help_repayment == D("1234.56")
    assert run("2024-25", 100000).help_repayment == D(0)


@pytest.mark.parametrize(
    ("income", "sbito"), [(51539, "999.96"), (51540, "1000.00"), (51541, "1000.00")]
)
def test_small_business_offset_cap(income: int, sbito: str) -> None:
    # 2024-25, all income from the business: 16 % of the tax reaches $1,000 at $51,540
    assert run("2024-25", income, business_income=D(income)).sbito == D(sbito)


def test_small_business_offset_rate_and_proportion_by_year() -> None:
    # 2019-20 (8 %): half of 7,797 tax relates to the business: 8 % x 3,898.50
    assert run("2019-20", 50000, business_income=D(25000)).sbito == D("311.88")
    assert run("2020-21", 50000, business_income=D(50000)).sbito == D("873.21")  # 13 %
    assert run("2021-22", 30000, business_income=D(30000)).sbito == D("358.72")  # 16 %
    assert run("2024-25", 50000, business_income=D(-5)).sbito == D(0)


@pytest.mark.parametrize(
    ("income", "family", "sapto"),
    [
        (32279, None, "2230.00"),
        (32280, None, "2229.88"),
        (50118, None, "0.13"),
        (50119, None, "0.00"),
        (28974, Family(spouse=True, spouse_taxable_income=D(20000)), "1602.00"),
        (28975, Family(spouse=True, spouse_taxable_income=D(20000)), "1601.88"),
    ],
)
def test_seniors_offset_shade_out(income: int, family: Family | None, sapto: str) -> None:
    result = run("2024-25", income, sapto_eligible=True, family=family or Family())
    # offsets are limited to the income tax, so compare the line's entitlement too
    line = next(x for x in result.lines if x.step == "sapto")
    assert f"entitled to {sapto}" in line.detail


def test_offsets_never_make_income_tax_negative_and_not_against_medicare() -> None:
    result = run("2024-25", 20000, franking_credits=D(500))
    assert result.income_tax == D("288.00")
    assert result.lito == D("288.00")  # limited from 700
    assert result.total_tax == D(0)
    assert result.refund_or_owed == D("500.00")  # franking credits are refundable
    levy_paying = run("2024-25", 30000)
    # LITO comes off income tax (1,888 - 700); the levy (10 % of 2,778) stays whole
    assert levy_paying.medicare_levy == D("277.80")
    assert levy_paying.total_tax == D("1888.00") - D("700.00") + D("277.80")


def test_capital_gains_discount_needs_twelve_months() -> None:
    from decimal import Decimal

    from fiscus.tax.engine.calculate import calculate
    from fiscus.tax.engine.model import CapitalGain, Itemised, Residency, TaxInput

    def income(months: int) -> Decimal:
        items = Itemised(capital_gains=(CapitalGain(D(10000), months),))
        return calculate(TaxInput("2024-25", Residency.RESIDENT, itemised=items)).taxable_income

    assert income(11) == D(10000)
    assert income(12) == D(5000)
