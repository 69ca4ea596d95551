"""Reading one cell: amounts (decimal comma, thousands separators, bank sign styles) and dates.

Both readers are on the hot path of a 100k-row parse, so they avoid regexes where a string
method does, and dates are cached (a statement has few distinct dates and many rows).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# Formats tried on a date column, most common first. Day-first and month-first pairs are
# both listed; which one a file uses is decided from its data (see `rank_date_formats`).
DATE_FORMATS = (
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%y",
    "%d-%m-%y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
    "%d %B %Y",
    "%b %d, %Y",
    "%d/%m'%y",
    "%m/%d'%y",
)
# The same layout read the other way round (day <-> month).
SWAPPED = {
    "%d/%m/%Y": "%m/%d/%Y",
    "%d-%m-%Y": "%m-%d-%Y",
    "%d/%m/%y": "%m/%d/%y",
    "%d/%m'%y": "%m/%d'%y",
}
SWAPPED.update({v: k for k, v in list(SWAPPED.items())})

_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?$")
_CURRENCY_NOISE = str.maketrans("", "", "$€£¥₹ \u00a0")
_INDICATOR_DEBIT = frozenset({"DR", "D", "DEBIT", "DB", "S", "SOLL", "-", "OUT", "W"})
_INDICATOR_CREDIT = frozenset({"CR", "C", "CREDIT", "H", "HABEN", "+", "IN", "DEP"})
INDICATOR_VALUES = _INDICATOR_DEBIT | _INDICATOR_CREDIT


class DateReader:
    """Parse dates of one format, remembering each distinct text (statements repeat them)."""

    __slots__ = ("_cache", "fmt", "iso")

    def __init__(self, fmt: str, *, iso: bool = True) -> None:
        self.fmt = fmt
        self.iso = iso  # also accept ISO dates (see `_parse_date`)
        self._cache: dict[str, date | None] = {}

    def __call__(self, text: str) -> date | None:
        try:
            return self._cache[text]
        except KeyError:
            pass
        value = _parse_date(text, self.fmt, iso=self.iso)
        if len(self._cache) < 50_000:
            self._cache[text] = value
        return value


def _parse_date(text: str, fmt: str, *, iso: bool = True) -> date | None:
    cleaned = text.strip()
    if fmt in ("%d/%m'%y", "%m/%d'%y"):
        cleaned = cleaned.replace(" ", "")  # Quicken writes " 1/ 7'25"
    try:
        return datetime.strptime(cleaned, fmt).date()
    except ValueError:
        pass
    stripped = _TIME_TAIL.sub("", cleaned)
    if stripped != cleaned:
        try:
            return datetime.strptime(stripped, fmt).date()
        except ValueError:
            pass
    # ISO dates are never ambiguous; spreadsheets mix real date cells (read as ISO) with text.
    if iso and len(stripped) == 10 and stripped[4] == "-" and stripped[7] == "-":
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            return None
    return None


def parse_date(text: str, fmt: str) -> date | None:
    return _parse_date(text, fmt)


class AmountReader:
    """Parse amounts written with a given decimal and thousands separator.

    Understands a leading or trailing minus, accounting parentheses "(12.50)", a currency
    symbol or code, and a trailing "CR" (in) or "DR" (out)."""

    __slots__ = ("decimal", "thousands")

    def __init__(self, decimal: str = ".", thousands: str | None = None) -> None:
        self.decimal = decimal
        self.thousands = thousands

    def __call__(self, text: str) -> Decimal | None:
        # parse_amount's fast path, inlined: this runs once or twice per row.
        s = text.strip()
        if self.thousands:
            s = s.replace(self.thousands, "")
        if self.decimal == ",":
            s = s.replace(",", ".") if "." not in s else "x"
        if _PLAIN.fullmatch(s):
            return Decimal(s)
        return _parse_amount_slow(text, self.decimal, self.thousands)


_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")


def parse_amount(text: str, decimal: str = ".", thousands: str | None = None) -> Decimal | None:
    """The amount, or None when the text is not one written this way."""
    s = text.strip()
    # The fast path: a plain number once the grouping is gone (most cells of most files).
    if thousands:
        s = s.replace(thousands, "")
    if decimal == ",":
        s = s.replace(",", ".") if "." not in s else "x"
    if _PLAIN.fullmatch(s):
        return Decimal(s)
    return _parse_amount_slow(text, decimal, thousands)


def _parse_amount_slow(text: str, decimal: str, thousands: str | None) -> Decimal | None:
    s = text.strip()
    if not s:
        return None
    negative = False
    upper = s.upper()
    if upper.endswith(("CR", "DR")) and len(s) > 2:
        negative = upper.endswith("DR")
        s = s[:-2]
    if s.startswith("(") and s.endswith(")"):
        negative = not negative
        s = s[1:-1]
    s = s.translate(_CURRENCY_NOISE)
    if s[:3].isalpha():  # "AUD-12.50", "EUR 5,00"
        s = s[3:]
    if s.endswith("-"):
        negative = not negative
        s = s[:-1]
    if s.startswith("-"):
        negative = not negative
        s = s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if thousands:
        s = s.replace(thousands, "")
    else:
        s = _strip_grouping(s, "." if decimal == "," else ",")
    if decimal == ",":
        if "." in s:
            return None  # a point in a decimal-comma file: not a number of this file
        s = s.replace(",", ".")
    elif "," in s:
        return None
    if not s.replace(".", "", 1).isdigit() or not s.isascii():
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return -value if negative else value


_GROUPED = re.compile(r"^\d{1,3}(X\d{3})+([.,]\d*)?$")


def _strip_grouping(s: str, sep: str) -> str:
    """Drop a grouping separator the detection did not name, if it really groups by 3."""
    s = s.replace("'", "")
    if sep in s and _GROUPED.match(s.replace(sep, "X")):
        return s.replace(sep, "")
    return s


def indicator_sign(text: str) -> int | None:
    """+1 for a credit marker (CR, C, Credit, H), -1 for a debit one, None otherwise."""
    key = text.strip().upper()
    if key in _INDICATOR_CREDIT:
        return 1
    if key in _INDICATOR_DEBIT:
        return -1
    return None


_NUMBER_SHAPE = re.compile(r"^[(+-]?[$€£¥₹]?\s?[+-]?\d[\d.,' \u00a0]*[)-]?(\s?[CD]R)?$", re.I)


def looks_numeric(text: str) -> bool:
    return bool(text) and bool(_NUMBER_SHAPE.match(text.strip()))


def _vote(cell: str) -> tuple[str, float, str | None]:
    """(decimal separator this cell suggests, weight, thousands separator it shows)."""
    s = cell.strip().rstrip("-)").upper().removesuffix("CR").removesuffix("DR").strip()
    last_comma, last_point = s.rfind(","), s.rfind(".")
    if last_comma >= 0 and last_point >= 0:
        return (",", 1.0, ".") if last_comma > last_point else (".", 1.0, ",")
    for sep, other in ((",", "."), (".", ",")):
        at = s.rfind(sep)
        if at < 0:
            continue
        digits_after = len(s) - at - 1
        if s.count(sep) > 1:
            return other, 1.0, sep  # "1.234.567" / "1,234,567": grouping
        if digits_after in (1, 2):
            return sep, 1.0, None
        if digits_after == 3:
            return other, 0.3, sep  # "1,234": probably grouping, could be 3 decimals
        return sep, 0.5, None
    for sep in (" ", "\u00a0", "'"):
        if sep in s:
            return "", 0.0, sep
    return "", 0.0, None


def separator_votes(cells: list[str]) -> tuple[str, str | None, float]:
    """(decimal separator, thousands separator, confidence) from how numbers are written.

    "1.234,56" and "12,50" vote for a decimal comma; "1,234.56" and "12.50" for a point.
    "1,234" alone is ambiguous (a grouping comma or three decimals) and only weakly votes."""
    weights = {",": 0.0, ".": 0.0}
    grouping: dict[str, int] = {}
    for cell in cells:
        decimal, weight, group = _vote(cell)
        if decimal:
            weights[decimal] += weight
        if group:
            grouping[group] = grouping.get(group, 0) + 1
    total = weights[","] + weights["."]
    if total == 0:
        return ".", None, 0.5
    decimal = "," if weights[","] > weights["."] else "."
    share = weights[decimal] / total
    candidates = {k: v for k, v in grouping.items() if k != decimal}
    thousands = max(candidates, key=lambda k: candidates[k]) if candidates else None
    confidence = share if total >= 5 else 0.5 + share * total / 10
    return decimal, thousands, round(min(0.99, confidence), 3)
