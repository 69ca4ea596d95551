"""Regexes of rules: what users write compiles; the catastrophic shapes are refused."""

from __future__ import annotations

import time

import pytest

from fiscus.rules.patterns import MAX_TEXT, InvalidPattern, compile_pattern


@pytest.mark.parametrize(
    "pattern",
    [
        r"^sq \*.*coffee",
        r"\bwoolworths\b",
        r"amzn|amazon",
        r"(foo|bar) baz",
        r"uber\s?eats",
        r"^(?:netflix|spotify)\b",
        r"ref\d{4,8}$",
        r"[a-z]+ pty ltd",
        r"(?i)coles(?! express)",
    ],
)
def test_patterns_people_write_compile_and_ignore_case(pattern: str) -> None:
    compiled = compile_pattern(pattern, "conditions.payee.value")
    assert compiled.flags & 2  # re.IGNORECASE


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(a+)+$", "nested quantifiers"),
        ("(a*)*b", "nested quantifiers"),
        (r"(\w+\s?)*$", "nested quantifiers"),
        ("(x|xx)+y", "group of alternatives"),
        (r"(a)\1", "back-reference"),
        (".*a.*b", "open-ended"),
        (".{0,100}a.{0,100}b", "open-ended"),
        ("a{1,1000}", "more than 100"),
        ("a{2}b{2}c{2}d{2}e{2}", "more than 4 quantifiers"),
        ("x" * 201, "at most 200"),
        ("wool(worths", "not a valid regular expression"),
    ],
)
def test_unsafe_or_broken_patterns_are_refused_naming_the_field(pattern: str, why: str) -> None:
    with pytest.raises(InvalidPattern) as refused:
        compile_pattern(pattern, "conditions.description.value")
    assert refused.value.field == "conditions.description.value"
    assert why in refused.value.detail


def test_an_accepted_pattern_on_a_hostile_text_of_the_longest_length_finishes() -> None:
    """A shape near the budget on the longest text matched: a behaviour check (it
    finishes and answers), the time is only printed."""
    pattern = compile_pattern(r".{0,40}a.{0,100}b", "conditions.payee.value")
    started = time.perf_counter()
    assert pattern.search(("a" * MAX_TEXT)[:MAX_TEXT]) is None
    print(f"worst accepted search: {time.perf_counter() - started:.3f} s")
