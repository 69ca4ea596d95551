"""Detection choices, their confidences, and the user's overrides through a Mapping."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fiscus.imports.parsers import InvalidMapping, Mapping, Role, SignConvention, detect, parse
from tests.imports.parsers.helpers import fixture


def csv_of(dates: list[str], header: str = "Date,Description,Amount") -> bytes:
    rows = [header] + [f"{d},Shop {i},-{i + 1}.50" for i, d in enumerate(dates)]
    return "\n".join(rows).encode()


def test_a_day_over_12_decides_day_first() -> None:
    detection = detect(csv_of(["03/04/2025", "05/04/2025", "20/04/2025"]), "x.csv")
    assert detection.date_format is not None
    assert detection.date_format.value == "%d/%m/%Y"
    assert detection.date_format.confidence >= 0.95


def test_a_day_over_12_in_the_second_position_decides_month_first() -> None:
    detection = detect(csv_of(["04/03/2025", "04/05/2025", "04/20/2025"]), "x.csv")
    assert detection.date_format is not None
    assert detection.date_format.value == "%m/%d/%Y"


def test_the_deciding_row_is_found_beyond_the_sample() -> None:
    # 5,000 rows, day and month both <= 12 in all but one row far from the start.
    start = date(2025, 1, 1)
    dates = [(start + timedelta(days=i % 12)).replace(day=1 + i % 12) for i in range(5000)]
    texts = [f"{d.day:02d}/{d.month:02d}/{d.year}" for d in dates]
    texts[3777] = "25/01/2025"
    detection = detect(csv_of(texts), "x.csv")
    assert detection.date_format is not None
    assert detection.date_format.value == "%d/%m/%Y"
    assert detection.date_format.confidence >= 0.95


def test_undecidable_dates_assume_day_first_with_low_confidence_and_say_so() -> None:
    detection = detect(csv_of(["01/02/2025", "02/01/2025", "01/02/2025"]), "x.csv")
    choice = detection.date_format
    assert choice is not None
    assert choice.value == "%d/%m/%Y"
    assert choice.confidence <= 0.5
    assert choice.alternatives == ("%m/%d/%Y",)
    assert choice.note is not None
    assert "assumed day first" in choice.note
    assert any("assumed day first" in note for note in detection.notes)


def test_row_order_decides_when_no_value_does() -> None:
    # Read day-first these run 1 Jan .. 12 Feb in order; month-first they jump about.
    texts = [f"{d:02d}/{m:02d}/2025" for m in (1, 2) for d in range(1, 13)]
    detection = detect(csv_of(texts), "x.csv")
    assert detection.date_format is not None
    assert detection.date_format.value == "%d/%m/%Y"
    assert 0.5 < detection.date_format.confidence < 0.95
    texts = [f"{m:02d}/{d:02d}/2025" for m in (1, 2) for d in range(1, 13)]
    detection = detect(csv_of(texts), "x.csv")
    assert detection.date_format is not None
    assert detection.date_format.value == "%m/%d/%Y"


@pytest.mark.parametrize(
    ("first", "second", "fmt"),
    [
        ("2025-07-01", "2025-07-13", "%Y-%m-%d"),
        ("2025.07.01", "2025.07.13", "%Y.%m.%d"),
        ("20250701", "20250713", "%Y%m%d"),
        ("01 Jul 2025", "13 Jul 2025", "%d %b %Y"),
        ("01-Jul-25", "13-Jul-25", "%d-%b-%y"),
        ('"Jul 1, 2025"', '"Jul 13, 2025"', "%b %d, %Y"),
        ("1/7/2025", "13/7/2025", "%d/%m/%Y"),
        ("2025-07-01T09:30:00", "2025-07-13T18:00:00", "%Y-%m-%d"),
        ("01/07/2025 09:30", "13/07/2025 18:00", "%d/%m/%Y"),
    ],
)
def test_date_spellings(first: str, second: str, fmt: str) -> None:
    data = f"Date,Description,Amount\n{first},A,-1.00\n{second},B,2.00\n".encode()
    detection = detect(data, None)
    assert detection.date_format is not None
    assert detection.date_format.value == fmt
    statement = parse(data, detection)
    assert [line.booked_on for line in statement.lines] == [date(2025, 7, 1), date(2025, 7, 13)]


def test_junk_lines_of_any_width_are_skipped_to_the_header() -> None:
    data = (
        b"My Bank plc\n"
        b"Statement,for,account,12345678,from,01/07/2025,to,31/07/2025\n"
        b"\n"
        b"Date,Details,Amount\n"
        b"01/07/2025,COFFEE,-3.50\n"
        b"02/07/2025,SALARY,1000.00\n"
    )
    detection = detect(data, "x.csv")
    assert detection.header_row is not None
    assert detection.header_row.value == 3
    statement = parse(data, detection)
    assert [line.amount for line in statement.lines] == [Decimal("-3.50"), Decimal("1000.00")]
    assert [line.line_no for line in statement.lines] == [5, 6]


def test_an_excel_sep_line_names_the_delimiter_and_is_skipped() -> None:
    data = b"sep=;\r\nDatum;Text;Betrag\r\n01.07.2025;Miete, Juli;-1.250,75\r\n"
    detection = detect(data, "export.csv")
    assert detection.delimiter is not None
    assert detection.delimiter.value == ";"
    statement = parse(data, detection)
    assert [(line.description, line.amount) for line in statement.lines] == [
        ("Miete, Juli", Decimal("-1250.75"))
    ]


def test_columns_are_found_by_content_when_there_is_no_header() -> None:
    data = b"2025-07-01;LIDL SAGT DANKE;-12,30;1.487,70\n2025-07-02;GEHALT;2.000,00;3.487,70\n"
    detection = detect(data, None)
    assert detection.header_row is not None
    assert detection.header_row.value is None
    columns = {role: choice.value for role, choice in detection.columns.items()}
    assert columns[Role.DATE] == 0
    assert columns[Role.AMOUNT] == 2
    assert columns[Role.BALANCE] == 3  # the running balance adds up
    statement = parse(data, detection)
    assert [line.amount for line in statement.lines] == [Decimal("-12.30"), Decimal("2000.00")]


def test_a_mapping_overrides_columns_by_header_name_and_can_invert_signs() -> None:
    data = b"Posted,Merchant,Charge,Ref\n01/07/2025,NETFLIX,15.49,A1\n02/07/2025,REFUND,-5.00,A2\n"
    detection = detect(data, "card.csv")
    mapping = Mapping.from_json(
        {
            "columns": {"date": "Posted", "payee": "Merchant", "amount": "charge", "reference": 3},
            "invert_sign": True,
            "date_format": "%d/%m/%Y",
        }
    )
    statement = parse(data, detection, mapping)
    assert [(line.amount, line.payee, line.bank_ref) for line in statement.lines] == [
        (Decimal("-15.49"), "NETFLIX", "A1"),
        (Decimal("5.00"), "REFUND", "A2"),
    ]


def test_a_balance_falling_by_positive_amounts_suggests_inverting_signs() -> None:
    data = (
        b"Date,Description,Amount,Balance\n01/07/2025,NETFLIX,15.49,984.51\n"
        b"02/07/2025,COFFEE,4.50,980.01\n03/07/2025,PAYMENT,-500.00,1480.01\n"
    )
    detection = detect(data, "card.csv")
    assert any("invert_sign" in note for note in detection.notes)
    statement = parse(data, detection, Mapping(invert_sign=True))
    assert [line.amount for line in statement.lines] == [
        Decimal("-15.49"),
        Decimal("-4.50"),
        Decimal("500.00"),
    ]
    assert not any("invert_sign" in n for n in detect(fixture("commbank.csv"), None).notes)


def test_a_mapping_can_say_there_is_no_header() -> None:
    data = b"01/07/2025,COFFEE,-3.50\n02/07/2025,TEA,-2.50\n"
    detection = detect(data, None)
    mapping = Mapping(has_header=False, header_row=1)  # skip the first row as junk
    statement = parse(data, detection, mapping)
    assert [line.description for line in statement.lines] == ["TEA"]


def test_a_mapping_naming_an_unknown_header_is_refused_with_the_field() -> None:
    data = b"Date,Description,Amount\n01/07/2025,COFFEE,-3.50\n"
    with pytest.raises(InvalidMapping) as refused:
        parse(data, detect(data, None), Mapping.from_json({"columns": {"date": "When"}}))
    assert refused.value.field is not None
    assert "columns.date" in refused.value.field


def test_a_mapping_without_an_amount_is_refused_naming_what_is_missing() -> None:
    data = b"Date,Description,Amount\n01/07/2025,COFFEE,-3.50\n"
    mapping = Mapping(columns={Role.DATE: 0}, sign_convention=SignConvention.SIGNED)
    with pytest.raises(InvalidMapping) as refused:
        parse(data, detect(data, None), mapping)
    assert refused.value.field == "columns.amount"


def test_mapping_json_validation_names_every_bad_field() -> None:
    with pytest.raises(InvalidMapping) as refused:
        Mapping.from_json(
            {
                "delimiter": ";;",
                "decimal_separator": "x",
                "sign_convention": "both",
                "columns": {"amount": -1},
                "colour": "red",
            }
        )
    assert refused.value.field is not None
    assert set(refused.value.field.split(",")) == {
        "colour",
        "delimiter",
        "decimal_separator",
        "sign_convention",
        "columns",
    }


def test_detection_mapping_round_trips_through_json() -> None:
    data = b"Date,Description,Debit,Credit\n01/07/2025,COFFEE,3.50,\n02/07/2025,PAY,,100\n"
    detection = detect(data, None)
    mapping = detection.mapping()
    again = Mapping.from_json(json.loads(json.dumps(mapping.to_json())))
    assert again == mapping
    assert parse(data, detection, again).lines == parse(data, detection).lines
    json.dumps(detection.to_json())  # the whole detection is JSON for the API


def test_thousands_separators_and_accounting_negatives() -> None:
    data = (
        b'Date,Description,Amount\n01/07/2025,BIG,"(1,234.50)"\n'
        b'02/07/2025,BIGGER,"12,345,678.00"\n03/07/2025,SMALL,-0.01\n'
    )
    statement = parse(data, detect(data, None))
    assert [line.amount for line in statement.lines] == [
        Decimal("-1234.50"),
        Decimal("12345678.00"),
        Decimal("-0.01"),
    ]


def test_malformed_rows_are_reported_and_the_rest_still_parses() -> None:
    data = (
        b"Date,Description,Amount\n01/07/2025,OK,-1.00\nnot a date,BAD,-2.00\n"
        b"03/07/2025,BAD AMOUNT,12x\n\n04/07/2025,OK TOO,5\nTotal,,2.00\n"
    )
    statement = parse(data, detect(data, None))
    assert [line.description for line in statement.lines] == ["OK", "OK TOO"]
    assert [(e.line_no, e.field) for e in statement.errors] == [
        (3, "date"),
        (4, "amount"),
        (7, "date"),
    ]
