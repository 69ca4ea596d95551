"""Real-shaped bank CSV/TSV exports parse with the right dates, signs and exact amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fiscus.imports.parsers import FileFormat, Role, SignConvention, detect
from tests.imports.parsers.helpers import amounts, fixture, read


def test_commbank_headerless_signed_amounts_and_running_balance() -> None:
    detection = detect(fixture("commbank.csv"), "CSVData.csv")
    assert detection.format.value is FileFormat.CSV
    assert detection.header_row is not None
    assert detection.header_row.value is None
    assert {r: c.value for r, c in detection.columns.items()} == {
        Role.DATE: 0,
        Role.AMOUNT: 1,
        Role.DESCRIPTION: 2,
        Role.BALANCE: 3,
    }
    statement = read("commbank.csv")
    assert statement.errors == []
    assert amounts(statement) == [
        Decimal("-45.20"),
        Decimal("-4.50"),
        Decimal("2500.00"),
        Decimal("-1200.00"),
        Decimal("-89.99"),
    ]
    first = statement.lines[0]
    assert first.booked_on == date(2025, 7, 1)
    assert first.description == "EFTPOS WOOLWORTHS 1234 SYDNEY AU"
    assert first.balance_after == Decimal("954.80")
    assert statement.lines[3].booked_on == date(2025, 7, 13)


def test_westpac_debit_and_credit_columns() -> None:
    detection = detect(fixture("westpac_debit_credit.csv"), "westpac.csv")
    assert detection.sign_convention is not None
    assert detection.sign_convention.value is SignConvention.DEBIT_CREDIT
    statement = read("westpac_debit_credit.csv")
    assert amounts(statement) == [
        Decimal("-45.20"),
        Decimal("2500.00"),
        Decimal("-1200.00"),
        Decimal("-200.00"),
        Decimal("0.42"),
    ]
    assert statement.lines[1].balance_after == Decimal("3454.80")
    # The row with neither a debit nor a credit is reported with its line, not dropped.
    assert [(e.line_no, e.field) for e in statement.errors] == [(7, "amount")]


def test_dr_cr_indicator_column_signs_unsigned_amounts() -> None:
    detection = detect(fixture("anz_dr_cr.csv"), "anz.csv")
    assert detection.sign_convention is not None
    assert detection.sign_convention.value is SignConvention.INDICATOR
    statement = read("anz_dr_cr.csv")
    assert amounts(statement) == [
        Decimal("-45.20"),
        Decimal("2500.00"),
        Decimal("-1200.00"),
        Decimal("-3000.00"),
    ]
    # "745.20 DR" is an overdrawn balance.
    assert statement.lines[3].balance_after == Decimal("-745.20")
    assert [(e.line_no, e.field) for e in statement.errors] == [(6, "indicator")]


def test_european_cp1252_semicolons_decimal_comma_and_junk_lines() -> None:
    detection = detect(fixture("sparkasse_cp1252.csv"), "umsaetze.csv")
    assert detection.encoding is not None
    assert detection.encoding.value == "cp1252"
    assert detection.delimiter is not None
    assert detection.delimiter.value == ";"
    assert detection.decimal_separator is not None
    assert detection.decimal_separator.value == ","
    assert detection.thousands_separator == "."
    assert detection.header_row is not None
    assert detection.header_row.value == 4
    assert detection.date_format is not None
    assert detection.date_format.value == "%d.%m.%Y"
    assert detection.columns[Role.DATE].alternatives == (1,)  # the value date, "Valuta"
    statement = read("sparkasse_cp1252.csv")
    assert statement.errors == []
    assert statement.currency == "EUR"
    assert amounts(statement) == [
        Decimal("3100.00"),
        Decimal("-1250.75"),
        Decimal("-105.00"),
        Decimal("-4.50"),
        Decimal("-0.50"),
    ]
    rent = statement.lines[1]
    assert rent.payee == "Hausverwaltung Schmidt & Söhne"
    assert rent.description == "Miete Juli; Whg 3 links"  # a quoted delimiter stays text
    assert rent.line_no == 7
    assert statement.lines[3].payee == "Café Größenwahn"
    assert statement.lines[4].payee is None
    assert statement.lines[4].description == "Kontoführung"


def test_utf16_tsv_with_month_first_dates_decided_by_the_data() -> None:
    detection = detect(fixture("chase_utf16.tsv"), "Chase1234_Activity.tsv")
    assert detection.encoding is not None
    assert detection.encoding.value == "utf-16"
    assert detection.delimiter is not None
    assert detection.delimiter.value == "\t"
    assert detection.date_format is not None
    assert detection.date_format.value == "%m/%d/%Y"
    assert detection.date_format.confidence >= 0.9
    statement = read("chase_utf16.tsv")
    assert [line.booked_on for line in statement.lines] == [
        date(2025, 7, 15),
        date(2025, 7, 11),
        date(2025, 7, 2),
        date(2025, 7, 1),
    ]
    assert amounts(statement) == [
        Decimal("-15.49"),
        Decimal("2000.00"),
        Decimal("-6.75"),
        Decimal("-250.00"),
    ]
    # "Details" holds DEBIT/CREDIT: it is not taken for the description.
    assert statement.lines[0].description == "NETFLIX.COM 866-579-7172 CA"
    assert statement.lines[1].balance_after == Decimal("5000.00")


def test_bom_and_leading_junk_lines_before_the_header() -> None:
    detection = detect(fixture("barclays_bom_junk.csv"), "barclays.csv")
    assert detection.encoding is not None
    assert detection.encoding.value == "utf-8-sig"
    assert detection.header_row is not None
    assert detection.header_row.value == 3
    assert detection.headers[0] == "Number"  # no BOM left on the first header
    statement = read("barclays_bom_junk.csv")
    assert statement.errors == []
    assert amounts(statement) == [
        Decimal("-1250.00"),
        Decimal("-3.20"),
        Decimal("2750.00"),
        Decimal("-40.00"),
    ]
    assert [line.line_no for line in statement.lines] == [5, 6, 7, 8]
    assert statement.lines[0].raw["Memo"] == "RENT LANDLORD LTD"
