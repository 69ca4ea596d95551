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
from collections.abc import Iterator
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


Lines = AccountResult | list[AccountResult]  # one line, or the lines of a repeated key


def _side(lines: Lines) -> Side:
    if not isinstance(lines, list):
        return Side(lines.number, lines.name, lines.net, (lines,), lines)
    first = lines[0]
    net = sum((a.net for a in lines), Decimal(0))
    return Side(first.number, first.name, net, tuple(lines), max(lines, key=lambda a: abs(a.net)))


@dataclass(slots=True)
class Pair:
    key: str
    match: Literal["number", "name"] | None
    current: Side | None
    prior: Side | None


# Keys are strings, "#" + number or "~" + normalised name: strings are not tracked by the
# garbage collector, tuples and lists are. A pair of large files builds few long-lived
# tracked objects here (a list only for a repeated key; the `Side`s and `Pair`s are made
# as they are consumed), because full collections over the analyses' objects were more
# than half the comparison's time.
def _grouped(accounts: tuple[AccountResult, ...]) -> dict[str, Lines]:
    groups: dict[str, Lines] = {}
    for a in accounts:
        number = number_key(a.number)
        key = "#" + number if number is not None else "~" + name_key(a.name)
        found = groups.get(key)
        if found is None:
            groups[key] = a
        elif isinstance(found, list):
            found.append(a)
        else:
            groups[key] = [found, a]
    return groups


def _name(lines: Lines) -> str:
    return name_key((lines[0] if isinstance(lines, list) else lines).name)


def pair_accounts(
    current: tuple[AccountResult, ...], prior: tuple[AccountResult, ...]
) -> Iterator[Pair]:
    """The pairs in the current file's order, then the removed accounts in the prior
    file's order."""
    now, then = _grouped(current), _grouped(prior)
    left_now = [k for k in now if k not in then or k[0] == "~"]
    left_then = [k for k in then if k not in now or k[0] == "~"]
    names_now = Counter(_name(now[k]) for k in left_now)
    names_then = Counter(_name(then[k]) for k in left_then)
    then_by_name = {_name(then[k]): k for k in left_then}
    paired_then: set[str] = set()
    for key, lines in now.items():
        if key[0] == "#" and key in then:
            yield Pair(key[1:], "number", _side(lines), _side(then[key]))
            continue
        name = _name(lines)
        if names_now[name] == 1 and names_then.get(name) == 1:
            prior_key = then_by_name[name]
            paired_then.add(prior_key)
            yield Pair(key[1:], "name", _side(lines), _side(then[prior_key]))
        else:
            yield Pair(key[1:], None, _side(lines), None)
    for key in left_then:
        if key not in paired_then:
            yield Pair(key[1:], None, None, _side(then[key]))
