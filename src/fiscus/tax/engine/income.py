"""Taxable income from itemised income, capital gains and deductions."""

from __future__ import annotations

from decimal import Decimal

from fiscus.tax.engine.model import Effect, Itemised, Line
from fiscus.tax.engine.rounding import cents, whole_dollars
from fiscus.tax.rules.base import YearRules

ZERO = Decimal(0)
TAXABLE_INCOME_RULE = "ITAA 1997 s 4-15 (assessable income less deductions); whole dollars"
TAXABLE_INCOME_URL = "https://www.ato.gov.au/individuals-and-families/your-tax-return"


def net_capital_gain(rules: YearRules, itemised: Itemised) -> tuple[Decimal, Decimal]:
    """(net capital gain, discount applied): losses first against non-discountable gains.

    Losses left over are carried forward, never negative income (ITAA 1997 s 102-5).
    """
    months = rules.cgt.min_months_held
    discountable = sum((g.amount for g in itemised.capital_gains if g.months_held >= months), ZERO)
    other = sum((g.amount for g in itemised.capital_gains if g.months_held < months), ZERO)
    losses = itemised.capital_losses
    used_on_other = min(losses, other)
    other -= used_on_other
    discountable = max(discountable - (losses - used_on_other), ZERO)
    discount = cents(discountable * rules.cgt.rate)
    return other + discountable - discount, discount


def itemised_taxable_income(rules: YearRules, itemised: Itemised, lines: list[Line]) -> Decimal:
    for label, amount in itemised.income:
        lines.append(
            Line("income", amount, Effect.INFO, label, TAXABLE_INCOME_RULE, TAXABLE_INCOME_URL)
        )
    gain, discount = net_capital_gain(rules, itemised)
    if itemised.capital_gains:
        lines.append(
            Line(
                "net_capital_gain",
                gain,
                Effect.INFO,
                f"capital gains less losses less CGT discount of {discount}",
                rules.cgt.source.title,
                rules.cgt.source.url,
                rules.cgt.rate,
            )
        )
    for label, amount in itemised.deductions:
        lines.append(
            Line("deduction", amount, Effect.INFO, label, TAXABLE_INCOME_RULE, TAXABLE_INCOME_URL)
        )
    income = sum((amount for _, amount in itemised.income), ZERO) + gain
    deductions = sum((amount for _, amount in itemised.deductions), ZERO)
    return whole_dollars(max(income - deductions, ZERO))
