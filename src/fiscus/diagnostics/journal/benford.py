"""Benford's law on the journal lines' amounts, with the trial balance's statistics
(`analysis/benford.py`: MAD against Nigrini's conformity ranges, the same minimum
populations). Amounts below 10 are left out (Nigrini: small amounts follow other
patterns and distort the first-digit test); each line counts once, whichever side.
Below 500 amounts (first digit) or 1,000 (first two digits) the answer says
`population_too_small` and gives no MAD.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fiscus.diagnostics.analysis.benford import (
    EXPECTED_FIRST,
    EXPECTED_TWO,
    FIRST_DIGIT_LIMITS,
    FIRST_DIGIT_MIN,
    FIRST_TWO_LIMITS,
    FIRST_TWO_MIN,
    judge,
    mad,
)
from fiscus.diagnostics.journal.lines import JournalLine

SMALLEST = Decimal(10)


def _leading(amount: Decimal) -> tuple[int, int]:
    digits = amount.normalize().as_tuple().digits
    return digits[0], digits[0] * 10 + (digits[1] if len(digits) > 1 else 0)


def _test(
    name: str,
    values: list[int],
    expected: dict[int, float],
    minimum: int,
    limits: tuple[float, float, float],
) -> dict[str, Any]:
    body: dict[str, Any] = {"test": name, "population": len(values), "minimum": minimum}
    if len(values) < minimum:
        return body | {
            "status": "population_too_small",
            "mad": None,
            "reason": f"{len(values)} amounts of 10 or more; the test needs at least {minimum}.",
        }
    counts = dict.fromkeys(expected, 0)
    for value in values:
        counts[value] += 1
    deviation = mad(values, expected)
    return body | {
        "status": judge(deviation, limits),
        "mad": round(deviation, 6),
        "observed": {str(d): round(c / len(values), 4) for d, c in counts.items()},
        "expected": {str(d): round(p, 4) for d, p in expected.items()},
    }


def benford(lines: Sequence[JournalLine]) -> dict[str, Any]:
    pairs = [_leading(line.amount) for line in lines if line.amount >= SMALLEST]
    first = [a for a, _ in pairs]
    two = [b for _, b in pairs]
    return {
        "first_digit": _test(
            "first_digit", first, EXPECTED_FIRST, FIRST_DIGIT_MIN, FIRST_DIGIT_LIMITS
        ),
        "first_two_digits": _test(
            "first_two_digits", two, EXPECTED_TWO, FIRST_TWO_MIN, FIRST_TWO_LIMITS
        ),
    }
