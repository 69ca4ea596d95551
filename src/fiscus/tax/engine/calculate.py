"""A whole assessment: taxable income to refund, with a line for every step."""

from __future__ import annotations

from decimal import Decimal

from fiscus.tax.engine import components as c
from fiscus.tax.engine.income import (
    TAXABLE_INCOME_RULE,
    TAXABLE_INCOME_URL,
    itemised_taxable_income,
)
from fiscus.tax.engine.model import Effect, Line, Residency, TaxInput, TaxResult
from fiscus.tax.engine.offsets import apply_offsets
from fiscus.tax.engine.rounding import ZERO, liability, pct, whole_dollars
from fiscus.tax.rules import YEARS
from fiscus.tax.rules.base import Bracket, YearRules


def calculate(inp: TaxInput) -> TaxResult:
    rules = YEARS[inp.year]
    lines: list[Line] = []
    income = _taxable_income(rules, inp, lines)
    gross = _income_tax(rules, inp, income, lines)
    offsets = apply_offsets(rules, inp, income, gross, lines)
    levy = _medicare_levy(rules, inp, income, lines)
    surcharge = _surcharge(rules, inp, income, lines)
    repayment = _study_loan(rules, inp, income, lines)
    total = gross - sum(offsets.values(), ZERO) + levy + surcharge + repayment
    lines.append(Line("total_tax", total, Effect.INFO, "total tax", "sum of the lines above", ""))
    franking = liability(inp.franking_credits)
    withheld = liability(inp.tax_withheld)
    lines.append(
        Line(
            "franking_credits",
            franking,
            Effect.CREDIT,
            "refundable franking tax offset",
            rules.franking.source.title,
            rules.franking.source.url,
        )
    )
    lines.append(
        Line("tax_withheld", withheld, Effect.CREDIT, "PAYG withheld", "TAA 1953 Sch 1 s 18-15", "")
    )
    return TaxResult(
        year=rules.year,
        provisional=rules.provisional,
        provisional_notes=rules.provisional_notes,
        taxable_income=income,
        income_tax=gross,
        medicare_levy=levy,
        medicare_levy_surcharge=surcharge,
        lito=offsets["lito"],
        lmito=offsets["lmito"],
        sapto=offsets["sapto"],
        sbito=offsets["sbito"],
        franking_credits=franking,
        help_repayment=repayment,
        total_tax=total,
        tax_withheld=withheld,
        refund_or_owed=withheld + franking - total,
        lines=tuple(lines),
    )


def _taxable_income(rules: YearRules, inp: TaxInput, lines: list[Line]) -> Decimal:
    if inp.itemised is not None:
        income = itemised_taxable_income(rules, inp.itemised, lines)
    else:
        income = whole_dollars(max(inp.taxable_income or ZERO, ZERO))
    lines.append(
        Line(
            "taxable_income",
            income,
            Effect.INFO,
            "cents dropped",
            TAXABLE_INCOME_RULE,
            TAXABLE_INCOME_URL,
        )
    )
    return income


def brackets_for(
    rules: YearRules, residency: Residency, months_resident: int
) -> tuple[Bracket, ...]:
    if residency is Residency.FOREIGN:
        return rules.foreign.brackets
    if residency is Residency.WHM:
        return rules.whm.brackets
    if months_resident < 12:
        threshold = c.part_year_threshold(rules, months_resident)
        return c.part_year_scale(rules.resident, threshold)
    return rules.resident.brackets


