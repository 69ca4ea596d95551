"""Figures and sources shared by several income years (each year module picks its own)."""

from __future__ import annotations

import datetime as dt

from fiscus.tax.rules.base import (
    Bracket,
    CapitalGainsDiscount,
    FrankingCredits,
    LowIncomeOffset,
    LowMiddleIncomeOffset,
    MedicareLevy,
    MedicareLevySurcharge,
    PartYearThreshold,
    RepaymentBand,
    SeniorsOffset,
    SeniorsOffsetCategory,
    SmallBusinessOffset,
    Source,
    StudyLoanRepayment,
    SurchargeTier,
    Withdrawal,
    WorkFromHomeMethod,
    d,
    scale,
)

ATO = "https://www.ato.gov.au"
RESIDENT_SOURCE = Source(
    "Income Tax Rates Act 1986 s 12, Sch 7 Part I; ATO 'Tax rates - Australian residents' "
    "and 'Individual income tax for prior years'",
    f"{ATO}/tax-rates-and-codes/tax-rates-australian-residents",
)
FOREIGN_SOURCE = Source(
    "Income Tax Rates Act 1986 Sch 7 Part II; ATO 'Tax rates - foreign residents'",
    f"{ATO}/tax-rates-and-codes/tax-rates-foreign-residents",
)
WHM_SOURCE = Source(
    "Income Tax Rates Act 1986 Sch 7 Part III (working holiday taxable income); "
    "ATO 'Tax rates - working holiday maker'",
    f"{ATO}/tax-rates-and-codes/tax-rates-working-holiday-makers",
)
PART_YEAR = PartYearThreshold(
    d("13464"),
    d("4736"),
    Source(
        "Income Tax Rates Act 1986 s 20; ATO 'Tax-free threshold for newcomers to Australia'",
        f"{ATO}/individuals-and-families/coming-to-australia-or-going-overseas/"
        "coming-to-australia/tax-free-threshold-for-newcomers-to-australia",
    ),
)
MEDICARE_SOURCE = Source(
    "Medicare Levy Act 1986 ss 6-8; ATO 'Medicare levy reduction for low-income earners'",
    f"{ATO}/individuals-and-families/medicare-and-private-health-insurance/medicare-levy/"
    "medicare-levy-reduction/medicare-levy-reduction-for-low-income-earners",
)
MLS_SOURCE = Source(
    "Medicare Levy Act 1986 ss 8B-8D; ATO 'Medicare levy surcharge income, thresholds and rates'",
    f"{ATO}/individuals-and-families/medicare-and-private-health-insurance/"
    "medicare-levy-surcharge/medicare-levy-surcharge-income-thresholds-and-rates",
)
OFFSETS_PAGE = (
    f"{ATO}/individuals-and-families/income-deductions-offsets-and-records/tax-offsets/"
    "low-and-middle-income-earner-tax-offsets"
)
HELP_SOURCE = Source(
    "Higher Education Support Act 2003 s 154-20; "
    "ATO 'Study and training loan repayment thresholds and rates'",
    f"{ATO}/Rates/HELP%2c-TSL-and-SFSS-repayment-thresholds-and-rates",
)
SBITO_SOURCE = Source(
    "ITAA 1997 Subdiv 328-F (s 328-360); ATO 'Small business income tax offset'",
    f"{ATO}/business/income-and-deductions-for-business/in-detail/small-business-income-tax-offset/",
)


def medicare(*figures: str) -> MedicareLevy:
    single, family, per_dependant, senior_single, senior_family = (d(f) for f in figures)
    return MedicareLevy(
        d("0.02"),
        d("0.10"),
        single,
        family,
        per_dependant,
        senior_single,
        senior_family,
        MEDICARE_SOURCE,
    )


def surcharge(single: tuple[str, str, str], family: tuple[str, str, str]) -> MedicareLevySurcharge:
    rates = (d("0.01"), d("0.0125"), d("0.015"))
    tiers = tuple(
        SurchargeTier(d(s), d(f), r) for s, f, r in zip(single, family, rates, strict=True)
    )
    return MedicareLevySurcharge(tiers, d("1500"), MLS_SOURCE)


MLS_FROZEN = surcharge(("90000", "105000", "140000"), ("180000", "210000", "280000"))

