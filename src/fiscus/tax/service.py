"""Use cases of the tax domain: the calculators (no tenant data, nothing stored)."""

from __future__ import annotations

from decimal import Decimal

from fiscus.tax import schemas as s
from fiscus.tax.engine.calculate import brackets_for, calculate
from fiscus.tax.engine.model import (
    CapitalGain,
    Family,
    Itemised,
    Residency,
    TaxInput,
    TaxResult,
)
from fiscus.tax.engine.rounding import cents
from fiscus.tax.engine.work_from_home import available_method, claim
from fiscus.tax.errors import AmountRequired, IncomeMissing, MethodNotAvailable, PeriodOutsideYear
from fiscus.tax.rules import YEARS

ZERO = Decimal(0)
UNLIMITED = Decimal("1e15")


def money(amount: Decimal) -> str:
    return str(cents(amount))


def to_input(body: s.CalculateRequest) -> TaxInput:
    if (body.taxable_income is None) == (body.income is None):
        raise IncomeMissing(field="taxable_income")
    itemised = None
    if body.income is not None:
        itemised = Itemised(
            income=tuple((i.label, Decimal(i.amount)) for i in body.income),
            deductions=tuple((i.label, Decimal(i.amount)) for i in body.deductions),
            capital_gains=tuple(
                CapitalGain(Decimal(g.amount), g.months_held) for g in body.capital_gains
            ),
            capital_losses=Decimal(body.capital_losses),
        )
    family = body.family or s.FamilyIn()
    help_debt = body.help_debt
    return TaxInput(
        year=body.year,
        residency=Residency(body.residency),
        taxable_income=None if body.taxable_income is None else Decimal(body.taxable_income),
        itemised=itemised,
        months_resident=body.months_resident,
        family=Family(family.spouse, Decimal(family.spouse_taxable_income), family.dependants),
        private_hospital_cover=body.private_hospital_cover,
        sapto_eligible=body.sapto_eligible,
        help_debt=(
            UNLIMITED
            if help_debt is True
            else None
            if help_debt in (None, False)
            else Decimal(str(help_debt))
        ),
        business_income=Decimal(body.business_income),
        franking_credits=Decimal(body.franking_credits),
        tax_withheld=Decimal(body.tax_withheld),
    )


def to_response(result: TaxResult) -> s.CalculateResponse:
    lines = [
        s.LineOut(
            step=line.step,
            amount=money(line.amount),
            effect=line.effect.value,
            detail=line.detail,
            rate=None if line.rate is None else str(line.rate),
            rule=line.rule,
            source=line.source,
        )
        for line in result.lines
    ]
    amounts = {
        name: money(getattr(result, name))
        for name in (
            "taxable_income",
            "income_tax",
            "medicare_levy",
            "medicare_levy_surcharge",
            "lito",
            "lmito",
            "sapto",
            "sbito",
            "franking_credits",
            "help_repayment",
            "total_tax",
            "tax_withheld",
            "refund_or_owed",
        )
    }
    return s.CalculateResponse(
        year=result.year,
        provisional=result.provisional,
        provisional_notes=list(result.provisional_notes),
        lines=lines,
        **amounts,
    )


def calculate_tax(body: s.CalculateRequest) -> s.CalculateResponse:
    return to_response(calculate(to_input(body)))


def years() -> list[s.YearOut]:
    return [
        s.YearOut(
            year=r.year,
            starts=r.starts,
            ends=r.ends,
            provisional=r.provisional,
            notes=list(r.provisional_notes),
        )
        for r in YEARS.values()
    ]


def brackets(year: str, residency: s.ResidencyName) -> s.BracketsResponse:
    rules = YEARS[year]
    scale = {"resident": rules.resident, "foreign": rules.foreign, "whm": rules.whm}[residency]
    rows = brackets_for(rules, Residency(residency), 12)
    out = []
    if residency == "resident":
        out.append(s.BracketOut(above="0", up_to=str(rows[0].threshold), base_tax="0.00", rate="0"))
    for index, row in enumerate(rows):
        upper = rows[index + 1].threshold if index + 1 < len(rows) else None
        out.append(
            s.BracketOut(
                above=str(row.threshold),
                up_to=None if upper is None else str(upper),
                base_tax=money(row.base_tax),
                rate=str(row.rate),
            )
        )
    return s.BracketsResponse(
        year=year,
        residency=residency,
        provisional=rules.provisional,
        provisional_notes=list(rules.provisional_notes),
        rule=scale.source.title,
        source=scale.source.url,
        brackets=out,
    )


def work_from_home(body: s.WorkFromHomeRequest) -> s.WorkFromHomeResponse:
    rules = YEARS[body.year]
    starts = body.period_start or rules.starts
    ends = body.period_end or rules.ends
    if not rules.starts <= starts <= ends <= rules.ends:
        raise PeriodOutsideYear(field="period_start")
    method = available_method(rules, body.method, starts, ends)
    if method is None:
        methods = {m.name: f"{m.starts} to {m.ends}" for m in rules.work_from_home}
        raise MethodNotAvailable(
            f"{body.method} is not available for {starts} to {ends}; in {body.year}: {methods}",
            field="method",
        )
    if method.cents_per_hour is None and body.actual_costs is None:
        raise AmountRequired("The actual cost method needs actual_costs.", field="actual_costs")
    if method.cents_per_hour is not None and body.hours is None:
        raise AmountRequired("A rate-per-hour method needs hours.", field="hours")
    result = claim(
        method,
        hours=Decimal(body.hours or "0"),
        actual_costs=Decimal(body.actual_costs or "0"),
        other_costs=Decimal(body.other_costs),
    )
    return s.WorkFromHomeResponse(
        year=body.year,
        method=method.name,
        hours=body.hours,
        cents_per_hour=None if method.cents_per_hour is None else str(method.cents_per_hour),
        deduction=money(result.deduction),
        detail=result.detail,
        rule=method.source.title,
        source=method.source.url,
    )


def estimate(body: s.EstimateRequest) -> s.EstimateResponse:
    salary = Decimal(body.salary)
    result = calculate(
        TaxInput(
            year=body.year,
            residency=Residency(body.residency),
            taxable_income=salary,
            private_hospital_cover=body.private_hospital_cover,
            help_debt=UNLIMITED if body.help_debt else None,
        )
    )
    income_tax = result.income_tax - result.lito - result.lmito
    net = salary - result.total_tax
    return s.EstimateResponse(
        year=result.year,
        provisional=result.provisional,
        provisional_notes=list(result.provisional_notes),
        salary=money(salary),
        income_tax=money(income_tax),
        medicare_levy=money(result.medicare_levy),
        medicare_levy_surcharge=money(result.medicare_levy_surcharge),
        help_repayment=money(result.help_repayment),
        total_tax=money(result.total_tax),
        net=s.Net(
            year=money(net), month=money(net / 12), fortnight=money(net / 26), week=money(net / 52)
        ),
    )
