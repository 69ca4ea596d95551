"""POST /api/v1/diagnostics/flux on a realistic pair of trial balances (a food
wholesaler's FY2026 and FY2025, ~75 accounts, two header styles), over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.flux_helpers import FIXTURES, URL, account
from tests.support.builders import register


@pytest.fixture
def body(client: TestClient) -> dict[str, Any]:
    alice = register(client, "Alice")
    response = client.post(
        URL,
        files={
            "current": ("Coastal TB 2026.csv", (FIXTURES / "flux_current_fy2026.csv").read_bytes()),
            "prior": ("Coastal TB 2025.csv", (FIXTURES / "flux_prior_fy2025.csv").read_bytes()),
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_both_periods_are_read_and_the_current_materiality_drives_the_thresholds(
    body: dict[str, Any],
) -> None:
    current, prior = body["current"], body["prior"]
    assert (current["row_count"], current["balanced"], current["total_debits"]) == (
        73,
        True,
        "3818450.73",
    )
    assert (prior["row_count"], prior["balanced"], prior["total_credits"]) == (
        74,
        True,
        "3364088.67",
    )
    assert prior["sheets"][0]["columns"]["debit"]["header"] == "Dr"
    assert current["excluded"] == [{"line_no": 77, "reason": "total or subtotal"}]
    # 5 % of pre-tax profit 239,087.55 (180,617.00 + income tax 58,470.55)
    assert body["materiality"]["overall"] == "11954.38"
    assert body["thresholds"] == {
        "high_pct": "0.20",
        "medium_pct": "0.10",
        "high_amount": body["materiality"]["performance"],
        "medium_amount": body["materiality"]["trivial"],
        "amount_basis": "materiality",
        "note": None,
    }
    assert body["warnings"] == []


def test_changes_are_exact_and_change_pct_is_on_the_normal_side(body: dict[str, Any]) -> None:
    debtors = account(body, "1-1210")
    assert (debtors["current"], debtors["prior"], debtors["change"]) == (
        "341902.18",
        "286430.55",
        "55471.63",
    )
    assert (debtors["change_pct"], debtors["direction"]) == ("0.1937", "increase")
    sales = account(body, "4-1200")  # a credit balance growing: an increase
    assert (sales["change"], sales["change_pct"], sales["direction"]) == (
        "-85734.75",
        "0.4037",
        "increase",
    )
    capital = account(body, "3-1100")
    assert (capital["change"], capital["change_pct"], capital["direction"]) == (
        "0.00",
        "0.0000",
        "unchanged",
    )
    suspense = account(body, "1-9999")
    assert (suspense["change_pct"], suspense["change_pct_reason"]) == (
        None,
        "prior balance is zero",
    )
    assert set(suspense["findings"]) >= {"suspense_balance"}


def test_new_removed_sign_flips_and_reclassifications_are_listed(body: dict[str, Any]) -> None:
    assert [(a["key"], a["current"]) for a in body["new_accounts"]] == [
        ("1-1130", "50000.00"),
        ("6-1560", "9840.00"),
    ]
    assert [(a["key"], a["prior"]) for a in body["removed_accounts"]] == [
        ("2-1510", "-18250.00"),
        ("6-1590", "2340.00"),
        ("6-1630", "1130.00"),
    ]
    assert body["sign_flips"] == [
        {
            "key": "2-1210",
            "number": "2-1210",
            "name": "GST Payable",
            "prior": "-18422.00",
            "current": "6145.30",
        }
    ]
    [reclass] = body["reclassifications"]
    assert (reclass["key"], reclass["kind"]) == ("6-3150", "category")
    assert (reclass["prior"]["category"], reclass["current"]["category"]) == ("expense", "asset")
    new = account(body, "1-1130")
    assert (new["status"], new["prior"], new["change_pct"], new["change_pct_reason"]) == (
        "new",
        None,
        None,
        "new account: no prior-period balance",
    )
    removed = account(body, "2-1510")
    assert (removed["status"], removed["current"], removed["change"], removed["change_pct"]) == (
        "removed",
        None,
        "18250.00",
        "-1.0000",
    )


def test_a_renumbered_account_is_paired_by_its_name(body: dict[str, Any]) -> None:
    computers = account(body, "1-2310")
    assert (computers["match"], computers["prior_number"], computers["prior"]) == (
        "name",
        "1-2400",
        "28450.00",
    )
    reasons = [d["reason"] for d in computers["readiness"]["deductions"]]
    assert "paired by name: its number changed" in reasons
    assert body["summary"]["matched_by_name"] == 2


def test_readiness_and_actions_follow_what_needs_chasing(body: dict[str, Any]) -> None:
    gst = account(body, "2-1210")  # high risk 40, sign flip 20, wrong side (medium) 10
    assert gst["readiness"]["score"] == 30
    assert gst["readiness"]["band"] == "not_ready"
    assert [d["points"] for d in gst["readiness"]["deductions"]] == [40, 20, 10]
    assert any("tax lodgements" in a for a in gst["readiness"]["actions"])
    cash = account(body, "1-1110")
    assert cash["risk"] == "high"
    assert cash["readiness"]["actions"] == [
        "Explain the variance and keep the evidence for it.",
        "Obtain the bank reconciliation and the period-end bank statement or confirmation.",
    ]
    petty = account(body, "1-1150")  # unchanged, below every threshold
    assert (petty["risk"], petty["readiness"]["score"], petty["readiness"]["band"]) == (
        "none",
        100,
        "ready",
    )


def test_totals_and_summary_add_up(body: dict[str, Any]) -> None:
    totals = body["totals"]
    assert totals["current_year_result"] == {
        "current": "180617.00",
        "prior": "58446.65",
        "change": "122170.35",
    }
    assert totals["by_category"]["revenue"]["change"] == "-415129.20"
    summary = body["summary"]
    assert (summary["accounts"], summary["matched"], summary["new"], summary["removed"]) == (
        76,
        71,
        2,
        3,
    )
    assert (summary["sign_flips"], summary["reclassified"]) == (1, 1)
    assert sum(summary["risk"].values()) == 76
    bands = summary["readiness"]
    assert bands["ready"] + bands["needs_attention"] + bands["not_ready"] == 76
    scores = [a["readiness"]["score"] for a in body["accounts"]]
    assert bands["average"] == round(sum(scores) / len(scores))
    assert summary["risk"]["high"] == sum(1 for a in body["accounts"] if a["risk"] == "high")


def test_the_audit_event_holds_aggregate_metadata_only(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = client.post(
        URL,
        files={
            "current": ("Coastal Secret.csv", (FIXTURES / "flux_current_fy2026.csv").read_bytes()),
            "prior": ("Coastal Secret.csv", (FIXTURES / "flux_prior_fy2025.csv").read_bytes()),
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    events = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    [event] = [e for e in events if e["action"] == "diagnostics.flux"]
    text = json.dumps(event)
    for secret in ("Coastal", "GST", "Trade Debtors", "341902.18", "1-1210"):
        assert secret not in text
    for expected in ("file_sha256", "3818450.73", "sign_flips"):
        assert expected in text