LITO_445 = LowIncomeOffset(
    d("445"),
    (Withdrawal(d("37000"), d("0.015")),),
    Source("ITAA 1936 s 159N; ATO 'Low and middle income earner tax offsets'", OFFSETS_PAGE),
)
LITO_700 = LowIncomeOffset(
    d("700"),
    (Withdrawal(d("37500"), d("0.05")), Withdrawal(d("45000"), d("0.015"))),
    Source("ITAA 1997 s 61-115; ATO 'Low and middle income earner tax offsets'", OFFSETS_PAGE),
)
LMITO_SOURCE = Source(
    "ITAA 1997 s 61-107(1) table (Treasury Laws Amendment (Tax Relief So Working "
    "Australians Keep More Of Their Money) Act 2019 Sch 1); ATO 'Low and middle income "
    "earner tax offsets'",
    OFFSETS_PAGE,
)
LMITO_1080 = LowMiddleIncomeOffset(
    d("255"), d("37000"), d("0.075"), d("1080"), d("90000"), d("0.03"), d("126000"), LMITO_SOURCE
)
# 2021-22: s 61-107(1A) adds $420 when relevant income is not more than $126,000 (Treasury
# Laws Amendment (Cost of Living Support and Other Measures) Act 2022 Sch 6). At $126,000
# the table gives nil, so the offset is $420 there and nil a dollar later: a cliff.
LMITO_1500 = LowMiddleIncomeOffset(
    d("675"),
    d("37000"),
    d("0.075"),
    d("1500"),
    d("90000"),
    d("0.03"),
    d("126000"),
    Source(
        LMITO_SOURCE.title + "; s 61-107(1A) (+$420 for 2021-22, Treasury Laws Amendment "
        "(Cost of Living Support and Other Measures) Act 2022 Sch 6)",
        OFFSETS_PAGE,
    ),
)
SAPTO = SeniorsOffset(
    SeniorsOffsetCategory(d("2230"), d("32279")),
    SeniorsOffsetCategory(d("1602"), d("28974")),
    SeniorsOffsetCategory(d("2040"), d("31279")),
    d("0.125"),
    Source(
        "ITAA 1936 s 160AAAA; Income Tax Assessment (1936 Act) Regulation 2015 Pt 3; "
        "ATO 'Seniors and pensioners tax offset'",
        f"{ATO}/individuals-and-families/income-deductions-offsets-and-records/tax-offsets/"
        "seniors-and-pensioners-tax-offset",
    ),
)


def sbito(rate: str) -> SmallBusinessOffset:
    return SmallBusinessOffset(d(rate), d("1000"), d("5000000"), SBITO_SOURCE)


def help_bands(*rows: tuple[str, str]) -> StudyLoanRepayment:
    bands = tuple(RepaymentBand(d(f), d(r)) for f, r in rows)
    return StudyLoanRepayment(bands, (), None, None, HELP_SOURCE)


HELP_MARGINAL_2025_26 = StudyLoanRepayment(
    (),
    (Bracket(d("67000"), d("0"), d("0.15")), Bracket(d("125000"), d("8700"), d("0.17"))),
    d("179286"),
    d("0.10"),
    Source(
        "Higher Education Support Act 2003 s 154-20 as amended by the Universities Accord "
        "(Cutting Student Debt by 20 Per Cent) Act 2025; ATO 'Study and training loans - "
        "what's new' and 'Study and training loan repayment thresholds and rates' table 1",
        HELP_SOURCE.url,
    ),
)
CGT = CapitalGainsDiscount(
    d("0.5"),
    12,
    Source(
        "ITAA 1997 ss 115-25, 115-100 (asset acquired at least 12 months before the CGT event)",
        f"{ATO}/individuals-and-families/investments-and-assets/capital-gains-tax/cgt-discount",
    ),
)
FRANKING = FrankingCredits(
    True,
    Source(
        "ITAA 1997 Div 207 and s 67-25 (refundable tax offset for individuals)",
        f"{ATO}/individuals-and-families/investments-and-assets/investing-in-shares/"
        "refund-of-franking-credits-for-individuals",
    ),
)
WFH_PAGE = (
    f"{ATO}/individuals-and-families/income-deductions-offsets-and-records/"
    "deductions-you-can-claim/working-from-home-expenses"
)
SHORTCUT = WorkFromHomeMethod(
    "shortcut",
    d("80"),
    dt.date(2020, 3, 1),
    dt.date(2022, 6, 30),
    Source("PCG 2020/3 (temporary shortcut method)", WFH_PAGE),
)
FIXED_52 = WorkFromHomeMethod(
    "fixed_rate",
    d("52"),
    dt.date(2018, 7, 1),
    dt.date(2022, 6, 30),
    Source("PS LA 2001/6 (fixed rate 52 c/hour)", WFH_PAGE),
)
FIXED_67 = WorkFromHomeMethod(
    "fixed_rate",
    d("67"),
    dt.date(2022, 7, 1),
    dt.date(2024, 6, 30),
    Source("PCG 2023/1 (revised fixed rate 67 c/hour)", WFH_PAGE),
)
FIXED_70 = WorkFromHomeMethod(
    "fixed_rate",
    d("70"),
    dt.date(2024, 7, 1),
    dt.date(9999, 12, 31),
    Source("PCG 2023/1 as updated (fixed rate 70 c/hour from 1 July 2024)", WFH_PAGE),
)