def _income_tax(rules: YearRules, inp: TaxInput, income: Decimal, lines: list[Line]) -> Decimal:
    scale = {Residency.FOREIGN: rules.foreign, Residency.WHM: rules.whm}.get(
        inp.residency, rules.resident
    )
    brackets = brackets_for(rules, inp.residency, inp.months_resident)
    tax = c.tax_on_scale(brackets, income)
    bracket = c.bracket_for(brackets, income)
    detail = f"{inp.residency.value} rates"
    if inp.residency is Residency.RESIDENT and inp.months_resident < 12:
        detail += (
            f"; part-year tax-free threshold ${brackets[0].threshold} for "
            f"{inp.months_resident} months ({rules.part_year.source.title})"
        )
    if bracket is not None:
        detail += f"; ${bracket.base_tax} + {pct(bracket.rate)} over ${bracket.threshold}"
    rate = bracket.rate if bracket else None
    lines.append(
        Line("income_tax", tax, Effect.TAX, detail, scale.source.title, scale.source.url, rate)
    )
    return tax


def _medicare_levy(rules: YearRules, inp: TaxInput, income: Decimal, lines: list[Line]) -> Decimal:
    levy = rules.medicare
    if inp.residency is not Residency.RESIDENT:
        lines.append(
            Line(
                "medicare_levy",
                ZERO,
                Effect.TAX,
                "not payable by foreign residents and working holiday makers treated as such",
                levy.source.title,
                levy.source.url,
            )
        )
        return liability(ZERO)
    family = inp.family
    family_income = income + family.spouse_taxable_income if family.is_family else None
    amount = c.medicare_levy(
        levy,
        income,
        senior=inp.sapto_eligible,
        family_income=family_income,
        dependants=family.dependants,
    )
    detail = f"{pct(levy.rate)} shaded in at {pct(levy.shade_in_rate)} above the "
    detail += "seniors " if inp.sapto_eligible else ""
    detail += "family threshold" if family.is_family else "low-income threshold"
    lines.append(
        Line(
            "medicare_levy",
            amount,
            Effect.TAX,
            detail,
            levy.source.title,
            levy.source.url,
            levy.rate,
        )
    )
    return amount


def _surcharge(rules: YearRules, inp: TaxInput, income: Decimal, lines: list[Line]) -> Decimal:
    mls = rules.surcharge
    if inp.private_hospital_cover or inp.residency is not Residency.RESIDENT:
        reason = "private hospital cover held" if inp.private_hospital_cover else "non-resident"
        lines.append(
            Line(
                "medicare_levy_surcharge",
                ZERO,
                Effect.TAX,
                reason,
                mls.source.title,
                mls.source.url,
            )
        )
        return liability(ZERO)
    family = inp.family
    family_income = income + family.spouse_taxable_income if family.is_family else None
    tier = c.surcharge_tier(mls, income, family_income, family.dependants)
    # A family member whose own income is under the Medicare low-income threshold pays none.
    if tier is None or (family.is_family and income <= rules.medicare.single):
        amount, rate = liability(ZERO), None
    else:
        amount, rate = liability(tier.rate * income), tier.rate
    detail = "no private hospital cover; " + ("family" if family.is_family else "single")
    detail += f" tier {'base' if rate is None else pct(rate)}"
    lines.append(
        Line(
            "medicare_levy_surcharge",
            amount,
            Effect.TAX,
            detail,
            mls.source.title,
            mls.source.url,
            rate,
        )
    )
    return amount


def _study_loan(rules: YearRules, inp: TaxInput, income: Decimal, lines: list[Line]) -> Decimal:
    loan = rules.help
    if inp.help_debt is None or inp.help_debt <= ZERO:
        return liability(ZERO)
    if inp.residency is not Residency.RESIDENT:
        detail = "not worked out here: non-residents repay through the overseas obligation"
        lines.append(
            Line("help_repayment", ZERO, Effect.TAX, detail, loan.source.title, loan.source.url)
        )
        return liability(ZERO)
    amount, phrase = c.study_loan_repayment(loan, income)
    amount = min(amount, liability(inp.help_debt))
    detail = f"repayment income taken as taxable income; {phrase}; capped at the debt"
    lines.append(
        Line("help_repayment", amount, Effect.TAX, detail, loan.source.title, loan.source.url)
    )
    return amount
