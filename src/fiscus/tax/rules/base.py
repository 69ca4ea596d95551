"""Types of the per-year tax rules: every figure travels with the source it comes from.

All amounts are `Decimal` dollars; rates are fractions (`Decimal("0.19")` is 19 %).
A bracket `(threshold, base_tax, rate)` means: on income above `threshold`, tax is
`base_tax` plus `rate` of the excess (the ATO's own table layout).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: an Act provision and/or an ATO page."""

    title: str
    url: str


@dataclass(frozen=True)
class Bracket:
    threshold: Decimal
    base_tax: Decimal
    rate: Decimal


@dataclass(frozen=True)
class RateScale:
    brackets: tuple[Bracket, ...]
    source: Source


@dataclass(frozen=True)
class PartYearThreshold:
    """Tax-free threshold of a part-year resident: minimum + extra x months / 12."""

    minimum: Decimal
    pro_rata_extra: Decimal
    source: Source


@dataclass(frozen=True)
class MedicareLevy:
    rate: Decimal
    shade_in_rate: Decimal
    single: Decimal
    family: Decimal
    per_dependant: Decimal
    senior_single: Decimal
    senior_family: Decimal
    source: Source


@dataclass(frozen=True)
class SurchargeTier:
    single_above: Decimal
    family_above: Decimal
    rate: Decimal


@dataclass(frozen=True)
class MedicareLevySurcharge:
    tiers: tuple[SurchargeTier, ...]
    per_child_after_first: Decimal
    source: Source


@dataclass(frozen=True)
class Withdrawal:
    """Offset reduced by `rate` for each dollar of income above `start`."""

    start: Decimal
    rate: Decimal


@dataclass(frozen=True)
class LowIncomeOffset:
    maximum: Decimal
    withdrawals: tuple[Withdrawal, ...]
    source: Source


@dataclass(frozen=True)
class LowMiddleIncomeOffset:
    base: Decimal
    phase_in_start: Decimal
    phase_in_rate: Decimal
    maximum: Decimal
    phase_out_start: Decimal
    phase_out_rate: Decimal
    nil_above: Decimal
    source: Source


@dataclass(frozen=True)
class SeniorsOffsetCategory:
    maximum: Decimal
    shade_out_threshold: Decimal


@dataclass(frozen=True)
class SeniorsOffset:
    single: SeniorsOffsetCategory
    couple_each: SeniorsOffsetCategory
    couple_separated_illness: SeniorsOffsetCategory
    shade_out_rate: Decimal
    source: Source


@dataclass(frozen=True)
class SmallBusinessOffset:
    rate: Decimal
    cap: Decimal
    turnover_below: Decimal
    source: Source


@dataclass(frozen=True)
class RepaymentBand:
    """From `from_income` (inclusive) the whole repayment income is repaid at `rate`."""

    from_income: Decimal
    rate: Decimal


@dataclass(frozen=True)
class StudyLoanRepayment:
    """Either the band system (to 2024-25) or the marginal one (from 2025-26).

    Marginal: `brackets` as for income tax, and from `total_rate_from` the repayment is
    `total_rate` of the whole repayment income instead.
    """

    bands: tuple[RepaymentBand, ...]
    brackets: tuple[Bracket, ...]
    total_rate_from: Decimal | None
    total_rate: Decimal | None
    source: Source


@dataclass(frozen=True)
class CapitalGainsDiscount:
    rate: Decimal
    min_months_held: int
    source: Source


@dataclass(frozen=True)
class FrankingCredits:
    refundable: bool
    source: Source


@dataclass(frozen=True)
class WorkFromHomeMethod:
    name: str
    cents_per_hour: Decimal | None  # None: actual cost
    starts: dt.date
    ends: dt.date
    source: Source


@dataclass(frozen=True)
class YearRules:
    year: str
    starts: dt.date
    ends: dt.date
    resident: RateScale
    foreign: RateScale
    whm: RateScale
    part_year: PartYearThreshold
    medicare: MedicareLevy
    surcharge: MedicareLevySurcharge
    lito: LowIncomeOffset
    lmito: LowMiddleIncomeOffset | None
    sapto: SeniorsOffset
    sbito: SmallBusinessOffset
    help: StudyLoanRepayment
    cgt: CapitalGainsDiscount
    franking: FrankingCredits
    work_from_home: tuple[WorkFromHomeMethod, ...]
    provisional_notes: tuple[str, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_notes)


def d(text: str) -> Decimal:
    return Decimal(text)


def scale(source: Source, *rows: tuple[str, str, str]) -> RateScale:
    return RateScale(tuple(Bracket(d(t), d(b), d(r)) for t, b, r in rows), source)
