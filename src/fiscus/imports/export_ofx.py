"""OFX 2.2 (XML) statement of one account: the exported entries and its ledger balance.

A credit card (a liability of subtype `credit_card`) is a `CCSTMTRS` in the
credit-card message set; every other asset or liability account is a bank `STMTRS`
(`ACCTTYPE` from its subtype: savings → SAVINGS, a loan → CREDITLINE, else CHECKING).
Amounts are from the account holder's view, as banks write them: `TRNAMT` is what the
entry posted to the account (+ money in or debt paid down, - money out or charged), and
`LEDGERBAL` is the account's ledger balance in the same sign (a card's debt negative)
at the end of the export period (`date_to`, else today or the last entry's date if
later). `FITID` is the entry's id, so re-importing the file finds every line as the
same bank transaction. `NAME` (32 characters at most in OFX) is the payee, else the
description; `MEMO` is the description. Text is XML-escaped, with characters XML cannot
carry (control characters) dropped; `BANKID` is "FISCUS" and `ACCTID` the first 22 hex
digits of the account's id (OFX allows 22), since the books know no routing number.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import IO
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money
from fiscus.ledger import service as ledger_service
from fiscus.ledger.export_rows import ExportEntry, ExportQuery, Extent
from fiscus.ledger.models import Account

HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
)
# Characters outside XML 1.0's Char production (C0 controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF) would make the file unparseable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class OfxNeedsAccount(InvalidInput):
    """An OFX statement is of one account: give account_id."""

    code = "ofx_needs_account"


class OfxAccountType(InvalidInput):
    """An OFX statement is of an asset or liability account, not a category."""

    code = "ofx_account_type"


def statement_account(
    session: Session, ctx: TenantContext, account_id: uuid.UUID | None
) -> Account:
    """The account an OFX export is a statement of (422 without one, 404 if unknown)."""
    if account_id is None:
        raise OfxNeedsAccount(field="account_id")
    account = ledger_service.get_account(session, ctx, account_id)
    if account.type not in ("asset", "liability"):
        raise OfxAccountType(field="account_id")
    return account


def write(
    out: IO[bytes],
    session: Session,
    ctx: TenantContext,
    account: Account,
    entries: Iterable[ExportEntry],
    *,
    query: ExportQuery,
    extent: Extent,
    today: date,
) -> None:
    start = query.date_from or extent.first_on or today
    end = query.date_to or max(today, extent.last_on or today)
    card = account.type == "liability" and account.subtype == "credit_card"
    out.write(HEADER.encode())
    out.write(_open(account, card, start, end).encode())
    for entry in entries:
        out.write(transaction(entry, account).encode())
    natural = ledger_service.account_balance(session, ctx, account.id, end)
    held = natural if account.type == "asset" else -natural  # the holder's view
    out.write(_close(card, held, end).encode())


def _open(account: Account, card: bool, start: date, end: date) -> str:
    acct_id = account.id.hex[:22]
    if card:
        messages, response, statement = "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS"
        from_tag = f"<CCACCTFROM><ACCTID>{acct_id}</ACCTID></CCACCTFROM>"
    else:
        messages, response, statement = "BANKMSGSRSV1", "STMTTRNRS", "STMTRS"
        from_tag = (
            f"<BANKACCTFROM><BANKID>FISCUS</BANKID><ACCTID>{acct_id}</ACCTID>"
            f"<ACCTTYPE>{_account_type(account)}</ACCTTYPE></BANKACCTFROM>"
        )
    now = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return (
        "<OFX>\n<SIGNONMSGSRSV1><SONRS>"
        "<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"
        f"<DTSERVER>{now}[0:UTC]</DTSERVER><LANGUAGE>ENG</LANGUAGE>"
        "</SONRS></SIGNONMSGSRSV1>\n"
        f"<{messages}><{response}><TRNUID>{uuid.uuid4()}</TRNUID>"
        "<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"
        f"<{statement}><CURDEF>{account.currency}</CURDEF>{from_tag}\n"
        f"<BANKTRANLIST><DTSTART>{_day(start)}</DTSTART><DTEND>{_day(end)}</DTEND>\n"
    )


def _close(card: bool, balance: Money, on: date) -> str:
    messages, response, statement = (
        ("CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS")
        if card
        else ("BANKMSGSRSV1", "STMTTRNRS", "STMTRS")
    )
    return (
        "</BANKTRANLIST>\n"
        f"<LEDGERBAL><BALAMT>{balance.to_json()}</BALAMT><DTASOF>{_day(on)}</DTASOF></LEDGERBAL>\n"
        f"</{statement}></{response}></{messages}>\n</OFX>\n"
    )


def transaction(entry: ExportEntry, account: Account) -> str:
    """One STMTTRN: what the entry posted to `account`, from the holder's view."""
    minor = sum(p.amount for p in entry.postings if p.account_id == account.id)
    amount = Money.from_minor(minor, account.currency)
    sign_kind = "DEBIT" if amount.is_negative else "CREDIT"
    kind = "XFER" if entry.kind == "transfer" else sign_kind
    name = _text((entry.payee or entry.description)[:32])
    name_tag = f"<NAME>{name}</NAME>" if name else ""
    memo = _text(entry.description[:255])
    memo_tag = f"<MEMO>{memo}</MEMO>" if memo else ""
    return (
        f"<STMTTRN><TRNTYPE>{kind}</TRNTYPE><DTPOSTED>{_day(entry.occurred_on)}</DTPOSTED>"
        f"<TRNAMT>{amount.to_json()}</TRNAMT><FITID>{entry.id}</FITID>"
        f"{name_tag}{memo_tag}</STMTTRN>\n"
    )


def _account_type(account: Account) -> str:
    if account.type == "liability":
        return "CREDITLINE"
    return "SAVINGS" if account.subtype == "savings" else "CHECKING"


def _day(on: date) -> str:
    return on.strftime("%Y%m%d")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))
