"""ISO 20022 CAMT.053 bank-to-customer statements (camt.053.001.02 to .08 and beyond).

Parsed with defusedxml (no DTDs, no entity expansion) and matched on local names, so every
namespace version reads the same. The sign comes from CdtDbtInd (CRDT in, DBIT out), the
bank reference is the entry's AcctSvcrRef (else NtryRef, else the transaction's refs), and
OPBD/CLBD balances become opening/closing StatementBalances.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from fiscus.imports.parsers.base import ParsedStatement, RowError, StatementBalance, StatementLine
from fiscus.imports.parsers.errors import MalformedFile
from fiscus.imports.parsers.limits import Limits, check_rows

_BALANCE_KINDS = {"OPBD": "opening", "PRCD": "opening", "CLBD": "closing"}
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?Ntry[\s>]")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element | None, path: str) -> ET.Element | None:
    """The first descendant along a path of local names, e.g. "Bal/Tp/CdOrPrtry/Cd"."""
    for name in path.split("/"):
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _children(node: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in node if _local(c.tag) == name]


def _text(node: ET.Element | None, path: str) -> str | None:
    found = _child(node, path)
    text = found.text.strip() if found is not None and found.text else ""
    return text or None


def _date(node: ET.Element | None, path: str) -> date | None:
    text = _text(node, f"{path}/Dt") or _text(node, f"{path}/DtTm")
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _signed_amount(node: ET.Element) -> Decimal | None:
    try:
        amount = Decimal(_text(node, "Amt") or "")
    except InvalidOperation:
        return None
    return -amount if _text(node, "CdtDbtInd") == "DBIT" else amount


def _entry_lines(data: bytes) -> list[int]:
    """The line each <Ntry> starts on (ElementTree keeps no source positions)."""
    lines, line, seen = [], 1, 0
    for match in _ENTRY_START.finditer(data):
        line += data.count(b"\n", seen, match.start())
        seen = match.start()
        lines.append(line)
    return lines


def parse_camt(data: bytes, limits: Limits) -> ParsedStatement:
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise MalformedFile(f"The CAMT file is not well-formed XML: {exc}", field="file") from exc
    statement_nodes = [n for n in root.iter() if _local(n.tag) in ("Stmt", "Rpt")]
    if not statement_nodes:
        raise MalformedFile("The file holds no CAMT.053 statement (Stmt).", field="file")
    entries = [(s, e) for s in statement_nodes for e in _children(s, "Ntry")]
    check_rows(len(entries), limits)
    first = statement_nodes[0]
    result = ParsedStatement(
        lines=[], currency=_text(first, "Acct/Ccy"), account_hint=_account(first)
    )
    starts = _entry_lines(data)
    for statement in statement_nodes:
        if _account(statement) == result.account_hint:
            result.balances.extend(_balances(statement))
    for number, (statement, entry) in enumerate(entries):
        line_no = starts[number] if number < len(starts) else number + 1
        account = _account(statement)
        if account != result.account_hint:
            message = f"belongs to account {account}, not {result.account_hint}: import it there"
            result.errors.append(RowError(line_no, "Acct", message))
            continue
        _add_entry(result, entry, line_no)
    return result


def _account(statement: ET.Element) -> str | None:
    return _text(statement, "Acct/Id/IBAN") or _text(statement, "Acct/Id/Othr/Id")


def _balances(statement: ET.Element) -> list[StatementBalance]:
    balances = []
    for node in _children(statement, "Bal"):
        kind = _BALANCE_KINDS.get(_text(node, "Tp/CdOrPrtry/Cd") or "")
        on, amount = _date(node, "Dt"), _signed_amount(node)
        if kind and on and amount is not None:
            balances.append(StatementBalance(on=on, amount=amount, kind=kind))
    return balances


def _add_entry(result: ParsedStatement, entry: ET.Element, line_no: int) -> None:
    """One Ntry; a pending one (Sts PDNG) is reported, not booked."""
    status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
    if status in ("PDNG", "INFO"):
        result.errors.append(RowError(line_no, "Sts", f"entry is {status}, not booked yet"))
        return
    booked_on = _date(entry, "BookgDt") or _date(entry, "ValDt")
    amount = _signed_amount(entry)
    if booked_on is None:
        result.errors.append(RowError(line_no, "BookgDt", "the entry has no booking date"))
        return
    if amount is None or _text(entry, "CdtDbtInd") not in ("CRDT", "DBIT"):
        result.errors.append(RowError(line_no, "Amt", "the entry has no amount or CdtDbtInd"))
        return
    details = _child(entry, "NtryDtls/TxDtls")
    party = "RltdPties/Cdtr" if amount < 0 else "RltdPties/Dbtr"
    payee = _text(details, f"{party}/Nm") or _text(details, f"{party}/Pty/Nm")
    remittance = [
        n.text.strip()
        for n in (details.iter() if details is not None else ())
        if _local(n.tag) == "Ustrd" and n.text
    ]
    description = " ".join(remittance) or _text(entry, "AddtlNtryInf") or payee or ""
    reference = (
        _text(entry, "AcctSvcrRef")
        or _text(entry, "NtryRef")
        or _text(details, "Refs/AcctSvcrRef")
        or _non_placeholder(_text(details, "Refs/EndToEndId"))
    )
    raw = {
        name: value
        for name in ("NtryRef", "AcctSvcrRef", "AddtlNtryInf", "ValDt/Dt")
        if (value := _text(entry, name))
    }
    result.lines.append(
        StatementLine(
            line_no=line_no,
            booked_on=booked_on,
            amount=amount,
            description=description,
            payee=payee,
            bank_ref=reference,
            raw=raw,
        )
    )


def _non_placeholder(text: str | None) -> str | None:
    return None if text in (None, "NOTPROVIDED") else text
