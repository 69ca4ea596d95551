"""Property: a statement written as CSV in any layout a bank uses comes back the same.

Random delimiter, decimal separator and grouping, date format, sign convention (signed,
debit/credit columns, DR/CR indicator), encoding, header or none and leading junk lines.
When the dates cannot tell day from month, detection must say so (confidence <= 0.5 and
the other reading as the alternative) and the alternative must then give the statement.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscus.imports.parsers import Mapping, ParsedStatement, SignConvention, detect, parse

DATE_FORMATS = (
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d %b %Y",
    "%Y%m%d",
)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252")
TEXT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 &-/.'éüß", max_size=24
)


@dataclass(frozen=True)
class Layout:
    delimiter: str
    decimal: str
    grouping: str | None
    date_format: str
    sign: SignConvention
    encoding: str
    header: bool
    junk: int


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    decimal = draw(st.sampled_from([".", ","]))
    grouping = draw(st.sampled_from([None, " ", "." if decimal == "," else ","]))
    sign = draw(st.sampled_from(list(SignConvention)))
    header = sign is not SignConvention.SIGNED or draw(st.booleans())
    return Layout(
        delimiter=draw(st.sampled_from([",", ";", "\t", "|"])),
        decimal=decimal,
        grouping=grouping,
        date_format=draw(st.sampled_from(DATE_FORMATS)),
        sign=sign,
        encoding=draw(st.sampled_from(ENCODINGS)),
        header=header,
        junk=draw(st.integers(0, 2)) if header else 0,
    )


@st.composite
def statements(draw: st.DrawFn) -> list[tuple[date, Decimal, str]]:
    days = sorted(
        draw(st.lists(st.dates(date(2001, 1, 1), date(2030, 12, 31)), min_size=1, max_size=30))
    )
    cents = draw(
        st.lists(st.integers(-9_999_999, 9_999_999), min_size=len(days), max_size=len(days))
    )
    texts = draw(st.lists(TEXT, min_size=len(days), max_size=len(days)))
    return [
        (day, Decimal(c).scaleb(-2), f"Shop {text}".strip())
        for day, c, text in zip(days, cents, texts, strict=True)
    ]


def money(value: Decimal, layout: Layout) -> str:
    text = f"{value:,.2f}".replace(",", "G").replace(".", layout.decimal)
    return text.replace("G", layout.grouping or "")


def write(lines: list[tuple[date, Decimal, str]], layout: Layout) -> bytes:
    out = io.StringIO()
    for i in range(layout.junk):
        out.write(["Account statement", "Exported by Online Banking"][i] + "\n")
    writer = csv.writer(out, delimiter=layout.delimiter, lineterminator="\r\n")
    if layout.sign is SignConvention.SIGNED:
        header = ["Date", "Description", "Amount"]
        rows = [[d.strftime(layout.date_format), t, money(a, layout)] for d, a, t in lines]
    elif layout.sign is SignConvention.DEBIT_CREDIT:
        header = ["Date", "Description", "Debit", "Credit"]
        rows = [
            [
                d.strftime(layout.date_format),
                t,
                money(-a, layout) if a < 0 else "",
                money(a, layout) if a >= 0 else "",
            ]
            for d, a, t in lines
        ]
    else:
        header = ["Date", "Description", "Amount", "Dr/Cr"]
        rows = [
            [d.strftime(layout.date_format), t, money(abs(a), layout), "DR" if a < 0 else "CR"]
            for d, a, t in lines
        ]
    if layout.header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(layout.encoding)


def as_tuples(statement: ParsedStatement) -> list[tuple[date, Decimal, str]]:
    return [(line.booked_on, line.amount, line.description) for line in statement.lines]


@settings(max_examples=150)
@given(statements(), layouts())
def test_written_statements_round_trip_through_detect_and_parse(
    lines: list[tuple[date, Decimal, str]], layout: Layout
) -> None:
    data = write(lines, layout)
    detection = detect(data, "statement.csv")
    statement = parse(data, detection)
    assert statement.errors == []
    choice = detection.date_format
    assert choice is not None
    if choice.confidence > 0.5:  # a confident detection names the format that was written
        assert choice.value == layout.date_format, choice
    if as_tuples(statement) == lines:
        return
    # Only an admitted day/month guess may be wrong, and then the alternative is right.
    choice = detection.date_format
    assert choice is not None
    assert choice.confidence <= 0.5, (choice, detection.to_json())
    retry = parse(data, detection, Mapping(date_format=choice.alternatives[0]))
    assert as_tuples(retry) == lines


def write_xlsx(lines: list[tuple[date, Decimal, str]], junk: int, date_cells: bool) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    day_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for row in range(junk):
        sheet.write_string(row, 0, f"Statement export {row + 1}")
    sheet.write_row(junk, 0, ["Date", "Description", "Amount"])
    for offset, (day, amount, text) in enumerate(lines, start=junk + 1):
        if date_cells:
            sheet.write_datetime(offset, 0, datetime(day.year, day.month, day.day), day_format)
        else:
            sheet.write_string(offset, 0, day.strftime("%d/%m/%Y"))
        sheet.write_string(offset, 1, text)
        sheet.write_number(offset, 2, float(amount))
    book.close()
    return buffer.getvalue()


@settings(max_examples=40)
@given(statements(), st.integers(0, 2), st.booleans())
def test_written_spreadsheets_round_trip_through_detect_and_parse(
    lines: list[tuple[date, Decimal, str]], junk: int, date_cells: bool
) -> None:
    data = write_xlsx(lines, junk, date_cells)
    detection = detect(data, "statement.xlsx")
    statement = parse(data, detection)
    assert statement.errors == []
    if as_tuples(statement) == lines:  # Decimal("12.5") == Decimal("12.50")
        return
    choice = detection.date_format
    assert choice is not None
    assert choice.confidence <= 0.5, (choice, detection.to_json())
    retry = parse(data, detection, Mapping(date_format=choice.alternatives[0]))
    assert as_tuples(retry) == lines
