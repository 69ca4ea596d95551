"""Money: exact construction, parsing, JSON, arithmetic, allocation and conversion."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscus.core.currency import CURRENCIES, UnknownCurrency
from fiscus.core.errors import InvalidInput
from fiscus.core.money import (
    MAX_MINOR_UNITS,
    CurrencyMismatch,
    InvalidAllocation,
    InvalidAmount,
    InvalidRate,
    Money,
    allocate,
    convert,
    minor_units_json,
    sum_money,
)


def aud(text: str) -> Money:
    return Money.parse(text, "AUD")


# --- construction ---------------------------------------------------------------------


def test_construction_quantizes_half_up_away_from_zero() -> None:
    assert Money(Decimal("1.005"), "AUD").amount == Decimal("1.01")
    assert Money(Decimal("-1.005"), "AUD").amount == Decimal("-1.01")
    assert Money(Decimal("1.004"), "AUD").amount == Decimal("1.00")
    assert Money(Decimal("2.5"), "JPY").amount == Decimal("3")
    assert Money(Decimal("1.0005"), "KWD").amount == Decimal("1.001")


def test_construction_keeps_the_currency_exponent() -> None:
    assert str(Money(Decimal(5), "AUD").amount) == "5.00"
    assert str(Money(Decimal("1E+3"), "JPY").amount) == "1000"
    assert Money(7, "AUD").amount == Decimal("7.00")  # type: ignore[arg-type]


def test_equal_amounts_are_equal_and_hash_alike() -> None:
    a, b = Money(Decimal("1"), "AUD"), Money(Decimal("1.000"), "AUD")
    assert a == b
    assert hash(a) == hash(b)
    assert Money(Decimal(1), "AUD") != Money(Decimal(1), "USD")
    assert Money(Decimal(1), "AUD") != "1.00"  # type: ignore[comparison-overlap]


def test_money_is_immutable() -> None:
    money = aud("1.00")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]


def test_float_is_refused() -> None:
    with pytest.raises(TypeError, match="must be a Decimal, not float"):
        Money(0.1, "AUD")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["1.00", True, None])
def test_other_types_are_refused(value: object) -> None:
    with pytest.raises(TypeError, match="must be a Decimal or int, not"):
        Money(value, "AUD")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_non_finite_is_refused(value: str) -> None:
    with pytest.raises(InvalidAmount, match="must be a finite number"):
        Money(Decimal(value), "AUD")


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(UnknownCurrency):
        Money(Decimal(1), "XYZ")


def test_negative_zero_is_plain_zero() -> None:
    zero = Money(Decimal("-0.001"), "AUD")
    assert zero.to_json() == "0.00"
    assert not zero.is_negative
    assert zero.is_zero
    assert Money(Decimal("-0"), "JPY").to_json() == "0"


def test_str_shows_amount_and_currency() -> None:
    assert str(aud("-3.20")) == "-3.20 AUD"


# --- parse ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency", "json"),
    [
        ("1234.5", "AUD", "1234.50"),
        ("1234.56", "AUD", "1234.56"),
        ("-0.05", "AUD", "-0.05"),
        ("-0.00", "AUD", "0.00"),
        ("-0", "AUD", "0.00"),
        ("0007", "AUD", "7.00"),
        ("100", "JPY", "100"),
        ("1.234", "KWD", "1.234"),
        ("1.2", "KWD", "1.200"),
        ("1000000000000000", "AUD", "1000000000000000.00"),
    ],
)
def test_parse_accepts_plain_decimals(text: str, currency: str, json: str) -> None:
    assert Money.parse(text, currency).to_json() == json


def test_parse_minus_zero_is_zero() -> None:
    assert aud("-0.00") == Money.zero("AUD")
    assert not aud("-0.00").is_negative


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Amount is empty"),
        ("1 000", "Amount '1 000' must not contain spaces"),
        (" 1.00", "Amount ' 1.00' must not contain spaces"),
        ("1.00\n", "Amount '1.00\\n' must not contain spaces"),
        ("1,234.50", "Amount '1,234.50' must not contain thousands separators"),
        ("1_234", "Amount '1_234' must not contain thousands separators"),
        ("12,50", "Amount '12,50' must not contain thousands separators; use '.' for decimals"),
        ("+1.00", "Amount '+1.00' must not have a '+' sign"),
        ("1e3", "Amount '1e3' must not use exponent notation; write all the digits"),
        ("1E-2", "Amount '1E-2' must not use exponent notation"),
        ("1.", "Amount '1.' needs digits on both sides of the '.'"),
        (".5", "Amount '.5' needs digits on both sides of the '.'"),
        ("-.5", "Amount '-.5' needs digits on both sides of the '.'"),
        ("-", "Amount '-' is not a decimal number such as '1234.56'"),
        ("--1", "Amount '--1' is not a decimal number such as '1234.56'"),
        ("1.2.3", "Amount '1.2.3' is not a decimal number such as '1234.56'"),
        ("NaN", "Amount 'NaN' is not a decimal number such as '1234.56'"),
        ("Infinity", "Amount 'Infinity' is not a decimal number such as '1234.56'"),
        ("$5", "Amount '$5' is not a decimal number such as '1234.56'"),
        ("\u0661\u0662", "Amount '\u0661\u0662' is not a decimal number such as '1234.56'"),
        ("1" * 41, "Amount is too long (41 characters)"),
    ],
)
def test_parse_refuses_with_a_precise_message(text: str, message: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        aud(text)
    assert caught.value.detail.startswith(message)
    assert caught.value.code == "invalid_amount"
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("1.234", "AUD", "AUD amounts have at most 2 decimal places; got '1.234'"),
        ("1.500", "AUD", "AUD amounts have at most 2 decimal places; got '1.500'"),
        ("100.5", "JPY", "JPY amounts have no decimal places; got '100.5'"),
        ("100.0", "JPY", "JPY amounts have no decimal places; got '100.0'"),
        ("1.2345", "KWD", "KWD amounts have at most 3 decimal places; got '1.2345'"),
    ],
)
def test_parse_never_rounds_user_input(text: str, currency: str, message: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        Money.parse(text, currency)
    assert caught.value.detail == message


def test_parse_bounds_match_the_bigint_column() -> None:
    assert Money.parse(str(MAX_MINOR_UNITS), "JPY").minor_units == MAX_MINOR_UNITS
    assert Money.parse(f"-{MAX_MINOR_UNITS}", "JPY").minor_units == -MAX_MINOR_UNITS
    with pytest.raises(InvalidAmount, match="Amount '9223372036854775808' is too large"):
        Money.parse(str(MAX_MINOR_UNITS + 1), "JPY")
    with pytest.raises(InvalidAmount, match="is too large"):
        Money.parse("92233720368547758.08", "AUD")


def test_parse_refuses_a_json_number() -> None:
    with pytest.raises(InvalidAmount, match=r"Amount must be a string such as '12\.34', not float"):
        Money.parse(12.5, "AUD")  # type: ignore[arg-type]


def test_parse_reports_the_field() -> None:
    with pytest.raises(InvalidAmount) as caught:
        Money.parse("x", "AUD", field="amount")
    assert caught.value.field == "amount"


def test_parse_checks_the_currency() -> None:
    with pytest.raises(UnknownCurrency):
        Money.parse("1.00", "aud")


# --- minor units and JSON -------------------------------------------------------------


def test_minor_units() -> None:
    assert aud("1234.56").minor_units == 123456
    assert aud("-0.05").minor_units == -5
    assert Money.parse("100", "JPY").minor_units == 100
    assert Money.parse("1.234", "KWD").minor_units == 1234
    assert Money.zero("AUD").minor_units == 0


def test_from_minor() -> None:
    assert Money.from_minor(123456, "AUD") == aud("1234.56")
    assert Money.from_minor(-5, "AUD").to_json() == "-0.05"
    assert Money.from_minor(0, "AUD").to_json() == "0.00"
    assert Money.from_minor(100, "JPY").to_json() == "100"
    assert Money.from_minor(1, "KWD").to_json() == "0.001"


@pytest.mark.parametrize("units", [1.0, "1", True])
def test_from_minor_needs_an_int(units: object) -> None:
    with pytest.raises(TypeError, match="Minor units must be an int"):
        Money.from_minor(units, "AUD")  # type: ignore[arg-type]


def test_huge_amounts_stay_exact() -> None:
    huge = Money.from_minor(10**15 * 100 + 1, "AUD")
    assert huge.to_json() == "1000000000000000.01"
    assert huge.minor_units == 10**17 + 1
    assert (huge + huge).to_json() == "2000000000000000.02"
    vast = Money(Decimal("1" + "0" * 40 + ".005"), "AUD")
    assert vast.to_json() == "1" + "0" * 40 + ".01"
    assert "E" not in Money(Decimal("1E+30"), "JPY").to_json()


def test_json_of_zero_and_jpy_has_no_scientific_notation() -> None:
    assert Money.zero("JPY").to_json() == "0"
    assert Money.zero("KWD").to_json() == "0.000"
    assert Money(Decimal("1E+3"), "JPY").to_json() == "1000"
    assert Money(Decimal("1E-7"), "AUD").to_json() == "0.00"


# --- arithmetic and comparison --------------------------------------------------------


def test_arithmetic() -> None:
    assert aud("1.10") + aud("2.20") == aud("3.30")
    assert aud("1.10") - aud("2.20") == aud("-1.10")
    assert -aud("1.10") == aud("-1.10")
    assert -Money.zero("AUD") == Money.zero("AUD")
    assert abs(aud("-1.10")) == aud("1.10")
    assert aud("-0.01").is_negative
    assert not aud("0.01").is_negative


def test_ordering() -> None:
    assert aud("1.00") < aud("1.01")
    assert aud("1.01") > aud("1.00")
    assert aud("1.00") <= aud("1.00")
    assert aud("1.00") >= aud("-1.00")
    assert max(aud("1"), aud("3"), aud("2")) == aud("3")


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda a, b: a + b, "Cannot add AUD and USD amounts"),
        (lambda a, b: a - b, "Cannot subtract AUD and USD amounts"),
        (lambda a, b: a < b, "Cannot compare AUD and USD amounts"),
        (lambda a, b: a <= b, "Cannot compare AUD and USD amounts"),
        (lambda a, b: a > b, "Cannot compare AUD and USD amounts"),
        (lambda a, b: a >= b, "Cannot compare AUD and USD amounts"),
    ],
)
def test_mixing_currencies_is_refused(operation: object, message: str) -> None:
    with pytest.raises(CurrencyMismatch) as caught:
        operation(aud("1.00"), Money.parse("1.00", "USD"))  # type: ignore[operator]
    assert caught.value.detail == message
    assert caught.value.code == "currency_mismatch"
    assert isinstance(caught.value, InvalidInput)


def test_mixing_with_numbers_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        aud("1.00") + 1
    with pytest.raises(TypeError):
        aud("1.00") < Decimal(1)  # noqa: B015


def test_sum_money() -> None:
    assert sum_money([], "JPY") == Money.zero("JPY")
    assert sum_money((aud(t) for t in ["0.10", "0.20", "-0.05"]), "AUD") == aud("0.25")
    with pytest.raises(CurrencyMismatch, match="Cannot add USD to a AUD total"):
        sum_money([aud("1"), Money.parse("1", "USD")], "AUD")
    with pytest.raises(UnknownCurrency):
        sum_money([], "XYZ")


# --- allocate -------------------------------------------------------------------------


def test_allocate_gives_leftover_cents_by_largest_remainder() -> None:
    assert allocate(aud("100.00"), [1, 1, 1]) == [aud("33.34"), aud("33.33"), aud("33.33")]
    assert allocate(aud("0.05"), [3, 7]) == [aud("0.02"), aud("0.03")]
    assert allocate(aud("10.00"), [1, 0, 1]) == [aud("5.00"), aud("0.00"), aud("5.00")]
    assert allocate(aud("-100.00"), [1, 1, 1]) == [aud("-33.34"), aud("-33.33"), aud("-33.33")]
    assert allocate(Money.parse("100", "JPY"), [1, 2]) == [
        Money.parse("33", "JPY"),
        Money.parse("67", "JPY"),
    ]


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        ([], "Allocation needs at least one ratio"),
        ([1, -1], "Allocation ratios must not be negative"),
        ([0, 0], "Allocation ratios must not all be zero"),
    ],
)
def test_allocate_refuses_bad_ratios(ratios: list[int], message: str) -> None:
    with pytest.raises(InvalidAllocation) as caught:
        allocate(aud("1.00"), ratios)
    assert caught.value.detail == message
    assert caught.value.code == "invalid_allocation"


def test_allocate_needs_integer_ratios() -> None:
    with pytest.raises(TypeError, match="Allocation ratios must be ints"):
        allocate(aud("1.00"), [0.5, 0.5])  # type: ignore[list-item]


# --- convert --------------------------------------------------------------------------


def test_convert_rounds_half_up_at_the_target_exponent() -> None:
    assert convert(aud("100.00"), Decimal("0.6543"), "USD") == Money.parse("65.43", "USD")
    assert convert(aud("1.00"), Decimal("0.125"), "USD") == Money.parse("0.13", "USD")
    assert convert(aud("-1.00"), Decimal("0.125"), "USD") == Money.parse("-0.13", "USD")
    assert convert(aud("10.00"), Decimal("97.55"), "JPY") == Money.parse("976", "JPY")
    assert convert(Money.parse("1000", "JPY"), Decimal("0.0021"), "KWD").to_json() == "2.100"


def test_convert_is_exact_for_long_rates_and_huge_amounts() -> None:
    rate = Decimal("1.000000000000000000000000000001")
    big = Money.from_minor(10**30, "AUD")
    assert convert(big, rate, "USD").minor_units == 10**30 + 1


@pytest.mark.parametrize("rate", [Decimal(0), Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
def test_convert_refuses_bad_rates(rate: Decimal) -> None:
    with pytest.raises(InvalidRate, match="Exchange rate must be a positive finite number"):
        convert(aud("1.00"), rate, "USD")


def test_convert_refuses_float_rate_and_unknown_currency() -> None:
    with pytest.raises(TypeError, match="Exchange rate must be a Decimal, not float"):
        convert(aud("1.00"), 1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(UnknownCurrency):
        convert(aud("1.00"), Decimal(1), "usd")


# --- properties -----------------------------------------------------------------------

currencies = st.sampled_from(sorted(CURRENCIES))
bounded_units = st.integers(min_value=-MAX_MINOR_UNITS, max_value=MAX_MINOR_UNITS)


@st.composite
def money(draw: st.DrawFn, currency: str | None = None) -> Money:
    code = currency or draw(currencies)
    return Money.from_minor(draw(bounded_units), code)


@given(money())
def test_json_round_trips(m: Money) -> None:
    assert Money.parse(m.to_json(), m.currency) == m


@given(money())
def test_minor_units_round_trip(m: Money) -> None:
    assert Money.from_minor(m.minor_units, m.currency) == m


@given(st.integers(), currencies)
def test_from_minor_is_exact_for_any_int(units: int, currency: str) -> None:
    assert Money.from_minor(units, currency).minor_units == units


@given(money("AUD"), money("AUD"), money("AUD"))
def test_addition_is_associative_and_commutative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a - b == a + -b
    assert a + -a == Money.zero("AUD")


@given(st.lists(money("KWD"), max_size=20))
def test_sum_money_is_the_sum_of_minor_units(items: list[Money]) -> None:
    total = sum_money(items, "KWD")
    assert total.minor_units == sum(m.minor_units for m in items)


@given(
    money(),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
)
def test_allocate_is_exact_and_fair(m: Money, ratios: list[int]) -> None:
    parts = allocate(m, ratios)
    assert len(parts) == len(ratios)
    assert sum_money(parts, m.currency) == m
    for part, ratio in zip(parts, ratios, strict=True):
        exact_share = Fraction(m.minor_units * ratio, sum(ratios))
        assert abs(part.minor_units - exact_share) < 1


@given(money(), currencies)
def test_convert_at_rate_one_keeps_the_amount(m: Money, to_currency: str) -> None:
    if CURRENCIES[to_currency] == CURRENCIES[m.currency]:
        assert convert(m, Decimal(1), to_currency) == Money(m.amount, to_currency)
    assert convert(m, Decimal(1), m.currency) == m


@given(
    st.integers(min_value=-(10**18), max_value=10**18),
    st.sampled_from(["AUD", "JPY", "KWD", "USD", "BHD", "CHF"]),
)
def test_minor_units_json_is_what_money_renders(units: int, currency: str) -> None:
    assert minor_units_json(units, currency) == Money.from_minor(units, currency).to_json()
