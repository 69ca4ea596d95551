"""A return's sections mapped onto the engine, and the return-only steps after it.

The engine (`engine/`) takes itemised income and deductions; this module decides which
label goes where. Two steps the engine does not know are applied to its result here,
each with a line: the Medicare levy surcharge for part-year hospital cover (the full
year's surcharge x months without cover / 12) and the non-refundable offsets the person
claims (T2, T3, T4, T9), capped at the income tax left after the engine's offsets.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from fiscus.tax.engine.calculate import calculate
from fiscus.tax.engine.income import itemised_taxable_income
from fiscus.tax.engine.model import (
    CapitalGain,
    Effect,
    Family,
    Itemised,
    Line,
    Residency,
    TaxInput,
    TaxResult,
)
from fiscus.tax.engine.rounding import cents, liability
from fiscus.tax.labels import FIGURES, SECTIONS
from fiscus.tax.returns_sections import Figure, ReturnData
from fiscus.tax.rules import YEARS

ZERO = Decimal(0)
UNLIMITED = Decimal("1e15")
ESS_REDUCTION = Decimal(1000)  # ITAA 1997 s 83A-35: up to $1,000 of 12D is not assessable
ESS_INCOME_TEST = Decimal(180000)
ESS_RULE = "ITAA 1997 s 83A-35 (reduction of $1,000 when the income test is $180,000 or less)"
MLS_RULE = "Medicare Levy Surcharge Act: surcharge only for the days without hospital cover"
OFFSET_RULE = "ITAA 1997 s 63-10: non-refundable offsets reduce income tax, never below nil"


def amount(figure: Figure) -> Decimal:
    return Decimal(figure.amount)


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def held_months(acquired_on: date, disposed_on: date) -> int:
    """Months held as the CGT discount counts them: the day of acquisition and the day
    of disposal are not counted (s 115-25), so the asset qualifies (12) only when it was
    disposed of after the first anniversary of its acquisition."""
    months = months_between(acquired_on, disposed_on)
    if months == 12 and disposed_on.day == acquired_on.day:
        return 11
    return months


def _name(path: str) -> str:
    label = FIGURES.get(path) or SECTIONS[path]
    return f"{label.code} {label.name}"


def income_items(data: ReturnData) -> list[tuple[str, Decimal]]:
    inc = data.income
    dividends = inc.dividends
    rent = inc.rent
    items = [
        (_name("income.salary_wages"), sum((amount(p.gross) for p in inc.salary_wages), ZERO)),
        (_name("income.allowances"), amount(inc.allowances.amount)),
        (_name("income.government_allowances"), amount(inc.government_allowances.amount)),
        (_name("income.interest.gross"), amount(inc.interest.gross)),
        (_name("income.dividends.unfranked"), amount(dividends.unfranked)),
        (_name("income.dividends.franked"), amount(dividends.franked)),
        (_name("income.dividends.franking_credits"), amount(dividends.franking_credits)),
        (_name("income.business.net_income"), Decimal(inc.business.net_income.amount)),
        (
            "21 Net rent (21P less 21Q, 21X, 21Y)",
            amount(rent.gross)
            - amount(rent.interest)
            - amount(rent.capital_works)
            - amount(rent.other_deductions),
        ),
        *((f"24Y Other income: {o.description}", amount(o.amount)) for o in inc.other),
    ]
    return [(label, value) for label, value in items if value]


def capital_gains(data: ReturnData) -> tuple[tuple[CapitalGain, ...], Decimal]:
    gains: list[CapitalGain] = []
    losses = amount(data.income.capital_gains.losses_brought_forward)
    for entry in data.income.capital_gains.entries:
        gain = amount(entry.proceeds) - amount(entry.cost_base)
        if gain >= ZERO:
            gains.append(CapitalGain(gain, held_months(entry.acquired_on, entry.disposed_on)))
        else:
            losses -= gain
    return tuple(gains), losses


def deduction_items(data: ReturnData) -> list[tuple[str, Decimal]]:
    items = [(f"deductions.{name}", amount(fig)) for name, fig in data.deductions]
    return [(_name(path), value) for path, value in items if value]


def tax_withheld(data: ReturnData) -> Decimal:
    inc = data.income
    return sum(
        (
            *(amount(p.tax_withheld) for p in inc.salary_wages),
            amount(inc.allowances.tax_withheld),
            amount(inc.government_allowances.tax_withheld),
            amount(inc.interest.tfn_withheld),
            amount(inc.dividends.tfn_withheld),
            amount(inc.employee_shares.tfn_withheld),
        ),
        ZERO,
    )


def to_input(year: str, data: ReturnData, itemised: Itemised) -> TaxInput:
    spouse, loan, business = data.spouse, data.help, data.income.business
    return TaxInput(
        year=year,
        residency=Residency(data.residency),
        itemised=itemised,
        months_resident=data.months_resident,
        family=Family(spouse.has_spouse, Decimal(spouse.taxable_income), data.dependants),
        private_hospital_cover=data.private_health.hospital_cover_months == 12,
        sapto_eligible=data.sapto_eligible,
        help_debt=(
            None
            if not loan.has_debt
            else UNLIMITED
            if loan.balance is None
            else Decimal(loan.balance)
        ),
        business_income=Decimal(business.net_income.amount)
        if business.small_business_entity
        else ZERO,
        franking_credits=amount(data.income.dividends.franking_credits),
        tax_withheld=tax_withheld(data),
    )


def _with_share_schemes(year: str, data: ReturnData, base: Itemised) -> Itemised:
    ess = data.income.employee_shares
    eligible = amount(ess.upfront_eligible)
    others = amount(ess.upfront_ineligible) + amount(ess.deferral)
    if not eligible + others:
        return base
    label = _name("income.employee_shares")
    full = dataclasses.replace(base, income=(*base.income, (label, eligible + others)))
    test = itemised_taxable_income(YEARS[year], full, [])
    reduction = min(eligible, ESS_REDUCTION) if test <= ESS_INCOME_TEST else ZERO
    if not reduction:
        return full
    label += f" (12D less the ${reduction} reduction of {ESS_RULE})"
    return dataclasses.replace(base, income=(*base.income, (label, eligible + others - reduction)))


def _retotal(result: TaxResult, lines: list[Line], less_tax: Decimal) -> TaxResult:
    total = result.total_tax - less_tax
    lines = [dataclasses.replace(x, amount=total) if x.step == "total_tax" else x for x in lines]
    return dataclasses.replace(
        result,
        total_tax=total,
        refund_or_owed=result.refund_or_owed + less_tax,
        lines=tuple(lines),
    )


def _part_year_cover(result: TaxResult, data: ReturnData) -> TaxResult:
    months = data.private_health.hospital_cover_months
    full = result.medicare_levy_surcharge
    if not 0 < months < 12 or not full:
        return result
    owed = liability(full * (12 - months) / 12)
    detail = f"; {12 - months} of 12 months without hospital cover: ${full} x {12 - months}/12"
    lines = [
        dataclasses.replace(x, amount=owed, detail=x.detail + detail, rule=f"{x.rule}; {MLS_RULE}")
        if x.step == "medicare_levy_surcharge"
        else x
        for x in result.lines
    ]
    result = dataclasses.replace(result, medicare_levy_surcharge=owed)
    return _retotal(result, lines, full - owed)


def _claimed_offsets(result: TaxResult, data: ReturnData) -> tuple[TaxResult, Decimal]:
    claims = [(f"offsets.{name}", amount(fig)) for name, fig in data.offsets]
    claimed = sum((value for _, value in claims), ZERO)
    if not claimed:
        return result, ZERO
    engine_offsets = result.sapto + result.lito + result.lmito + result.sbito
    applied = cents(min(claimed, max(result.income_tax - engine_offsets, ZERO)))
    names = ", ".join(f"{FIGURES[p].code} ${v}" for p, v in claims if v)
    line = Line(
        "other_offsets",
        applied,
        Effect.OFFSET,
        f"claimed {names} (total ${claimed}); applied ${applied}",
        OFFSET_RULE,
        "https://www.ato.gov.au/individuals-and-families/income-deductions-offsets-and-records",
    )
    at = next(i for i, x in enumerate(result.lines) if x.step == "total_tax")
    lines = [*result.lines[:at], line, *result.lines[at:]]
    return _retotal(result, lines, applied), applied


def assess(year: str, data: ReturnData) -> tuple[TaxResult, Decimal]:
    """The engine's result for the return, and the claimed offsets applied (T2-T9)."""
    gains, losses = capital_gains(data)
    base = Itemised(
        income=tuple(income_items(data)),
        deductions=tuple(deduction_items(data)),
        capital_gains=gains,
        capital_losses=losses,
    )
    itemised = _with_share_schemes(year, data, base)
    result = _part_year_cover(calculate(to_input(year, data, itemised)), data)
    return _claimed_offsets(result, data)
