"""The columnar engine (analysis/columnar.py) answers exactly what the row engine
answers: the same JSON, byte for byte — classification, totals, every finding in the
same order and wording, materiality, ratios, Benford, risk — on the fixtures and on
generated trial balances full of the cases the rules turn on."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.diagnostics import schemas
from fiscus.diagnostics.analysis import ClassificationOverride, MaterialityRequest
from fiscus.diagnostics.ingest import ingest
from fiscus.diagnostics.trial_balance import TrialBalance
from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, xlsx

FIXTURES = Path(__file__).parents[2] / "fixtures" / "diagnostics"
NAMES = (
    "Cash at Bank",
    "Trade Debtors",
    "Allowance for doubtful debts",
    "Accumulated Depreciation - Plant",
    "Suspense",
    "Loan from Director",
    "Intercompany - NZ Ltd",
    "Due to parent entity",
    "Accrued expenses",
    "Share Capital",
    "Retained Earnings",
    "Dividends paid",
    "Sales",
    "Cost of Sales",
    "Wages",
    "Rent",
    "Ask my accountant",
    "Café costs",
    "Customer 1234",
    "Div 7A loan 2",
    "Bank 7a1 fees",
    "GST",
    "Mystery",
)
NUMBERS = ("1-1100", "2-2100", "3000", "090", "250", "455", "810", "4-0001", "", "6100", "X-9")


def _csv(lines: list[tuple[str, str, str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("Account No", "Account Name", "Debit", "Credit"))
    writer.writerows(lines)
    return buffer.getvalue().encode()


def assert_same(data: bytes, options: schemas.AnalysisOptions | None = None) -> None:
    options = options or schemas.AnalysisOptions()
    tb = ingest(data, "tb.csv").sheets[0].trial_balance
    assert tb.columns is not None
    rows = TrialBalance(tuple(tb.rows), tb.sheet, tb.source_rows, tb.excluded)
    assert schemas.dumps(schemas.analyse(tb, options)) == schemas.dumps(
        schemas.analyse(rows, options)
    )


@pytest.mark.parametrize(
    "name", ["company_tb_debit_credit.csv", "bayside_tb_2026.csv", "flux_prior_fy2025.csv"]
)
def test_the_fixtures_are_analysed_the_same_by_both_engines(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert_same(data)
    overrides = {
        "1-9999": ClassificationOverride(category="asset", lead_sheet="Z"),
        "Sales": ClassificationOverride(category="revenue"),
    }
    materiality = MaterialityRequest(amount="5000")  # type: ignore[arg-type]
    assert_same(data, schemas.AnalysisOptions(materiality=materiality, overrides=overrides))


AMOUNT = st.one_of(
    st.integers(0, 3_000_000).map(lambda c: f"{c // 100}.{c % 100:02d}"),
    st.sampled_from(["", "0", "0.00", "5000", "10,000.00", "2000.5", "(300.00)", "7 Cr"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(NUMBERS), st.sampled_from(NAMES), AMOUNT, AMOUNT),
        min_size=1,
        max_size=40,
    )
)
def test_generated_trial_balances_are_analysed_the_same(
    lines: list[tuple[str, str, str, str]],
) -> None:
    named = [(n, name if n or name else "x", d, c) for n, name, d, c in lines]
    assert_same(_csv([*named, ("9-9999", "Closing", "1.00", "")]))  # at least one account


def test_a_large_trial_balance_with_benford_and_gaps_is_analysed_the_same() -> None:
    rng = random.Random(3)
    lines = []
    for i in range(3_000):
        cents = int(10 ** rng.uniform(2, 8))
        amount = f"{cents // 100}.{cents % 100:02d}" if i % 50 else f"{(i % 7 + 1) * 1000}"
        number = str(1000 + i * (1 if i % 400 else 700))
        side = (amount, "") if rng.random() < 0.8 else ("", amount)
        lines.append((number, f"{NAMES[i % len(NAMES)]} {i}", *side))
    lines.append(("1000", "Duplicate number", "1.00", ""))
    assert_same(_csv(lines))


def test_a_consolidated_workbook_stays_columnar_and_is_analysed_the_same() -> None:
    data = xlsx({"Head office": HEAD_OFFICE, "Branch": BRANCH})
    got = ingest(data, "tb.xlsx")
    assert got.consolidated is not None
    assert got.consolidated.columns is not None
    combined = got.consolidated
    rows = TrialBalance(
        tuple(r for p in got.sheets for r in p.trial_balance.rows),
        None,
        combined.source_rows,
        combined.excluded,
    )
    assert list(combined.rows) == list(rows.rows)
    options = schemas.AnalysisOptions()
    assert schemas.dumps(schemas.analyse(combined, options)) == schemas.dumps(
        schemas.analyse(rows, options)
    )
