"""Non-refundable offsets: worked out, then applied so income tax never goes below zero."""

from __future__ import annotations

from decimal import Decimal

from fiscus.tax.engine import components as c
from fiscus.tax.engine.model import Effect, Line, Residency, TaxInput
from fiscus.tax.engine.rounding import ZERO, offset
from fiscus.tax.rules.base import Source, YearRules


def entitlements(
    rules: YearRules, inp: TaxInput, income: Decimal, gross: Decimal
) -> list[tuple[str, Decimal, Source, Decimal | None]]:
    """Each offset's full amount before the cap, in the order they are applied."""
    resident = inp.residency is Residency.RESIDENT
    found: list[tuple[str, Decimal, Source, Decimal | None]] = []
    if resident and inp.sapto_eligible:
        sapto = rules.sapto
        category = sapto.couple_each if inp.family.spouse else sapto.single
        amount = c.seniors_offset(category, sapto.shade_out_rate, income)
        found.append(("sapto", amount, sapto.source, sapto.shade_out_rate))
    if resident:
        found.append(("lito", c.low_income_offset(rules.lito, income), rules.lito.source, None))
    if resident and rules.lmito is not None:
        lmito = c.low_middle_income_offset(rules.lmito, income)
        found.append(("lmito", lmito, rules.lmito.source, None))
    if inp.business_income > ZERO:
        sbito = c.small_business_offset(rules.sbito, gross, inp.business_income, income)
        found.append(("sbito", sbito, rules.sbito.source, rules.sbito.rate))
    return found


def apply_offsets(
    rules: YearRules, inp: TaxInput, income: Decimal, gross: Decimal, lines: list[Line]
) -> dict[str, Decimal]:
    """Offsets applied against income tax only (never the Medicare levy), capped at it.

    All four sit in the same class of ITAA 1997 s 63-10 (cannot be refunded, transferred
    or carried forward), so their order only decides which one a cap shortens.
    """
    applied = {name: offset(ZERO) for name in ("sapto", "lito", "lmito", "sbito")}
    remaining = gross
    for name, amount, source, rate in entitlements(rules, inp, income, gross):
        used = min(amount, remaining)
        remaining -= used
        applied[name] = used
        detail = f"entitled to {amount}"
        if used < amount:
            detail += f"; limited to the {used} of income tax left (not refundable)"
        lines.append(Line(name, used, Effect.OFFSET, detail, source.title, source.url, rate))
    return applied
