"""Exact amounts from the text of a trial-balance cell.

Accepted: thousands separators ("1,234.56", "1.234,56", "1 234,56", "1'234.56"), a
decimal comma, currency symbols and codes ("$", "€", "AUD"), negatives as "-1.00",
"1.00-" or "(1.00)", and a "Dr"/"Cr" suffix or prefix, which says the side. A blank,
"-" or "—" cell is no amount. Whether a lone comma is a decimal comma is decided per
column (`decimal_comma`), from the cells of the column, not per cell: "1,234" is
twelve hundred in one file and 1.234 in another.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DASHES = {"", "-", "--", "\u2014", "\u2013", "nil", "n/a"}
_SIDE = re.compile(r"^\s*(dr|cr|d|c)\.?\s+|\s*\b(dr|cr|d|c)\.?\s*$", re.IGNORECASE)
_NOISE = re.compile(r"[\s'$\u20ac\u00a3\u00a5]")
_CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}\s*|\s*[A-Za-z]{3}$")
_ALLOWED = re.compile(r"^[\d.,()\-+]+$")
_DOTTED_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^[^.]*\d,\d{1,2}\s*(?:[a-zA-Z]{0,3})$|^\d{1,3}(\.\d{3})+,\d+")


class NotAnAmount(ValueError):
    """The cell is not an amount."""


def parse_amount(text: str, *, decimal_comma: bool = False) -> tuple[Decimal | None, str | None]:
    """(amount, side) where side is 'dr', 'cr' or None; (None, None) for a blank cell.
    Raises NotAnAmount for text that is no amount."""
    try:
        # The common cases, "1234.56" and "1,234.56", without the general path.
        value = Decimal(text.replace(",", "") if not decimal_comma and "," in text else text)
    except InvalidOperation:
        return _parse_slow(text, decimal_comma)
    if not value.is_finite():
        raise NotAnAmount(text)
    return value, None


def _parse_slow(text: str, decimal_comma: bool) -> tuple[Decimal | None, str | None]:
    cleaned = text.strip()
    if cleaned.lower() in _DASHES:
        return None, None
    side = None
    match = _SIDE.search(cleaned)
    if match:
        token = (match.group(1) or match.group(2)).lower()
        side = "dr" if token.startswith("d") else "cr"
        cleaned = (cleaned[: match.start()] + cleaned[match.end() :]).strip()
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    digits = _NOISE.sub("", _CURRENCY_CODE.sub("", cleaned))
    if not _ALLOWED.match(digits):
        raise NotAnAmount(text)
    if digits.endswith("-"):
        negative, digits = not negative, digits[:-1]
    if digits.startswith("-"):
        negative, digits = not negative, digits[1:]
    digits = digits.lstrip("+")
    if not digits or not any(ch.isdigit() for ch in digits) or "(" in digits or ")" in digits:
        raise NotAnAmount(text)
    digits = _normalise_separators(digits, decimal_comma)
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:
        raise NotAnAmount(text) from exc
    return (-value if negative else value), side


def _normalise_separators(digits: str, decimal_comma: bool) -> str:
    if "," in digits and "." in digits:
        # Whichever comes last is the decimal separator.
        if digits.rfind(",") > digits.rfind("."):
            return digits.replace(".", "").replace(",", ".")
        return digits.replace(",", "")
    if "," in digits:
        if decimal_comma and digits.count(",") == 1:
            return digits.replace(",", ".")
        return digits.replace(",", "")
    if digits.count(".") > 1:  # "1.234.567" is thousands-dotted
        if not _DOTTED_THOUSANDS.match(digits):
            raise NotAnAmount(digits)
        return digits.replace(".", "")
    return digits


def column_uses_decimal_comma(cells: list[str]) -> bool:
    """True when the column writes decimals with a comma: some cell has a comma
    followed by one or two digits at its end, or a dotted-thousands-then-comma form."""
    return any(_DECIMAL_COMMA.search(cell.strip()) for cell in cells if "," in cell)
