"""OFX and QFX, both 1.x SGML (leaf elements without closing tags) and 2.x XML.

One defensive tokenizer reads both: `<TAG>text` pairs, scanned once. Why not ofxtools: it
validates against the spec and refuses the files real banks send (over-long NAME fields,
vendor tags such as Quicken's INTU.*, a comma in TRNAMT); and why not an XML parser: the
SGML dialect is not XML, and a tokenizer that never expands entities or reads a DTD has
nothing for an attacker to abuse (character references are decoded with html.unescape).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from fiscus.imports.parsers.base import ParsedStatement, RowError, StatementBalance, StatementLine
from fiscus.imports.parsers.errors import MalformedFile
from fiscus.imports.parsers.limits import Limits, check_rows

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9._]+)[^>]*>([^<]*)")
_CHARSET = re.compile(r"(?:CHARSET:\s*(\S+)|encoding=[\"']([\w-]+)[\"'])", re.I)
# Transaction types that are money out; used only when a bank writes every amount unsigned.
_OUTGOING = frozenset(
    {"DEBIT", "PAYMENT", "CHECK", "ATM", "POS", "FEE", "SRVCHG", "DIRECTDEBIT", "CASH"}
)


def _decode(data: bytes) -> str:
    found = _CHARSET.search(data[:1024].decode("latin-1"))
    declared = (found.group(1) or found.group(2)).lower() if found else ""
    if declared in ("1252", "cp1252", "windows-1252"):
        return data.decode("cp1252", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def ofx_date(text: str) -> date | None:
    """The date part of an OFX datetime (YYYYMMDD[HHMMSS[.XXX]][[+-]HH:TZ])."""
    digits = text.strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def ofx_amount(text: str) -> Decimal | None:
    s = text.strip().replace(" ", "")
    if "," in s and "." not in s:
        s = s.replace(",", ".")  # the OFX spec allows a decimal comma
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(slots=True)
class _Scan:
    # (line, fields, account of the statement it is in): a file may hold several accounts.
    transactions: list[tuple[int, dict[str, str], str | None]] = field(default_factory=list)
    balances: list[tuple[dict[str, str], str | None]] = field(default_factory=list)
    currency: str | None = None
    account: str | None = None  # the first account: the one this import is for
    current_account: str | None = None


def _scan(text: str) -> _Scan:
    scan = _Scan()
    current: dict[str, str] | None = None
    balance: dict[str, str] | None = None
    line, seen, current_line = 1, 0, 0
    for match in _TOKEN.finditer(text):
        closing, tag, value = match.group(1), match.group(2).upper(), match.group(3).strip()
        if tag == "STMTTRN":
            if current is not None:  # closed, or a missing </STMTTRN> closed by the next
                scan.transactions.append((current_line, current, scan.current_account))
                current = None
            if not closing:
                line += text.count("\n", seen, match.start())
                seen = match.start()
                current, current_line = {}, line
            continue
        if tag in ("BANKTRANLIST", "STMTRS", "CCSTMTRS") and closing and current is not None:
            scan.transactions.append((current_line, current, scan.current_account))
            current = None
        if tag == "LEDGERBAL":
            balance = None if closing else {}
            continue
        if closing or not value:
            continue
        value = html.unescape(value)
        if current is not None:
            current.setdefault(tag, value)
        elif balance is not None:
            balance[tag] = value
            if "BALAMT" in balance and "DTASOF" in balance:
                scan.balances.append((balance, scan.current_account))
                balance = None
        elif tag == "CURDEF" and scan.currency is None:
            scan.currency = value.upper()
        elif tag == "ACCTID":
            scan.current_account = value
            scan.account = scan.account or value
    if current is not None:
        scan.transactions.append((current_line, current, scan.current_account))
    return scan


def parse_ofx(data: bytes, limits: Limits) -> ParsedStatement:
    text = _decode(data)
    start = text.upper().find("<OFX")
    if start < 0:
        raise MalformedFile("The file has no <OFX> element.", field="file")
    check_rows(text.upper().count("<STMTTRN>"), limits)
    scan = _scan(text)
    # Line numbers count from the file's start, header included.
    lines: list[StatementLine] = []
    errors: list[RowError] = []
    for line_no, trn, account in scan.transactions:
        if account != scan.account:
            message = f"belongs to account {account}, not {scan.account}: import it there"
            errors.append(RowError(line_no, "ACCTID", message))
            continue
        booked_on = ofx_date(trn.get("DTPOSTED", "") or trn.get("DTUSER", ""))
        amount = ofx_amount(trn.get("TRNAMT", ""))
        if booked_on is None:
            errors.append(RowError(line_no, "DTPOSTED", "missing or not an OFX date"))
            continue
        if amount is None:
            errors.append(
                RowError(line_no, "TRNAMT", f"{trn.get('TRNAMT', '')!r} is not an amount")
            )
            continue
        name, memo = trn.get("NAME"), trn.get("MEMO")
        lines.append(
            StatementLine(
                line_no=line_no,
                booked_on=booked_on,
                amount=amount,
                description=memo or name or trn.get("TRNTYPE", ""),
                payee=name,
                bank_ref=trn.get("FITID") or trn.get("REFNUM") or trn.get("CHECKNUM"),
                raw=dict(trn),
            )
        )
    _repair_unsigned(lines)
    balances = [
        StatementBalance(on=on, amount=amount, kind="closing")
        for b, account in scan.balances
        if account == scan.account
        and (on := ofx_date(b["DTASOF"])) is not None
        and (amount := ofx_amount(b["BALAMT"])) is not None
    ]
    return ParsedStatement(lines, balances, scan.currency, scan.account, errors)


def _repair_unsigned(lines: list[StatementLine]) -> None:
    """Some banks write every TRNAMT positive; then TRNTYPE is the only sign there is."""
    if not lines or any(line.amount < 0 for line in lines):
        return
    for i, line in enumerate(lines):
        if line.raw.get("TRNTYPE", "").upper() in _OUTGOING:
            lines[i] = StatementLine(
                line.line_no,
                line.booked_on,
                -line.amount,
                line.description,
                line.payee,
                line.bank_ref,
                line.balance_after,
                line.raw,
            )
