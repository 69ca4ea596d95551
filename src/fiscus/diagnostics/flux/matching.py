"""Pairing the accounts of two periods: by account number, else by normalised name.

1. Lines are grouped per period by their key: the number (spaces removed, case
   ignored) when the line has one, else the normalised name. A number listed twice in
   one file is one account for the comparison (its nets added), as the ledger would
   hold it; the analysis reports the duplicate itself.
2. Groups whose number appears in both periods are paired (`match: "number"`).
3. What is left on each side is paired by normalised name when that name is unique
   among the leftovers of both sides (`match: "name"`): an account that lost or gained
   its number, or was renumbered. An ambiguous name is never guessed.
4. The rest are new (current only) or removed (prior only) accounts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from fiscus.diagnostics.analysis.types import AccountResult

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def number_key(number: str | None) -> str | None:
    if number is None:
        return None
    key = ("".join(number.split()) if " " in number else number).casefold()
    return key or None


def name_key(name: str) -> str:
    """Case, punctuation and spacing ignored, '&' read as 'and': "Trade Debtors &
    Accruals" and "trade debtors and accruals" are one name."""
    text = name.casefold().replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__,
# which doubles the cost of the million of these a large pair of files builds.
@dataclass(slots=True)
class Side:
    """One account in one period: its lines combined. The first line gives the number,
    name and line; `main`, the line with the largest balance, the classification."""

    number: str | None
    name: str
    net: Decimal
    lines: tuple[AccountResult, ...]
    main: AccountResult


def _side(group: list[AccountResult]) -> Side:
    first = group[0]
    if len(group) == 1:
        return Side(first.number, first.name, first.net, (first,), first)
    net = sum((a.net for a in group), Decimal(0))
    return Side(first.number, first.name, net, tuple(group), max(group, key=lambda a: abs(a.net)))


@dataclass(slots=True)
class Pair:
    key: str
    match: Literal["number", "name"] | None
    current: Side | None
    prior: Side | None


def _grouped(accounts: tuple[AccountResult, ...]) -> dict[tuple[str, str], Side]:
    lines: dict[tuple[str, str], list[AccountResult]] = {}
    for a in accounts:
        number = number_key(a.number)
        key = ("number", number) if number is not None else ("name", name_key(a.name))
        lines.setdefault(key, []).append(a)
    return {key: _side(group) for key, group in lines.items()}


def pair_accounts(
    current: tuple[AccountResult, ...], prior: tuple[AccountResult, ...]
) -> list[Pair]:
    """The pairs in the current file's order, then the removed accounts in the prior
    file's order."""
    now, then = _grouped(current), _grouped(prior)
    by_number = {k for k in now if k[0] == "number" and k in then}
    left_now = {k: s for k, s in now.items() if k not in by_number}
    left_then = {k: s for k, s in then.items() if k not in by_number}
    names_now = Counter(name_key(s.name) for s in left_now.values())
    names_then = Counter(name_key(s.name) for s in left_then.values())
    then_by_name = {name_key(s.name): k for k, s in left_then.items()}
    paired_then: set[tuple[str, str]] = set()
    pairs: list[Pair] = []
    for key, side in now.items():
        if key in by_number:
            pairs.append(Pair(key[1], "number", side, then[key]))
            continue
        name = name_key(side.name)
        if names_now[name] == 1 and names_then.get(name) == 1:
            prior_key = then_by_name[name]
            paired_then.add(prior_key)
            pairs.append(Pair(key[1], "name", side, then[prior_key]))
        else:
            pairs.append(Pair(key[1], None, side, None))
    for key, side in then.items():
        if key not in by_number and key not in paired_then:
            pairs.append(Pair(key[1], None, None, side))
    return pairs
