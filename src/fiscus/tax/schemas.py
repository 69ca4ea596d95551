"""Request and response shapes of the tax calculators (amounts are decimal strings)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from fiscus.tax.rules import YEARS

Amount = Annotated[
    str,
    StringConstraints(pattern=r"^\d{1,12}(\.\d{1,2})?$"),
    Field(description='non-negative decimal string, e.g. "85000.00"'),
]
SignedAmount = Annotated[
    str,
    StringConstraints(pattern=r"^-?\d{1,12}(\.\d{1,2})?$"),
    Field(description='decimal string, may be negative, e.g. "-1200.00"'),
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
ResidencyName = Literal["resident", "foreign", "whm"]


def _known_year(year: str) -> str:
    if year not in YEARS:
        raise ValueError(f"unknown income year; supported: {', '.join(YEARS)}")
    return year


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Item(Strict):
    label: Label
    amount: Amount


class Gain(Strict):
    amount: Amount = Field(description="capital gain before losses and discount")
    months_held: int = Field(ge=0, le=1200)


class FamilyIn(Strict):
    spouse: bool = False
    spouse_taxable_income: Amount = "0"
    dependants: int = Field(default=0, ge=0, le=30)


class YearField(Strict):
    year: str = Field(description='income year, e.g. "2024-25"')

    @field_validator("year")
    @classmethod
    def _year(cls, year: str) -> str:
        return _known_year(year)


class CalculateRequest(YearField):
    residency: ResidencyName
    taxable_income: Amount | None = None
    income: list[Item] | None = Field(default=None, max_length=200)
    deductions: list[Item] = Field(default_factory=list, max_length=200)
    capital_gains: list[Gain] = Field(default_factory=list, max_length=200)
    capital_losses: Amount = "0"
    months_resident: int = Field(default=12, ge=1, le=12)
    family: FamilyIn | None = None
    private_hospital_cover: bool = False
    sapto_eligible: bool = False
    help_debt: bool | Amount | None = Field(
        default=None, description="outstanding study-loan balance, or true when not known"
    )
    business_income: SignedAmount = Field(default="0", description="net small business income")
    franking_credits: Amount = "0"
    tax_withheld: Amount = "0"


class LineOut(BaseModel):
    step: str
    amount: str
    effect: Literal["tax", "offset", "credit", "info"]
    detail: str
    rate: str | None
    rule: str
    source: str


class CalculateResponse(BaseModel):
    year: str
    provisional: bool
    provisional_notes: list[str]
    taxable_income: str
    income_tax: str = Field(description="tax on taxable income before any offset")
    medicare_levy: str
    medicare_levy_surcharge: str
    lito: str
    lmito: str
    sapto: str
    sbito: str
    franking_credits: str
    help_repayment: str
    total_tax: str = Field(
        description="income tax - non-refundable offsets + Medicare levy + surcharge + HELP"
    )
    tax_withheld: str
    refund_or_owed: str = Field(description="positive: refund; negative: amount owed")
    lines: list[LineOut]


class YearOut(BaseModel):
    year: str
    starts: date
    ends: date
    provisional: bool
    notes: list[str]


class BracketOut(BaseModel):
    above: str
    up_to: str | None
    base_tax: str
    rate: str


class BracketsResponse(BaseModel):
    year: str
    residency: ResidencyName
    provisional: bool
    provisional_notes: list[str]
    rule: str
    source: str
    brackets: list[BracketOut]


class WorkFromHomeRequest(YearField):
    method: Literal["shortcut", "fixed_rate", "actual_cost"]
    hours: Annotated[str, StringConstraints(pattern=r"^\d{1,5}(\.\d{1,2})?$")] | None = None
    period_start: date | None = Field(default=None, description="default: start of the year")
    period_end: date | None = Field(default=None, description="default: end of the year")
    actual_costs: Amount | None = None
    other_costs: Amount = Field(
        default="0", description="costs claimable on top of a fixed rate (e.g. depreciation)"
    )


class WorkFromHomeResponse(BaseModel):
    year: str
    method: str
    hours: str | None
    cents_per_hour: str | None
    deduction: str
    detail: str
    rule: str
    source: str


class EstimateRequest(YearField):
    salary: Amount
    residency: ResidencyName = "resident"
    private_hospital_cover: bool = Field(
        default=True, description="default true: no Medicare levy surcharge in the estimate"
    )
    help_debt: bool = Field(default=False, description="add the compulsory study-loan repayment")


class Net(BaseModel):
    year: str
    month: str
    fortnight: str
    week: str


class EstimateResponse(BaseModel):
    year: str
    provisional: bool
    provisional_notes: list[str]
    salary: str
    income_tax: str = Field(description="income tax after LITO/LMITO")
    medicare_levy: str
    medicare_levy_surcharge: str
    help_repayment: str
    total_tax: str
    net: Net
