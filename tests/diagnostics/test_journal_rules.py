"""Every journal-entry test's threshold, pinned on both sides, through HTTP: ordinary
entries (`filler`) plus the entries at the edge, each checked for its flags."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.journal_support import filler, flags, gl_csv, line, pair, post
from tests.support.builders import Account, register


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


def run(client: TestClient, who: Account, rows: list[tuple[str, ...]], **fields: str) -> Any:
    response = post(client, who, gl_csv(filler() + rows), **fields)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_entry_out_of_balance_by_one_cent_is_flagged_a_balanced_one_is_not(
    client: TestClient, alice: Account
) -> None:
    body = run(
        client,
        alice,
        [
            line("900", "04/03/2025", "6100", "100.00"),
            line("900", "04/03/2025", "1100", "", "99.99"),
            *pair("901", "04/03/2025", "100.10"),
        ],
    )
    found = flags(body)
    assert found["900"] == {"unbalanced_entry"}
    assert "901" not in found
    flagged = next(e for e in body["entries"] if e["entry"] == "900")
    assert flagged["score"] == 40
    assert "differ by 0.01" in flagged["explanation"]
    assert [entry_line["line_no"] for entry_line in flagged["lines"]] == [122, 123]
    assert body["summary"]["unbalanced_entry"] == {
        "status": "run", "reason": None, "entries": 1, "lines": 2, "amount": "100.00",
    }  # fmt: skip


def test_saturday_and_sunday_are_weekend_postings_friday_and_monday_are_not(
    client: TestClient, alice: Account
) -> None:
    rows = (
        pair("900", "07/03/2025", "310.11")
        + pair("901", "08/03/2025", "310.12")
        + pair("902", "09/03/2025", "310.13")
        + pair("903", "10/03/2025", "310.14")
    )
    found = flags(run(client, alice, rows))
    assert found["901"] == found["902"] == {"weekend_posting"}
    assert "900" not in found
    assert "903" not in found


def test_national_holidays_are_flagged_by_default_and_a_list_replaces_them(
    client: TestClient, alice: Account
) -> None:
    rows = (
        pair("900", "25/04/2025", "410.11")  # Anzac Day, a Friday
        + pair("901", "24/04/2025", "410.12")
        + pair("902", "12/03/2025", "410.13")
    )
    body = run(client, alice, rows)
    found = flags(body)
    assert found["900"] == {"public_holiday_posting"}
    assert "901" not in found
    assert "902" not in found
    assert "Anzac Day (2025-04-25)" in body["entries"][0]["explanation"]
    assert {"date": "2025-04-18", "name": "Good Friday"} in body["holidays"]
    own = flags(run(client, alice, rows, holidays='["2025-03-12"]'))
    assert own["902"] == {"public_holiday_posting"}
    assert "900" not in own


@pytest.mark.parametrize(
    ("hours", "clock", "after"),
    [
        ("", "06:59:59", True),
        ("", "07:00:00", False),
        ("", "18:59:59", False),
        ("", "19:00:00", True),
        ("09:00-17:00", "08:59:00", True),
        ("09:00-17:00", "16:59:59", False),
        ("09:00-17:00", "17:00:00", True),
    ],
)
def test_after_hours_is_before_the_start_or_from_the_end_of_business_hours(
    client: TestClient, alice: Account, hours: str, clock: str, after: bool
) -> None:
    fields = {"business_hours": hours} if hours else {}
    found = flags(run(client, alice, pair("900", "05/03/2025", "222.22", clock=clock), **fields))
    assert (found.get("900") == {"after_hours_posting"}) is after
    assert after or "900" not in found


def test_without_times_the_after_hours_test_does_not_run(
    client: TestClient, alice: Account
) -> None:
    rows = [r[:2] + r[3:] for r in filler()]
    header = (
        "Journal No",
        "Date",
        "Account Code",
        "Account Name",
        "Description",
        "Debit",
        "Credit",
    )
    response = post(client, alice, gl_csv([r[:8] for r in rows], header=header))
    assert response.status_code == 200, response.text
    summary = response.json()["summary"]["after_hours_posting"]
    assert (summary["status"], summary["reason"]) == ("not_run", "The file has no posting times.")


@pytest.mark.parametrize(
    ("amount", "weight"),
    [
        ("1000.00", 5),
        ("100000.00", 15),
        ("20000.00", 10),
        ("1500.00", None),
        ("999.00", None),
        ("1000.01", None),
    ],
)
def test_round_amounts_are_tiered_by_multiples_of_1000_10000_and_100000(
    client: TestClient, alice: Account, amount: str, weight: int | None
) -> None:
    body = run(client, alice, pair("900", "05/03/2025", amount))
    entry = next((e for e in body["entries"] if e["entry"] == "900"), None)
    if weight is None:
        assert entry is None
    else:
        assert entry is not None
        assert [(f["code"], f["weight"]) for f in entry["flags"]] == [("round_amount", weight)]
        assert entry["score"] == weight


@pytest.mark.parametrize(
    ("amount", "near"),
    [("9500.00", True), ("9999.99", True), ("9499.99", False), ("10000.00", False)],
)
def test_just_below_threshold_is_within_5_percent_below_it(
    client: TestClient, alice: Account, amount: str, near: bool
) -> None:
    found = flags(run(client, alice, pair("900", "05/03/2025", amount), threshold="10000"))
    assert ("just_below_threshold" in found.get("900", set())) is near


def test_without_a_threshold_the_just_below_test_does_not_run(
    client: TestClient, alice: Account
) -> None:
    body = run(client, alice, pair("900", "05/03/2025", "9999.99"))
    assert body["summary"]["just_below_threshold"]["status"] == "not_run"
    assert "900" not in flags(body)


def test_same_account_amount_and_date_in_two_entries_is_a_duplicate(
    client: TestClient, alice: Account
) -> None:
    rows = (
        pair("900", "05/03/2025", "777.70", text="Bill A")
        + pair("901", "05/03/2025", "777.70", text="Bill B")
        + pair("902", "06/03/2025", "777.70", text="Bill C")
    )
    found = flags(run(client, alice, rows))
    assert found["900"] == found["901"] == {"duplicate_lines"}
    assert "902" not in found


@pytest.mark.parametrize(("second", "duplicate"), [("12/03/2025", True), ("13/03/2025", False)])
def test_same_amount_and_description_within_7_days_is_a_duplicate(
    client: TestClient, alice: Account, second: str, duplicate: bool
) -> None:
    rows = pair("900", "05/03/2025", "640.10", text="Hire - Ace Scaffolds") + pair(
        "901", second, "640.10", text="hire ace scaffolds!", debit="6200", credit="1200"
    )
    found = flags(run(client, alice, rows))
    expected = {"duplicate_amount_description"} if duplicate else None
    assert found.get("900") == found.get("901") == expected


def test_blank_descriptions_are_never_duplicates_of_each_other(
    client: TestClient, alice: Account
) -> None:
    rows = pair("900", "05/03/2025", "640.10", text="") + pair(
        "901", "06/03/2025", "640.10", text="", debit="6200", credit="1200"
    )
    found = flags(run(client, alice, rows))
    assert "900" not in found
    assert "901" not in found


def test_an_account_of_two_entries_is_rare_one_of_three_is_not(
    client: TestClient, alice: Account
) -> None:
    rows = (
        pair("900", "05/03/2025", "311.10", debit="8800")
        + pair("901", "06/03/2025", "311.20", debit="8800")
        + pair("902", "05/03/2025", "311.30", debit="8900")
        + pair("903", "06/03/2025", "311.40", debit="8900")
        + pair("904", "07/03/2025", "311.50", debit="8900")
    )
    body = run(client, alice, rows)
    found = flags(body)
    assert found["900"] == found["901"] == {"rare_account"}
    assert not {"902", "903", "904"} & set(found)
    assert body["rare_accounts"] == ["8800"]


def test_below_50_entries_the_rare_account_test_does_not_run(
    client: TestClient, alice: Account
) -> None:
    response = post(
        client, alice, gl_csv(filler(48) + pair("900", "05/03/2025", "1.23", debit="8800"))
    )
    summary = response.json()["summary"]["rare_account"]
    assert summary["status"] == "not_run"
    assert "900" not in flags(response.json())


def test_a_date_after_the_period_end_is_flagged_the_period_end_itself_is_not(
    client: TestClient, alice: Account
) -> None:
    rows = pair("900", "31/03/2025", "512.30") + pair("901", "01/04/2025", "512.40")
    found = flags(run(client, alice, rows, period_end="2025-03-31"))
    assert found["901"] == {"post_period_end"}
    assert "900" not in found
    assert run(client, alice, rows)["summary"]["post_period_end"]["status"] == "not_run"


@pytest.mark.parametrize(
    ("text", "suspicious"),
    [
        ("Year-end adjustment", True),
        ("Reversal of accrual", True),
        ("Plug", True),
        ("Write-off stock", True),
        ("Written off - Acme", True),
        ("Bonus per CEO", True),
        ("Per the managing director", True),
        ("Posting error", True),
        ("Correction to wages", True),
        ("Manual journal", True),
        ("Override approval", True),
        ("Adjustable shelving", False),
        ("Perth office rent", False),
        ("Per invoice 1042", False),
        ("Correct coding", False),
        ("Reverse-cycle air conditioner", True),
    ],
)
def test_suspicious_keywords_are_whole_words_of_the_description(
    client: TestClient, alice: Account, text: str, suspicious: bool
) -> None:
    found = flags(run(client, alice, pair("900", "05/03/2025", "433.21", text=text)))
    assert (found.get("900") == {"suspicious_keyword"}) is suspicious
    assert suspicious or "900" not in found


def test_gaps_in_numeric_entry_numbers_are_reported_as_ranges(
    client: TestClient, alice: Account
) -> None:
    rows = [r for r in filler(60) if r[0] not in ("20", "21", "22", "40")]
    body = post(client, alice, gl_csv(rows)).json()
    gaps = body["gaps"]
    assert gaps["missing"] == 4
    assert gaps["sequences"][0]["ranges"] == [
        {"from": "20", "to": "22", "count": 3},
        {"from": "40", "to": "40", "count": 1},
    ]
    assert body["summary"]["entry_number_gaps"]["missing"] == 4


def test_zero_padded_prefixed_numbers_keep_their_form_in_gaps(
    client: TestClient, alice: Account
) -> None:
    rows = [(f"JE-{int(r[0]):04d}", *r[1:]) for r in filler(60) if r[0] != "7"]
    gaps = post(client, alice, gl_csv(rows)).json()["gaps"]
    assert gaps["sequences"][0]["prefix"] == "JE-"
    assert gaps["sequences"][0]["ranges"] == [{"from": "JE-0007", "to": "JE-0007", "count": 1}]


def test_flags_combine_into_one_score_and_materiality_adds_weight(
    client: TestClient, alice: Account
) -> None:
    rows = [
        line("900", "05/03/2025", "6100", "2100.55", text="Manual fix"),
        line("900", "05/03/2025", "1100", "", "2100.50", text="Manual fix"),
    ]
    plain = next(e for e in run(client, alice, rows)["entries"] if e["entry"] == "900")
    # 100 x (1 - 0.6 x 0.8) = 52
    assert (plain["score"], plain["material"]) == (52, False)
    heavy = next(
        e for e in run(client, alice, rows, materiality="2100.55")["entries"] if e["entry"] == "900"
    )
    # 100 x (1 - 0.6 x 0.8 x 0.9) = 56.8
    assert (heavy["score"], heavy["material"]) == (57, True)
    assert [f["code"] for f in heavy["flags"]][-1] == "material_amount"
    below = run(client, alice, rows, materiality="2100.56")
    assert next(e for e in below["entries"] if e["entry"] == "900")["material"] is False


@pytest.mark.parametrize(("uses", "rare"), [(3, True), (4, False)])
def test_an_account_on_fewer_than_a_thousandth_of_the_lines_is_rare(
    client: TestClient, alice: Account, uses: int, rare: bool
) -> None:
    # 1,600 ordinary entries: 3,200 lines, so 3 lines are under 0.1 % (3.206) and 4 not.
    rows = filler(1600)
    for i in range(uses):
        rows += [
            line(f"9{i}", "05/03/2025", "8800", f"5{i}.10"),
            line(f"9{i}", "05/03/2025", "6100", "", f"5{i}.10"),
        ]
    response = post(client, alice, gl_csv(rows))
    assert response.status_code == 200, response.text
    assert ("8800" in response.json()["rare_accounts"]) is rare


def test_an_entry_whose_size_is_just_below_is_flagged_with_all_its_lines(
    client: TestClient, alice: Account
) -> None:
    rows = [
        line("900", "05/03/2025", "6100", "5000.10"),
        line("900", "05/03/2025", "6200", "4599.90"),
        line("900", "05/03/2025", "1100", "", "4800.05"),
        line("900", "05/03/2025", "1200", "", "4799.95"),
    ]
    body = run(client, alice, rows, threshold="10000")
    entry = next(e for e in body["entries"] if e["entry"] == "900")
    assert [f["code"] for f in entry["flags"]] == ["just_below_threshold"]
    assert entry["flags"][0]["line_nos"] == [122, 123, 124, 125]
    assert "9600.00 is 4.00 % below the approval threshold 10000" in entry["explanation"]
