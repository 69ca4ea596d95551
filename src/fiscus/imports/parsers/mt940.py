"""SWIFT MT940 customer statements: `:61:` statement lines with their `:86:` narrative,
`:60F:` opening and `:62F:` closing balances, `:25:` account.

Our own small reader rather than the `mt940` package: that one raises on the first
malformed :61: (aborting the whole file) and keeps no line numbers; here a bad line becomes
a RowError with its line, and the rest of the statement still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from fiscus.imports.parsers.base import ParsedStatement, RowError, StatementBalance, StatementLine
from fiscus.imports.parsers.errors import MalformedFile
from fiscus.imports.parsers.limits import Limits, check_cell, check_rows
from fiscus.imports.parsers.text import decode, detect_encoding

_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_LINE_61 = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d[\d,]*)(?P<type>[NFS][A-Z0-9]{3})(?P<customer>[^/\n]{0,16})"
    r"(?://(?P<bank>[^\n]{0,16}))?(?:\n(?P<extra>.*))?$",
    re.S,
)
_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>\d[\d,]*)$")
_SUBFIELD = re.compile(r"\?(\d{2})")
_ENVELOPE = re.compile(r"\{[1235]:(?:[^{}]|\{[^{}]*\})*\}")


@dataclass(slots=True)
class _Field:
    tag: str
    line_no: int
    value: str


def _yymmdd(text: str) -> date | None:
    try:
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
        return date(2000 + yy if yy < 80 else 1900 + yy, mm, dd)
    except ValueError:
        return None


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _fields(text: str, limits: Limits) -> list[_Field]:
    # The SWIFT envelope ({1:..}{2:..}{3:{108:..}}{4: ... -}{5:..}) goes; newlines stay, so
    # line numbers still point into the file.
    body = _ENVELOPE.sub("", text).replace("{4:", "")
    fields: list[_Field] = []
    for line_no, raw in enumerate(body.splitlines(), 1):
        line = raw.rstrip()
        check_cell(len(line), line_no, limits)
        if not line or line in ("-", "-}", "}"):
            continue
        match = _TAG.match(line)
        if match:
            fields.append(_Field(match.group(1), line_no, match.group(2)))
        elif fields:
            fields[-1].value += "\n" + line
    return fields


def _narrative(text: str) -> tuple[str, str | None]:
    """(description, payee) from a :86:, structured (?20..?29 purpose, ?32/?33 name) or not."""
    flat = text.replace("\n", "")
    if not _SUBFIELD.search(flat):
        return " ".join(text.split()), None
    parts = _SUBFIELD.split(flat)
    subfields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=False):
        subfields[code] = subfields.get(code, "") + value
    purpose, previous = "", ""
    for code in [*range(20, 30), *range(60, 64)]:
        chunk = subfields.get(str(code), "")
        if not chunk:
            continue
        # Banks cut the purpose into 27-character chunks, often mid-word: after a full
        # chunk the text goes on; after a shorter one the writer ended it.
        purpose += chunk if len(previous) >= 27 or not purpose else " " + chunk
        previous = chunk
    name = (subfields.get("32", "") + subfields.get("33", "")).strip() or None
    return " ".join(purpose.split()) or subfields.get("00", "").strip() or (name or ""), name


def parse_mt940(data: bytes, limits: Limits) -> ParsedStatement:
    text = decode(data, detect_encoding(data).value)
    fields = _fields(text, limits)
    if not any(f.tag == "61" or f.tag.startswith("60") for f in fields):
        raise MalformedFile("The file holds no MT940 statement (:60F: or :61:).", field="file")
    check_rows(sum(1 for f in fields if f.tag == "61"), limits)
    result = ParsedStatement(lines=[])
    account: str | None = None  # of the statement being read; a file may hold several
    for index, item in enumerate(fields):
        if item.tag == "25":
            account = item.value.strip()
            result.account_hint = result.account_hint or account
        elif account != result.account_hint:
            if item.tag == "61":
                message = f"belongs to account {account}, not {result.account_hint}"
                result.errors.append(RowError(item.line_no, "25", message + ": import it there"))
        elif item.tag in ("60F", "60M", "62F"):
            _add_balance(result, item)
        elif item.tag == "61":
            following = fields[index + 1] if index + 1 < len(fields) else None
            narrative = following.value if following and following.tag == "86" else ""
            _add_line(result, item, narrative)
    return result


def _add_balance(result: ParsedStatement, item: _Field) -> None:
    match = _BALANCE.match(item.value.strip())
    on = _yymmdd(match.group("date")) if match else None
    amount = _amount(match.group("amount")) if match else None
    if match is None or on is None or amount is None:
        result.errors.append(RowError(item.line_no, item.tag, "not a balance like C250731EUR1,00"))
        return
    result.currency = result.currency or match.group("ccy")
    if item.tag == "60M":
        return  # an intermediate opening balance (a statement continued on another page)
    signed = -amount if match.group("mark") == "D" else amount
    kind = "closing" if item.tag == "62F" else "opening"
    result.balances.append(StatementBalance(on=on, amount=signed, kind=kind))


def _booking_date(value_date: date, entry: str | None) -> date:
    """The entry (booking) date MMDD, in the value date's year or the one next to it."""
    if not entry:
        return value_date
    try:
        booked = date(value_date.year, int(entry[:2]), int(entry[2:]))
    except ValueError:
        return value_date
    if (booked - value_date).days > 180:
        booked = booked.replace(year=booked.year - 1)
    elif (value_date - booked).days > 180:
        booked = booked.replace(year=booked.year + 1)
    return booked


def _add_line(result: ParsedStatement, item: _Field, narrative: str) -> None:
    match = _LINE_61.match(item.value.strip())
    if match is None:
        result.errors.append(RowError(item.line_no, "61", "not a statement line (:61:)"))
        return
    value_date = _yymmdd(match.group("value"))
    amount = _amount(match.group("amount"))
    if value_date is None:
        result.errors.append(RowError(item.line_no, "61", "the value date is not a date"))
        return
    if amount is None:
        result.errors.append(RowError(item.line_no, "61", "the amount is not a number"))
        return
    out = match.group("mark") in ("D", "RC")  # a reversed credit takes money out again
    description, payee = _narrative(narrative)
    customer = (match.group("customer") or "").strip()
    reference = (match.group("bank") or "").strip() or (
        customer if customer and customer != "NONREF" else None
    )
    result.lines.append(
        StatementLine(
            line_no=item.line_no,
            booked_on=_booking_date(value_date, match.group("entry")),
            amount=-amount if out else amount,
            description=description or (match.group("extra") or "").strip(),
            payee=payee,
            bank_ref=reference,
            raw={"61": item.value, "86": narrative},
        )
    )
