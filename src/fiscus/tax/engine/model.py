"""Inputs and results of the engine (plain frozen dataclasses, Decimal dollars)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Residency(StrEnum):
    RESIDENT = "resident"
    FOREIGN = "foreign"
    WHM = "whm"


@dataclass(frozen=True)
class Family:
    spouse: bool = False
    spouse_taxable_income: Decimal = Decimal(0)
    dependants: int = 0

    @property
    def is_family(self) -> bool:
        return self.spouse or self.dependants > 0


@dataclass(frozen=True)
class CapitalGain:
    amount: Decimal
    months_held: int


@dataclass(frozen=True)
class Itemised:
    income: tuple[tuple[str, Decimal], ...] = ()
    deductions: tuple[tuple[str, Decimal], ...] = ()
    capital_gains: tuple[CapitalGain, ...] = ()
    capital_losses: Decimal = Decimal(0)


@dataclass(frozen=True)
class TaxInput:
    year: str
    residency: Residency
    taxable_income: Decimal | None = None
    itemised: Itemised | None = None
    months_resident: int = 12
    family: Family = field(default_factory=Family)
    private_hospital_cover: bool = False
    sapto_eligible: bool = False
    help_debt: Decimal | None = None  # outstanding balance; None: no study loan
    business_income: Decimal = Decimal(0)
    franking_credits: Decimal = Decimal(0)
    tax_withheld: Decimal = Decimal(0)


class Effect(StrEnum):
    """How a line moves the result: adds to total tax, reduces it, or credits the refund."""

    TAX = "tax"
    OFFSET = "offset"
    CREDIT = "credit"
    INFO = "info"


@dataclass(frozen=True)
class Line:
    step: str
    amount: Decimal
    effect: Effect
    detail: str
    rule: str
    source: str
    rate: Decimal | None = None


@dataclass(frozen=True)
class TaxResult:
    year: str
    provisional: bool
    provisional_notes: tuple[str, ...]
    taxable_income: Decimal
    income_tax: Decimal
    medicare_levy: Decimal
    medicare_levy_surcharge: Decimal
    lito: Decimal
    lmito: Decimal
    sapto: Decimal
    sbito: Decimal
    franking_credits: Decimal
    help_repayment: Decimal
    total_tax: Decimal
    tax_withheld: Decimal
    refund_or_owed: Decimal
    lines: tuple[Line, ...]
