"""Rounding rules of the engine (see tax/docs.md, "Rounding").

Taxable income is whole dollars with the cents dropped, as the return does. Amounts are
worked out exactly with `Decimal` and only then brought to cents: liabilities drop
fractions of a cent and offsets round them up, so a fraction always favours the taxpayer.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def whole_dollars(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_DOWN)


def liability(amount: Decimal) -> Decimal:
    return max(amount, Decimal(0)).quantize(CENT, rounding=ROUND_DOWN)


def offset(amount: Decimal) -> Decimal:
    return max(amount, Decimal(0)).quantize(CENT, rounding=ROUND_UP)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def pct(rate: Decimal) -> str:
    """0.325 -> '32.5%' for explanations."""
    return f"{(rate * 100).normalize():f}%"
