"""POST /api/v1/diagnostics/flux: bad input named precisely, unbalanced files analysed
but flagged, pairing by name, reclassification by subtype, limits, client ids."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from fiscus.diagnostics.ingest.limits import Limits
from tests.diagnostics.flux_helpers import URL, account, flux, tb
from tests.diagnostics.practice import new_client
from tests.diagnostics.workbooks import BRANCH, HEAD_OFFICE, xlsx
from tests.support.builders import register

CURRENT = tb(("1000", "Cash at Bank", "1500.00"), ("3000", "Share Capital", "-1500.00"))
PRIOR = tb(("1000", "Cash at Bank", "1000.00"), ("3000", "Share Capital", "-1000.00"))


def _field(response: Any) -> str:
    return str(response.json()["errors"][0]["field"])


def test_a_missing_prior_file_is_a_422_naming_prior(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = flux(client, alice, CURRENT, None)
    assert (response.status_code, _field(response)) == (422, "prior")
    assert "'prior'" in response.json()["detail"]
    empty = client.post(
        URL,
        files={"current": ("c.csv", CURRENT), "prior": ("p.csv", b"")},
        headers=alice.headers,
    )
    assert (empty.status_code, _field(empty)) == (422, "prior")


def test_a_file_under_the_wrong_name_is_a_422_naming_it(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = client.post(
        URL,
        files={"file": ("tb.csv", CURRENT), "prior": ("p.csv", PRIOR)},
        headers=alice.headers,
    )
    assert (response.status_code, _field(response)) == (422, "file")
    assert "'current' and 'prior'" in response.json()["detail"]


def test_an_unknown_text_field_is_a_422_naming_it(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = flux(client, alice, CURRENT, PRIOR, threshold={"high_pct": "0.3"})
    assert (response.status_code, _field(response)) == (422, "threshold")
    assert "thresholds" in response.json()["detail"]  # the fields it takes are listed


def test_bad_thresholds_name_every_field(client: TestClient) -> None:
    alice = register(client, "Alice")
    bad = flux(client, alice, CURRENT, PRIOR, thresholds={"high_pct": "-1", "medium_pct": "x"})
    assert bad.status_code == 422
    assert (bad.json()["code"], _field(bad)) == ("invalid_analysis_input", "thresholds.high_pct")
    assert "thresholds.medium_pct" in bad.json()["detail"]
    unknown = flux(client, alice, CURRENT, PRIOR, thresholds={"low_pct": "0.05"})
    assert (unknown.status_code, _field(unknown)) == (422, "thresholds.low_pct")
    crossed = flux(client, alice, CURRENT, PRIOR, thresholds={"medium_pct": "0.5"})
    assert crossed.status_code == 422
    assert "medium_pct must not exceed high_pct" in crossed.json()["detail"]
    not_json = flux(client, alice, CURRENT, PRIOR, thresholds="{high")
    assert (not_json.status_code, _field(not_json)) == (422, "thresholds")
    listed = flux(client, alice, CURRENT, PRIOR, thresholds=["0.2"])
    assert (listed.status_code, _field(listed)) == (422, "thresholds")


def test_a_bad_materiality_names_its_field(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = flux(client, alice, CURRENT, PRIOR, materiality={"percentage": "5"})
    assert (response.status_code, _field(response)) == (422, "materiality.percentage")


def test_a_prior_file_without_amounts_is_named_as_the_prior_file(client: TestClient) -> None:
    alice = register(client, "Alice")
    prior = b"Account Number,Account Name,Notes\n1000,Cash,ok\n2000,Loan,check\n"
    response = flux(client, alice, CURRENT, prior)
    assert (response.status_code, response.json()["code"], _field(response)) == (
        422,
        "amounts_missing",
        "prior",
    )
    assert response.json()["detail"].startswith("The prior file: ")


def test_unreadable_columns_in_one_file_ask_for_a_mapping_naming_that_file(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    prior = b"A;B;C\n1000;Cash at Bank;1000,00\n3000;Share Capital;-1000,00\n"
    response = flux(client, alice, CURRENT, prior)
    assert (response.status_code, response.json()["code"]) == (422, "mapping_required")
    assert response.json()["file"] == "prior"
    assert "roles" in response.json()["candidates"]


def test_sheets_with_a_text_file_name_the_files_own_field(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = flux(client, alice, CURRENT, PRIOR, prior_sheets=["Sheet1"])
    assert (response.status_code, _field(response)) == (422, "prior_sheets")


def test_an_unbalanced_file_is_still_compared_but_flagged(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(("1000", "Cash at Bank", "1500.00"), ("3000", "Share Capital", "-1490.50"))
    response = flux(client, alice, current, PRIOR)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["current"]["balanced"], body["current"]["difference"]) == (False, "9.50")
    assert body["prior"]["balanced"] is True
    assert body["warnings"] == [
        "The current trial balance does not balance: debits exceed credits by 9.50. "
        "The comparison is made on it as it is."
    ]
    assert body["totals"]["difference"] == {"current": "9.50", "prior": "0.00", "change": "9.50"}
    assert account(body, "1000")["change"] == "500.00"


def test_accounts_without_numbers_are_paired_by_normalised_name(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(
        ("1000", "Trade Debtors & Accruals", "300.00"),
        ("1100", "Sundry", "10.00"),
        ("1200", "Sundry", "20.00"),
    )
    prior = b"Account Name,Debit,Credit\nTRADE  debtors and accruals,250.00,\nSundry,5.00,\n"
    body = flux(client, alice, current, prior).json()
    debtors = account(body, "1000")
    assert (debtors["match"], debtors["prior"], debtors["prior_name"]) == (
        "name",
        "250.00",
        "TRADE  debtors and accruals",
    )
    # "Sundry" is ambiguous (two current accounts): never guessed
    assert [a["status"] for a in body["accounts"] if a["name"] == "Sundry"] == [
        "new",
        "new",
        "removed",
    ]


def test_a_number_listed_twice_is_one_account_with_its_nets_added(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(("1000", "Cash at Bank", "700.00"), ("1000", "Cash at bank", "800.00"))
    body = flux(client, alice, current, PRIOR).json()
    cash = account(body, "1000")
    assert (cash["current"], cash["change"]) == ("1500.00", "500.00")


def test_a_loan_moving_to_current_is_a_subtype_reclassification(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(("2100", "Loan", "-9000.00", "Current Liability"))
    prior = tb(("2100", "Loan", "-9000.00", "Non-current Liability"))
    body = flux(client, alice, current, prior).json()
    [reclass] = body["reclassifications"]
    assert (reclass["kind"], reclass["prior"]["subtype"], reclass["current"]["subtype"]) == (
        "subtype",
        "non_current",
        "current",
    )
    loan = account(body, "2100")
    points = {d["reason"]: d["points"] for d in loan["readiness"]["deductions"]}
    assert points["classified differently (subtype)"] == 5


def test_a_category_change_and_a_sign_flip_cost_15_and_20(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(("1500", "Website", "800.00", "Asset"), ("1000", "Cash at Bank", "-20.00"))
    prior = tb(("1500", "Website", "800.00", "Expense"), ("1000", "Cash at Bank", "40.00"))
    body = flux(client, alice, current, prior, materiality={"amount": "100000"}).json()
    website = account(body, "1500")
    assert website["reclassification"]["kind"] == "category"
    assert website["readiness"]["deductions"] == [
        {"points": 15, "reason": "classified differently (category)"}
    ]
    cash = account(body, "1000")
    assert cash["sign_flip"] is True
    assert {"points": 20, "reason": "the balance changed side since the prior period"} in cash[
        "readiness"
    ]["deductions"]


def test_files_over_the_size_limit_are_refused_naming_the_file(client: TestClient) -> None:
    alice = register(client, "Alice")
    client.app.state.diagnostics_limits = Limits(max_bytes=2048)  # type: ignore[attr-defined]
    try:
        big = b"Account No,Account Name,Debit,Credit\n" + b"1,a,1,\n" * 600
        response = flux(client, alice, CURRENT, big)
    finally:
        del client.app.state.diagnostics_limits  # type: ignore[attr-defined]
    assert response.status_code == 413
    assert (response.json()["code"], response.json()["limit"], _field(response)) == (
        "file_too_large",
        "max_bytes",
        "prior",
    )


def test_a_limit_crossed_inside_one_file_names_that_file(client: TestClient) -> None:
    alice = register(client, "Alice")
    client.app.state.diagnostics_limits = Limits(max_rows=3)  # type: ignore[attr-defined]
    try:
        many = tb(*((str(1000 + i), f"Account {i}", "1.00") for i in range(5)))
        response = flux(client, alice, many, PRIOR)
    finally:
        del client.app.state.diagnostics_limits  # type: ignore[attr-defined]
    assert (response.status_code, response.json()["limit"], _field(response)) == (
        413,
        "max_rows",
        "current",
    )
    assert response.json()["detail"].startswith("The current file: ")


# a fixed id: xdist workers must collect the same parameters
@pytest.mark.parametrize("client_id", ["not-a-uuid", "5f0c3c2e-9a4b-4c1e-8d7a-2b6f1e0a9c11"])
def test_a_bad_or_unknown_client_id_is_refused(client: TestClient, client_id: str) -> None:
    alice = register(client, "Alice")
    response = flux(client, alice, CURRENT, PRIOR, client_id=client_id)
    expected = (
        (422, "malformed_request") if client_id == "not-a-uuid" else (404, "client_not_found")
    )
    assert (response.status_code, response.json()["code"]) == expected


def test_a_clients_materiality_and_saved_mapping_apply_and_another_tenant_cannot_use_it(
    client: TestClient,
) -> None:
    alice, bob = register(client, "Alice"), register(client, "Bob")
    mapping = {"header_line": 1, "number": "A", "name": "B", "net": 2}
    harbour = new_client(client, alice, materiality={"amount": "400"}, mapping=mapping)
    current = b"A;B;C\n1000;Cash at Bank;1500,00\n3000;Share Capital;-1500,00\n"
    prior = b"A;B;C\n1000;Cash at Bank;1000,00\n3000;Share Capital;-1000,00\n"
    response = flux(client, alice, current, prior, client_id=harbour)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["client_id"], body["mapping_source"]) == (harbour, "client")
    assert body["materiality_sources"]["basis"] == "client"
    assert (body["materiality"]["overall"], body["thresholds"]["high_amount"]) == (
        "400.00",
        "300.00",
    )
    assert account(body, "1000")["risk"] == "high"  # 500 >= 300 and 50 %
    stolen = flux(client, bob, current, prior, client_id=harbour)
    assert (stolen.status_code, stolen.json()["code"]) == (404, "client_not_found")


def test_the_route_needs_a_login(client: TestClient) -> None:
    response = client.post(URL, files={"current": ("c.csv", CURRENT), "prior": ("p.csv", PRIOR)})
    assert response.status_code == 401


def test_the_answer_lists_a_page_of_accounts_and_counts_them_all(client: TestClient) -> None:
    alice = register(client, "Alice")
    current = tb(*((str(1000 + i), f"Account {i}", f"{i + 1}.00") for i in range(5)))
    prior = tb(*((str(1000 + i), f"Account {i}", f"{i}.50") for i in range(5)))
    response = client.post(
        URL + "?accounts_offset=1&accounts_limit=2",
        files={"current": ("c.csv", current), "prior": ("p.csv", prior)},
        headers=alice.headers,
    )
    body = response.json()
    assert [a["key"] for a in body["accounts"]] == ["1001", "1002"]
    assert body["accounts_total"] == 5
    assert body["accounts_page"] == {"offset": 1, "limit": 2, "returned": 2, "next_offset": 3}
    assert body["summary"]["accounts"] == 5  # the summary covers every account
    bad = client.post(
        URL + "?accounts_limit=0",
        files={"current": ("c.csv", current), "prior": ("p.csv", prior)},
        headers=alice.headers,
    )
    assert (bad.status_code, _field(bad)) == (422, "accounts_limit")


def test_a_prior_workbook_is_compared_on_the_chosen_sheets_consolidated(
    client: TestClient,
) -> None:
    alice = register(client, "Alice")
    prior = xlsx({"Cover": [["Group TB FY2025"]], "Head office": HEAD_OFFICE, "Branch": BRANCH})
    current = tb(("1000", "Cash at bank", "60000.25"), ("4000", "Sales", "-100000.00"))
    body = flux(
        client, alice, current, ("group.xlsx", prior), prior_sheets=["Head office", "Branch"]
    ).json()
    assert (body["prior"]["file_format"], body["prior"]["consolidated"]) == ("xlsx", True)
    assert [s["sheet"] for s in body["prior"]["sheets"]] == ["Head office", "Branch"]
    cash = account(body, "1000")  # 52,000.25 + the branch's 7,400 under the same number
    assert (cash["prior"], cash["change"]) == ("59400.25", "600.00")
    sales = account(body, "4000")
    assert (sales["prior"], sales["change_pct"]) == ("-102900", "-0.0282")
    assert {a["key"] for a in body["removed_accounts"]} == {
        "1100",
        "2000",
        "3000",
        "5000",
        "6000",
        "6100",
    }
