"""Pure rules of postings: balancing per currency and the kind of an entry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money

BALANCE_SHEET = ("asset", "liability", "equity")
CATEGORY_TYPES = ("income", "expense")


class Unbalanced(InvalidInput):
    """The postings do not sum to zero in each currency."""

    code = "unbalanced"


@dataclass(frozen=True, slots=True)
class Leg:
    account_id: uuid.UUID
    account_type: str
    amount: Money


def check_balanced(amounts: list[Money]) -> None:
    """Raise naming every currency whose postings do not sum to zero, and by how much."""
    totals: dict[str, Money] = {}
    for amount in amounts:
        totals[amount.currency] = totals.get(amount.currency, Money.zero(amount.currency)) + amount
    problems = [
        f"{currency} debits exceed credits by {total.to_json()}"
        if not total.is_negative
        else f"{currency} credits exceed debits by {(-total).to_json()}"
        for currency, total in sorted(totals.items())
        if not total.is_zero
    ]
    if problems:
        detail = "Postings must sum to zero in each currency: " + "; ".join(problems) + "."
        raise Unbalanced(detail, field="postings")


def entry_kind(legs: list[Leg]) -> str:
    """`income`, `expense` or `transfer` for a two-leg entry of that shape, else `journal`.

    The read side rebuilds the people's view from the stored kind and the two postings.
    """
    if len(legs) != 2 or legs[0].amount.currency != legs[1].amount.currency:
        return "journal"
    debit, credit = sorted(legs, key=lambda leg: leg.amount.is_negative)
    if debit.amount.is_negative or not credit.amount.is_negative:
        return "journal"
    types = (debit.account_type, credit.account_type)
    if types[0] == "expense" and types[1] in BALANCE_SHEET:
        return "expense"
    if types[0] in BALANCE_SHEET and types[1] == "income":
        return "income"
    if types[0] in BALANCE_SHEET and types[1] in BALANCE_SHEET:
        return "transfer"
    return "journal"


def gross(amounts: list[Money]) -> Money:
    """The size of an entry: its debits in the currency of its first posting (what the
    transaction list filters and sorts by)."""
    currency = amounts[0].currency
    total = sum(a.minor_units for a in amounts if a.currency == currency and a.minor_units > 0)
    return Money.from_minor(total, currency)
