"""The ISO 4217 table and its look-ups."""

from __future__ import annotations

import pytest

from fiscus.core.currency import CURRENCIES, UnknownCurrency, exponent, is_currency
from fiscus.core.errors import ErrorKind, InvalidInput

REQUIRED = {
    "AUD": 2, "USD": 2, "EUR": 2, "GBP": 2, "NZD": 2, "CAD": 2, "SGD": 2, "HKD": 2, "CHF": 2,
    "CNY": 2, "INR": 2, "JPY": 0, "KRW": 0, "IDR": 2, "THB": 2, "PHP": 2, "MYR": 2, "VND": 0,
    "ZAR": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "BRL": 2, "MXN": 2, "KWD": 3, "BHD": 3,
    "OMR": 3, "JOD": 3, "TND": 3, "CLP": 0, "ISK": 0, "FJD": 2, "PGK": 2, "XPF": 0,
}  # fmt: skip


@pytest.mark.parametrize(("code", "places"), sorted(REQUIRED.items()))
def test_required_currencies_have_their_iso_exponent(code: str, places: int) -> None:
    assert exponent(code) == places
    assert is_currency(code)


def test_every_code_is_three_upper_case_letters_with_a_small_exponent() -> None:
    for code, places in CURRENCIES.items():
        assert len(code) == 3
        assert code.isascii()
        assert code.isalpha()
        assert code.isupper()
        assert places in (0, 2, 3)


def test_the_table_is_frozen() -> None:
    with pytest.raises(TypeError):
        CURRENCIES["XXX"] = 2  # type: ignore[index]


def test_unknown_currency_is_a_typed_input_error() -> None:
    with pytest.raises(UnknownCurrency) as caught:
        exponent("ABC")
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.code == "unknown_currency"
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.detail == "Unknown currency 'ABC': expected an ISO 4217 code such as 'AUD'"


def test_lower_case_code_is_refused_with_a_hint() -> None:
    with pytest.raises(
        UnknownCurrency, match="Currency codes are upper case: use 'AUD', not 'aud'"
    ):
        exponent("aud")
    assert not is_currency("aud")


@pytest.mark.parametrize("code", ["", " AUD", "AUD ", "AU", "AUDD", "XXX"])
def test_malformed_codes_are_unknown(code: str) -> None:
    assert not is_currency(code)
    with pytest.raises(UnknownCurrency):
        exponent(code)


def test_non_string_code_is_refused() -> None:
    with pytest.raises(UnknownCurrency, match="Currency code must be a string, not int"):
        exponent(36)  # type: ignore[arg-type]
    assert not is_currency(None)  # type: ignore[arg-type]
