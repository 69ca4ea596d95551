"""OFX/QFX, QIF, CAMT.053 and MT940 files: signs, dates, exact amounts, bank refs, balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fiscus.imports.parsers import (
    FileFormat,
    Mapping,
    StatementBalance,
    detect,
    parse,
)
from fiscus.imports.parsers.errors import MalformedFile
from tests.imports.parsers.helpers import amounts, fixture, read


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("anz_sgml.ofx", FileFormat.OFX),
        ("chase_v2.ofx", FileFormat.OFX),
        ("wellsfargo.qfx", FileFormat.OFX),
        ("quicken.qif", FileFormat.QIF),
        ("sparkasse.camt053.xml", FileFormat.CAMT053),
        ("deutsche.mt940.sta", FileFormat.MT940),
        ("commbank.csv", FileFormat.CSV),
    ],
)
def test_format_is_detected_from_the_content_not_the_name(name: str, fmt: FileFormat) -> None:
    assert detect(fixture(name), "upload.bin").format.value is fmt


def test_ofx_1_sgml_with_ledger_balance_and_fitids() -> None:
    statement = read("anz_sgml.ofx")
    assert statement.currency == "AUD"
    assert statement.account_hint == "123456789"
    assert amounts(statement) == [Decimal("-45.20"), Decimal("2500.00"), Decimal("-5.00")]
    assert [line.bank_ref for line in statement.lines] == [
        "20250701000001",
        "20250703000002",
        "20250731000003",
    ]
    first = statement.lines[0]
    assert first.booked_on == date(2025, 7, 1)
    assert first.payee == "WOOLWORTHS 1234"
    assert first.description == "EFTPOS WOOLWORTHS 1234 SYDNEY AU"
    # LEDGERBAL, not AVAILBAL, is the statement balance.
    assert statement.balances == [
        StatementBalance(date(2025, 7, 31), Decimal("3449.80"), "closing")
    ]
    assert [(e.line_no, e.field) for e in statement.errors] == [(62, "DTPOSTED")]


def test_ofx_2_xml_credit_card_with_entities() -> None:
    statement = read("chase_v2.ofx")
    assert statement.currency == "USD"
    assert amounts(statement) == [Decimal("-12.99"), Decimal("500.00")]
    assert statement.lines[0].description == "Streaming & more"
    assert statement.lines[0].bank_ref == "2025070524692165"
    assert statement.lines[0].booked_on == date(2025, 7, 5)
    assert statement.balances == [
        StatementBalance(date(2025, 7, 31), Decimal("-1234.56"), "closing")
    ]


def test_qfx_with_vendor_tags_missing_closers_and_a_decimal_comma() -> None:
    statement = read("wellsfargo.qfx")
    assert amounts(statement) == [Decimal("-150.00"), Decimal("1800.00"), Decimal("-23.45")]
    assert statement.lines[0].payee == "CHECK # 1042 - CAFÉ ROUGE"
    assert [line.bank_ref for line in statement.lines] == ["WF0001", "WF0002", "WF0003"]
    assert [line.line_no for line in statement.lines] == [15, 16, 17]
    assert statement.balances[0].amount == Decimal("5626.55")


def test_ofx_with_every_amount_unsigned_takes_the_sign_from_trntype() -> None:
    data = fixture("anz_sgml.ofx").replace(b"<TRNAMT>-", b"<TRNAMT>")
    statement = parse(data, detect(data, "x.ofx"))
    assert amounts(statement) == [Decimal("-45.20"), Decimal("2500.00"), Decimal("-5.00")]


def test_ofx_with_two_accounts_books_the_first_and_reports_the_other() -> None:
    data = fixture("anz_sgml.ofx")
    second = data[data.index(b"<STMTTRNRS>") : data.index(b"</STMTTRNRS>") + 12]
    second = second.replace(b"123456789", b"999999999").replace(b"<BALAMT>3449.80", b"<BALAMT>1")
    data = data.replace(b"</BANKMSGSRSV1>", second + b"\n</BANKMSGSRSV1>")
    statement = parse(data, detect(data, "two.ofx"))
    assert statement.account_hint == "123456789"
    assert len(statement.lines) == 3
    assert [e.field for e in statement.errors].count("ACCTID") == 4
    assert [b.amount for b in statement.balances] == [Decimal("3449.80")]


def test_qif_bank_with_quicken_dates_splits_and_bad_records() -> None:
    statement = read("quicken.qif")
    assert statement.account_hint == "Everyday Account"
    assert [line.booked_on for line in statement.lines] == [
        date(2025, 7, 1),
        date(2025, 7, 3),
        date(2025, 7, 13),
    ]
    assert amounts(statement) == [Decimal("-45.20"), Decimal("2500.00"), Decimal("-1200.00")]
    assert statement.lines[0].payee == "WOOLWORTHS 1234"
    assert statement.lines[0].description == "EFTPOS purchase"
    assert statement.lines[2].bank_ref == "1042"
    assert [(e.line_no, e.field) for e in statement.errors] == [(24, "D"), (28, "T")]


def test_qif_day_first_dates_when_a_day_over_12_says_so() -> None:
    data = b"!Type:Bank\nD25/12/2024\nT-10.00\nPXMAS\n^\nD01/02/2025\nT5.00\nPREFUND\n^\n"
    statement = parse(data, detect(data, "x.qif"))
    assert [line.booked_on for line in statement.lines] == [date(2024, 12, 25), date(2025, 2, 1)]


def test_qif_date_format_can_be_overridden() -> None:
    data = b"!Type:Bank\nD01/02/2025\nT-10.00\n^\n"
    assert read_qif(data, None) == date(2025, 1, 2)  # undecidable: Quicken's month first
    assert read_qif(data, Mapping(date_format="%d/%m/%Y")) == date(2025, 2, 1)


def test_qif_detection_reports_its_date_format_and_an_undecided_guess() -> None:
    detection = detect(b"!Type:Bank\nD01/02/2025\nT-10.00\n^\n", "x.qif")
    assert detection.date_format is not None
    assert detection.date_format.value == "%m/%d/%Y"
    assert detection.date_format.confidence <= 0.5
    assert detection.date_format.alternatives == ("%d/%m/%Y",)
    assert detection.notes == ["day/month cannot be told apart from the data: assumed month first"]


def read_qif(data: bytes, mapping: Mapping | None) -> date:
    return parse(data, detect(data, "x.qif"), mapping).lines[0].booked_on


@pytest.mark.parametrize("name", ["sparkasse.camt053.xml", "bank_v02.camt053.xml"])
def test_camt053_signs_refs_and_opening_closing_balances(name: str) -> None:
    statement = read(name)
    assert statement.currency == "EUR"
    assert statement.account_hint == "DE89370400440532013000"
    assert amounts(statement) == [Decimal("3100.00"), Decimal("-1250.75"), Decimal("-105.00")]
    salary, rent, power = statement.lines
    assert salary.payee == "Muster GmbH"  # the debtor of a credit
    assert rent.payee == "Hausverwaltung Schmidt & Söhne"  # the creditor of a debit
    assert rent.description == "Miete Juli Whg 3 links"
    assert salary.bank_ref == "2025070100012345"  # AcctSvcrRef before NtryRef
    assert power.bank_ref == "3"  # NtryRef when there is nothing better
    assert power.description == "SEPA-LASTSCHRIFT Stadtwerke"
    assert statement.balances == [
        StatementBalance(date(2025, 6, 30), Decimal("1500.00"), "opening"),
        StatementBalance(date(2025, 7, 31), Decimal("3244.25"), "closing"),
    ]
    # The books reconcile: opening + lines = closing.
    assert Decimal("1500.00") + sum(amounts(statement)) == Decimal("3244.25")
    assert [(e.line_no, e.field) for e in statement.errors] == [(67, "Sts")]


@pytest.mark.parametrize("version", ["camt.053.001.04", "camt.053.001.06"])
def test_camt053_other_namespace_versions_read_the_same(version: str) -> None:
    data = fixture("sparkasse.camt053.xml").replace(b"camt.053.001.08", version.encode())
    assert amounts(parse(data, detect(data, None)))[0] == Decimal("3100.00")


def test_camt_with_a_dtd_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b"<Document><BkToCstmrStmt><Stmt/></BkToCstmrStmt></Document>"
    )
    with pytest.raises(MalformedFile):
        parse(data, detect(data, "x.xml"))


def test_mt940_lines_narrative_and_balances() -> None:
    statement = read("deutsche.mt940.sta")
    assert statement.account_hint == "37040044/0532013000"
    assert statement.currency == "EUR"
    assert amounts(statement) == [Decimal("3100.00"), Decimal("-1250.75"), Decimal("-105.00")]
    salary, rent, power = statement.lines
    assert salary.booked_on == date(2025, 7, 1)
    assert salary.payee == "Muster GmbH"
    assert salary.bank_ref == "2025070100012345"
    assert rent.payee == "Hausverwaltung Schmidt & Soehne"
    assert rent.description == "Miete Juli Whg 3 links"
    assert rent.line_no == 9
    assert power.description == "SEPA-LASTSCHRIFT STADTWERKE KUNDENNR 4711"
    assert power.bank_ref is None  # NONREF is no reference
    assert statement.balances == [
        StatementBalance(date(2025, 6, 30), Decimal("1500.00"), "opening"),
        StatementBalance(date(2025, 7, 31), Decimal("3244.25"), "closing"),
    ]
    assert [(e.line_no, e.field) for e in statement.errors] == [(14, "61")]


def test_camt_and_mt940_with_a_second_account_report_its_lines() -> None:
    camt = fixture("sparkasse.camt053.xml")
    stmt = camt[camt.index(b"<Stmt>") : camt.index(b"</Stmt>") + 7]
    camt = camt.replace(b"</Stmt>", b"</Stmt>" + stmt.replace(b"DE8937", b"DE0000"), 1)
    statement = parse(camt, detect(camt, None))
    assert len(statement.lines) == 3
    assert len(statement.balances) == 2
    assert [e.field for e in statement.errors].count("Acct") == 4
    mt940 = fixture("deutsche.mt940.sta") + b":20:B\n:25:OTHER/1\n:61:250701C1,00NTRFX\n"
    statement = parse(mt940, detect(mt940, None))
    assert len(statement.lines) == 3
    assert statement.errors[-1].field == "25"


def test_mt940_reversal_and_booking_date_across_the_year_end() -> None:
    data = (
        b":20:X\n:25:ACC\n:60F:C241231EUR0,00\n"
        b":61:2412310102C10,00NTRFREF1\n:86:NEW YEAR\n"
        b":61:250102RC10,00NTRFREF2\n:86:REVERSED\n:62F:C250102EUR0,00\n"
    )
    statement = parse(data, detect(data, None))
    assert [(line.booked_on, line.amount) for line in statement.lines] == [
        (date(2025, 1, 2), Decimal("10.00")),
        (date(2025, 1, 2), Decimal("-10.00")),
    ]
    assert [line.bank_ref for line in statement.lines] == ["REF1", "REF2"]
