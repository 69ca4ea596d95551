"""Flags and the score of a flagged entry.

Each test raises flags on entries; a flag carries its code, its weight (0-100, below)
and what it found. An entry's score combines its flags like independent pieces of
evidence: `100 x (1 - prod(1 - weight/100))`, rounded half up to a whole number. One flag
scores its own weight; every further flag raises the score, never past 100; a code
counts once per entry (its heaviest flag). The weights say how strongly each finding
alone suggests an entry a reviewer must look at (ISA 240 / AS 2401 characteristics of
fraudulent entries: unbalanced, after the period, round, just below an approval limit,
unusual accounts, keywords of adjustments).

`material_amount` is a modifier, not a test: an entry moving at least the requested
materiality adds it to its other flags, and never flags an entry alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS: dict[str, int] = {
    "unbalanced_entry": 40,
    "post_period_end": 30,
    "just_below_threshold": 25,
    "duplicate_lines": 25,
    "duplicate_amount_description": 20,
    "suspicious_keyword": 20,
    "rare_account": 15,
    "public_holiday_posting": 15,
    "weekend_posting": 10,
    "after_hours_posting": 10,
    "material_amount": 10,
}
# Round amounts are tiered: the rounder, the heavier.
ROUND_WEIGHTS: dict[int, int] = {100_000: 15, 10_000: 10, 1_000: 5}
TESTS = (
    "unbalanced_entry",
    "weekend_posting",
    "public_holiday_posting",
    "after_hours_posting",
    "round_amount",
    "just_below_threshold",
    "duplicate_lines",
    "duplicate_amount_description",
    "rare_account",
    "post_period_end",
    "suspicious_keyword",
)
_HUNDRED = Decimal(100)
_ORDER = {code: i for i, code in enumerate((*TESTS, "material_amount"))}


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    weight: int
    detail: str
    line_nos: tuple[int, ...] = ()


def flag(code: str, detail: str, line_nos: Iterable[int] = (), weight: int | None = None) -> Flag:
    return Flag(code, WEIGHTS[code] if weight is None else weight, detail, tuple(line_nos))


def strongest(flags: Iterable[Flag]) -> list[Flag]:
    """One flag per code, the heaviest (the first of equals), in the order of TESTS."""
    best: dict[str, Flag] = {}
    for item in flags:
        if item.code not in best or item.weight > best[item.code].weight:
            best[item.code] = item
    return sorted(best.values(), key=lambda f: _ORDER[f.code])


def score(flags: Iterable[Flag]) -> int:
    remaining = Decimal(1)
    for item in flags:
        remaining *= 1 - Decimal(item.weight) / _HUNDRED
    value = (_HUNDRED * (1 - remaining)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(value)