def actual_cost(starts: dt.date, ends: dt.date) -> WorkFromHomeMethod:
    return WorkFromHomeMethod(
        "actual_cost",
        None,
        starts,
        ends,
        Source("ITAA 1997 s 8-1; ATO 'Actual cost method'", WFH_PAGE),
    )


# Rate scales (threshold, base tax, marginal rate)
RESIDENT_2019 = scale(
    RESIDENT_SOURCE,
    ("18200", "0", "0.19"),
    ("37000", "3572", "0.325"),
    ("90000", "20797", "0.37"),
    ("180000", "54097", "0.45"),
)
RESIDENT_2020 = scale(
    RESIDENT_SOURCE,
    ("18200", "0", "0.19"),
    ("45000", "5092", "0.325"),
    ("120000", "29467", "0.37"),
    ("180000", "51667", "0.45"),
)
RESIDENT_2024 = scale(
    Source(
        RESIDENT_SOURCE.title + "; Treasury Laws Amendment (Cost of Living Tax Cuts) Act 2024",
        RESIDENT_SOURCE.url,
    ),
    ("18200", "0", "0.16"),
    ("45000", "4288", "0.30"),
    ("135000", "31288", "0.37"),
    ("190000", "51638", "0.45"),
)
RESIDENT_2026 = scale(
    Source(
        RESIDENT_SOURCE.title + "; Treasury Laws Amendment (More Cost of Living Relief) Act 2025 "
        "(16 % to 15 % from 1 July 2026)",
        RESIDENT_SOURCE.url,
    ),
    ("18200", "0", "0.15"),
    ("45000", "4020", "0.30"),
    ("135000", "31020", "0.37"),
    ("190000", "51370", "0.45"),
)
FOREIGN_2019 = scale(
    FOREIGN_SOURCE, ("0", "0", "0.325"), ("90000", "29250", "0.37"), ("180000", "62550", "0.45")
)
FOREIGN_2020 = scale(
    FOREIGN_SOURCE, ("0", "0", "0.325"), ("120000", "39000", "0.37"), ("180000", "61200", "0.45")
)
FOREIGN_2024 = scale(
    FOREIGN_SOURCE, ("0", "0", "0.30"), ("135000", "40500", "0.37"), ("190000", "60850", "0.45")
)
WHM_2019 = scale(
    WHM_SOURCE,
    ("0", "0", "0.15"),
    ("37000", "5550", "0.325"),
    ("90000", "22775", "0.37"),
    ("180000", "56075", "0.45"),
)
WHM_2020 = scale(
    WHM_SOURCE,
    ("0", "0", "0.15"),
    ("45000", "6750", "0.325"),
    ("120000", "31125", "0.37"),
    ("180000", "53325", "0.45"),
)
WHM_2024 = scale(
    WHM_SOURCE,
    ("0", "0", "0.15"),
    ("45000", "6750", "0.30"),
    ("135000", "33750", "0.37"),
    ("190000", "54100", "0.45"),
)
