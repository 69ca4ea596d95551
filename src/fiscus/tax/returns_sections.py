"""The sections of a tax return as Pydantic models: what is validated and stored.

Every amount is a **figure** `{amount, source, transaction_ids}`: `source` is `user`
(typed by a person) or `prefill` (proposed from the books and accepted), and
`transaction_ids` are the ledger transactions a prefilled figure came from. A bare
decimal string is accepted wherever a figure is (it means a user figure), so
`"gross": "1200.00"` and `"gross": {"amount": "1200.00"}` are the same. Amounts are
stored with exactly two decimal places.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
_ABN_WEIGHTS = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
_SIGNED = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")


def _amount(text: str) -> str:
    if not _AMOUNT.match(text):
        raise ValueError('must be a non-negative amount with at most 2 decimals, e.g. "1234.50"')
    return str(Decimal(text).quantize(Decimal("0.01")))


def _signed(text: str) -> str:
    if not _SIGNED.match(text):
        raise ValueError('must be an amount with at most 2 decimals, e.g. "-1234.50"')
    return str(Decimal(text).quantize(Decimal("0.01")))


def _abn(text: str | None) -> str | None:
    if text is None:
        return None
    digits = text.replace(" ", "")
    if not re.fullmatch(r"\d{11}", digits):
        raise ValueError("an ABN has 11 digits")
    # The ABR's check: subtract 1 from the first digit; the weighted sum is divisible by 89.
    values = [int(digits[0]) - 1, *(int(d) for d in digits[1:])]
    if sum(v * w for v, w in zip(values, _ABN_WEIGHTS, strict=True)) % 89:
        raise ValueError("not a valid ABN (its check digits do not match)")
    return digits


Amount = Annotated[str, AfterValidator(_amount)]
SignedAmount = Annotated[str, AfterValidator(_signed)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _shorthand(value: Any) -> Any:
    return {"amount": value} if isinstance(value, str) else value


class _Provenance(Strict):
    source: Literal["user", "prefill"] = "user"
    transaction_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10_000)


class Figure(_Provenance):
    amount: Amount = "0.00"


class SignedFigure(_Provenance):
    amount: SignedAmount = "0.00"


Fig = Annotated[Figure, BeforeValidator(_shorthand)]
SignedFig = Annotated[SignedFigure, BeforeValidator(_shorthand)]


def _nil() -> Any:
    return Field(default_factory=Figure)


def _signed_nil() -> Any:
    return Field(default_factory=SignedFigure)


class Payer(Strict):
    """Label 1: one payment summary (income statement)."""

    payer_name: Text
    payer_abn: Annotated[str | None, AfterValidator(_abn)] = None
    gross: Fig = _nil()
    tax_withheld: Fig = _nil()


class Earnings(Strict):
    amount: Fig = _nil()
    tax_withheld: Fig = _nil()


class Interest(Strict):
    gross: Fig = _nil()
    tfn_withheld: Fig = _nil()


class Dividends(Strict):
    unfranked: Fig = _nil()
    franked: Fig = _nil()
    franking_credits: Fig = _nil()
    tfn_withheld: Fig = _nil()


class EmployeeShares(Strict):
    upfront_eligible: Fig = _nil()
    upfront_ineligible: Fig = _nil()
    deferral: Fig = _nil()
    tfn_withheld: Fig = _nil()


class Business(Strict):
    net_income: SignedFig = _signed_nil()
    small_business_entity: bool = False


class CapitalGainEntry(Strict):
    description: Text
    acquired_on: date
    disposed_on: date
    cost_base: Fig = _nil()
    proceeds: Fig = _nil()

    @field_validator("disposed_on")
    @classmethod
    def _order(cls, disposed_on: date, info: ValidationInfo) -> date:
        acquired_on = info.data.get("acquired_on")
        if acquired_on is not None and disposed_on < acquired_on:
            raise ValueError("disposed_on is before acquired_on")
        return disposed_on


class CapitalGains(Strict):
    entries: list[CapitalGainEntry] = Field(default_factory=list, max_length=500)
    losses_brought_forward: Fig = _nil()


class Rent(Strict):
    gross: Fig = _nil()
    interest: Fig = _nil()
    capital_works: Fig = _nil()
    other_deductions: Fig = _nil()


class OtherIncome(Strict):
    description: Text
    amount: Fig = _nil()


class Income(Strict):
    salary_wages: list[Payer] = Field(default_factory=list, max_length=100)
    allowances: Earnings = Field(default_factory=Earnings)
    government_allowances: Earnings = Field(default_factory=Earnings)
    interest: Interest = Field(default_factory=Interest)
    dividends: Dividends = Field(default_factory=Dividends)
    employee_shares: EmployeeShares = Field(default_factory=EmployeeShares)
    business: Business = Field(default_factory=Business)
    capital_gains: CapitalGains = Field(default_factory=CapitalGains)
    rent: Rent = Field(default_factory=Rent)
    other: list[OtherIncome] = Field(default_factory=list, max_length=100)


class Deductions(Strict):
    d1_car: Fig = _nil()
    d2_travel: Fig = _nil()
    d3_clothing: Fig = _nil()
    d4_self_education: Fig = _nil()
    d5_other_work: Fig = _nil()
    d6_low_value_pool: Fig = _nil()
    d7_interest: Fig = _nil()
    d8_dividends: Fig = _nil()
    d9_gifts: Fig = _nil()
    d10_tax_affairs: Fig = _nil()
    d11_foreign_pension: Fig = _nil()
    d12_personal_super: Fig = _nil()
    d13_project_pool: Fig = _nil()
    d14_forestry: Fig = _nil()
    d15_other: Fig = _nil()


class Offsets(Strict):
    """Non-refundable offsets the person claims, as the offset amount itself (SAPTO,
    LITO, LMITO and SBITO are worked out by the engine, not entered)."""

    t2_super_income_stream: Fig = _nil()
    t3_spouse_super: Fig = _nil()
    t4_zone_overseas: Fig = _nil()
    t9_other: Fig = _nil()


class PrivateHealth(Strict):
    hospital_cover_months: int = Field(default=0, ge=0, le=12)


class Spouse(Strict):
    has_spouse: bool = False
    taxable_income: Amount = "0.00"

    @field_validator("taxable_income")
    @classmethod
    def _needs_spouse(cls, amount: str, info: ValidationInfo) -> str:
        if not info.data.get("has_spouse") and Decimal(amount):
            raise ValueError("a spouse's taxable income needs has_spouse true")
        return amount


class StudyLoan(Strict):
    has_debt: bool = False
    balance: Amount | None = Field(default=None, description="outstanding; null: not known")

    @field_validator("balance")
    @classmethod
    def _needs_debt(cls, balance: str | None, info: ValidationInfo) -> str | None:
        if not info.data.get("has_debt") and balance is not None:
            raise ValueError("a loan balance needs has_debt true")
        return balance


class ReturnData(Strict):
    """Everything of a return but who and which year: the stored JSON document."""

    residency: Literal["resident", "foreign", "whm"] = "resident"
    months_resident: int = Field(default=12, ge=1, le=12)
    sapto_eligible: bool = False
    income: Income = Field(default_factory=Income)
    deductions: Deductions = Field(default_factory=Deductions)
    offsets: Offsets = Field(default_factory=Offsets)
    private_health: PrivateHealth = Field(default_factory=PrivateHealth)
    spouse: Spouse = Field(default_factory=Spouse)
    dependants: int = Field(default=0, ge=0, le=30)
    help: StudyLoan = Field(default_factory=StudyLoan)
