"""One pure function per component of an assessment; inputs whole-dollar incomes."""

from __future__ import annotations

from decimal import Decimal

from fiscus.tax.engine.rounding import liability, offset, pct
from fiscus.tax.rules.base import (
    Bracket,
    LowIncomeOffset,
    LowMiddleIncomeOffset,
    MedicareLevy,
    MedicareLevySurcharge,
    RateScale,
    SeniorsOffsetCategory,
    SmallBusinessOffset,
    StudyLoanRepayment,
    SurchargeTier,
    YearRules,
)

ZERO = Decimal(0)


def bracket_for(brackets: tuple[Bracket, ...], income: Decimal) -> Bracket | None:
    """The highest bracket whose threshold the income exceeds (None: below them all)."""
    found = None
    for bracket in brackets:
        if income > bracket.threshold:
            found = bracket
    return found


def tax_on_scale(brackets: tuple[Bracket, ...], income: Decimal) -> Decimal:
    bracket = bracket_for(brackets, income)
    if bracket is None:
        return liability(ZERO)
    return liability(bracket.base_tax + bracket.rate * (income - bracket.threshold))


def part_year_scale(scale: RateScale, tax_free_threshold: Decimal) -> tuple[Bracket, ...]:
    """The resident scale with the first bracket starting at a part-year threshold.

    Base taxes are recomputed from the rates, so income between the reduced threshold and
    $18,200 is taxed at the first rate and every later bracket carries that extra tax.
    """
    first, *rest = scale.brackets
    brackets = [Bracket(tax_free_threshold, ZERO, first.rate)]
    for bracket in rest:
        previous = brackets[-1]
        base = previous.base_tax + previous.rate * (bracket.threshold - previous.threshold)
        brackets.append(Bracket(bracket.threshold, base, bracket.rate))
    return tuple(brackets)


def part_year_threshold(rules: YearRules, months_resident: int) -> Decimal:
    part = rules.part_year
    return part.minimum + part.pro_rata_extra * Decimal(months_resident) / Decimal(12)


def medicare_levy(
    levy: MedicareLevy,
    income: Decimal,
    *,
    senior: bool,
    family_income: Decimal | None,
    dependants: int,
) -> Decimal:
    """2 % of taxable income, shaded in at 10 % above the low-income threshold.

    A family member pays the lower of their own shaded levy and their share (by taxable
    income) of the family's shaded levy: the Act's family reduction, rearranged.
    """
    threshold = levy.senior_single if senior else levy.single
    own = min(levy.rate * income, levy.shade_in_rate * max(income - threshold, ZERO))
    if family_income is None or family_income <= ZERO:
        return liability(own)
    family_threshold = (levy.senior_family if senior else levy.family) + levy.per_dependant * (
        Decimal(dependants)
    )
    family = min(
        levy.rate * family_income,
        levy.shade_in_rate * max(family_income - family_threshold, ZERO),
    )
    return liability(min(own, family * income / family_income))


def surcharge_tier(
    surcharge: MedicareLevySurcharge, income: Decimal, family_income: Decimal | None, children: int
) -> SurchargeTier | None:
    found = None
    for tier in surcharge.tiers:
        if family_income is None:
            above = income > tier.single_above
        else:
            increase = surcharge.per_child_after_first * Decimal(max(children - 1, 0))
            above = family_income > tier.family_above + increase
        if above:
            found = tier
    return found


def low_income_offset(lito: LowIncomeOffset, income: Decimal) -> Decimal:
    reduction = ZERO
    steps = lito.withdrawals
    for index, step in enumerate(steps):
        end = steps[index + 1].start if index + 1 < len(steps) else income
        reduction += step.rate * max(min(income, end) - step.start, ZERO)
    return offset(lito.maximum - reduction)


def low_middle_income_offset(lmito: LowMiddleIncomeOffset, income: Decimal) -> Decimal:
    if income > lmito.nil_above:
        return offset(ZERO)
    if income <= lmito.phase_in_start:
        return offset(lmito.base)
    if income <= lmito.phase_out_start:
        phased = lmito.base + lmito.phase_in_rate * (income - lmito.phase_in_start)
        return offset(min(lmito.maximum, phased))
    return offset(lmito.maximum - lmito.phase_out_rate * (income - lmito.phase_out_start))


def seniors_offset(category: SeniorsOffsetCategory, rate: Decimal, income: Decimal) -> Decimal:
    return offset(category.maximum - rate * max(income - category.shade_out_threshold, ZERO))


def small_business_offset(
    sbito: SmallBusinessOffset, basic_tax: Decimal, business_income: Decimal, income: Decimal
) -> Decimal:
    if business_income <= ZERO or income <= ZERO:
        return offset(ZERO)
    share = min(business_income / income, Decimal(1))
    return offset(min(sbito.cap, sbito.rate * basic_tax * share))


def study_loan_repayment(loan: StudyLoanRepayment, income: Decimal) -> tuple[Decimal, str]:
    """The compulsory repayment and a phrase saying which rate applied."""
    if loan.bands:
        rate = ZERO
        for band in loan.bands:
            if income >= band.from_income:
                rate = band.rate
        return liability(rate * income), f"{pct(rate)} of repayment income"
    total_from, total_rate = loan.total_rate_from, loan.total_rate
    if total_from is not None and total_rate is not None and income >= total_from:
        return liability(total_rate * income), f"{pct(total_rate)} of repayment income"
    bracket = bracket_for(loan.brackets, income)
    if bracket is None:
        return liability(ZERO), "below the minimum repayment threshold"
    phrase = f"${bracket.base_tax} + {pct(bracket.rate)} of the excess over ${bracket.threshold}"
    return tax_on_scale(loan.brackets, income), phrase
