"""Ingestion without HTTP: amounts, layouts, totals, column detection."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscus.diagnostics.ingest import ingest
from fiscus.diagnostics.ingest.amounts import NotAnAmount, parse_amount
from fiscus.diagnostics.ingest.errors import AmountsMissing, MappingRequired
from fiscus.diagnostics.ingest.mapping import parse_mapping

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("1234.56", False, (Decimal("1234.56"), None)),
        ("1,234,567.89", False, (Decimal("1234567.89"), None)),
        ("(1,234.50)", False, (Decimal("-1234.50"), None)),
        ("1.234,56", True, (Decimal("1234.56"), None)),
        ("1 234,56", True, (Decimal("1234.56"), None)),
        ("$ 980.10", False, (Decimal("980.10"), None)),
        ("€12,5", True, (Decimal("12.5"), None)),
        ("500.00 Cr", False, (Decimal("500.00"), "cr")),
        ("Dr 75", False, (Decimal("75"), "dr")),
        ("250.00-", False, (Decimal("-250.00"), None)),
        ("-", False, (None, None)),
        ("", False, (None, None)),
    ],
)
def test_amounts_are_read_exactly(text: str, comma: bool, expected: object) -> None:
    assert parse_amount(text, decimal_comma=comma) == expected


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", "(12", "1..2.x"])
def test_text_that_is_no_amount_is_refused(text: str) -> None:
    with pytest.raises(NotAnAmount):
        parse_amount(text)


def test_the_debit_credit_company_tb_balances_and_excludes_its_total_line() -> None:
    data = (FIXTURES / "company_tb_debit_credit.csv").read_bytes()
    part = ingest(data, "company_tb_debit_credit.csv").sheets[0]
    tb = part.trial_balance
    assert (part.layout, part.header_line, len(tb.rows)) == ("debit_credit", 3, 37)
    assert tb.total_debits == tb.total_credits == Decimal("1186980.33")
    assert [(e.line_no, e.reason) for e in tb.excluded] == [(41, "total or subtotal")]
    allowance = next(r for r in tb.rows if r.number == "1-1250")
    assert (allowance.debit, allowance.credit, allowance.type_hint) == (
        0,
        Decimal("4820.50"),
        "Asset",
    )


def test_a_signed_net_balance_with_decimal_commas_is_split_into_sides() -> None:
    data = (FIXTURES / "net_balance_signed.csv").read_bytes()
    part = ingest(data, "net_balance_signed.csv").sheets[0]
    tb = part.trial_balance
    assert part.layout == "net_signed"
    assert tb.total_debits == tb.total_credits == Decimal("145262.45")
    payable = next(r for r in tb.rows if r.number == "1600")
    assert (payable.debit, payable.credit) == (0, Decimal("18450.20"))
    other = next(r for r in tb.rows if r.number == "4980")  # "(700,00)": a credit
    assert (other.debit, other.credit) == (0, Decimal("700.00"))
    assert [e.reason for e in tb.excluded] == ["total or subtotal"]


def test_a_net_balance_with_a_dr_cr_column_takes_the_side_from_the_column() -> None:
    data = (FIXTURES / "net_with_drcr.txt").read_bytes()
    part = ingest(data, "net_with_drcr.txt").sheets[0]
    tb = part.trial_balance
    assert part.layout == "net_with_indicator"
    assert tb.total_debits == tb.total_credits == Decimal("76800.00")
    depreciation = next(r for r in tb.rows if r.number == "155")
    assert (depreciation.debit, depreciation.credit) == (0, Decimal("4000.00"))
    assert [e.reason for e in tb.excluded] == ["blank line"]


def test_headers_that_name_nothing_ask_for_a_mapping_with_candidates() -> None:
    data = b"A,B,C\n1000,Cash,500.00\n2000,Loan,-500.00\n"
    with pytest.raises(MappingRequired) as raised:
        ingest(data, "tb.csv")
    candidates = raised.value.candidates
    assert 2 in [c["column"] for c in candidates["roles"]["net"]]
    assert all(c["confidence"] < candidates["threshold"] for c in candidates["roles"]["net"])
    mapping = parse_mapping({"header_line": 1, "number": "A", "name": 1, "net": "c"})
    mapped = ingest(data, "tb.csv", mapping=mapping)
    tb = mapped.sheets[0].trial_balance
    assert (tb.total_debits, tb.total_credits, len(tb.rows)) == (500, 500, 2)
    assert mapped.sheets[0].columns["net"][3] == "mapping"


def test_a_sheet_without_amount_columns_fails_with_a_reason() -> None:
    data = b"Account Number,Account Name,Notes\n1000,Cash,ok\n2000,Loan,check\n"
    with pytest.raises(AmountsMissing, match="No debit, credit or balance column"):
        ingest(data, "tb.csv")


def test_an_unreadable_amount_fails_naming_its_line() -> None:
    data = b"Account No,Name,Debit,Credit\n1000,Cash,12x,\n1100,Bank,12,\n2000,Loan,,24\n"
    with pytest.raises(Exception, match="line 2: the debit '12x' is not an amount"):
        ingest(data, "tb.csv")


def test_headings_and_unlabelled_subtotals_are_excluded() -> None:
    data = (
        b"Account,Name,Debit,Credit\n,Current assets,,\n1000,Cash,100,\n,,100,\n"
        b"2000,Loan,,100\nSubtotal liabilities,,,100\nAccount,Name,Debit,Credit\n"
    )
    tb = ingest(data, "tb.csv").sheets[0].trial_balance
    assert [r.number for r in tb.rows] == ["1000", "2000"]
    assert [(e.line_no, e.reason) for e in tb.excluded] == [
        (2, "heading without amounts"),
        (4, "amounts without an account (a subtotal)"),
        (6, "total or subtotal"),
        (7, "repeated header"),
    ]


def test_the_fast_json_rendering_equals_the_stdlib_one_amounts_as_exact_strings() -> None:
    import json

    from fiscus.diagnostics import schemas

    data = (FIXTURES / "company_tb_debit_credit.csv").read_bytes()
    tb = ingest(data, "company_tb_debit_credit.csv").sheets[0].trial_balance
    body = {"sheets": [schemas.analyse(tb, schemas.AnalysisOptions())], "n": 1}
    fast = json.loads(schemas.dumps(body))
    assert fast == json.loads(schemas.dumps_stdlib(body))
    assert fast["sheets"][0]["total_debits"] == "1186980.33"


def test_sheets_are_refused_for_a_delimited_file() -> None:
    from fiscus.diagnostics.ingest.errors import UnknownSheet

    with pytest.raises(UnknownSheet, match="no named sheets"):
        ingest((FIXTURES / "net_with_drcr.txt").read_bytes(), "tb.txt", sheets=["TB"])
