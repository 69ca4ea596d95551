"""Invariants of the engine over random incomes, years and situations."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fiscus.tax.engine.model import Effect, Family, TaxResult
from fiscus.tax.rules import YEARS as RULES
from tests.tax.helpers import YEARS, D, run

years = st.sampled_from(YEARS)
residencies = st.sampled_from(["resident", "foreign", "whm"])
incomes = st.integers(min_value=0, max_value=400_000)
families = st.builds(
    Family,
    spouse=st.booleans(),
    spouse_taxable_income=st.integers(0, 300_000).map(D),
    dependants=st.integers(0, 5),
)


def cliffs(year: str) -> set[int]:
    """Incomes where the law itself jumps: surcharge tiers, study-loan bands, LMITO's end."""
    rules = RULES[year]
    points = {int(t.single_above) + 1 for t in rules.surcharge.tiers}
    points |= {int(b.from_income) for b in rules.help.bands}
    if rules.help.total_rate_from is not None:
        points.add(int(rules.help.total_rate_from))
    if rules.lmito is not None:
        points.add(int(rules.lmito.nil_above) + 1)
    return points


@settings(max_examples=300, deadline=None)
@given(years, residencies, incomes, incomes, st.booleans(), st.booleans())
def test_tax_never_falls_as_income_rises(
    year: str, residency: str, a: int, b: int, senior: bool, cover: bool
) -> None:
    low, high = sorted((a, b))
    kw = {"sapto_eligible": senior, "private_hospital_cover": cover, "help_debt": D(10**9)}
    assert run(year, low, residency, **kw).total_tax <= run(year, high, residency, **kw).total_tax
    assert run(year, low, residency).income_tax <= run(year, high, residency).income_tax


@settings(max_examples=300, deadline=None)
@given(years, residencies, st.integers(0, 400_000), st.booleans())
def test_marginal_rate_never_exceeds_top_rate_plus_levies(
    year: str, residency: str, income: int, senior: bool
) -> None:
    if income + 1 in cliffs(year):
        return  # a tier or band starts: the law charges the whole income at once there
    kw = {"sapto_eligible": senior, "help_debt": D(10**9)}
    step = (
        run(year, income + 1, residency, **kw).total_tax
        - run(year, income, residency, **kw).total_tax
    )
    ceiling = D("0.45") + D("0.02") + D("0.015") + D("0.10")
    assert step <= ceiling + D("0.01")  # one cent of rounding either side


def _sums(result: TaxResult) -> tuple[Decimal, Decimal]:
    tax = sum((x.amount for x in result.lines if x.effect is Effect.TAX), Decimal(0))
    offsets = sum((x.amount for x in result.lines if x.effect is Effect.OFFSET), Decimal(0))
    credits = sum((x.amount for x in result.lines if x.effect is Effect.CREDIT), Decimal(0))
    return tax - offsets, credits - (tax - offsets)


@settings(max_examples=300, deadline=None)
@given(
    years,
    residencies,
    incomes,
    families,
    st.booleans(),
    st.booleans(),
    st.integers(-50_000, 200_000),
    st.integers(0, 20_000),
    st.integers(1, 12),
)
def test_offsets_never_negative_tax_and_lines_sum_to_totals(
    year: str,
    residency: str,
    income: int,
    family: Family,
    senior: bool,
    cover: bool,
    business: int,
    franking: int,
    months: int,
) -> None:
    result = run(
        year,
        income,
        residency,
        family=family,
        sapto_eligible=senior,
        private_hospital_cover=cover,
        business_income=D(business),
        franking_credits=D(franking),
        months_resident=months,
        tax_withheld=D(income // 4),
    )
    offsets = result.lito + result.lmito + result.sapto + result.sbito
    assert offsets <= result.income_tax
    assert result.total_tax >= 0
    assert min(result.lito, result.lmito, result.sapto, result.sbito) >= 0
    assert result.sbito <= D(1000)
    total, refund = _sums(result)
    assert total == result.total_tax
    assert refund == result.refund_or_owed
    assert result.total_tax == (
        result.income_tax
        - offsets
        + result.medicare_levy
        + result.medicare_levy_surcharge
        + result.help_repayment
    )
    assert result.medicare_levy <= result.taxable_income * D("0.02")
