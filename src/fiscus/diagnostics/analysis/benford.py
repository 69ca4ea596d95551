"""Benford's law on the accounts' absolute net balances: the first-digit test (digits
1-9) and the first-two-digits test (10-99, balances of 10 or more), each judged by the
mean absolute deviation (MAD) against Nigrini's conformity ranges (Nigrini 2012,
"Benford's Law", table 7.1):

first digit:  <= 0.006 close, <= 0.012 acceptable, <= 0.015 marginal, above: nonconformity
first two:    <= 0.0012 close, <= 0.0018 acceptable, <= 0.0022 marginal, above: nonconformity

Below a population of 500 (first digit) or 1,000 (first two) the test does not mean
much (Nigrini suggests at least 1,000 records); it then reports
`population_too_small` with no MAD. MAD is a statistic, so it is a float.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fiscus.diagnostics.analysis.types import AccountResult, BenfordTest

FIRST_DIGIT_MIN = 500
FIRST_TWO_MIN = 1000
FIRST_DIGIT_LIMITS = (0.006, 0.012, 0.015)
FIRST_TWO_LIMITS = (0.0012, 0.0018, 0.0022)
STATUSES = ("close", "acceptable", "marginal")

EXPECTED_FIRST = {d: math.log10(1 + 1 / d) for d in range(1, 10)}
EXPECTED_TWO = {d: math.log10(1 + 1 / d) for d in range(10, 100)}


def leading_digits(accounts: Sequence[AccountResult]) -> tuple[list[int], list[int]]:
    """First digits of all non-zero balances, first two digits of those >= 10."""
    first: list[int] = []
    two: list[int] = []
    for a in accounts:
        if not a.net:
            continue
        t = a.net.as_tuple()
        digits = t.digits
        first.append(digits[0])
        magnitude = len(digits) + int(t.exponent)  # digits before the decimal point
        if magnitude >= 2:
            two.append(digits[0] * 10 + (digits[1] if len(digits) > 1 else 0))
    return first, two


def mad(values: Sequence[int], expected: dict[int, float]) -> float:
    counts = dict.fromkeys(expected, 0)
    for v in values:
        counts[v] += 1
    n = len(values)
    return sum(abs(counts[d] / n - p) for d, p in expected.items()) / len(expected)


def judge(value: float, limits: tuple[float, float, float]) -> str:
    for limit, status in zip(limits, STATUSES, strict=True):
        if value <= limit:
            return status
    return "nonconformity"


def _test(
    name: str,
    values: list[int],
    expected: dict[int, float],
    minimum: int,
    limits: tuple[float, float, float],
) -> BenfordTest:
    counts = dict.fromkeys(expected, 0)
    for v in values:
        counts[v] += 1
    return _counted(name, counts, len(values), expected, minimum, limits)


def _counted(
    name: str,
    counts: dict[int, int],
    n: int,
    expected: dict[int, float],
    minimum: int,
    limits: tuple[float, float, float],
) -> BenfordTest:
    if n < minimum:
        return BenfordTest(name, n, minimum, "population_too_small", None)  # type: ignore[arg-type]
    value = sum(abs(counts[d] / n - p) for d, p in expected.items()) / len(expected)
    observed = {str(d): round(c / n, 4) for d, c in counts.items()}
    return BenfordTest(name, n, minimum, judge(value, limits), round(value, 6), observed)  # type: ignore[arg-type]


def benford_tests(accounts: Sequence[AccountResult]) -> tuple[BenfordTest, ...]:
    first, two = leading_digits(accounts)
    return (
        _test("first_digit", first, EXPECTED_FIRST, FIRST_DIGIT_MIN, FIRST_DIGIT_LIMITS),
        _test("first_two_digits", two, EXPECTED_TWO, FIRST_TWO_MIN, FIRST_TWO_LIMITS),
    )


def benford_of_counts(first: dict[int, int], two: dict[int, int]) -> tuple[BenfordTest, ...]:
    """The same tests from counts of first digits (1-9) and first two digits (10-99)."""
    first_counts = {d: first.get(d, 0) for d in EXPECTED_FIRST}
    two_counts = {d: two.get(d, 0) for d in EXPECTED_TWO}
    return (
        _counted(
            "first_digit",
            first_counts,
            sum(first_counts.values()),
            EXPECTED_FIRST,
            FIRST_DIGIT_MIN,
            FIRST_DIGIT_LIMITS,
        ),
        _counted(
            "first_two_digits",
            two_counts,
            sum(two_counts.values()),
            EXPECTED_TWO,
            FIRST_TWO_MIN,
            FIRST_TWO_LIMITS,
        ),
    )
