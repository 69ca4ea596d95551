"""Prefill from the books over HTTP: labelled categories' postings of the income year
become proposals with their transactions; nothing typed is overwritten unless accepted."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account, register
from tests.tax.returns_helpers import bad_fields, call, create, lodge


class Books:
    def __init__(self, client: TestClient, owner: Account) -> None:
        self.client, self.owner = client, owner
        self.bank = self._post("/api/v1/accounts", {"name": "Bank", "type": "asset"})

    def _post(self, path: str, body: dict[str, Any]) -> str:
        response = self.client.post(path, json=body, headers=self.owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def category(self, name: str, type_: str, tax_label: str) -> str:
        body = {"name": name, "type": type_, "tax_label": tax_label}
        return self._post("/api/v1/categories", body)

    def entry(self, day: str, type_: str, amount: str, category: str, payee: str) -> str:
        body = {
            "date": day,
            "description": payee,
            "payee": payee,
            "amount": amount,
            "type": type_,
            "account_id": self.bank,
            "category_id": category,
        }
        return self._post("/api/v1/transactions", body)


def by_key(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in items}


def test_prefill_proposes_and_accepts_with_provenance(client: TestClient) -> None:
    alice = register(client, "Alice")
    books = Books(client, alice)
    salary = books.category("Salary", "income", "ind.salary_wages")
    interest = books.category("Interest", "income", "ind.interest")
    tools = books.category("Work tools", "expense", "ind.d5_other_work")
    gifts = books.category("Donations", "expense", "ind.d9_gifts")
    dividends = books.category("Dividends", "income", "ind.dividends")
    fees = books.category("Consulting", "income", "biz.gross_income")
    software = books.category("Software", "expense", "biz.other_expenses")
    acme = [
        books.entry("2024-07-15", "income", "3000.00", salary, "Acme Pty Ltd"),
        books.entry("2025-06-30", "income", "3000.00", salary, "Acme Pty Ltd"),
    ]
    books.entry("2024-06-30", "income", "9999.00", salary, "Acme Pty Ltd")  # 2023-24
    books.entry("2025-07-01", "income", "9999.00", salary, "Acme Pty Ltd")  # 2025-26
    cafe = books.entry("2024-08-01", "income", "500.00", salary, "Weekend Cafe")
    bank_interest = books.entry("2024-12-31", "income", "12.34", interest, "Bank")
    drill = books.entry("2024-09-01", "expense", "200.00", tools, "Hardware")
    saw = books.entry("2025-02-01", "expense", "99.95", tools, "Hardware")
    books.entry("2024-10-01", "expense", "100.00", gifts, "Red Cross")
    books.entry("2024-11-01", "income", "300.00", dividends, "BHP")
    books.entry("2024-11-02", "income", "1000.00", fees, "Client")
    books.entry("2024-11-03", "expense", "400.00", software, "Vendor")
    data = {
        "income": {
            "salary_wages": [
                {"payer_name": "ACME Pty Ltd", "gross": "5000.00", "tax_withheld": "1000.00"}
            ]
        },
        "deductions": {"d9_gifts": "80.00"},
    }
    made = create(client, alice, data)
    rid = made["id"]
    response = call(client, alice, "POST", f"/{rid}/prefill")
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["starts"], result["ends"]) == ("2024-07-01", "2025-06-30")
    found = by_key(result["proposals"])
    assert {k: v["amount"] for k, v in found.items()} == {
        "income.salary_wages[Acme Pty Ltd].gross": "6000.00",
        "income.salary_wages[Weekend Cafe].gross": "500.00",
        "income.interest.gross": "12.34",
        "deductions.d5_other_work": "299.95",
        "deductions.d9_gifts": "100.00",
        "income.business.net_income": "600.00",
    }
    acme_proposal = found["income.salary_wages[Acme Pty Ltd].gross"]
    assert acme_proposal["transaction_ids"] == acme
    assert acme_proposal["overwrites_user"] is True
    assert acme_proposal["current"]["amount"] == "5000.00"
    assert (acme_proposal["code"], acme_proposal["label"]) == ("1D", "Gross payments")
    assert found["deductions.d9_gifts"]["overwrites_user"] is True
    assert found["deductions.d5_other_work"]["overwrites_user"] is False
    assert found["deductions.d5_other_work"]["categories"] == ["Work tools"]
    assert [s["tax_label"] for s in result["skipped"]] == ["ind.dividends"]
    assert "franked" in result["skipped"][0]["reason"]
    untouched = call(client, alice, "GET", f"/{rid}").json()
    assert untouched["data"] == made["data"]
    assert untouched["data"]["deductions"]["d9_gifts"]["amount"] == "80.00"
    assert len(untouched["proposals"]) == 6

    decisions = [
        {"key": "income.interest.gross", "action": "accept"},
        {"key": "deductions.d5_other_work", "action": "accept"},
        {"key": "income.salary_wages[Weekend Cafe].gross", "action": "accept"},
        {"key": "income.business.net_income", "action": "accept"},
        {"key": "deductions.d9_gifts", "action": "reject"},
    ]
    decided = call(client, alice, "POST", f"/{rid}/prefill/decisions", {"decisions": decisions})
    assert decided.status_code == 200, decided.text
    body = decided.json()
    deductions, income = body["data"]["deductions"], body["data"]["income"]
    assert deductions["d5_other_work"] == {
        "amount": "299.95",
        "source": "prefill",
        "transaction_ids": [drill, saw],
    }
    assert deductions["d9_gifts"] == {"amount": "80.00", "source": "user", "transaction_ids": []}
    assert income["interest"]["gross"]["transaction_ids"] == [bank_interest]
    payers = [
        (p["payer_name"], p["gross"]["amount"], p["gross"]["source"])
        for p in income["salary_wages"]
    ]
    assert payers == [("ACME Pty Ltd", "5000.00", "user"), ("Weekend Cafe", "500.00", "prefill")]
    assert income["salary_wages"][1]["gross"]["transaction_ids"] == [cafe]
    assert income["business"]["net_income"]["amount"] == "600.00"
    assert [p["key"] for p in body["proposals"]] == ["income.salary_wages[Acme Pty Ltd].gross"]

    # A round trip keeps provenance; changing the amount makes the figure the user's.
    put = call(client, alice, "PUT", f"/{rid}", body["data"]).json()
    assert put["data"]["deductions"]["d5_other_work"]["source"] == "prefill"
    patched = call(
        client, alice, "PATCH", f"/{rid}", {"deductions": {"d5_other_work": {"amount": "310.00"}}}
    )
    assert patched.json()["data"]["deductions"]["d5_other_work"] == {
        "amount": "310.00",
        "source": "user",
        "transaction_ids": [],
    }
    again = call(client, alice, "POST", f"/{rid}/prefill").json()
    assert "income.interest.gross" not in by_key(again["proposals"])  # already in place
    assert by_key(again["proposals"])["deductions.d5_other_work"]["overwrites_user"] is True


def test_prefill_decisions_are_validated_and_lodged_returns_refused(client: TestClient) -> None:
    alice = register(client, "Alice")
    books = Books(client, alice)
    interest = books.category("Interest", "income", "ind.interest")
    books.entry("2024-12-31", "income", "10.00", interest, "Bank")
    bob = register(client, "Bob")
    bobs = Books(client, bob)
    bobs_interest = bobs.category("Interest", "income", "ind.interest")
    bobs_entry = bobs.entry("2024-12-31", "income", "77.00", bobs_interest, "Bob's bank")
    rid = create(client, alice)["id"]
    result = call(client, alice, "POST", f"/{rid}/prefill").json()
    assert [p["amount"] for p in result["proposals"]] == ["10.00"]
    assert bobs_entry not in str(result)
    unknown = call(
        client,
        alice,
        "POST",
        f"/{rid}/prefill/decisions",
        {"decisions": [{"key": "deductions.d1_car", "action": "accept"}]},
    )
    assert bad_fields(unknown) == {"decisions.0.key"}
    twice = call(
        client,
        alice,
        "POST",
        f"/{rid}/prefill/decisions",
        {"decisions": [{"key": "income.interest.gross", "action": "accept"}] * 2},
    )
    assert bad_fields(twice) == {"decisions.1.key"}
    assert (
        call(client, alice, "GET", f"/{rid}").json()["data"]["income"]["interest"]["gross"][
            "amount"
        ]
        == "0.00"
    )
    lodge(client, alice, rid)
    refused = call(client, alice, "POST", f"/{rid}/prefill")
    assert (refused.status_code, refused.json()["code"]) == (409, "tax_return_lodged")


def test_accepting_a_figure_the_return_cannot_hold_changes_nothing(client: TestClient) -> None:
    alice = register(client, "Alice")
    books = Books(client, alice)
    interest = books.category("Interest", "income", "ind.interest")
    for day in ("2024-08-01", "2024-09-01"):
        books.entry(day, "income", "600000000000.00", interest, "Bank")
    rid = create(client, alice)["id"]
    proposals = call(client, alice, "POST", f"/{rid}/prefill").json()["proposals"]
    assert [p["amount"] for p in proposals] == ["1200000000000.00"]  # 13 digits: too big
    decision = {"decisions": [{"key": "income.interest.gross", "action": "accept"}]}
    refused = call(client, alice, "POST", f"/{rid}/prefill/decisions", decision)
    assert bad_fields(refused) == {"decisions"}
    assert "income.interest.gross.amount" in refused.json()["detail"]
    after = call(client, alice, "GET", f"/{rid}").json()
    assert after["data"]["income"]["interest"]["gross"]["amount"] == "0.00"
    assert len(after["proposals"]) == 1
