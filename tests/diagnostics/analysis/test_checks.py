"""Each check's threshold, just below and just above its cliff."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscus.diagnostics.analysis import MaterialityRequest, analyse, risk
from fiscus.diagnostics.analysis.types import Anomaly
from tests.diagnostics.analysis.builders import tb

FIXED = MaterialityRequest(amount=Decimal("1000"))


def codes(*specs, materiality=FIXED):  # type: ignore[no-untyped-def]
    return [a.code for a in analyse(tb(*specs), materiality=materiality).anomalies]


def find(code: str, *specs, materiality=FIXED) -> list[Anomaly]:  # type: ignore[no-untyped-def]
    return [a for a in analyse(tb(*specs), materiality=materiality).anomalies if a.code == code]


def test_out_of_balance_by_one_cent_is_critical_and_balanced_is_silent() -> None:
    assert "tb_out_of_balance" not in codes(("1-1", "Cash", "10.00"), ("4-1", "Sales", "-10.00"))
    [f] = find("tb_out_of_balance", ("1-1", "Cash", "10.01"), ("4-1", "Sales", "-10.00"))
    assert (f.severity, f.amount) == ("critical", Decimal("0.01"))


def test_wrong_side_is_contra_aware() -> None:
    assert find("wrong_side_balance", ("1-1", "Cash at Bank", "-5"))
    assert not find("wrong_side_balance", ("1-1", "Cash at Bank", "5"))
    assert not find("wrong_side_balance", ("1-2", "Accumulated Depreciation", "-5"))
    assert find("wrong_side_balance", ("1-2", "Accumulated Depreciation", "5"))
    assert not find("wrong_side_balance", ("3-1", "Drawings", "5"))


def test_suspense_needs_a_balance() -> None:
    assert not find("suspense_balance", ("9-1", "Suspense", "0"))
    [f] = find("suspense_balance", ("9-1", "Clearing Account", "0.01"))
    assert f.severity == "high"


@pytest.mark.parametrize(
    ("amount", "flagged"),
    [
        ("999", False),
        ("1000", True),
        ("1001", False),
        ("2000", True),
        ("10000.00", True),
        ("10000.01", False),
    ],
)
def test_round_balances_from_one_thousand(amount: str, flagged: bool) -> None:
    assert bool(find("round_balance", ("6-1", "Repairs", amount))) == flagged


def test_round_balances_are_tiered_by_account_nature() -> None:
    [estimate] = find("round_balance", ("2-1", "Accrued Expenses", "-5000"))
    [ordinary] = find("round_balance", ("6-1", "Repairs", "5000"))
    assert (estimate.severity, ordinary.severity) == ("medium", "low")
    assert not find("round_balance", ("3-1", "Share Capital", "-5000"))


def test_a_round_amount_repeated_in_three_accounts_not_two() -> None:
    two = [("6-1", "Repairs", "3000"), ("6-2", "Travel", "3000")]
    assert not find("repeated_round_amount", *two)
    [f] = find("repeated_round_amount", *two, ("6-3", "Fuel", "3000"))
    assert f.amount == Decimal("3000")


def test_related_party_and_intercompany() -> None:
    assert find("related_party_account", ("2-1", "Loan - Director", "-100"))
    assert not find("related_party_account", ("2-1", "Loan - Director", "0"))
    pair = [
        ("1-5", "Intercompany receivable - Sub Pty Ltd", "500"),
        ("2-5", "Intercompany payable - Parent", "-500"),
    ]
    assert not find("intercompany_not_netting", *pair)
    off = [pair[0], ("2-5", "Intercompany payable - Parent", "-499.99")]
    [f] = find("intercompany_not_netting", *off)
    assert f.amount == Decimal("0.01")


def test_accounting_equation_names_the_unclassified_gap() -> None:
    ok = [("1-1", "Cash", "100"), ("3-1", "Share Capital", "-60"), ("4-1", "Sales", "-40")]
    assert not find("accounting_equation", *ok)
    [f] = find(
        "accounting_equation",
        ("1-1", "Cash", "100"),
        ("3-1", "Share Capital", "-60"),
        (None, "Zqx", "-40"),
    )
    assert f.amount == Decimal("40")
    assert "Unclassified" in f.explanation


def test_dividends_with_a_deficit_but_not_with_profits() -> None:
    base = [("1-1", "Cash", "100"), ("3-3", "Dividends Paid", "50")]
    assert find(
        "deficit_with_dividends",
        *base,
        ("3-2", "Retained Earnings", "400"),
        ("4-1", "Sales", "-350"),
    )
    assert not find(
        "deficit_with_dividends",
        *base,
        ("3-2", "Retained Earnings", "-1"),
        ("4-1", "Sales", "-149"),
    )


def test_duplicate_numbers_with_different_names() -> None:
    assert not find("duplicate_account_number", ("6-1", "Rent", "1"), ("6-1", "rent", "1"))
    assert find("duplicate_account_number", ("6-1", "Rent", "1"), ("6-1", "Repairs", "1"))


def test_unclassified_accounts_against_performance_materiality() -> None:
    # performance = 75 % of 1000 = 750
    assert not find("unclassified_material_account", (None, "Zqx", "749.99"))
    assert find("unclassified_material_account", (None, "Zqx", "750.00"))


def test_numbering_gap_above_ten_times_the_typical_step() -> None:
    rows = [("1000", "Cash", "1"), ("1010", "Bank", "1"), ("1020", "Petty Cash", "1")]
    assert not find("numbering_gap", *rows, ("1120", "Prepaid", "1"))  # step 100 = 10 x 10
    assert find("numbering_gap", *rows, ("1121", "Prepaid", "1"))


def test_zero_balance_accounts_are_counted_once() -> None:
    [f] = find(
        "zero_balance_accounts", ("6-1", "Rent", "0"), ("6-2", "Fuel", "0"), ("6-3", "Travel", "1")
    )
    assert f.account == "2 accounts"


def test_concentration_at_half_of_a_category_with_three_accounts() -> None:
    assert find(
        "concentration", ("6-1", "Rent", "50"), ("6-2", "Fuel", "25"), ("6-3", "Travel", "25")
    )
    assert not find(
        "concentration", ("6-1", "Rent", "49.99"), ("6-2", "Fuel", "25.01"), ("6-3", "Travel", "25")
    )
    assert not find("concentration", ("6-1", "Rent", "90"), ("6-2", "Fuel", "10"))


def test_material_flag_at_overall_materiality() -> None:
    [below] = find("suspense_balance", ("9-1", "Suspense", "999.99"))
    [at] = find("suspense_balance", ("9-1", "Suspense", "1000"))
    assert (below.material, at.material) == (False, True)


def _anomaly(severity: str, material: bool = False) -> Anomaly:
    return Anomaly("x", None, None, severity, material, "", "")  # type: ignore[arg-type]


def test_risk_score_and_tiers() -> None:
    assert risk.score([_anomaly("high")]) == 15
    assert risk.score([_anomaly("high", True)]) == 23  # 22.5 half up
    assert risk.score([_anomaly("critical")] * 4) == 100
    assert risk.score([_anomaly("info")] * 50) == 0
    assert [risk.tier(v) for v in (19, 20, 49, 50, 74, 75)] == [
        "low",
        "moderate",
        "moderate",
        "high",
        "high",
        "critical",
    ]


def test_wrong_side_is_low_severity_below_confidence_point_six() -> None:
    [sure] = find("wrong_side_balance", (None, "Bank", "-5"))  # "bank" 0.7 alone: 0.6
    [unsure] = find("wrong_side_balance", (None, "Loan", "5"))  # "loan" 0.6 alone: 0.5
    assert (sure.severity, unsure.severity) == ("medium", "low")
