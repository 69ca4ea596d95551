"""Regular expressions of rules, checked at save so that matching stays fast.

Python's `re` backtracks, so a pattern such as `(a+)+$` takes exponential time on a
line of a's, and even `.*.*.*x` polynomial time of a high degree; `re` has no timeout.
Instead of a timeout, a pattern is refused at save (422 naming the field) unless it is
short (at most `MAX_PATTERN` characters) and its parse tree has

- no quantifier inside a quantified group (`(a+)+`, `(a*)*`, `(\\w+\\s?)*`), and no
  alternation inside one (`(a|aa)+`): the shapes of catastrophic backtracking;
- no back-reference (`\\1`, `(?P=name)`), which `re` can only match by backtracking;
- at most `MAX_REPEATS` quantifiers and no bounded repeat above `MAX_BOUND`;
- an estimated worst case within `MAX_STEPS`: a search tries each of the `MAX_TEXT`
  starting positions, and each quantifier may take up to its maximum (an unbounded one up
  to `MAX_TEXT`) characters before backtracking, so the estimate is `MAX_TEXT` times the
  product of the quantifiers' maxima. `.*coffee` (500 x 500) passes; `.*a.*b` (500 x 500
  x 500) does not.

Texts are matched up to `MAX_TEXT` characters (payees are at most 200, descriptions 500),
so the work per match is bounded.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from fiscus.core.errors import InvalidInput

# The standard library's own parser of patterns (untyped, hence looked up by name).
sre: Any = importlib.import_module("re._parser")

MAX_PATTERN = 200
MAX_TEXT = 500
MAX_REPEATS = 4
MAX_BOUND = 100
MAX_STEPS = 2_000_000

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


class InvalidPattern(InvalidInput):
    """The regular expression is not valid or could take too long to match."""

    code = "invalid_regex"


def compile_pattern(value: str, field: str) -> re.Pattern[str]:
    """The compiled pattern (ignoring case), or InvalidPattern naming `field`."""
    if len(value) > MAX_PATTERN:
        raise InvalidPattern(f"must be at most {MAX_PATTERN} characters", field=field)
    try:
        parsed = sre.parse(value)
        compiled = re.compile(value, re.IGNORECASE)
    except re.error as error:
        where = f" at position {error.pos}" if error.pos is not None else ""
        raise InvalidPattern(
            f"is not a valid regular expression: {error.msg}{where}", field=field
        ) from None
    counts = {"repeats": 0, "steps": MAX_TEXT}
    problem = _problem(parsed, counts, inside_repeat=False)
    if problem is None and counts["repeats"] > MAX_REPEATS:
        problem = f"has more than {MAX_REPEATS} quantifiers"
    if problem is None and counts["steps"] > MAX_STEPS:
        problem = "has too many open-ended quantifiers (such as .* twice)"
    if problem:
        raise InvalidPattern(f"could take too long to match: it {problem}", field=field)
    return compiled


def _problem(pattern: Any, counts: dict[str, int], *, inside_repeat: bool) -> str | None:
    for op, av in pattern:
        found = _item_problem(op, av, counts, inside_repeat)
        if found:
            return found
    return None


def _item_problem(op: Any, av: Any, counts: dict[str, int], inside_repeat: bool) -> str | None:
    if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
        return "uses a back-reference"
    if op in _REPEATS:
        _low, high, body = av
        if high > 1:
            if inside_repeat:
                return "repeats a group that itself repeats (nested quantifiers)"
            counts["repeats"] += 1
            if high != sre.MAXREPEAT and high > MAX_BOUND:
                return f"repeats more than {MAX_BOUND} times"
            counts["steps"] *= MAX_TEXT if high == sre.MAXREPEAT else min(high, MAX_TEXT)
        return _problem(body, counts, inside_repeat=inside_repeat or high > 1)
    if op == sre.BRANCH:
        if inside_repeat:
            return "repeats a group of alternatives"
        return next((p for b in av[1] if (p := _problem(b, counts, inside_repeat=False))), None)
    if op == sre.SUBPATTERN:
        return _problem(av[3], counts, inside_repeat=inside_repeat)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return _problem(av[1], counts, inside_repeat=inside_repeat)
    if op == sre.ATOMIC_GROUP:
        return _problem(av, counts, inside_repeat=inside_repeat)
    return None
