"""The columnar read and build (ingest/frame.py, ingest/columnar.py) give exactly what
the row path gives: the same accounts with the same Decimals (places kept), the same
excluded lines and reasons, the same totals, the same errors — on every fixture and on
generated files mixing every amount form, exclusion and quoting case."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscus.diagnostics.ingest as ingest_module
from fiscus.diagnostics.ingest import Ingested, ingest
from fiscus.diagnostics.ingest.errors import DomainError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
AMOUNTS = st.sampled_from(
    [
        "",
        "0",
        "0.00",
        "12",
        "12.5",
        "1,234.56",
        "1,2,3",
        "007.10",
        "(45.00)",
        "-3.25",
        "3.25-",
        "99.99 Dr",
        "Cr 10",
        "$1,000.00",
        "AUD 5",
        "-",
        "nil",
        "12.345678",
        "abc",
        " 42 ",
        "1.234.567",
    ]
)
NUMBERS = st.sampled_from(["", "1-1100", "2000", "Total", "S100", "4-0001", " 600 ", "GST"])
NAMES = st.sampled_from(
    ["Cash at bank", "", "Total assets", "Sub-total", "Trade debtors", "Sales, other", "Ä Bank"]
)
INDICATORS = st.sampled_from(["", "Dr", "Cr", "D", "c", "x"])


def _rows_path(data: bytes, name: str, **kw: Any) -> Ingested:
    saved = ingest_module.read_text_frame
    ingest_module.read_text_frame = lambda *_: None  # type: ignore[assignment]
    try:
        return ingest(data, name, **kw)
    finally:
        ingest_module.read_text_frame = saved


def _outcome(run: Callable[[], Ingested]) -> Any:
    try:
        got = run()
    except DomainError as exc:
        return (type(exc).__name__, exc.detail)
    return [
        (
            [
                (r.line_no, r.number, r.name, str(r.debit), str(r.credit), r.type_hint)
                for r in p.trial_balance.rows
            ],
            p.trial_balance.excluded,
            p.trial_balance.source_rows,
            str(p.trial_balance.total_debits),
            str(p.trial_balance.total_credits),
            p.layout,
            p.header_line,
            p.columns,
        )
        for p in got.sheets
    ]


def assert_same(data: bytes, name: str = "tb.csv", **kw: Any) -> None:
    columnar = _outcome(lambda: ingest(data, name, **kw))
    rows = _outcome(lambda: _rows_path(data, name, **kw))
    assert columnar == rows


@pytest.mark.parametrize(
    "path", sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".txt"))
)
def test_every_fixture_reads_the_same_both_ways(path: str) -> None:
    assert_same((FIXTURES / path).read_bytes(), path)


def test_the_fixtures_do_take_the_columnar_path() -> None:
    got = ingest((FIXTURES / "company_tb_debit_credit.csv").read_bytes(), "tb.csv")
    assert got.sheets[0].trial_balance.columns is not None


def _quote(cell: str) -> str:
    return f'"{cell}"' if "," in cell or '"' in cell else cell


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(NUMBERS, NAMES, AMOUNTS, AMOUNTS), min_size=1, max_size=25),
    st.booleans(),
)
def test_generated_debit_credit_files_read_the_same_both_ways(
    lines: list[tuple[str, str, str, str]], title: bool
) -> None:
    head = "Trial Balance as at 30 June\n\n" if title else ""
    body = "\n".join(",".join(_quote(c) for c in line) for line in lines)
    data = f"{head}Account No,Account Name,Debit,Credit\n{body}\n".encode()
    assert_same(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NUMBERS, NAMES, AMOUNTS, INDICATORS), min_size=1, max_size=25))
def test_generated_net_balance_files_read_the_same_both_ways(
    lines: list[tuple[str, str, str, str]],
) -> None:
    body = "\n".join(";".join(line) for line in lines)
    assert_same(f"Code;Description;Balance;Dr/Cr\n{body}\n".encode(), "tb.txt")


def test_a_repeated_header_blank_lines_and_cp1252_read_the_same_both_ways() -> None:
    text = (
        "Account No,Account Name,Debit,Credit\r\n1-1000,Caf\u00e9 float,10.00,\r\n\r\n"
        "Account No,Account Name,Debit,Credit\r\n2-1000,Creditors,,10.00\r\n"
    )
    assert_same(text.encode("cp1252"))
    assert_same(text.replace("\r\n\r\nAccount No,Account Name,Debit,Credit", "").encode())


def test_a_workbook_sheet_reads_the_same_both_ways() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("TB")
    sheet.write_row(0, 0, ("Account No", "Account Name", "Debit", "Credit"))
    sheet.write_row(1, 0, ("1-1000", "Cash", 43938171.05, None))
    sheet.write_row(2, 0, ("2-1000", "Loan", None, 1234.5))
    sheet.write_row(3, 0, ("", "Total", 1.0, 2.0))
    sheet.write_row(4, 0, ("3-1000", "Capital", None, 43936936.55))
    book.close()
    data = buffer.getvalue()
    columnar = ingest(data, "tb.xlsx")
    assert columnar.sheets[0].trial_balance.columns is not None
    rows = [
        (r.line_no, r.number, r.name, str(r.debit), str(r.credit))
        for r in columnar.sheets[0].trial_balance.rows
    ]
    assert rows == [
        (2, "1-1000", "Cash", "43938171.05", "0"),
        (3, "2-1000", "Loan", "0", "1234.5"),
        (5, "3-1000", "Capital", "0", "43936936.55"),
    ]
