"""ATO individual return label codes and names, by the path of the figure in a return.

Codes and names follow the individual tax return and its supplementary section as the
ATO's return instructions print them (e.g. "1 Salary or wages", "D1 Work-related car
expenses"). The PDF summary, the diff and the API docs all read this one table.
"""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    code: str
    name: str


SECTIONS: dict[str, Label] = {
    "income.salary_wages": Label("1", "Salary or wages"),
    "income.allowances": Label("2", "Allowances, earnings, tips, director's fees etc"),
    "income.government_allowances": Label("5", "Australian Government allowances and payments"),
    "income.interest": Label("10", "Gross interest"),
    "income.dividends": Label("11", "Dividends"),
    "income.employee_shares": Label("12", "Employee share schemes"),
    "income.business": Label("15", "Net income or loss from business"),
    "income.capital_gains": Label("18", "Capital gains"),
    "income.rent": Label("21", "Rent"),
    "income.other": Label("24", "Other income"),
}

FIGURES: dict[str, Label] = {
    "income.salary_wages.*.gross": Label("1D", "Gross payments"),
    "income.salary_wages.*.tax_withheld": Label("1C", "Tax withheld"),
    "income.allowances.amount": Label("2K", "Gross payments"),
    "income.allowances.tax_withheld": Label("2J", "Tax withheld"),
    "income.government_allowances.amount": Label("5A", "Gross payments"),
    "income.government_allowances.tax_withheld": Label("5B", "Tax withheld"),
    "income.interest.gross": Label("10L", "Gross interest"),
    "income.interest.tfn_withheld": Label("10M", "Tax file number amounts withheld"),
    "income.dividends.unfranked": Label("11S", "Unfranked amount"),
    "income.dividends.franked": Label("11T", "Franked amount"),
    "income.dividends.franking_credits": Label("11U", "Franking credit"),
    "income.dividends.tfn_withheld": Label("11V", "Tax file number amounts withheld"),
    "income.employee_shares.upfront_eligible": Label(
        "12D", "Discount from taxed up front schemes - eligible for reduction"
    ),
    "income.employee_shares.upfront_ineligible": Label(
        "12E", "Discount from taxed up front schemes - not eligible for reduction"
    ),
    "income.employee_shares.deferral": Label("12F", "Discount from deferral schemes"),
    "income.employee_shares.tfn_withheld": Label("12C", "TFN amounts withheld from discounts"),
    "income.business.net_income": Label("15B", "Net non-primary production income"),
    "income.capital_gains.entries.*.cost_base": Label("18", "Cost base"),
    "income.capital_gains.entries.*.proceeds": Label("18", "Capital proceeds"),
    "income.capital_gains.losses_brought_forward": Label(
        "18", "Net capital losses from earlier income years"
    ),
    "income.rent.gross": Label("21P", "Gross rent"),
    "income.rent.interest": Label("21Q", "Interest deductions"),
    "income.rent.capital_works": Label("21X", "Capital works deductions"),
    "income.rent.other_deductions": Label("21Y", "Other rental deductions"),
    "income.other.*.amount": Label("24Y", "Other income"),
    "deductions.d1_car": Label("D1", "Work-related car expenses"),
    "deductions.d2_travel": Label("D2", "Work-related travel expenses"),
    "deductions.d3_clothing": Label(
        "D3", "Work-related clothing, laundry and dry-cleaning expenses"
    ),
    "deductions.d4_self_education": Label("D4", "Work-related self-education expenses"),
    "deductions.d5_other_work": Label("D5", "Other work-related expenses"),
    "deductions.d6_low_value_pool": Label("D6", "Low-value pool deduction"),
    "deductions.d7_interest": Label("D7", "Interest deductions"),
    "deductions.d8_dividends": Label("D8", "Dividend deductions"),
    "deductions.d9_gifts": Label("D9", "Gifts or donations"),
    "deductions.d10_tax_affairs": Label("D10", "Cost of managing tax affairs"),
    "deductions.d11_foreign_pension": Label(
        "D11", "Deductible amount of undeducted purchase price of a foreign pension or annuity"
    ),
    "deductions.d12_personal_super": Label("D12", "Personal superannuation contributions"),
    "deductions.d13_project_pool": Label("D13", "Deduction for project pool"),
    "deductions.d14_forestry": Label("D14", "Forestry managed investment scheme deduction"),
    "deductions.d15_other": Label("D15", "Other deductions"),
    "offsets.t2_super_income_stream": Label("T2", "Australian superannuation income stream"),
    "offsets.t3_spouse_super": Label("T3", "Superannuation contributions on behalf of your spouse"),
    "offsets.t4_zone_overseas": Label("T4", "Zone or overseas forces"),
    "offsets.t9_other": Label("T9", "Other non-refundable tax offsets"),
    "spouse.taxable_income": Label("Spouse", "Your spouse's taxable income"),
    "help.balance": Label("HELP", "Study and training loan balance"),
}

SITUATION: dict[str, Label] = {
    "residency": Label("Residency", "Australian resident for tax purposes"),
    "months_resident": Label("Residency", "Months resident in the income year"),
    "sapto_eligible": Label("T1", "Seniors and pensioners tax offset: eligible"),
    "private_health.hospital_cover_months": Label(
        "M2", "Months of private patient hospital cover (Medicare levy surcharge)"
    ),
    "spouse.has_spouse": Label("Spouse", "Had a spouse during the year"),
    "dependants": Label("M1", "Number of dependent children"),
    "help.has_debt": Label("HELP", "Study and training loan debt"),
    "income.business.small_business_entity": Label(
        "P", "Small business entity (small business income tax offset)"
    ),
}

DEDUCTION_FIELDS = tuple(
    path.split(".", 1)[1] for path in FIGURES if path.startswith("deductions.")
)
OFFSET_FIELDS = tuple(path.split(".", 1)[1] for path in FIGURES if path.startswith("offsets."))


def label_of(path: str) -> Label | None:
    """The label of a figure or situation field, its list indexes written as `*`."""
    generic = ".".join("*" if part.isdigit() else part for part in path.split("."))
    return FIGURES.get(generic) or SITUATION.get(generic) or SECTIONS.get(generic)
