"""Tax returns over HTTP (SQLite and PostgreSQL via `client`): the assessment of a full
return checked to the cent against a hand-worked example, and validation."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import Account, register
from tests.tax.returns_helpers import bad_fields, call, create, full_return_data


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


def test_a_full_return_refund_to_the_cent(client: TestClient, alice: Account) -> None:
    # Worked by hand, 2024-25, resident, full year of hospital cover:
    #   1 Salary or wages        78,500.00 + 6,000.00                 = 84,500.00
    #   10L Gross interest                                               450.37
    #   11S + 11T + 11U          100.00 + 700.00 + 300.00 (gross-up)  =  1,100.00
    #   18 BHP: 9,000 - 5,000 = 4,000, held 1 Mar 2020 - 10 Sep 2024 (> 12 months):
    #      50 % discount -> 2,000; CBA: 1,500 - 1,000 = 500, held < 12 months -> 500
    #   18A Net capital gain                                           2,500.00
    #   Total income                                                  88,550.37
    #   D1 1,200.00 + D5 350.50 + D9 100.00 + D10 250.00               1,900.50
    #   Taxable income 86,649.87 -> whole dollars                     86,649
    #   Income tax: 4,288 + 30 % x (86,649 - 45,000) = 4,288 + 12,494.70 = 16,782.70
    #   LITO: nil above $66,667; T9 other offset 100.00 (< tax left)     -100.00
    #   Medicare levy 2 % x 86,649                                      1,732.98
    #   Surcharge: hospital cover all year                                  0.00
    #   Total tax 16,782.70 - 100.00 + 1,732.98                       18,415.68
    #   Credits: withheld 16,200 + 900 + TFN on interest 20 = 17,120.00,
    #            franking credits 300.00                              17,420.00
    #   Refund or owed: 17,420.00 - 18,415.68                           -995.68 (owed)
    made = create(client, alice, full_return_data())
    response = call(client, alice, "POST", f"/{made['id']}/calculate")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["taxable_income"] == "86649.00"
    assert body["income_tax"] == "16782.70"
    assert (body["lito"], body["other_offsets"]) == ("0.00", "100.00")
    assert (body["medicare_levy"], body["medicare_levy_surcharge"]) == ("1732.98", "0.00")
    assert body["total_tax"] == "18415.68"
    assert (body["tax_withheld"], body["franking_credits"]) == ("17120.00", "300.00")
    assert body["refund_or_owed"] == "-995.68"
    steps = {line["step"]: line for line in body["lines"]}
    assert steps["net_capital_gain"]["amount"] == "2500.00"
    assert steps["other_offsets"]["effect"] == "offset"
    details = [line["detail"] for line in body["lines"] if line["step"] == "deduction"]
    assert "D1 Work-related car expenses" in details
    stored = call(client, alice, "GET", f"/{made['id']}").json()
    assert stored["assessment"]["refund_or_owed"] == "-995.68"
    listed = call(client, alice, "GET", "?year=2024-25").json()
    assert [(r["id"], r["refund_or_owed"]) for r in listed["items"]] == [(made["id"], "-995.68")]


def test_part_year_hospital_cover_and_share_scheme_reduction(
    client: TestClient, alice: Account
) -> None:
    # Salary 118,000 + 12D 3,000 less the $1,000 reduction (income test 121,000 <=
    # 180,000) = taxable 120,000. Surcharge tier 2 (113,001-151,000): 1.25 % x 120,000 =
    # 1,500.00 for the year; covered 3 months -> 1,500 x 9/12 = 1,125.00.
    data = {
        "income": {
            "salary_wages": [{"payer_name": "Big Co", "gross": "118000", "tax_withheld": "0"}],
            "employee_shares": {"upfront_eligible": "3000.00"},
        },
        "private_health": {"hospital_cover_months": 3},
    }
    made = create(client, alice, data)
    body = call(client, alice, "POST", f"/{made['id']}/calculate").json()
    assert body["taxable_income"] == "120000.00"
    assert body["medicare_levy_surcharge"] == "1125.00"
    # Income tax 4,288 + 30 % x (120,000 - 45,000) = 26,788; Medicare levy 2 % = 2,400.
    assert body["income_tax"] == "26788.00"
    assert body["total_tax"] == str(26788 + 2400 + 1125) + ".00"


def test_the_discount_needs_more_than_twelve_months(client: TestClient, alice: Account) -> None:
    """Bought 1 July 2023: sold 1 July 2024 gets no discount, sold 2 July 2024 does."""

    def gain(disposed_on: str) -> str:
        entry = {
            "description": "ETF",
            "acquired_on": "2023-07-01",
            "disposed_on": disposed_on,
            "cost_base": "1000",
            "proceeds": "3000",
        }
        made = create(
            client, alice, {"income": {"capital_gains": {"entries": [entry]}}}, name=disposed_on
        )
        lines = call(client, alice, "POST", f"/{made['id']}/calculate").json()["lines"]
        return str(next(x["amount"] for x in lines if x["step"] == "net_capital_gain"))

    assert gain("2024-07-01") == "2000.00"
    assert gain("2024-07-02") == "1000.00"


def test_validation_names_the_field_path(client: TestClient, alice: Account) -> None:
    bad = {
        "income": {
            "salary_wages": [{"payer_name": "X", "payer_abn": "123", "gross": "-5.00"}],
            "interest": {"gross": "10.123"},
        },
        "deductions": {"d2_travel": {"amount": "abc"}},
        "spouse": {"taxable_income": "1000.00"},
        "months_resident": 13,
    }
    response = client.post(
        "/api/v1/tax/returns",
        json={"person": {"name": "Alice"}, "year": "2024-25", "data": bad},
        headers=alice.headers,
    )
    assert bad_fields(response) == {
        "data.income.salary_wages.0.payer_abn",
        "data.income.salary_wages.0.gross.amount",
        "data.income.interest.gross.amount",
        "data.deductions.d2_travel.amount",
        "data.spouse.taxable_income",
        "data.months_resident",
    }
    made = create(client, alice)
    late = {
        "income": {
            "capital_gains": {
                "entries": [
                    {
                        "description": "Shares",
                        "acquired_on": "2020-01-01",
                        "disposed_on": "2025-07-01",
                        "cost_base": "1",
                        "proceeds": "2",
                    }
                ]
            }
        }
    }
    put = call(client, alice, "PUT", f"/{made['id']}", late)
    assert bad_fields(put) == {"income.capital_gains.entries.0.disposed_on"}
    assert "2025-06-30" in put.json()["detail"]
    patch = call(client, alice, "PATCH", f"/{made['id']}", {"deductions": {"d9_gifts": "-1"}})
    assert bad_fields(patch) == {"deductions.d9_gifts.amount"}
    unknown = call(client, alice, "PATCH", f"/{made['id']}", {"deductions": {"d99": "1"}})
    assert bad_fields(unknown) == {"deductions.d99"}
    year = client.post(
        "/api/v1/tax/returns",
        json={"person": {"name": "Alice"}, "year": "2030-31"},
        headers=alice.headers,
    )
    assert bad_fields(year) == {"year"}
    checksum = call(
        client,
        alice,
        "PATCH",
        f"/{made['id']}",
        {"income": {"salary_wages": [{"payer_name": "Y", "payer_abn": "51 824 753 557"}]}},
    )
    assert bad_fields(checksum) == {"income.salary_wages.0.payer_abn"}
    assert "check digits" in checksum.json()["errors"][0]["message"]


def test_one_return_per_person_and_year(client: TestClient, alice: Account) -> None:
    create(client, alice, name="Sam Smith")
    again = client.post(
        "/api/v1/tax/returns",
        json={"person": {"name": "  sam   SMITH "}, "year": "2024-25"},
        headers=alice.headers,
    )
    assert (again.status_code, again.json()["code"]) == (409, "tax_return_exists")
    create(client, alice, name="Sam Smith", year="2023-24")
    stranger = register(client, "Stranger")
    linked = client.post(
        "/api/v1/tax/returns",
        json={"person": {"name": "Pat", "user_id": str(stranger.user_id)}, "year": "2024-25"},
        headers=alice.headers,
    )
    assert bad_fields(linked) == {"person.user_id"}
    mine = client.post(
        "/api/v1/tax/returns",
        json={"person": {"name": "Alice", "user_id": str(alice.user_id)}, "year": "2024-25"},
        headers=alice.headers,
    )
    assert mine.status_code == 201, mine.text
    assert mine.json()["person"]["user_id"] == str(alice.user_id)
    years = call(client, alice, "GET", "?year=2023-24").json()
    assert [r["year"] for r in years["items"]] == ["2023-24"]
    paged = call(client, alice, "GET", "?page=2&limit=1").json()
    assert (paged["total"], paged["total_pages"], len(paged["items"])) == (3, 3, 1)
    assert bad_fields(call(client, alice, "GET", "?year=2099-00")) == {"year"}


def test_business_income_with_sbito_and_a_rental_loss(client: TestClient, alice: Account) -> None:
    # 2024-25, resident, hospital cover all year:
    #   1 Salary 60,000; 15B net small business income 20,000;
    #   21 rent 15,000 - 12,000 interest - 2,000 capital works - 3,000 other = -2,000
    #   Taxable income 60,000 + 20,000 - 2,000 = 78,000
    #   Income tax 4,288 + 30 % x (78,000 - 45,000) = 14,188.00
    #   SBITO 16 % x 14,188 x 20,000 / 78,000 = 582.0717... -> 582.08 (offsets round up)
    #   Medicare levy 2 % x 78,000 = 1,560.00
    #   Total tax 14,188.00 - 582.08 + 1,560.00 = 15,165.92; withheld 9,000.00
    #   Refund or owed 9,000.00 - 15,165.92 = -6,165.92
    data = {
        "income": {
            "salary_wages": [{"payer_name": "Shop", "gross": "60000", "tax_withheld": "9000"}],
            "business": {"net_income": "20000.00", "small_business_entity": True},
            "rent": {
                "gross": "15000",
                "interest": "12000",
                "capital_works": "2000",
                "other_deductions": "3000",
            },
        },
        "private_health": {"hospital_cover_months": 12},
    }
    rid = create(client, alice, data)["id"]
    body = call(client, alice, "POST", f"/{rid}/calculate").json()
    assert body["taxable_income"] == "78000.00"
    assert (body["income_tax"], body["sbito"]) == ("14188.00", "582.08")
    assert body["total_tax"] == "15165.92"
    assert body["refund_or_owed"] == "-6165.92"
    loss = call(client, alice, "PATCH", f"/{rid}", {"income": {"business": {"net_income": "-500"}}})
    assert loss.status_code == 200, loss.text
    after = call(client, alice, "POST", f"/{rid}/calculate").json()
    assert (after["taxable_income"], after["sbito"]) == ("57500.00", "0.00")
