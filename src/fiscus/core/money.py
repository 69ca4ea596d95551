"""Money: an exact amount in one currency, never a float.

Amounts are Decimals quantized to the currency's exponent the moment a `Money` exists,
so two equal amounts always have the same representation, the same JSON and the same
integer minor units (what the database stores). Arithmetic goes through integer minor
units, which makes it exact at any size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from functools import total_ordering

from fiscus.core.currency import exponent
from fiscus.core.errors import InvalidInput

# The database column is a signed 64-bit BigInteger of minor units; input beyond it is
# refused at parse time so it fails as bad input instead of as a database overflow.
MAX_MINOR_UNITS = 2**63 - 1

# Digits only from ASCII: `\d` would also accept Arabic-Indic and other Unicode digits.
_AMOUNT = re.compile(r"-?[0-9]+(?:\.([0-9]+))?")
# Longer than any amount that fits MAX_MINOR_UNITS; checked first so huge strings are cheap.
_MAX_TEXT = 40


class InvalidAmount(InvalidInput):
    """The amount is not a valid decimal number."""

    code = "invalid_amount"


class CurrencyMismatch(InvalidInput):
    """Amounts in different currencies cannot be combined."""

    code = "currency_mismatch"


class InvalidAllocation(InvalidInput):
    """The allocation ratios are not valid."""

    code = "invalid_allocation"


class InvalidRate(InvalidInput):
    """The exchange rate is not valid."""

    code = "invalid_rate"


def _exact(*values: Decimal) -> Context:
    """A context wide enough that an operation on `values` never rounds by accident.

    The default context keeps 28 digits; a huge amount with a long rate would be rounded
    silently there. Rounding must only ever happen through the currency's exponent.
    """
    digits = sum(len(v.as_tuple().digits) + max(v.adjusted(), 0) for v in values)
    return Context(prec=max(digits + 4, 28), rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _quantize(value: Decimal, places: int) -> Decimal:
    """Round half-up (ties away from zero) to `places`, with zero always unsigned."""
    result = value.quantize(Decimal((0, (1,), -places)), context=_exact(value))
    # "-0.00" would otherwise leak into JSON and break round-trips and display.
    return result.copy_abs() if result.is_zero() else result


def _decimal(value: object, what: str) -> Decimal:
    """Decimal or int only: a float has already lost exactness before it reaches us."""
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not float (floats are not exact)")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or int, not {type(value).__name__}")
    return Decimal(value)


def minor_units_json(units: int, currency: str) -> str:
    """Exactly `Money.from_minor(units, currency).to_json()`, without building a Money:
    a list page renders hundreds of stored amounts, and integer arithmetic is exact."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise TypeError(f"Minor units must be an int, not {type(units).__name__}")
    places = exponent(currency)
    if places == 0:
        return str(units)
    whole, fraction = divmod(abs(units), 10**places)
    sign = "-" if units < 0 else ""
    return f"{sign}{whole}.{fraction:0{places}d}"


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency, always quantized to that currency's exponent."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        places = exponent(self.currency)
        number = _decimal(self.amount, "Money amount")
        if not number.is_finite():
            raise InvalidAmount(f"Money amount must be a finite number, not {number}")
        object.__setattr__(self, "amount", _quantize(number, places))

    @classmethod
    def parse(cls, text: str, currency: str, *, field: str | None = None) -> Money:
        """Read an amount typed by a person or sent as a JSON string, exactly.

        Anything we would have to guess at (separators, exponents, more fraction digits
        than the currency has) is refused with a message saying what to send instead,
        because rounding user input silently changes what they said.
        """
        places = exponent(currency)
        if not isinstance(text, str):
            raise InvalidAmount(
                f"Amount must be a string such as '12.34', not {type(text).__name__}", field=field
            )
        match = _AMOUNT.fullmatch(text) if len(text) <= _MAX_TEXT else None
        if match is None:
            raise InvalidAmount(_why_unparseable(text), field=field)
        fraction = match.group(1)
        if fraction is not None and len(fraction) > places:
            raise InvalidAmount(_too_precise(text, currency, places), field=field)
        money = cls(Decimal(text), currency)
        if abs(money.minor_units) > MAX_MINOR_UNITS:
            raise InvalidAmount(f"Amount {text!r} is too large", field=field)
        return money

    @classmethod
    def from_minor(cls, units: int, currency: str) -> Money:
        """The amount stored in the database as integer minor units (cents)."""
        if isinstance(units, bool) or not isinstance(units, int):
            raise TypeError(f"Minor units must be an int, not {type(units).__name__}")
        sign, digits, _ = Decimal(units).as_tuple()
        return cls(Decimal((sign, digits, -exponent(currency))), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in `currency`: the start of every sum, so empty sums keep their currency."""
        return cls(Decimal(0), currency)

    @property
    def minor_units(self) -> int:
        """Integer minor units, read from the digits so it is exact at any size."""
        sign, digits, _ = self.amount.as_tuple()
        units = int("".join(map(str, digits)))
        return -units if sign else units

    @property
    def is_zero(self) -> bool:
        return self.amount.is_zero()

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    def to_json(self) -> str:
        """Plain decimal string with exactly the currency's places; never "1E+3"."""
        return format(self.amount, "f")

    def __str__(self) -> str:
        return f"{self.to_json()} {self.currency}"

    def _check(self, other: Money, action: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"Cannot {action} {self.currency} and {other.currency} amounts")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._check(other, "add")
        return Money.from_minor(self.minor_units + other.minor_units, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._check(other, "subtract")
        return Money.from_minor(self.minor_units - other.minor_units, self.currency)

    def __neg__(self) -> Money:
        return Money.from_minor(-self.minor_units, self.currency)

    def __abs__(self) -> Money:
        return Money.from_minor(abs(self.minor_units), self.currency)

    # Equality (from the dataclass) is simply False across currencies, so Money works in
    # sets and dicts; ordering across currencies has no answer, so it raises.
    # total_ordering derives <=, >, >= from this, so they raise the same way.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._check(other, "compare")
        return self.amount < other.amount


def _why_unparseable(text: str) -> str:
    """The most specific reason `text` is not a plain decimal, so the user can fix it."""
    if text == "":
        return "Amount is empty"
    if len(text) > _MAX_TEXT:
        return f"Amount is too long ({len(text)} characters)"
    if any(c.isspace() for c in text):
        return f"Amount {text!r} must not contain spaces"
    if "," in text or "_" in text or "'" in text:
        return f"Amount {text!r} must not contain thousands separators; use '.' for decimals"
    if text.startswith("+"):
        return f"Amount {text!r} must not have a '+' sign"
    if text.startswith((".", "-.")) or text.endswith("."):
        return f"Amount {text!r} needs digits on both sides of the '.'"
    if "e" in text.lower() and any(c.isdigit() for c in text):
        return f"Amount {text!r} must not use exponent notation; write all the digits"
    return f"Amount {text!r} is not a decimal number such as '1234.56'"


def _too_precise(text: str, currency: str, places: int) -> str:
    if places == 0:
        return f"{currency} amounts have no decimal places; got {text!r}"
    return f"{currency} amounts have at most {places} decimal places; got {text!r}"


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """Total of `items`, which must all be in `currency` (named so an empty sum has one)."""
    total = 0
    for item in items:
        if item.currency != currency:
            raise CurrencyMismatch(f"Cannot add {item.currency} to a {currency} total")
        total += item.minor_units
    return Money.from_minor(total, currency)


def allocate(money: Money, ratios: list[int]) -> list[Money]:
    """Split `money` by integer `ratios` so the parts add up to it exactly.

    Each part gets the floor of its exact share in minor units; the cents left over go
    one each to the parts with the largest remainders (ties to the earlier part), so no
    part is ever a whole minor unit away from its exact share. A negative amount is split
    as its absolute value and negated, so refunds mirror charges.
    """
    _check_ratios(ratios)
    total = sum(ratios)
    units = abs(money.minor_units)
    shares = [divmod(units * ratio, total) for ratio in ratios]
    leftover = units - sum(floor for floor, _ in shares)
    by_remainder = sorted(range(len(ratios)), key=lambda i: -shares[i][1])
    lucky = set(by_remainder[:leftover])
    sign = -1 if money.is_negative else 1
    return [
        Money.from_minor(sign * (floor + (i in lucky)), money.currency)
        for i, (floor, _) in enumerate(shares)
    ]


def _check_ratios(ratios: list[int]) -> None:
    if any(isinstance(r, bool) or not isinstance(r, int) for r in ratios):
        raise TypeError("Allocation ratios must be ints")
    if not ratios:
        raise InvalidAllocation("Allocation needs at least one ratio")
    if any(r < 0 for r in ratios):
        raise InvalidAllocation("Allocation ratios must not be negative")
    if sum(ratios) == 0:
        raise InvalidAllocation("Allocation ratios must not all be zero")


def convert(money: Money, rate: Decimal, to_currency: str) -> Money:
    """`money` times `rate` in `to_currency`, rounded half-up once, at the target exponent.

    The product is computed exactly first, so the only rounding is the one the target
    currency demands.
    """
    number = _decimal(rate, "Exchange rate")
    if not number.is_finite() or number <= 0:
        raise InvalidRate(f"Exchange rate must be a positive finite number, not {rate}")
    product = _exact(money.amount, number).multiply(money.amount, number)
    return Money(product, to_currency)
