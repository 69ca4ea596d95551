"""POST /api/v1/diagnostics/journal-entries over HTTP: a realistic year's ledger with
planted anomalies, column detection and mapping, bad input, workbooks, zero storage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.journal_support import (
    URL,
    filler,
    fixture,
    flags,
    gl_csv,
    pair,
    post,
)
from tests.diagnostics.workbooks import ods, xlsx
from tests.support.builders import Account, register
from tests.support.zero_storage import no_file_written

LEDGER = "general_ledger_fy2025.csv"
# First-line description of each planted entry -> the flags it must get
# (tests/fixtures/diagnostics/make_general_ledger.py); nothing else is flagged.
PLANTED = {
    "Consulting fees - adjustment per CEO": {
        "weekend_posting", "after_hours_posting", "round_amount", "rare_account",
        "suspicious_keyword", "material_amount",
    },
    "Accrual cleaning services October": {"unbalanced_entry"},
    "Bill Metro Electrical ME-4471": {"duplicate_lines", "duplicate_amount_description"},
    "Write off bad debt Ironbark Projects": {"rare_account", "suspicious_keyword"},
    "Accrued audit fee FY2025": {"post_period_end"},
    "Payment Coastal Timber CO-6120": {"just_below_threshold"},
    "Payment Coastal Timber CO-6121": {"just_below_threshold"},
    "Correction of error - freight miscoded": {"suspicious_keyword"},
    "Reverse duplicate accrual": {"suspicious_keyword"},
    "Unidentified deposit": {"rare_account"},
    "Invoice INV-9001 Frost Interiors": {"public_holiday_posting"},
    "Payment Telstra TE-7310": {"public_holiday_posting"},
    "Bill Coastal Timber CO-5521": {"weekend_posting"},
    "Payment Hardware Direct HA-2209": {"after_hours_posting"},
    "Staff bonus June 2025": {"round_amount"},
}  # fmt: skip


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


def _ledger(client: TestClient, who: Account) -> Any:
    response = post(
        client,
        who,
        fixture(LEDGER),
        name="Harbour GL FY2025.csv",
        period_end="2025-06-30",
        threshold="10000",
        materiality="25000",
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_years_ledger_flags_exactly_the_planted_anomalies(
    client: TestClient, alice: Account
) -> None:
    body = _ledger(client, alice)
    found = [
        (e["lines"][0]["description"], {f["code"] for f in e["flags"]}) for e in body["entries"]
    ]
    assert len(found) == 16  # the duplicated bill is two entries
    assert dict(found) == PLANTED
    top = body["entries"][0]
    assert top["lines"][0]["description"] == "Consulting fees - adjustment per CEO"
    # 100 x (1 - 0.9 x 0.9 x 0.9 x 0.85 x 0.8 x 0.9) = 55.4
    assert (top["score"], top["material"], top["users"]) == (55, True, ["dwalsh"])
    assert body["entries"][-1]["score"] == 5
    population = body["population"]
    assert (population["lines"], population["entries"], population["accounts"]) == (2115, 842, 23)
    assert population["difference"] == "-9.00"  # the planted unbalanced entry
    assert (population["first_date"], population["last_date"]) == ("2024-07-01", "2025-07-02")
    assert body["excluded"] == [{"line_no": 2119, "reason": "total or subtotal"}]
    assert body["ingestion"]["header_line"] == 3
    assert body["totals"]["flagged_entries"] == 16
    assert body["totals"]["flagged_share"] == "0.0190"


def test_the_ledgers_summary_counts_each_test_gaps_and_benford(
    client: TestClient, alice: Account
) -> None:
    body = _ledger(client, alice)
    summary = body["summary"]
    counts = {code: s["entries"] for code, s in summary.items() if "entries" in s}
    assert counts == {
        "unbalanced_entry": 1,
        "weekend_posting": 2,
        "public_holiday_posting": 2,
        "after_hours_posting": 2,
        "round_amount": 2,
        "just_below_threshold": 2,
        "duplicate_lines": 2,
        "duplicate_amount_description": 2,
        "rare_account": 3,
        "post_period_end": 1,
        "suspicious_keyword": 4,
    }
    assert summary["just_below_threshold"]["amount"] == "19820.40"
    assert body["gaps"]["sequences"][0]["ranges"] == [{"from": "10495", "to": "10497", "count": 3}]
    assert summary["entry_number_gaps"]["missing"] == 3
    first = body["benford"]["first_digit"]
    assert first["population"] >= 2000
    assert first["status"] != "population_too_small"
    assert isinstance(first["mad"], float)
    assert summary["benford"]["mad"] == first["mad"]
    assert body["rare_accounts"] == ["6-7500", "6-9500", "9-9000"]


def test_a_small_ledger_says_benford_has_too_small_a_population(
    client: TestClient, alice: Account
) -> None:
    body = post(client, alice, gl_csv(filler(60))).json()
    first = body["benford"]["first_digit"]
    assert (first["status"], first["mad"], first["population"]) == (
        "population_too_small",
        None,
        120,
    )
    assert "at least 500" in first["reason"]


def test_unknown_headers_ask_for_a_mapping_and_the_mapping_then_works(
    client: TestClient, alice: Account
) -> None:
    header = ("A", "B", "C", "D", "E", "F", "G", "H", "I")
    data = gl_csv(filler(60), header=header)
    asked = post(client, alice, data)
    assert (asked.status_code, asked.json()["code"]) == (422, "mapping_required")
    candidates = asked.json()["candidates"]
    # No cell of the first line names a role: it is no header, and the candidates come
    # from the cells' shapes alone, below the threshold.
    assert (candidates["threshold"], candidates["header_line"]) == (0.6, None)
    best_date = candidates["roles"]["date"][0]
    assert best_date["column"] == 1
    assert 0.4 < best_date["confidence"] < 0.6
    mapping = {
        "header_line": 1, "entry": "A", "date": 1, "time": "C", "account": "D",
        "account_name": "E", "description": "F", "debit": "G", "credit": "H", "user": "I",
    }  # fmt: skip
    mapped = post(client, alice, data, mapping=json.dumps(mapping))
    assert mapped.status_code == 200, mapped.text
    assert mapped.json()["population"]["entries"] == 60
    assert mapped.json()["ingestion"]["columns"]["date"]["source"] == "mapping"


def test_a_signed_amount_column_and_month_first_dates_read_with_a_mapping(
    client: TestClient, alice: Account
) -> None:
    header = ("JE #", "Posting Date", "GL Account", "Memo", "Amount")
    rows = [("1", "03/04/2025", "6100", "Stationery", "120.50"),
            ("1", "03/04/2025", "1100", "Stationery", "-120.50")]  # fmt: skip
    response = post(client, alice, gl_csv(rows, header=header), mapping='{"date_order": "mdy"}')
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["population"]["first_date"] == "2025-03-04"
    assert body["population"]["total_debits"] == body["population"]["total_credits"] == "120.50"
    assert body["summary"]["after_hours_posting"]["status"] == "not_run"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period_end": "30/06/2025"}, "period_end"),
        ({"threshold": "ten thousand"}, "threshold"),
        ({"threshold": "-5"}, "threshold"),
        ({"materiality": "0"}, "materiality"),
        ({"holidays": "2025-12-25"}, "holidays"),
        ({"holidays": '["2025-13-01"]'}, "holidays[0]"),
        ({"business_hours": "19:00-07:00"}, "business_hours"),
        ({"business_hours": "9am to 5pm"}, "business_hours"),
        ({"mapping": "{not json"}, "mapping"),
        ({"mapping": '{"colour": "A"}'}, "mapping.colour"),
        ({"mapping": '{"date_order": "ymd"}'}, "mapping.date_order"),
        ({"mapping": '{"entry": "No such column"}'}, "mapping.entry"),
        ({"sheets": '["GL"]'}, "sheets"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, alice: Account, fields: dict[str, str], field: str
) -> None:
    response = post(client, alice, gl_csv(filler(3)), **fields)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


def test_an_unreadable_date_or_amount_fails_naming_the_line(
    client: TestClient, alice: Account
) -> None:
    rows = filler(3)
    rows[1] = (*rows[1][:1], "31/02/2025", *rows[1][2:])
    rows[3] = (*rows[3][:6], "12x.00", *rows[3][7:])
    response = post(client, alice, gl_csv(rows))
    assert (response.status_code, response.json()["code"]) == (422, "malformed_file")
    assert "line 3: the date '31/02/2025'" in response.json()["detail"]
    assert "line 5: the debit '12x.00'" in response.json()["detail"]


def test_a_file_without_amounts_fails_clearly(client: TestClient, alice: Account) -> None:
    data = b"Journal No,Date,Account,Description\n1,01/03/2025,1100,Cash\n"
    response = post(client, alice, data)
    assert (response.status_code, response.json()["code"]) == (422, "amounts_missing")


@pytest.mark.parametrize(("builder", "name"), [(xlsx, "gl.xlsx"), (ods, "gl.ods")])
def test_a_workbook_ledger_is_read_from_its_first_sheet_with_data(
    client: TestClient, alice: Account, builder: Any, name: str
) -> None:
    header = ["Journal", "Date", "Account", "Description", "Debit", "Credit"]
    rows: list[list[Any]] = [header]
    for entry, day, amount in (("5", "2025-03-08", 1250.5), ("6", "2025-03-10", 99.95)):
        rows += [
            [entry, day, "6100", "Repairs", amount, None],
            [entry, day, "1100", "Repairs", None, amount],
        ]
    data = builder({"Cover": [], "GL": rows})
    response = post(client, alice, data, name=name)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["sheet"], body["file_format"]) == ("GL", name.rsplit(".", 1)[1])
    assert flags(body) == {"5": {"weekend_posting"}}
    assert body["population"]["total_debits"] == "1350.45"


def test_the_audit_event_holds_metadata_only(client: TestClient, alice: Account) -> None:
    _ledger(client, alice)
    events = client.get("/api/v1/audit/logs", headers=alice.headers).json()["items"]
    tested = [e for e in events if e["action"] == "diagnostics.journal_entries"]
    assert len(tested) == 1
    text = json.dumps(tested)
    for secret in ("Harbour", "Coastal", "dwalsh", "Cash at bank", "10835", "50000"):
        assert secret not in text
    assert '"entry_count": 842' in text or '"entry_count":842' in text


def test_the_route_needs_a_signed_in_caller(client: TestClient) -> None:
    response = client.post(URL, files={"file": ("gl.csv", gl_csv(filler(3)))})
    assert response.status_code == 401


def test_zero_storage_no_file_is_written_while_a_large_ledger_is_tested(
    client: TestClient, alice: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = []
    for i in range(15_000):
        rows += pair(str(100_000 + i), f"{3 + i % 5:02d}/03/2025", f"{200 + i}.{i % 100:02d}")
    data = gl_csv(rows)
    assert len(data) > 2 * 1024 * 1024
    with no_file_written(tmp_path, monkeypatch):
        response = post(client, alice, data, name="large.csv")
    assert response.status_code == 200, response.text[:500]
    assert response.json()["population"]["lines"] == 30_000


def test_flagged_entries_come_in_pages_of_the_same_order(
    client: TestClient, alice: Account
) -> None:
    data = fixture(LEDGER)
    fields = {"period_end": "2025-06-30", "threshold": "10000"}
    whole = post(client, alice, data, **fields).json()
    assert whole["entries_page"] == {
        "offset": 0, "limit": 1000, "returned": 16, "total": 16, "next_offset": None,
    }  # fmt: skip
    first = client.post(
        f"{URL}?entries_limit=5",
        files={"file": ("gl.csv", data)},
        data=fields,
        headers=alice.headers,
    ).json()
    assert [e["entry"] for e in first["entries"]] == [e["entry"] for e in whole["entries"][:5]]
    assert first["entries_page"]["next_offset"] == 5
    assert first["totals"] == whole["totals"]
    assert first["summary"] == whole["summary"]
    last = client.post(
        f"{URL}?entries_offset=15&entries_limit=5",
        files={"file": ("gl.csv", data)},
        data=fields,
        headers=alice.headers,
    ).json()
    assert [e["entry"] for e in last["entries"]] == [whole["entries"][15]["entry"]]
    assert last["entries_page"]["next_offset"] is None


@pytest.mark.parametrize("query", ["entries_limit=0", "entries_limit=10001", "entries_offset=-1"])
def test_a_bad_page_is_a_422_naming_the_parameter(
    client: TestClient, alice: Account, query: str
) -> None:
    response = client.post(
        f"{URL}?{query}", files={"file": ("gl.csv", gl_csv(filler(3)))}, headers=alice.headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == query.split("=")[0]
