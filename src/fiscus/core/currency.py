"""ISO 4217 currencies and their minor-unit exponents.

The exponent is the only thing that decides how an amount in a currency is rounded and
how many integer minor units it is stored as, so it lives in one frozen table that no
code can change at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from fiscus.core.errors import InvalidInput

# Exponents follow the ISO 4217 list, not local habit: IDR is listed with 2 places even
# though cash has none, and a ledger must agree with the banks' files that use ISO.
CURRENCIES: Mapping[str, int] = MappingProxyType(
    {
        # Oceania
        "AUD": 2,
        "NZD": 2,
        "FJD": 2,
        "PGK": 2,
        "XPF": 0,
        "WST": 2,
        "TOP": 2,
        "SBD": 2,
        "VUV": 0,
        # Americas
        "USD": 2,
        "CAD": 2,
        "MXN": 2,
        "BRL": 2,
        "CLP": 0,
        "COP": 2,
        "PEN": 2,
        "ARS": 2,
        "PYG": 0,
        # Europe
        "EUR": 2,
        "GBP": 2,
        "CHF": 2,
        "SEK": 2,
        "NOK": 2,
        "DKK": 2,
        "PLN": 2,
        "CZK": 2,
        "HUF": 2,
        "ISK": 0,
        "TRY": 2,
        # Asia
        "SGD": 2,
        "HKD": 2,
        "CNY": 2,
        "TWD": 2,
        "JPY": 0,
        "KRW": 0,
        "INR": 2,
        "IDR": 2,
        "THB": 2,
        "PHP": 2,
        "MYR": 2,
        "VND": 0,
        "PKR": 2,
        "LKR": 2,
        "BDT": 2,
        # Middle East and Africa
        "AED": 2,
        "SAR": 2,
        "ILS": 2,
        "KWD": 3,
        "BHD": 3,
        "OMR": 3,
        "JOD": 3,
        "IQD": 3,
        "LYD": 3,
        "TND": 3,
        "EGP": 2,
        "ZAR": 2,
        "NGN": 2,
        "KES": 2,
        "UGX": 0,
        "RWF": 0,
        "XOF": 0,
        "XAF": 0,
    }
)


class UnknownCurrency(InvalidInput):
    """The currency is not a supported ISO 4217 code."""

    code = "unknown_currency"


def exponent(code: str) -> int:
    """Minor-unit places of `code`; an unknown code is an input error, never a default of 2.

    Codes are matched exactly (upper case) so that the stored code is always canonical;
    a lower-case spelling gets a message saying so rather than a bare "unknown".
    """
    if not isinstance(code, str):
        raise UnknownCurrency(f"Currency code must be a string, not {type(code).__name__}")
    places = CURRENCIES.get(code)
    if places is not None:
        return places
    if code.upper() in CURRENCIES:
        raise UnknownCurrency(f"Currency codes are upper case: use {code.upper()!r}, not {code!r}")
    raise UnknownCurrency(f"Unknown currency {code!r}: expected an ISO 4217 code such as 'AUD'")


def is_currency(code: str) -> bool:
    """True for a supported code exactly as it must be stored (upper case)."""
    return isinstance(code, str) and code in CURRENCIES
