"""Materiality, ratios and Benford: thresholds and the realistic sample TBs."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscus.diagnostics.analysis import AnalysisInputInvalid, analyse, parse_materiality
from fiscus.diagnostics.analysis.benford import (
    FIRST_DIGIT_LIMITS,
    FIRST_DIGIT_MIN,
    FIRST_TWO_MIN,
    judge,
)
from fiscus.diagnostics.ingest import ingest
from tests.diagnostics.analysis.builders import small_company, tb

FIXTURES = Path(__file__).parents[2] / "fixtures" / "diagnostics" / "analysis"


def test_default_materiality_is_five_percent_of_pre_tax_profit() -> None:
    m = analyse(small_company()).materiality
    # revenue 412660.90 - cogs 231704.12 - wages/rent/dep 144280.34 - interest 4870.10
    assert m.basis == "pre_tax_profit"
    assert m.benchmark_amount == Decimal("31806.34")
    assert (m.overall, m.performance, m.trivial) == (
        Decimal("1590.32"),
        Decimal("1192.74"),
        Decimal("79.52"),
    )


def test_a_loss_falls_back_to_revenue() -> None:
    m = analyse(tb(("4-1", "Sales", "-1000"), ("6-1", "Rent", "2000"))).materiality
    assert (m.basis, m.overall) == ("revenue", Decimal("10.00"))


def test_floor_and_cap_bound_the_percentage() -> None:
    t = small_company()
    capped = analyse(
        t,
        materiality=parse_materiality(
            {"benchmark": "revenue", "percentage": "0.01", "cap": "4000"}
        ),
    )
    assert capped.materiality.overall == Decimal("4000.00")
    under = analyse(
        t,
        materiality=parse_materiality(
            {"benchmark": "revenue", "percentage": "0.01", "cap": "4200"}
        ),
    )
    assert under.materiality.overall == Decimal("4126.61")
    floored = analyse(
        t, materiality=parse_materiality({"benchmark": "total_assets", "floor": "5000"})
    )
    assert floored.materiality.overall == Decimal("5000.00")


def test_fixed_amount_with_custom_performance_and_trivial() -> None:
    m = analyse(
        small_company(),
        materiality=parse_materiality({"amount": "2000", "performance": "0.5", "trivial": "0.03"}),
    ).materiality
    assert (m.overall, m.performance, m.trivial, m.basis) == (
        Decimal("2000.00"),
        Decimal("1000.00"),
        Decimal("60.00"),
        "fixed",
    )


def test_a_non_positive_requested_benchmark_gives_no_materiality_and_says_why() -> None:
    m = analyse(
        tb(("4-1", "Sales", "-1000"), ("6-1", "Rent", "2000")),
        materiality=parse_materiality({"benchmark": "pre_tax_profit"}),
    ).materiality
    assert m.overall is None
    assert "not positive" in m.note


def test_bad_materiality_names_every_bad_field() -> None:
    with pytest.raises(AnalysisInputInvalid) as err:
        parse_materiality({"percentage": "2", "benchmark": "sales", "colour": 1})
    for field in ("materiality.percentage", "materiality.benchmark", "materiality.colour"):
        assert field in err.value.detail


def test_ratios_of_the_small_company() -> None:
    r = analyse(small_company()).ratios
    # current assets 52340.17 + 38215.40 - 1900 + 24880.35; current liabilities 31721.70
    assert r["current_ratio"].value == Decimal("3.5791")  # type: ignore[union-attr]
    assert r["quick_ratio"].value == Decimal("2.7948")  # type: ignore[union-attr]
    assert r["gross_margin"].value == Decimal("0.4385")  # type: ignore[union-attr]
    assert r["dso"].value == Decimal("32.1")  # type: ignore[union-attr]
    assert r["interest_coverage"].value == Decimal("7.5309")  # type: ignore[union-attr]
    dupont = r["dupont"]
    assert isinstance(dupont, dict)
    assert dupont["roe"].value is not None


def test_a_ratio_without_inputs_is_null_with_the_reason() -> None:
    r = analyse(tb(("1-1", "Cash", "10"), ("3-1", "Share Capital", "-10"))).ratios
    assert r["current_ratio"].value is None
    assert r["current_ratio"].reason == "current liabilities is zero"
    assert r["gross_margin"].reason == "revenue is zero"  # type: ignore[union-attr]


def test_the_sole_trader_fixture() -> None:
    path = FIXTURES / "sole_trader.csv"
    sheet = ingest(path.read_bytes(), path.name, mapping=None, sheets=None).sheets[0]
    result = analyse(sheet.trial_balance)
    assert result.balanced
    by_name = {a.name: a for a in result.accounts}
    assert by_name["Drawings"].classification.contra
    assert by_name["Accumulated Depreciation - Tools"].lead_sheet == "F"
    codes = {a.code for a in result.anomalies}
    assert "wrong_side_balance" not in codes  # drawings are debit, contra-aware
    assert "accounting_equation" not in codes


def _benford_tb(values: list[Decimal]):  # type: ignore[no-untyped-def]
    return tb(*((str(1000 + i), "Expense", str(v)) for i, v in enumerate(values)))


def test_benford_says_population_too_small_below_the_minimum() -> None:
    rng = random.Random(1)
    values = [Decimal(str(round(10 ** rng.uniform(1, 6), 2))) for _ in range(FIRST_DIGIT_MIN - 1)]
    first, two = analyse(_benford_tb(values)).benford
    assert first.status == "population_too_small"
    assert first.mad is None
    first, two = analyse(_benford_tb([*values, Decimal("123.45")])).benford
    assert first.status != "population_too_small"
    assert two.status == "population_too_small"
    assert FIRST_TWO_MIN == 1000


def test_benford_population_conforms_and_uniform_does_not() -> None:
    rng = random.Random(7)
    benford = [Decimal(str(round(10 ** rng.uniform(2, 7), 2))) for _ in range(5000)]
    uniform = [Decimal(rng.randint(100, 999)) for _ in range(5000)]
    b1, b2 = analyse(_benford_tb(benford)).benford
    u1, u2 = analyse(_benford_tb(uniform)).benford
    assert b1.status in ("close", "acceptable")
    assert b2.status in ("close", "acceptable", "marginal")
    assert u1.status == u2.status == "nonconformity"
    assert "benford_first_digit" in {a.code for a in analyse(_benford_tb(uniform)).anomalies}


def test_nigrini_first_digit_limits_both_sides() -> None:
    assert [
        judge(v, FIRST_DIGIT_LIMITS) for v in (0.006, 0.0061, 0.012, 0.0121, 0.015, 0.0151)
    ] == ["close", "acceptable", "acceptable", "marginal", "marginal", "nonconformity"]
    assert math.isclose(sum(math.log10(1 + 1 / d) for d in range(1, 10)), 1.0)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_any_benford_sample_conforms_and_any_uniform_one_does_not(seed: int) -> None:
    rng = random.Random(seed)
    benford = [Decimal(round(10 ** rng.uniform(2, 7))) for _ in range(3000)]
    uniform = [Decimal(rng.randint(100, 999)) for _ in range(3000)]
    assert analyse(_benford_tb(benford)).benford[0].status in ("close", "acceptable")
    assert analyse(_benford_tb(uniform)).benford[0].status == "nonconformity"


def test_total_assets_is_the_last_automatic_benchmark() -> None:
    m = analyse(tb(("1-1", "Cash", "5000"), ("3-1", "Share Capital", "-5000"))).materiality
    assert (m.basis, m.overall) == ("total_assets", Decimal("50.00"))
    none = analyse(tb(("2-1", "Trade Creditors", "-10"), ("6-1", "Rent", "10"))).materiality
    assert none.overall is None
    assert none.basis == "none"
