"""The flux risk tiers pinned on both sides of every threshold, through HTTP.

Materiality 1,000 gives performance materiality 750.00 (high amount) and clearly
trivial 50.00 (medium amount); the % thresholds are 20 % (high) and 10 % (medium)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.flux_helpers import account, flux, tb
from tests.support.builders import register

MATERIALITY = {"amount": "1000"}

# key, prior, current, risk, change_pct
CASES = [
    ("6001", "3750.00", "4500.00", "high", "0.2000"),  # 750 = PM and 20 % exactly
    ("6002", "3749.95", "4499.94", "medium", "0.2000"),  # 749.99 < PM, 20 % exactly
    ("6003", "3750.05", "4500.05", "medium", "0.2000"),  # 750 = PM, 19.9997 % (shown 0.2000)
    ("6004", "500.00", "550.00", "medium", "0.1000"),  # 50 = trivial and 10 % exactly
    ("6005", "500.01", "550.01", "low", "0.1000"),  # 50 = trivial, 9.9998 %
    ("6006", "100.00", "149.99", "none", "0.4999"),  # 49.99 < trivial
    ("6007", "0.00", "750.00", "high", None),  # from zero: % unbounded
    ("6008", "0.00", "749.99", "medium", None),
    ("6009", "5000.00", "5000.00", "none", "0.0000"),
    ("6010", "3750.00", "3000.00", "high", "-0.2000"),  # a decrease, the same cliffs
    ("6011", "1000.00", "2000.00", "high", "1.0000"),
]


def _files(cases: list[tuple[str, str, str, str, str | None]]) -> tuple[bytes, bytes]:
    current = tb(*((key, f"Expense {key}", cur) for key, _, cur, _, _ in cases))
    prior = tb(*((key, f"Expense {key}", pri) for key, pri, _, _, _ in cases))
    return current, prior


@pytest.fixture
def body(client: TestClient) -> dict[str, Any]:
    alice = register(client, "Alice")
    current, prior = _files(CASES)
    response = flux(client, alice, current, prior, materiality=MATERIALITY)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.mark.parametrize(("key", "prior", "current", "risk", "pct"), CASES)
def test_risk_on_both_sides_of_each_threshold(
    body: dict[str, Any], key: str, prior: str, current: str, risk: str, pct: str | None
) -> None:
    found = account(body, key)
    assert (found["prior"], found["current"]) == (prior, current)
    assert (found["risk"], found["change_pct"]) == (risk, pct), found["risk_reason"]


def test_the_thresholds_in_force_are_reported(body: dict[str, Any]) -> None:
    assert body["thresholds"] == {
        "high_pct": "0.20",
        "medium_pct": "0.10",
        "high_amount": "750.00",
        "medium_amount": "50.00",
        "amount_basis": "materiality",
        "note": None,
    }
    assert body["summary"]["risk"] == {"high": 4, "medium": 4, "low": 1, "none": 2}


def test_material_is_a_change_of_at_least_overall_materiality(body: dict[str, Any]) -> None:
    assert account(body, "6011")["material"] is True  # 1,000 = overall
    assert account(body, "6001")["material"] is False  # 750


def test_readiness_loses_40_20_5_0_for_high_medium_low_none(body: dict[str, Any]) -> None:
    scores = {k: account(body, k)["readiness"]["score"] for k in ("6001", "6004", "6005", "6006")}
    assert scores == {"6001": 60, "6004": 80, "6005": 95, "6006": 100}
    assert account(body, "6001")["readiness"]["band"] == "needs_attention"
    assert account(body, "6004")["readiness"]["band"] == "ready"


def test_a_credit_balance_growing_is_an_increase_on_its_normal_side(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(("4000", "Sales", "-4500.00"))
    prior = tb(("4000", "Sales", "-3750.00"))
    body = flux(client, alice, current, prior, materiality=MATERIALITY).json()
    sales = account(body, "4000")
    assert (sales["change"], sales["change_pct"], sales["direction"], sales["risk"]) == (
        "-750.00",
        "0.2000",
        "increase",
        "high",
    )


def test_tuned_thresholds_move_the_cliffs(client: TestClient) -> None:
    alice = register(client, "Alice")
    cases = [
        ("6001", "3750.00", "4500.00", "medium", "0.2000"),  # 20 % < high_pct 50 %
        ("6006", "100.00", "149.99", "medium", "0.4999"),  # 49.99 < 50 % high_pct
        ("6012", "100.00", "150.00", "high", "0.5000"),  # 50 >= 20 and 50 % exactly
        ("6013", "100.00", "110.00", "medium", "0.1000"),  # 10 = medium amount, 10 %
        ("6014", "100.00", "109.99", "none", "0.0999"),  # 9.99 < medium amount
    ]
    current, prior = _files(cases)
    thresholds = {"high_pct": "0.5", "high_amount": "20", "medium_amount": "10"}
    body = flux(
        client, alice, current, prior, materiality=MATERIALITY, thresholds=thresholds
    ).json()
    for key, _, _, risk, pct in cases:
        assert (account(body, key)["risk"], account(body, key)["change_pct"]) == (risk, pct), key
    assert (body["thresholds"]["high_amount"], body["thresholds"]["amount_basis"]) == (
        "20",
        "request",
    )


def test_without_any_materiality_risk_is_not_assessed_and_says_why(client: TestClient) -> None:
    alice = register(client, "Alice")  # no revenue, no assets, a loss: no benchmark
    current = tb(("2000", "Loan", "-600.00"), ("6000", "Rent", "600.00"))
    prior = tb(("2000", "Loan", "-500.00"), ("6000", "Rent", "500.00"))
    body = flux(client, alice, current, prior).json()
    rent = account(body, "6000")
    assert rent["risk"] is None
    assert "risk is not assessed" in rent["risk_reason"]
    assert body["thresholds"]["high_amount"] is None
    assert any("risk is not assessed" in w for w in body["warnings"])
    assessed = flux(
        client, alice, current, prior, thresholds={"high_amount": "50", "medium_amount": "5"}
    ).json()
    assert account(assessed, "6000")["risk"] == "high"  # 100 >= 50 and 20 %
